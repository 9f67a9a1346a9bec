/**
 * The EQL event category of a log source (mappings/ecs.json) and the conditions that narrow it.
 * A category ecs.json does not list, or a Windows service, is searched with `any where` plus
 * the channel and event ids of mappings/windows.json.
 */
import { diag, type Diagnostic } from '../diagnostics/index.js';
import { loadMapping, type LogSource, type WindowsMapping } from '../ir/index.js';
import { eqlField, eqlString } from './eql-literal.js';

/** The shape of mappings/ecs.json. */
export interface EcsMapping {
  categories: Record<string, { category: string; where?: { field: string; value: string }[]; exists?: string[]; exact?: boolean }>;
  keywordFields: string[];
  products?: Record<string, { field: string; value: string }>;
}

/** The category keyword and the source conditions (already EQL text). */
export interface EqlSource {
  category: string;
  conditions: string[];
}

/** Resolves a log source; pushes RB402 (no category) or RB404 (broader category). */
export function eqlSource(src: LogSource, file: string, diags: Diagnostic[], mappingPath?: string): EqlSource | undefined {
  const ecs = loadMapping<EcsMapping>(mappingPath ?? 'ecs');
  const found = category(ecs, src, file, diags);
  const prod = src.product ? ecs.products?.[src.product] : undefined;
  if (found && prod) found.conditions.unshift(`${eqlField(prod.field)} == ${eqlString(prod.value)}`);
  return found;
}

function category(ecs: EcsMapping, src: LogSource, file: string, diags: Diagnostic[]): EqlSource | undefined {
  const at = src.origin ?? { file };
  const entry = src.category ? ecs.categories[src.category] : undefined;
  if (entry) {
    const conditions = (entry.where ?? []).map((w) => `${eqlField(w.field)} == ${eqlString(w.value)}`);
    for (const f of entry.exists ?? []) conditions.push(`${eqlField(f, true)} != null`);
    if (entry.exact === false) diags.push(diag('RB404', `eql: log source '${src.category}' is searched as the broader event category '${entry.category}'`, at));
    return { category: entry.category, conditions };
  }
  const win = loadMapping<WindowsMapping>('windows');
  const isWindows = !src.product || src.product === 'windows';
  if (isWindows && src.category && win.categories[src.category]) {
    const parts = Object.entries(win.categories[src.category]!.channels).map(([ch, ids]) => {
      const codes = ids.map((id) => eqlString(String(id)));
      return `${eqlField('winlog.channel')} : ${eqlString(ch)} and ${eqlField('event.code')} ${codes.length === 1 ? `== ${codes[0]}` : `in (${codes.join(', ')})`}`;
    });
    return { category: 'any', conditions: [parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(' or ')] };
  }
  if (isWindows && !src.category && src.service && win.services[src.service]) {
    const chans = win.services[src.service]!.channels.map(eqlString);
    return { category: 'any', conditions: [`${eqlField('winlog.channel')} : ${chans.length === 1 ? chans[0] : `(${chans.join(', ')})`}`] };
  }
  if (!src.category && !src.service) return { category: 'any', conditions: [] };
  const name = [src.product, src.category, src.service].filter(Boolean).join('/');
  diags.push(diag('RB402', `eql has no event category for log source '${name}'`, at));
  return undefined;
}
