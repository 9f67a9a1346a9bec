/**
 * The KQL flavours' mapping data (mappings/defender.json, mappings/sentinel.json): which table
 * a log source reads and which column (or rewrite) stands for each canonical field.
 */
import { canonicalToWindows, loadMapping, type Expr, type LogSource, type Origin } from '../ir/index.js';
import { kqlIdent, kqlString } from './kql-literal.js';

/** A KQL scalar type name, as Microsoft's table references write them. */
export type KqlType = 'string' | 'long' | 'int' | 'real' | 'double' | 'decimal' | 'datetime' | 'timespan' | 'bool' | 'guid' | 'dynamic';

/** The numeric KQL types (compared and summed as numbers). */
export const NUMERIC_TYPES: ReadonlySet<string> = new Set<KqlType>(['long', 'int', 'real', 'double', 'decimal']);

/** A field entry: a column name, a column with a caveat, or an expression over columns. */
export type FieldEntry = string | { column: string; type?: KqlType; exact?: boolean; note?: string } | { expr: string; type: KqlType; exact?: boolean; note?: string };

/** One log source of a flavour. */
export interface LogSourceEntry {
  table: string;
  /** ActionType values that select the source's events in the table. */
  actionTypes?: string[];
  /** Windows event ids the table (with its ActionType filter) already selects. */
  eventCodes?: number[];
  exact?: boolean;
  note?: string;
  /** Field entries that differ from the table's for this source. */
  fields?: Record<string, FieldEntry>;
  /** Exact filters selecting the source's rows, e.g. `EventID in (1)`. */
  select?: { column: string; values: (string | number)[] }[];
  /** Key of the field map in `tables` when it differs from `table` (one table, several maps). */
  fieldsOf?: string;
  /** In the `channel:*` entry: the column that must equal a Windows source's channel (LogSource extra.channel). */
  channelColumn?: string;
  /**
   * Other readings of the source by the value the rule selects in `field` (auditd's record
   * `type`): `byValue` holds an entry of its own (table, field map, note) or, with `none`, the
   * reason the flavour has no table for those rows. The entry itself reads `default`.
   */
  variants?: { field: string; default: string; byValue: Record<string, Omit<LogSourceEntry, 'variants'> | { none: string }> };
}

/**
 * The fields a foreach pattern (the key in a table's `groups`) matches in the source's rows,
 * read as one list: `prefix` + i names the i-th value of `numbered` (a KQL dynamic array of
 * strings), and `named` lists the other fields of the rows that the pattern matches, read
 * through the field map (auditd EXECVE: a0, a1, … and argc).
 */
export interface FieldGroup {
  prefix: string;
  numbered: string;
  named?: string[];
  exact?: boolean;
  note?: string;
}

/**
 * A table's column of raw Windows EventData XML (Sentinel's Event and SecurityEvent): fields with
 * no column of their own are read from it by their Windows name, after `parse_xml` of `column`
 * and a walk down `path` to the list of `<Data Name=…>` elements.
 */
export interface EventDataColumn {
  column: string;
  path: string[];
  /** Names Splunk extracts from the event's System part (OpCode, Keywords…): never read from the XML, which does not hold them. */
  system?: string[];
  /**
   * Data Names may hold spaces ('Process Name' in Defender events), which Splunk's extraction
   * writes as `_` (CLEAN_KEYS, props.conf): a name with `_` also reads the name with spaces.
   */
  spacedNames?: boolean;
  /** What else the RB404 warning of a field read from the XML says (events the path does not fit). */
  note?: string;
}

/** The shape of mappings/defender.json. */
export interface KqlMapping {
  flavour: string;
  /** The column that holds the event time in every table. */
  timeColumn?: string;
  /** The column holding the event kind, which actionTypes filter on. */
  actionColumn?: string;
  /** Constant standing in for a grouped or shown field with no column. */
  missingValue: string;
  logsources: Record<string, LogSourceEntry>;
  tables: Record<string, { columns: Record<string, KqlType>; fields: Record<string, FieldEntry>; eventData?: EventDataColumn; groups?: Record<string, FieldGroup> }>;
}

/** How one canonical field reads in the chosen table. */
export interface Resolved {
  /** KQL expression text (a column name or a rewrite). */
  text: string;
  type: KqlType;
  exact: boolean;
  note?: string;
  /** True when the text reads the parsed EventData bag (the query needs eventDataOperators). */
  eventData?: boolean;
  /** True for a constant that stands in for a field the table lacks (RB405): shown, never compared. */
  standIn?: boolean;
}

/** A log source resolved to a table of a flavour. */
export interface TableSource {
  name: string;
  entry: LogSourceEntry;
  columns: Record<string, KqlType>;
  fields: Record<string, FieldEntry>;
  /** The Sigma category, which names Windows fields (Image, TargetObject) for EventData reads. */
  category?: string;
  eventData?: EventDataColumn;
  /** Field groups a foreach may read as one list (FieldGroup). */
  groups?: Record<string, FieldGroup>;
}

