/**
 * Sigma `|expand` placeholders (sigma-appendix-modifiers.md, "expand"): a value `%name%` stands
 * for a list of values the user keeps outside the rule (pySigma's placeholder transformations).
 * With a table the placeholders are replaced by their values before the other modifiers run;
 * without one, a whole-value placeholder stays a named list (IR op `placeholder`).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { diag, type Diagnostic } from '../../diagnostics/index.js';

/** Placeholder name → its values (Sigma strings: `*` and `?` stay wildcards). */
export type PlaceholderTable = ReadonlyMap<string, readonly string[]>;

/** `%name%` inside a value. */
const PLACEHOLDER = /%([^%\s]+)%/g;

/** The placeholder names in a value, in order. */
export function placeholderNames(value: string): string[] {
  return [...value.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** The name when the whole value is one placeholder (`%Admins%`), else undefined. */
export function wholePlaceholder(value: string): string | undefined {
  const m = /^%([^%\s]+)%$/.exec(value);
  return m ? m[1] : undefined;
}

/**
 * Every value of `value` with its placeholders replaced (the product of their lists); a string
 * result names the first placeholder the table lacks.
 */
export function expandValue(value: string, table: PlaceholderTable, max: number): string[] | { missing: string } | { tooMany: number } {
  let outs = [''];
  let last = 0;
  for (const m of value.matchAll(PLACEHOLDER)) {
    const list = table.get(m[1]!);
    if (!list) return { missing: m[1]! };
    const before = value.slice(last, m.index);
    outs = outs.flatMap((o) => list.map((v) => o + before + v));
    if (outs.length > max) return { tooMany: outs.length };
    last = m.index! + m[0].length;
  }
  return outs.map((o) => o + value.slice(last));
}

/**
 * Reads a placeholders file: a YAML map of name → value or list of values (numbers are
 * written as strings). Problems are diagnostics against the file.
 */
export function readPlaceholders(file: string): { table: Map<string, string[]>; diagnostics: Diagnostic[] } {
  const table = new Map<string, string[]>();
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { table, diagnostics: [diag('RB352', `placeholders file: ${(e as Error).message}`, { file })] };
  }
  return placeholdersFrom(doc, file);
}

/** A placeholder table from a parsed value (see readPlaceholders). */
export function placeholdersFrom(doc: unknown, file = '<placeholders>'): { table: Map<string, string[]>; diagnostics: Diagnostic[] } {
  const table = new Map<string, string[]>();
  const ds: Diagnostic[] = [];
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return { table, diagnostics: [diag('RB352', 'placeholders file must be a map of name → list of values', { file })] };
  }
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    const list = Array.isArray(v) ? v : [v];
    if (!list.every((x) => typeof x === 'string' || typeof x === 'number')) {
      ds.push(diag('RB352', `placeholder '${k}': values must be strings or numbers`, { file }));
      continue;
    }
    table.set(k, list.map(String));
  }
  return { table, diagnostics: ds };
}
