/**
 * The EQL event category of a log source (mappings/ecs.json) and the conditions that narrow it.
 * A category ecs.json does not list, or a Windows service, is searched with `any where` plus
 * the channel and event ids of mappings/windows.json.
 */
import { diag, type Diagnostic } from '../diagnostics/index.js';
import { loadMapping, windowsToCanonical, type LogSource, type WindowsMapping } from '../ir/index.js';
import { eqlField, eqlString } from './eql-literal.js';

/** The shape of mappings/ecs.json. */
export interface EcsMapping {
  categories: Record<string, {
    category: string;
    where?: { field: string; value: string }[];
    exists?: string[];
    exact?: boolean;
    /** Field names a Sigma category of another product writes (W3C web logs) → ECS. */
    sigma?: { fields: Record<string, string>; exact?: boolean };
  }>;
  keywordFields: string[];
  products?: Record<string, { field: string; value: string }>;
  /** Other log sources: the Elastic integration's `event.dataset`. */
  sources?: Record<string, { dataset: string; exact?: boolean }>;
  /** Where keyword (value-only) searches look. */
  keywordField?: string;
}

/** The category keyword and the source conditions (already EQL text). */
export interface EqlSource {
  category: string;
  conditions: string[];
  /** The ECS name of a field as the rule wrote it (Sigma taxonomy names of other products). */
  rename(field: string): { name: string; exact: boolean };
}

/**
 * The ECS name of a field of a non-Windows Sigma rule: the W3C names of the category's `sigma`
 * table, or the Sigma taxonomy names Linux and macOS share with Sysmon (Image, CommandLine).
 */
function renamer(ecs: EcsMapping, src: LogSource): EqlSource['rename'] {
  const table = src.category ? ecs.categories[src.category]?.sigma : undefined;
  return (field) => {
    const hit = table?.fields[field];
    if (hit) return { name: hit, exact: table!.exact !== false };
    if (src.product && src.product !== 'windows' && src.category && !field.includes('.')) {
      const c = windowsToCanonical(field, src.category);
      if (c.mapped) return { name: c.name, exact: true };
    }
    return { name: field, exact: true };
  };
}

/**
 * mappings/ecs.json, or a user's file (.json) merged over it: its `categories`, `products` and
 * `sources` entries replace the bundled ones of the same key, its `keywordFields` and
 * `keywordField` replace the bundled values. Throws when the file cannot be read.
 */
export function ecsMapping(userPath?: string): EcsMapping {
  const ecs = loadMapping<EcsMapping>('ecs');
  if (userPath === undefined) return ecs;
  if (!userPath.endsWith('.json')) throw new Error(`a mapping file is a .json file, not '${userPath}'`);
  const u = loadMapping<Partial<EcsMapping>>(userPath);
  if (typeof u !== 'object' || u === null || Array.isArray(u)) throw new Error('a mapping file holds a JSON object');
  return {
    ...ecs,
    categories: { ...ecs.categories, ...u.categories },
    products: { ...ecs.products, ...u.products },
    sources: { ...ecs.sources, ...u.sources },
    keywordFields: u.keywordFields ?? ecs.keywordFields,
    ...(u.keywordField !== undefined ? { keywordField: u.keywordField } : {}),
  };
}

/** Resolves a log source; pushes RB402 (no category) or RB404 (broader category). */
export function eqlSource(src: LogSource, file: string, diags: Diagnostic[], ecs: EcsMapping = ecsMapping()): EqlSource | undefined {
  const found = category(ecs, src, file, diags);
  if (!found) return undefined;
  const prod = src.product ? ecs.products?.[src.product] : undefined;
  if (prod) found.conditions.unshift(`${eqlField(prod.field)} == ${eqlString(prod.value)}`);
  return { ...found, rename: renamer(ecs, src) };
}

function category(ecs: EcsMapping, src: LogSource, file: string, diags: Diagnostic[]): Omit<EqlSource, 'rename'> | undefined {
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
  if (!src.category && !src.service && (!src.product || ecs.products?.[src.product])) return { category: 'any', conditions: [] };
  // Other sources: the integration's dataset, else every event; the rule's names as written.
  const keys = [
    src.product && src.service && `${src.product}/${src.service}`,
    src.product && src.category && `${src.product}/${src.category}`,
    !src.category && !src.service && src.product,
    !src.product && src.category,
    !src.product && src.service,
  ].filter((k): k is string => !!k);
  const key = keys.find((k) => ecs.sources?.[k]);
  const name = [src.product, src.category, src.service].filter(Boolean).join('/');
  if (!key) {
    diags.push(diag('RB404', `eql has no event category for log source '${name}': the query searches every event, with the rule's field names`, at));
    return { category: 'any', conditions: [] };
  }
  const e = ecs.sources![key]!;
  if (e.exact !== true) diags.push(diag('RB404', `eql searches log source '${name}' as event.dataset ${e.dataset} with the rule's field names, which the integration may rename`, at));
  return { category: 'any', conditions: [`${eqlField('event.dataset')} == ${eqlString(e.dataset)}`] };
}
