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
 * be rebuilt, and RB401 says why. Where only fields/table lists stand between that join and
 * the dedup, the join renders the dedup before them (hoistedDedup).
 */
import { diag } from '../diagnostics/index.js';
import type { Dedup, Join, Stage } from '../ir/index.js';
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
  // A dedup the join before it rendered ahead of a fields/table (hoistedDedup): already done.
  return hoisted(n, before) ? [] : dedupAfter(ctx, n, before);
}

/** The dedup as operators over the rows `before` leaves (kql-join.ts calls it for a hoisted dedup). */
export function dedupAfter(ctx: KqlCtx, n: Dedup, before: Stage[]): string[] | undefined {
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

/**
 * The dedup a join renders right after itself, when the join numbers the rows (it sets a column
 * that ordered them) and only fields/table lists stand between it and a dedup of fields they
 * keep: a table would drop the numbers, but it only drops columns, so SPL's `table … | dedup f`
 * keeps the rows `dedup f | table …` keeps, and the dedup goes first (the join renders it there
 * and nothing at its own place). `before` and `after` are the stages around the join.
 */
export function hoistedDedup(before: Stage[], s: Join, after: Stage[]): Dedup | undefined {
  const k = after.findIndex((x) => x.kind !== 'project');
  const d = after[k];
  if (k < 1 || d?.kind !== 'dedup') return undefined;
  const keeps = after.slice(0, k).every((p) => p.kind === 'project' && p.mode === 'keep' && !p.fields.some((f) => f.includes('*')) && d.fields.every((f) => p.fields.includes(f)));
  const mine = subSearchOrder(before, true);
  const here = subSearchOrder([...before, s], true);
  return keeps && typeof mine === 'object' && !mine.some((o) => o.name === ROW_ORDER) && typeof here === 'object' && here[0]?.name === ROW_ORDER ? d : undefined;
}

/** True when `n`, after `before`, was rendered by the join before it (hoistedDedup). */
export function hoisted(n: Dedup, before: Stage[]): boolean {
  let j = before.length - 1;
  while (j >= 0 && before[j]!.kind !== 'join') j--;
  const s = before[j];
  return s?.kind === 'join' && hoistedDedup(before.slice(0, j), s, [...before.slice(j + 1), n]) === n;
}

/** `base`, or `base` and a number, whichever names no column here. */
function fresh(ctx: KqlCtx, base: string): string {
  let name = base;
  for (let i = 1; ctx.scope.resolve(name); i++) name = `${base}${i}`;
  return name;
}
