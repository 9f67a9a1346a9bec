/**
 * The `lookup` stage (SPL `lookup table key AS field OUTPUT col AS name`): a row whose key fields
 * equal a table row's key columns gets that row's output columns. Several matching rows give a
 * list (in table order, at most the definition's max_matches), as Splunk's multivalue output; a list-valued key field matches by any
 * element. No match: the outputs are removed, or set to the definition's `default_match`. With no
 * outputs named, every non-key column is output. A table that cannot be found is RB506.
 */
import { diag, type Diagnostic } from '../diagnostics/index.js';
import type { Lookup } from '../ir/index.js';
import { compileGlob } from './glob-match.js';
import { asString } from './row.js';
import { own, type CompiledStage } from './stages.js';
import type { CompileContext } from './pipeline.js';

/** Splunk's wildcard cells know only `*`; in rulebridge's glob syntax `?` and `\` are literal. */
const splunkGlob = (cell: string) => cell.replace(/[\\?]/g, (c) => '\\' + c);

/** Most key combinations one row tries (list values multiply). */
const MAX_KEY_COMBINATIONS = 1000;

export function compileLookup(n: Lookup, diags: Diagnostic[], ctx: CompileContext): CompiledStage {
  const never: CompiledStage = { kind: 'step', make: () => () => false };
  const table = ctx.lookups.get(n.table);
  if (typeof table === 'string') {
    diags.push(diag('RB506', table, n.origin));
    return never;
  }
  const col = (c: string) => table.columns.indexOf(c);
  const missing = [...n.keys.map((k) => k.column), ...n.outputs.map((o) => o.column)].filter((c) => col(c) < 0);
  if (missing.length) {
    diags.push(diag('RB506', `lookup table '${n.table}' (${table.file}) has no column ${missing.map((c) => `'${c}'`).join(', ')}`, n.origin));
    return never;
  }
  const fold = n.caseSensitive ? (s: string) => s : (s: string) => s.toLowerCase();
  const keyCols = n.keys.map((k) => col(k.column));
  const outputs = n.outputs.length
    ? n.outputs.map((o) => ({ i: col(o.column), as: o.as }))
    : table.columns.map((c, i) => ({ i, as: c })).filter((o) => !keyCols.includes(o.i));
  // Exact key columns index the rows; wildcard columns are tested per candidate row.
  const exact = n.keys.map((k, j) => (table.wildcard.has(k.column) ? -1 : j)).filter((j) => j >= 0);
  const globs = n.keys.map((k, j) => (table.wildcard.has(k.column) ? table.rows.map((r) => compileGlob(splunkGlob(fold(r[keyCols[j]!] ?? '')))) : undefined));
  const index = new Map<string, number[]>();
  table.rows.forEach((r, ri) => {
    const id = JSON.stringify(exact.map((j) => fold(r[keyCols[j]!] ?? '')));
    const l = index.get(id);
    if (l) l.push(ri); else index.set(id, [ri]);
  });
  const rowMatches = (ri: number, vals: string[]) => n.keys.every((_, j) => {
    const g = globs[j];
    return g ? g[ri]!(vals[j]!) : true;
  });
  return { kind: 'step', make: () => (c) => {
    // Every combination of the key fields' values (a list field contributes each element).
    let combos: string[][] = [[]];
    for (const k of n.keys) {
      const v = c.f[k.field];
      const vs = (Array.isArray(v) ? v : [v]).map(asString).filter((s): s is string => s !== undefined).map(fold);
      combos = combos.flatMap((cb) => vs.map((s) => [...cb, s])).slice(0, MAX_KEY_COMBINATIONS);
    }
    const hits = new Set<number>();
    for (const vals of combos) {
      // max_matches counts per input value, in table order (the index lists rows in that order).
      let taken = 0;
      for (const ri of index.get(JSON.stringify(exact.map((j) => vals[j]))) ?? []) {
        if (taken >= table.maxMatches) break;
        if (rowMatches(ri, vals)) { hits.add(ri); taken++; }
      }
    }
    const rows = [...hits].sort((a, b) => a - b);
    const f = own(c);
    for (const o of outputs) {
      const vals = rows.map((ri) => table.rows[ri]![o.i] ?? '').filter((s) => s !== '');
      if (vals.length === 0 && !rows.length && table.defaultMatch !== undefined) f[o.as] = table.defaultMatch;
      else if (vals.length === 0) delete f[o.as];
      else f[o.as] = vals.length === 1 ? vals[0]! : vals;
    }
    return true;
  } };
}
