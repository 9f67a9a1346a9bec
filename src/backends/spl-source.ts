/**
 * Where an SPL query reads its events and how it names canonical fields:
 * - a CIM data model (mappings/cim.json) when the log source has one and every field the rule
 *   touches has a CIM name: `<Object>.<field>` in tstats and `from datamodel`;
 * - else a raw search over the Windows channel of mappings/splunk.json, with the Sysmon/Windows
 *   field names of mappings/windows.json (src/ir/fields.ts) and Splunk's own names for a few
 *   (EventCode, _time). A derived basename field (process.name) is computed with eval.
 */
import { canonicalToWindows, derivedField, loadMapping, type LogSource } from '../ir/index.js';
import { splString } from './spl-literal.js';

/** How a canonical field is written: a plain name (search and eval) or only an eval expression. */
export interface SplField {
  name?: string;
  expr: string;
}

/** The shape of mappings/cim.json. */
interface CimMapping {
  datamodels: Record<string, { object: string; logsource: { category?: string; service?: string; product?: string }; fields: Record<string, string> }>;
}
/** The shape of mappings/splunk.json. */
interface SplunkMapping {
  sourcetype: string;
  categories: Record<string, { source: string; eventCodes?: number[] }>;
  services: Record<string, { source: string }>;
  fields: Record<string, string>;
}

/** A resolved source: its search terms or data model, and its field namer. */
export interface SplSource {
  kind: 'cim' | 'raw';
  /** CIM: `Endpoint.Processes`. */
  model?: string;
  object?: string;
  /** Raw: the search terms that select the channel and event ids. */
  terms: string[];
  /** The field's SPL name; `alias` picks among CIM names of the same canonical field. */
  field(canonical: string, alias?: string): SplField | undefined;
}

/** Splunk's default fields, which every event has whatever its source. */
const DEFAULT_FIELDS = new Set(['index', 'source', 'sourcetype', 'host', 'eventtype', 'splunk_server']);

/**
 * A field a frontend kept under its source's own name (no canonical mapping: no dot, as the
 * canonical ECS names have) is written as is; canonical names need a mapping.
 */
function ownName(name: string): SplField | undefined {
  if (name === '@timestamp') return { name: '_time', expr: '_time' };
  return name.includes('.') ? undefined : { name, expr: name };
}

/** The CIM data model of a log source, if mappings/cim.json has one. */
export function cimSource(src: LogSource): SplSource | undefined {
  const cim = loadMapping<CimMapping>('cim');
  const byName = src.extra?.datamodel ? cim.datamodels[src.extra.datamodel] : undefined;
  const name = byName ? src.extra!.datamodel! : Object.keys(cim.datamodels).find((k) => {
    const ls = cim.datamodels[k]!.logsource;
    return !!src.category && ls.category === src.category;
  });
  if (!name) return undefined;
  const dm = cim.datamodels[name]!;
  if (!/^[A-Za-z0-9_.]+$/.test(name) || !/^[A-Za-z0-9_]+$/.test(dm.object)) return undefined;
  return {
    kind: 'cim',
    model: name,
    object: dm.object,
    terms: [],
    field(canonical, alias) {
      const names = Object.entries(dm.fields).filter(([, v]) => v === canonical).map(([k]) => k);
      const short = alias?.startsWith(dm.object + '.') ? alias.slice(dm.object.length + 1) : alias;
      // Splunk's own indexed fields need no data model name (tstats reads them unprefixed).
      if (!names.length && DEFAULT_FIELDS.has(canonical)) return { name: canonical, expr: canonical };
      if (!names.length) return undefined;
      const pick = names.find((n) => n === short) ?? names[0]!;
      const full = pick === '_time' ? '_time' : `${dm.object}.${pick}`;
      return { name: full, expr: full };
    },
  };
}

/** The raw Windows event log search of a log source, if mappings/splunk.json has one. */
export function rawSource(src: LogSource): SplSource | undefined {
  if (src.product && src.product !== 'windows') return undefined;
  const m = loadMapping<SplunkMapping>('splunk');
  const entry: { source: string; eventCodes?: number[] } | undefined = src.category ? m.categories[src.category] : src.service ? m.services[src.service] : undefined;
  if (!entry) return undefined;
  const terms = [`sourcetype=${splString(m.sourcetype)}`, `source=${splString(entry.source)}`];
  const codes = entry.eventCodes ?? [];
  if (codes.length === 1) terms.push(`EventCode=${codes[0]}`);
  else if (codes.length > 1) terms.push(`EventCode IN (${codes.join(', ')})`);
  const category = src.category;
  return {
    kind: 'raw',
    terms,
    field(canonical) {
      const name = m.fields[canonical] ?? canonicalToWindows(canonical, category);
      if (name) return { name, expr: name };
      const d = derivedField(canonical, category);
      if (d?.fn !== 'basename') return ownName(canonical);
      const from = canonicalToWindows(d.from, category);
      if (!from || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(from)) return undefined;
      // basename: everything after the last backslash (PCRE `^.*\\`, greedy)
      return { expr: `replace(${from}, ${splString('^.*\\\\')}, "")` };
    },
  };
}

/**
 * A search over the Splunk source hints a frontend kept (`extra`: index, source, sourcetype,
 * eventtype), for sources no mapping knows; fields keep their own names.
 */
export function hintSource(src: LogSource): SplSource | undefined {
  const terms: string[] = [];
  for (const f of ['index', 'sourcetype', 'source', 'eventtype']) {
    const v = src.extra?.[f];
    if (v === undefined) continue;
    const vs = v.split(' OR ').map(splString);
    terms.push(vs.length === 1 ? `${f}=${vs[0]}` : `${f} IN (${vs.join(', ')})`);
  }
  if (!terms.length) return undefined;
  return { kind: 'raw', terms, field: (name) => ownName(name) };
}
