/**
 * The catalog as data: every rule's entry with corpus counts on its indicators, the ATT&CK
 * matrix and the log-source coverage. `buildCatalog` is pure over its inputs (it reads a rule
 * file only when the caller did not pass its text); `writeSite` in pages.ts lays it out.
 */
import { readFileSync } from 'node:fs';
import { diag } from '../diagnostics/index.js';
import { buildEntry, type CatalogEntry, type CatalogInput } from './entry.js';
import { countIndicators, formatCount, othersCount } from './counts.js';
import { indicatorKeys } from './indicators.js';
import { attackMatrix, type MatrixColumn } from './attack.js';

/** Rules per log source, by source format. */
export interface LogSourceRow {
  label: string;
  total: number;
  bySource: Record<string, number>;
}

/** The whole catalog: what the site shows and catalog.json holds. */
export interface Catalog {
  generated: string;
  rules: CatalogEntry[];
  matrix: MatrixColumn[];
  logsources: LogSourceRow[];
  /** Rules per source format. */
  sources: Record<string, number>;
}

/** Options of buildCatalog. */
export interface BuildOptions {
  /** Convert each rule to every target (default true). */
  convert?: boolean;
  /** Timestamp written into the catalog (default: now); tests pin it. */
  generated?: string;
}

/** A file-name-safe slug of a title. */
export function slugify(s: string): string {
  const slug = s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'rule';
}

/** Builds every entry, then counts indicators across the whole catalog. */
export function buildCatalog(inputs: readonly CatalogInput[], opts: BuildOptions = {}): Catalog {
  const used = new Set<string>();
  const rules: CatalogEntry[] = [];
  for (const input of inputs) {
    let text = input.text;
    let diagnostics = input.diagnostics;
    if (text === undefined) {
      try {
        text = readFileSync(input.file, 'utf8');
      } catch (e) {
        text = '';
        diagnostics = [...diagnostics, diag('RB101', `cannot read: ${(e as Error).message}`, { file: input.file })];
      }
    }
    const base = `${input.format}-${slugify(input.rule?.meta.title ?? input.title ?? input.file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, ''))}`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    rules.push(buildEntry({ ...input, diagnostics }, `rules/${name}.html`, text, opts.convert === false ? { convert: false } : {}));
  }
  // A rule counts once however many copies of it the catalog holds (same format and id: a
  // rule in two folders, or two versions of it), so "other rules" never counts itself.
  const byIdentity = new Map<string, { format: string; keys: Set<string> }>();
  for (const r of rules) {
    const identity = r.id ? `${r.format}\0${r.id}` : `file\0${r.file}\0${r.page}`;
    let e = byIdentity.get(identity);
    if (!e) byIdentity.set(identity, (e = { format: r.format, keys: new Set() }));
    for (const k of indicatorKeys(r.indicators)) e.keys.add(k);
  }
  const counts = countIndicators(byIdentity.values());
  for (const r of rules) {
    for (const ind of r.indicators) {
      for (const v of ind.values) {
        v.corpus = othersCount(counts, v.key, r.format);
        v.corpusText = formatCount(v.corpus);
      }
    }
  }
  const ls = new Map<string, LogSourceRow>();
  const sources: Record<string, number> = {};
  for (const r of rules) {
    sources[r.format] = (sources[r.format] ?? 0) + 1;
    let row = ls.get(r.logsource.label);
    if (!row) ls.set(r.logsource.label, (row = { label: r.logsource.label, total: 0, bySource: {} }));
    row.total++;
    row.bySource[r.format] = (row.bySource[r.format] ?? 0) + 1;
  }
  return {
    generated: opts.generated ?? new Date().toISOString(),
    rules,
    matrix: attackMatrix(rules),
    logsources: [...ls.values()].sort((a, b) => b.total - a.total || a.label.localeCompare(b.label)),
    sources,
  };
}
