/**
 * Sigma `|expand` placeholders (sigma-appendix-modifiers.md, "expand"): a value `%name%` stands
 * for a list of values the user keeps outside the rule (pySigma's placeholder transformations).
 * With a table the placeholders are replaced by their values before the other modifiers run;
 * without one, a whole-value placeholder stays a named list (IR op `placeholder`).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { diag, type Diagnostic } from '../../diagnostics/index.js';
import { and, not, pred } from '../../ir/build.js';
import type { Expr, Pred } from '../../ir/nodes.js';
import type { DetectionItem } from './modifiers.js';

/** The modifier lowering, passed in (modifiers.ts calls this module). */
type LowerItem = (item: DetectionItem, mapField: (name: string) => string) => { expr?: Expr; diagnostics: Diagnostic[] };
const POSITIONAL_MODS = new Set(['contains', 'startswith', 'endswith']);

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

/**
 * `|expand`: with a table, the values with their placeholders replaced, lowered with the other
 * modifiers; without one, each whole-value `%name%` becomes a `placeholder` predicate (compared
 * by the positional modifier, if any) and a warning names it.
 */
export function lowerExpand(item: DetectionItem, mapField: (name: string) => string, lower: LowerItem, maxValues: number, table?: PlaceholderTable): { expr?: Expr; diagnostics: Diagnostic[] } {
  const ds: Diagnostic[] = [];
  const expandAt = item.keyAt(item.mods.find((m) => m.name === 'expand')!.at);
  const rest = item.mods.filter((m) => m.name !== 'expand');
  if (item.values.length === 0) return { diagnostics: [diag('RB305', 'a detection item needs at least one value', item.keyAt())] };
  const strings = item.values.map((v, i) => {
    if (typeof v !== 'string') ds.push(diag('RB305', `'|expand' value ${JSON.stringify(v)} must be a string with a %placeholder%`, item.valueAt(i)));
    return String(v);
  });
  if (ds.length) return { diagnostics: ds };
  if (table) {
    const values: string[] = [];
    const origins: number[] = [];
    strings.forEach((v, i) => {
      const r = expandValue(v, table, maxValues);
      if ('missing' in r) ds.push(diag('RB352', `'|expand': the placeholder '%${r.missing}%' has no values in the placeholders file`, item.valueAt(i)));
      else if ('tooMany' in r) ds.push(diag('RB350', `'|expand' turns ${JSON.stringify(v)} into more than ${maxValues} values`, item.valueAt(i)));
      else for (const x of r) { values.push(x); origins.push(i); }
    });
    if (ds.length) return { diagnostics: ds };
    if (!values.length) return { diagnostics: [diag('RB352', `'|expand': the placeholders in ${JSON.stringify(strings)} have empty lists`, expandAt)] };
    return lower({ ...item, mods: rest, values, valueAt: (j) => item.valueAt(origins[j] ?? 0) }, mapField);
  }
  const pos = rest.find((m) => POSITIONAL_MODS.has(m.name));
  const other = rest.find((m) => !POSITIONAL_MODS.has(m.name) && !['cased', 'all', 'neq'].includes(m.name));
  if (other) return { diagnostics: [diag('RB352', `'|expand' with '|${other.name}' needs the placeholder's values (give a placeholders file)`, item.keyAt(other.at))] };
  if (rest.filter((m) => POSITIONAL_MODS.has(m.name)).length > 1) return { diagnostics: [diag('RB304', `modifiers '${pos!.name}' and '${rest.filter((m) => POSITIONAL_MODS.has(m.name))[1]!.name}' cannot be combined`, item.keyAt(rest.filter((m) => POSITIONAL_MODS.has(m.name))[1]!.at))] };
  if (item.field === '') return { diagnostics: [diag('RB304', "'|expand' needs a field; a keyword search has none", expandAt)] };
  const field = mapField(item.field);
  const caseSensitive = rest.some((m) => m.name === 'cased');
  const all = rest.some((m) => m.name === 'all');
  const preds: Pred[] = [];
  strings.forEach((v, i) => {
    const name = wholePlaceholder(v);
    if (!name) {
      ds.push(diag('RB352', `'|expand' value ${JSON.stringify(v)} mixes text with placeholders; give a placeholders file to resolve it`, item.valueAt(i)));
      return;
    }
    const extra: Partial<Pred> = { caseSensitive, quantifier: 'any', origin: item.keyAt() };
    if (pos) extra.refOp = pos.name as Pred['refOp'];
    preds.push(pred(field, 'placeholder', [name], extra));
    ds.push(diag('RB354', `placeholder '%${name}%' is kept as a named list; targets and the evaluator need its values (a placeholders file)`, item.valueAt(i)));
  });
  if (!preds.length) return { diagnostics: ds };
  let out: Expr = preds.length === 1 ? preds[0]! : all ? and(preds, item.keyAt()) : { kind: 'or', args: preds, origin: item.keyAt() };
  const neq = rest.find((m) => m.name === 'neq');
  if (neq) out = not(out, item.keyAt(neq.at));
  return { expr: out, diagnostics: ds };
}
