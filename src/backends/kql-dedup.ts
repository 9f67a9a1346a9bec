/**
 * SPL `dedup f…` in KQL. SPL drops the rows lacking any of the fields (keepempty=false) and keeps
 * the first row of each key in the current row order (consecutive=false, limit 1; the Splunk
 * frontend refuses the other options).
 *
 * Over events the first is the latest (Splunk returns events newest first): `summarize
 * arg_max(<time>, *) by f…`. After a stats/tstats the order is the stats group order
 * (kql-join-order.ts subSearchOrder; the evaluator, src/evaluator/stages.ts, is the reference):
 * KQL sorts by the key, then by the order columns, numbers each key's rows and keeps the first,
 * as join max=N does. Where the rows are already one per key (the stats groups by some of the
 * fields) nothing but the missing keys is dropped. A join that sets an order column numbers the
 * rows before it (kql-join.ts), and the dedup sorts by that number. Elsewhere the order cannot
 * be rebuilt, and RB401 says why.
 */
import { diag } from '../diagnostics/index.js';
import type { Dedup, Stage } from '../ir/index.js';
import { firstRows, onePerKey, ROW_ORDER, subSearchOrder, type KqlColumn } from './kql-join-order.js';
import { COLUMN_REF } from './kql-literal.js';
import { at, compared, type KqlCtx } from './kql-scope.js';

/** Reports RB401 at the dedup: the order its first rows are taken in cannot be rebuilt. */
export function dedupFail(ctx: KqlCtx, n: Dedup, why: string): undefined {
  const msg = `kql cannot express dedup of ${n.fields.join(', ')} here: SPL keeps the first row of each key in the current row order, which cannot be rebuilt here: ${why}`;
  ctx.diags.push(diag('RB401', msg, at(ctx, n.origin)));
  return undefined;
}

/** The dedup as operators, or undefined after reporting why it cannot be rendered exactly. */
export function dedup(ctx: KqlCtx, n: Dedup, before: Stage[]): string[] | undefined {
  const fail = (why: string): undefined => {
    ctx.diags.push(diag('RB401', `kql cannot express ${why}`, at(ctx, n.origin)));
    return undefined;
  };
  const keys: KqlColumn[] = [];
  const present: string[] = [];
  for (const f of n.fields) {
    const r = compared(ctx, f, n.origin, 'dedup field');
    if (!r) return undefined;
    if (!COLUMN_REF.test(r.text)) return fail(`dedup of the computed field '${f}'`);
    // `dedup x x` keys on x once; KQL rejects a column declared twice in `by`.
    if (keys.some((k) => k.text === r.text)) continue;
    keys.push(r);
    present.push(r.type === 'string' ? `isnotempty(${r.text})` : `isnotnull(${r.text})`);
  }
  const where = `where ${present.join(' and ')}`;
  if (ctx.scope.table) {
    const time = ctx.scope.resolve('@timestamp');
    if (!time || time.type !== 'datetime') return dedupFail(ctx, n, 'the events have no time to pick the latest by');
    return [where, `summarize arg_max(${time.text}, *) by ${keys.map((k) => k.text).join(', ')}`];
  }
  const order = subSearchOrder(before, true);
  // Rows a join numbered for this dedup (kql-join.ts): the number goes with the dedup.
  const numbered = typeof order === 'object' && order.some((o) => o.name === ROW_ORDER);
  let ops: string[] | string = [where];
  if (!onePerKey(before, n.fields)) {
    if (typeof order === 'string') return dedupFail(ctx, n, order);
    ops = firstRows(keys, order, (f) => ctx.scope.resolve(f), n.fields, 1, fresh(ctx, 'DedupOrder'));
    if (typeof ops === 'string') return dedupFail(ctx, n, ops);
    ops = [where, ...ops];
  }
  if (!numbered) return ops;
  ctx.scope.remove(ROW_ORDER);
  const last = ops.at(-1)!;
  return last.startsWith('project-away ') ? [...ops.slice(0, -1), `${last}, ${ROW_ORDER}`] : [...ops, `project-away ${ROW_ORDER}`];
}

/** `base`, or `base` and a number, whichever names no column here. */
function fresh(ctx: KqlCtx, base: string): string {
  let name = base;
  for (let i = 1; ctx.scope.resolve(name); i++) name = `${base}${i}`;
  return name;
}
