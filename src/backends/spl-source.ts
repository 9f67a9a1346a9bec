/**
 * Where an SPL query reads its events and how it names canonical fields:
 * - a CIM data model (mappings/cim.json) when the log source has one and every field the rule
 *   touches has a CIM name: `<Object>.<field>` in tstats and `from datamodel`;
 * - else a raw search over the Windows channel of mappings/splunk.json, with the Sysmon/Windows
 *   field names of mappings/windows.json (src/ir/fields.ts) and Splunk's own names for a few
 *   (EventCode, _time). A derived basename field (process.name) is computed with eval.
 */
import { canonicalToWindows, derivedField, loadMapping, windowsToCanonical, type LogSource } from '../ir/index.js';
import { splString } from './spl-literal.js';

/** How a canonical field is written: a plain name (search and eval) or only an eval expression. */
export interface SplField {
  name?: string;
  expr: string;
}

/** The shape of mappings/cim.json. */
interface CimMapping {
  datamodels: Record<string, {
    object: string;
    logsource: { category?: string; service?: string; product?: string };
    fields: Record<string, string>;
    /** Sigma taxonomy names of a non-Windows category (W3C web fields) → CIM field. */
    sigma?: { fields: Record<string, string>; exact?: boolean };
  }>;
}
/** The shape of mappings/splunk.json. */
interface SplunkMapping {
  sourcetype: string;
  categories: Record<string, { source: string; eventCodes?: number[] }>;
  services: Record<string, { source: string }>;
  fields: Record<string, string>;
  /** Sourcetypes of other log sources, keyed product/service, product/category, product, category or service. */
  sources?: Record<string, { sourcetype: string; terms?: string[]; exact?: boolean }>;
}

/** The mappings SPL reads: CIM data models and Splunk sources. */
export interface SplMaps { cim: CimMapping; splunk: SplunkMapping }

/**
 * The bundled mappings, or a user's file merged over them: its `datamodels` and `aliases`
 * (mappings/cim.json's shape) and its `sourcetype`, `categories`, `services`, `fields` and
 * `sources` (mappings/splunk.json's shape) replace the bundled entries of the same key.
 */
export function splMaps(userPath?: string): SplMaps {
  const cim = loadMapping<CimMapping>('cim');
  const splunk = loadMapping<SplunkMapping>('splunk');
  if (!userPath) return { cim, splunk };
  const u = loadMapping<Partial<CimMapping & SplunkMapping>>(userPath);
  if (typeof u !== 'object' || u === null || Array.isArray(u)) throw new Error('a mapping file holds a JSON object');
  return {
    cim: { ...cim, datamodels: { ...cim.datamodels, ...u.datamodels } },
    splunk: {
      ...splunk,
      ...(u.sourcetype ? { sourcetype: u.sourcetype } : {}),
      categories: { ...splunk.categories, ...u.categories },
      services: { ...splunk.services, ...u.services },
      fields: { ...splunk.fields, ...u.fields },
      sources: { ...splunk.sources, ...u.sources },
    },
  };
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
  /** Why this source is not exactly the rule's log source, for a warning (RB404). */
  inexact?: string;
  /** The fields this source reads under a name whose values may differ in form (RB404 when used). */
  inexactFields?: Set<string>;
}

/**
 * The canonical name of a field a Sigma rule of another product wrote in the Sigma taxonomy
 * (Image, CommandLine, TargetFilename: the names Sysmon for Linux and the Sigma taxonomy share),
 * or undefined. Windows rules are already canonical; dotted names are never taxonomy names.
 */
export function taxonomyCanonical(src: LogSource, name: string): string | undefined {
  if (!src.product || src.product === 'windows' || name.includes('.') || !src.category) return undefined;
  const c = windowsToCanonical(name, src.category);
  return c.mapped ? c.name : undefined;
}

/** Splunk's default fields, which every event has whatever its source. */
const DEFAULT_FIELDS = new Set(['index', 'source', 'sourcetype', 'host', 'eventtype', 'splunk_server']);

/**
 * A field a frontend kept under its source's own name (no canonical mapping: no dot, as the
 * canonical ECS names have) is written as is; canonical names need a mapping.
 */
function ownName(name: string): SplField | undefined {
  if (name === '@timestamp') return { name: '_time', expr: '_time' };
  // Canonical names are lower-case ECS paths; a CIM-prefixed name (Processes.dest_category) is not.
  return !name.includes('.') || /^[A-Z]/.test(name) ? { name, expr: name } : undefined;
}