/** Loads a flavour's mapping; `dialect` is defender (default) or sentinel, `path` a user's file. */
export function kqlMapping(dialect: string | undefined, path: string | undefined): KqlMapping | undefined {
  if (path) return loadMapping<KqlMapping>(path);
  const name = dialect ?? 'defender';
  if (name !== 'defender' && name !== 'sentinel') return undefined;
  try {
    return loadMapping<KqlMapping>(name);
  } catch {
    return undefined;
  }
}

/** Resolved tables by mapping and log source: the merged field map is built once, not per rule. */
const tables = new WeakMap<KqlMapping, Map<string, TableSource | undefined>>();

/** The table of a log source (by Sigma category), or undefined when the flavour has none. Shared: do not modify. */
export function tableFor(m: KqlMapping, src: LogSource): TableSource | undefined {
  let byKey = tables.get(m);
  if (!byKey) tables.set(m, (byKey = new Map()));
  const key = `${src.category ?? ''}\0${src.service ?? ''}\0${channelOf(src) ?? ''}\0${sourcetypeOf(src) ?? ''}`;
  if (byKey.has(key)) return byKey.get(key);
  const t = resolveTable(m, src);
  byKey.set(key, t);
  return t;
}

/** The Windows event log channel of a source that names no Sigma category or service (the Splunk frontend keeps it in extra). */
function channelOf(src: LogSource): string | undefined {
  return src.product === 'windows' && !src.category && !src.service ? src.extra?.channel : undefined;
}

/** The entry of a channel with no Sigma service: the `channel:*` entry, selecting the channel's rows by its channelColumn. */
function channelEntry(m: KqlMapping, channel: string): LogSourceEntry | undefined {
  const any = m.logsources['channel:*'];
  if (!any?.channelColumn) return undefined;
  return { ...any, select: [{ column: any.channelColumn, values: [channel] }, ...(any.select ?? [])] };
}

/** The sourcetype of a source named by nothing else (osquery:results): its `sourcetype:<value>` entry, lower-cased as Splunk compares it. */
function sourcetypeOf(src: LogSource): string | undefined {
  return !src.product && !src.category && !src.service ? src.extra?.sourcetype?.toLowerCase() : undefined;
}

function resolveTable(m: KqlMapping, src: LogSource): TableSource | undefined {
  const ch = channelOf(src);
  const st = sourcetypeOf(src);
  const entry = (src.category && m.logsources[src.category]) || (src.service && m.logsources[`service:${src.service}`]) || (ch && channelEntry(m, ch)) || (st && m.logsources[`sourcetype:${st}`]) || undefined;
  if (!entry) return undefined;
  return tableSource(m, entry, src.category);
}

/** The table an entry reads, with the entry's field map over the table's; undefined when the mapping has no such table. */
function tableSource(m: KqlMapping, entry: LogSourceEntry, category: string | undefined): TableSource | undefined {
  const table = m.tables[entry.fieldsOf ?? entry.table];
  if (!table) return undefined;
  const out: TableSource = { name: entry.table, entry, columns: table.columns, fields: { ...table.fields, ...(entry.fields ?? {}) } };
  if (category) out.category = category;
  if (table.eventData) out.eventData = table.eventData;
  if (table.groups) out.groups = table.groups;
  return out;
}

/** A variant the flavour has no table for: the value the rule selects, the reason, and where it selects it. */
export interface Refused { value: string; none: string; origin?: Origin }

/** Resolved variants by mapping, base entry and selected value (built once, as tableFor's). */
const variants = new WeakMap<KqlMapping, Map<LogSourceEntry, Map<string, TableSource | Refused>>>();

/**
 * The source as the rule's filter selects it: the variant of the value the filter requires in the
 * entry's variant field (a `field=value` that is the filter or one of its top-level conjuncts,
 * e.g. auditd's `type=EXECVE` that the rule or its macro starts with), else `t` itself.
 */
export function variantFor(m: KqlMapping, t: TableSource, filter: Expr): TableSource | Refused | undefined {
  const v = t.entry.variants;
  if (!v) return t;
  const sel = selected(filter, v.field);
  if (!sel) return t;
  // SPL's field=value compares case-insensitively; a cased comparison (where type=="…") exactly.
  const key = Object.keys(v.byValue).find((k) => (sel.cased ? k === sel.value : k.toLowerCase() === sel.value.toLowerCase()));
  if (key === undefined) {
    if (sel.cased ? sel.value === v.default : sel.value.toLowerCase() === v.default.toLowerCase()) return t;
    return { value: sel.value, none: `the mapping reads ${v.field} ${[v.default, ...Object.keys(v.byValue)].join(', ')} only`, ...(sel.origin ? { origin: sel.origin } : {}) };
  }
  let byEntry = variants.get(m);
  if (!byEntry) variants.set(m, (byEntry = new Map()));
  let byKey = byEntry.get(t.entry);
  if (!byKey) byEntry.set(t.entry, (byKey = new Map()));
  if (!byKey.has(key)) {
    const e = v.byValue[key]!;
    if ('none' in e) byKey.set(key, { value: key, none: e.none });
    else byKey.set(key, tableSource(m, e, t.category) ?? { value: key, none: `the mapping has no table ${e.fieldsOf ?? e.table}` });
  }
  const r = byKey.get(key);
  return r && 'none' in r ? { ...r, ...(sel.origin ? { origin: sel.origin } : {}) } : r;
}

