/**
 * Lookup definitions in the security_content layout: `lookups/<name>.yml` (name, filename,
 * match_type, case_sensitive_match, min_matches, default_match — the transforms.conf settings
 * they become) beside `<filename>.csv`. The frontend reads only the definition and the CSV's
 * header line; loading the rows is the evaluator's business.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import YAML from 'yaml';

/** What lowering needs to know about one lookup table. */
export interface LookupDef {
  name: string;
  /** Columns of the CSV header; undefined when the file is not there (a KV store or a user's table). */
  columns?: string[];
  /** Splunk's transforms.conf default is case-sensitive matching. */
  caseSensitive: boolean;
  /**
   * Columns with another match type than WILDCARD (CIDR): not expressible in the IR. WILDCARD
   * columns and default_match go with the table's name; whoever loads the table reads them.
   */
  otherMatch: string[];
}

/** Lookup definitions by name, from one or more folders. */
export type LookupTable = Map<string, LookupDef>;

const cache = new Map<string, LookupTable>();

function firstLine(file: string): string | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    const nl = text.search(/\r?\n/);
    return (nl < 0 ? text : text.slice(0, nl)).replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

/** CSV header cells (quoted cells may hold commas). */
function csvCells(line: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^,]*))\s*(?:,|$)/g;
  for (let m = re.exec(line); m && m.index < line.length; m = re.exec(line)) out.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!.trim());
  return out;
}

function readDir(dir: string): LookupTable {
  const hit = cache.get(dir);
  if (hit) return hit;
  const out: LookupTable = new Map();
  let names: string[] = [];
  try { names = readdirSync(dir); } catch { /* no folder: no definitions */ }
  for (const f of names) {
    if (!/\.ya?ml$/.test(f)) continue;
    let v: Record<string, unknown>;
    try { v = YAML.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>; } catch { continue; }
    if (!v || typeof v !== 'object' || typeof v.name !== 'string') continue;
    const types = typeof v.match_type === 'string' ? [...v.match_type.matchAll(/([A-Z_]+)\(([^)]*)\)/g)] : [];
    const csv = typeof v.filename === 'string' ? join(dir, v.filename) : undefined;
    const header = csv && existsSync(csv) ? firstLine(csv) : undefined;
    const def: LookupDef = {
      name: v.name,
      caseSensitive: String(v.case_sensitive_match ?? 'true').toLowerCase() !== 'false',
      otherMatch: types.filter((m) => m[1] !== 'WILDCARD').map((m) => `${m[1]}(${m[2]})`),
    };
    if (header !== undefined) def.columns = csvCells(header);
    out.set(v.name, def);
  }
  cache.set(dir, out);
  return out;
}

/** Loads the lookup definitions of the given folders; a later folder's definition wins. */
export function loadLookups(dirs: string[]): LookupTable {
  const out: LookupTable = new Map();
  for (const d of dirs) for (const [k, v] of readDir(d)) out.set(k, v);
  return out;
}

/** The `lookups/` folders beside or above a rule file (security_content keeps them at the root). */
export function lookupDirsFor(file: string): string[] {
  let dir = dirname(file);
  for (let i = 0; i < 5; i++) {
    const cand = join(dir, 'lookups');
    try { if (statSync(cand).isDirectory()) return [cand]; } catch { /* keep looking */ }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return [];
}