/** The CIM data model of a log source, if mappings/cim.json has one. */
export function cimSource(src: LogSource, maps: SplMaps = splMaps()): SplSource | undefined {
  const cim = maps.cim;
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
    inexactFields: dm.sigma?.exact === false ? new Set(Object.keys(dm.sigma.fields)) : undefined,
    field(name, alias) {
      const sigmaName = dm.sigma?.fields[name];
      if (sigmaName && !src.product) return { name: `${dm.object}.${sigmaName}`, expr: `${dm.object}.${sigmaName}` };
      const canonical = taxonomyCanonical(src, name) ?? name;
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
export function rawSource(src: LogSource, maps: SplMaps = splMaps()): SplSource | undefined {
  if (src.product && src.product !== 'windows') return undefined;
  const m = maps.splunk;
  const entry: { source: string; eventCodes?: number[] } | undefined = src.category ? m.categories[src.category] : src.service ? m.services[src.service] : undefined;
  if (!entry && !src.category && src.service) {
    // A channel list of mappings/windows.json (AppLocker's four channels).
    const chans = loadMapping<{ services: Record<string, { channels: string[] }> }>('windows').services[src.service]?.channels;
    if (chans?.length) return windowsSource(maps, chans.map((c) => `XmlWinEventLog:${c}`), [], undefined);
  }
  if (!entry) return undefined;
  return windowsSource(maps, [entry.source], entry.eventCodes ?? [], src.category);
}

function windowsSource(maps: SplMaps, sources: string[], codes: number[], category: string | undefined): SplSource {
  const m = maps.splunk;
  const terms = [`sourcetype=${splString(m.sourcetype)}`, sources.length === 1 ? `source=${splString(sources[0]!)}` : `source IN (${sources.map(splString).join(', ')})`];
  if (codes.length === 1) terms.push(`EventCode=${codes[0]}`);
  else if (codes.length > 1) terms.push(`EventCode IN (${codes.join(', ')})`);
  return {
    kind: 'raw',
    terms,
    field(canonical) {
      const name = m.fields[canonical] ?? canonicalToWindows(canonical, category);
      if (name) return { name, expr: name };
      const d = derivedField(canonical, category);
      if (d?.fn !== 'basename') {
        // The Splunk Windows add-ons extract CIM names (user_id, process_name) from raw events too.
        const cim = endpointCim(canonical, maps);
        return cim ? { name: cim, expr: cim } : ownName(canonical);
      }
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
export function hintSource(src: LogSource, maps: SplMaps = splMaps()): SplSource | undefined {
  const terms: string[] = [];
  for (const f of ['index', 'sourcetype', 'source', 'eventtype']) {
    const v = src.extra?.[f];
    if (v === undefined) continue;
    const vs = v.split(' OR ').map(splString);
    terms.push(vs.length === 1 ? `${f}=${vs[0]}` : `${f} IN (${vs.join(', ')})`);
  }
  if (!terms.length) return undefined;
  return { kind: 'raw', terms, field: (name) => asWritten(src, name, maps) };
}

/**
 * A field of a source searched with the rule's names: Splunk's own names, the Windows name of a
 * canonical field of a Windows rule, else the name as the rule wrote it. Only a Windows rule's
 * names are canonical; other products keep their names, dotted JSON paths included.
 */
function asWritten(src: LogSource, name: string, maps: SplMaps): SplField | undefined {
  const m = maps.splunk;
  const own = m.fields[name];
  if (own) return { name: own, expr: own };
  if (src.product === 'windows') {
    const win = canonicalToWindows(name, src.category);
    if (win) return { name: win, expr: win };
    const cim = endpointCim(name, maps);
    if (cim) return { name: cim, expr: cim };
    return ownName(name);
  }
  if (name === '@timestamp') return { name: '_time', expr: '_time' };
  return { name, expr: name };
}

/** The CIM name the Splunk Windows add-ons extract for a canonical field (as the SPL frontend reads them). */
function endpointCim(canonical: string, maps: SplMaps): string | undefined {
  const dm = maps.cim.datamodels['Endpoint.Processes'];
  return dm ? Object.entries(dm.fields).find(([, v]) => v === canonical)?.[0] : undefined;
}

/**
 * The sourcetype of a log source of mappings/splunk.json `sources`, or, for a log source no
 * mapping knows, a search over every event of the default indexes: both search with the rule's
 * field names and say how they may differ from the source (`inexact`, a warning).
 */
export function fallbackSource(src: LogSource, maps: SplMaps = splMaps()): SplSource {
  const m = maps.splunk;
  const keys = [
    src.product && src.service && `${src.product}/${src.service}`,
    src.product && src.category && `${src.product}/${src.category}`,
    !src.category && !src.service && src.product, // a product alone: its catch-all log
    !src.product && src.category,
    !src.product && src.service,
  ].filter((k): k is string => !!k);
  const key = keys.find((k) => m.sources?.[k]);
  const name = [src.product, src.category, src.service].filter(Boolean).join('/') || 'any';
  const field = (n: string) => asWritten(src, n, maps);
  if (!key) return { kind: 'raw', terms: [], field, inexact: `spl has no source for log source '${name}': the query searches every event of the default indexes, with the rule's field names` };
  const e = m.sources![key]!;
  const terms = [`sourcetype=${splString(e.sourcetype)}`, ...(e.terms ?? [])];
  const inexact = e.exact ? undefined : `spl searches log source '${name}' as sourcetype ${e.sourcetype} with the rule's field names, which its add-on may extract under other names or forms`;
  return inexact === undefined ? { kind: 'raw', terms, field } : { kind: 'raw', terms, field, inexact };
}