/** The one value the filter requires `field` to equal, when it does (a conjunct `field=value`). */
function selected(filter: Expr, field: string): { value: string; cased: boolean; origin?: Origin } | undefined {
  const conj = filter.kind === 'and' ? filter.args : [filter];
  const found = conj.flatMap((e) => (e.kind === 'pred' && e.field === field && e.op === 'eq' && e.quantifier === 'any' && e.values.length === 1 && typeof e.values[0] === 'string' ? [{ value: e.values[0], cased: e.caseSensitive, ...(e.origin ? { origin: e.origin } : {}) }] : []));
  // Two different values select nothing (the rule holds for no row; the default reading says so).
  return found.length && found.every((f) => f.value.toLowerCase() === found[0]!.value.toLowerCase()) ? found[0] : undefined;
}

/** How a canonical field reads in a table, or undefined when the table has no such field. */
export function resolveField(t: TableSource, field: string): Resolved | undefined {
  // Own keys only: a field named `constructor` or `__proto__` is not in any table.
  const e = Object.hasOwn(t.fields, field) ? t.fields[field] : undefined;
  if (e === undefined) return t.eventData ? fromEventData(t, field) : t.groups ? numbered(t.groups, field) : undefined;
  if (typeof e === 'string') return { text: kqlIdent(e), type: t.columns[e] ?? 'string', exact: true };
  const base = 'column' in e ? { text: kqlIdent(e.column), type: e.type ?? t.columns[e.column] ?? 'string' } : { text: e.expr, type: e.type };
  const r: Resolved = { ...base, exact: e.exact !== false };
  if (e.note) r.note = e.note;
  return r;
}

/** A numbered field of a group (auditd EXECVE's a2): that value of the group's list, null ('') past its end. */
function numbered(groups: Record<string, FieldGroup>, field: string): Resolved | undefined {
  for (const g of Object.values(groups)) {
    const m = field.startsWith(g.prefix) ? /^(0|[1-9][0-9]{0,8})$/.exec(field.slice(g.prefix.length)) : null;
    if (!m) continue;
    const r: Resolved = { text: `tostring(${g.numbered}[${m[1]}])`, type: 'string', exact: g.exact !== false };
    if (g.note) r.note = g.note;
    return r;
  }
  return undefined;
}

/** The bag of EventData values by name that eventDataOperators() computes. */
export const EVENT_FIELDS = 'EventFields';

/** Windows names EventData may hold: `Data Name` attributes are plain identifiers. */
const DATA_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function fromEventData(t: TableSource, field: string): Resolved | undefined {
  const ed = t.eventData!;
  const name = canonicalToWindows(field, t.category);
  if (!name || !DATA_NAME.test(name) || ed.system?.includes(name)) return undefined;
  const read = (n: string): string => `${EVENT_FIELDS}[${kqlString(n)}]`;
  const spaced = ed.spacedNames && name.includes('_') ? name.replace(/_/g, ' ') : undefined;
  return {
    text: spaced ? `tostring(coalesce(${read(name)}, ${read(spaced)}))` : `tostring(${read(name)})`,
    type: 'string',
    exact: false,
    note: `read from the ${ed.column} XML by its Data Name '${name}'${spaced ? ` (else '${spaced}': Splunk writes a space of a Data Name as '_')` : ''} (parse_xml), as the Windows agent recorded it; an empty element reads as ''${ed.note ? `; ${ed.note}` : ''}`,
    eventData: true,
  };
}

/**
 * The operators that parse a table's EventData XML into the bag EVENT_FIELDS (name → text).
 * parse_xml turns `<Data Name="n">v</Data>` into {"@Name": "n", "#text": "v"}, and a lone Data
 * element into a bag rather than an array, hence the pack_array
 * (learn.microsoft.com/kusto/query/parse-xml-function, mv-apply-operator).
 */
export function eventDataOperators(ed: EventDataColumn): string[] {
  const items = `${EVENT_FIELDS}Items`;
  const path = [kqlIdent(ed.column), ...ed.path.map((p) => kqlIdent(p))];
  return [
    `extend ${items} = parse_xml(${path[0]})${path.slice(1).map((p) => '.' + p).join('')}`,
    `mv-apply ${EVENT_FIELDS}Item = iff(gettype(${items}) == 'array', ${items}, pack_array(${items})) on (summarize ${EVENT_FIELDS} = make_bag(bag_pack(tostring(${EVENT_FIELDS}Item['@Name']), tostring(${EVENT_FIELDS}Item['#text']))))`,
    `project-away ${items}`,
  ];
}
