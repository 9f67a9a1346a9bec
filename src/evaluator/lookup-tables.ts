/**
 * Lookup tables for the `lookup` stage, read from CSV. A name resolves in each folder given, in
 * order: a Splunk lookup definition `<name>.yml` (security_content's lookups/: `filename:` names the
 * CSV beside it; `match_type: WILDCARD(col)` makes a column's values globs; `min_matches` with
 * `default_match` fills outputs when nothing matches; `max_matches` keeps the first rows that match), else `<name>.csv`, else `<name>` itself.
 * Tables are small reference data, so a table is read whole, once per resolver.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** A lookup table: header, rows (cells as text; an empty cell is missing) and match options. */
export interface LookupTable {
  file: string;
  columns: string[];
  rows: string[][];
  /** Columns whose cells are Splunk wildcard patterns (`*` any run). */
  wildcard: Set<string>;
  /** From the definition: the value outputs get when no row matches (min_matches ≥ 1). */
  defaultMatch?: string;
  /** Most rows one input value matches, first rows first (`max_matches`; Splunk's default 1000). */
  maxMatches: number;
}

/** Parses CSV text (RFC 4180: quoted cells, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { cell += '"'; i++; } else quoted = false;
      } else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); cell = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else cell += ch;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

interface Definition { filename?: unknown; match_type?: unknown; min_matches?: unknown; max_matches?: unknown; default_match?: unknown }

/** transforms.conf: max_matches defaults to 1000 for lookups that are not time-based, range 1–1000. */
const MAX_MATCHES = 1000;

function readTable(csv: string, def: Definition = {}): LookupTable {
  const [header = [], ...rows] = parseCsv(readFileSync(csv, 'utf8'));
  const wildcard = new Set<string>();
  if (typeof def.match_type === 'string') for (const m of def.match_type.matchAll(/WILDCARD\(\s*([^)\s]+)\s*\)/gi)) wildcard.add(m[1]!);
  const min = Number(def.min_matches ?? 0);
  const max = Number(def.max_matches ?? MAX_MATCHES);
  const maxMatches = Number.isInteger(max) && max >= 1 && max <= MAX_MATCHES ? max : MAX_MATCHES;
  const out: LookupTable = { file: csv, columns: header.map((h) => h.trim()), rows, wildcard, maxMatches };
  if (min >= 1 && def.default_match !== undefined && def.default_match !== null) out.defaultMatch = String(def.default_match);
  return out;
}

/** Finds and caches lookup tables by name in a list of folders. */
export class LookupResolver {
  private cache = new Map<string, LookupTable | string>();
  constructor(readonly dirs: string[]) {}

  /** The table, or a message saying where it was looked for (or why it did not read). */
  get(name: string): LookupTable | string {
    let t = this.cache.get(name);
    if (t === undefined) { t = this.find(name); this.cache.set(name, t); }
    return t;
  }

  private find(name: string): LookupTable | string {
    if (!this.dirs.length) return `lookup table '${name}' not found: no lookup folder given (--lookups DIR)`;
    if (/[/\\]|^\.\.?$/.test(name)) return `lookup table name '${name}' is not a plain name`;
    try {
      for (const d of this.dirs) {
        const yml = join(d, `${name}.yml`);
        if (existsSync(yml)) {
          const def = (parseYaml(readFileSync(yml, 'utf8')) ?? {}) as Definition;
          const fn = typeof def.filename === 'string' ? def.filename : undefined;
          if (fn && !/[/\\]/.test(fn) && existsSync(join(d, fn))) return readTable(join(d, fn), def);
          if (!fn) return `lookup '${name}' (${yml}) has no CSV file (a KV store collection or a model cannot be evaluated)`;
        }
        for (const f of [`${name}.csv`, name]) if (existsSync(join(d, f)) && f.endsWith('.csv')) return readTable(join(d, f));
      }
    } catch (e) {
      return `lookup table '${name}' could not be read: ${(e as Error).message}`;
    }
    return `lookup table '${name}' not found in ${this.dirs.join(', ')}`;
  }
}
