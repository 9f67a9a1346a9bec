/**
 * SPL `join` in KQL: `join kind=inner|leftouter (<sub-search>) on …`. SPL joins a row with the
 * first `max` sub-search rows of equal `on` fields (default max=1: the first in the sub-search's
 * output order; max=0: every one). KQL joins every right row of a key, so the join is rendered
 * as is for max=0 or a sub-search that has at most one row per key (it ends in a stats/tstats
 * or dedup whose keys are all join fields, with no stage after it that adds rows); otherwise
 * the sub-search keeps each key's first `max` rows in its stats order (kql-join-order.ts), or,
 * without stats, its `max` latest events (Splunk returns events newest first; kql-join-events.ts),
 * or RB401 says why that order cannot be rebuilt.
 *
 * The sub-search's columns are renamed to private names before the join, so nothing clashes in
 * KQL; afterwards a field both sides have takes the sub-search's value where it has one (SPL's
 * overwrite=true) or keeps the row's (overwrite=false); text on one side and a list on the
 * other merge into a dynamic column (merge). Rows whose key is missing join nothing in SPL; KQL
 * reads a missing string as '', so the sub-search's empty keys are dropped.
 *
 * The evaluator keeps the rows in their order through a join; KQL's join does not. Where a
 * later dedup needs the stats order and the join sets a column of it, the rows are numbered in
 * that order first (JoinRowOrder), and the dedup sorts by the number (kql-dedup.ts); where only
 * fields/table lists stand between, the join renders that dedup itself (hoistedDedup).
 */
import { diag } from '../diagnostics/index.js';
import type { Dedup, Join, Stage } from '../ir/index.js';
import { kqlIdent } from './kql-literal.js';
import type { KqlType } from './kql-mapping.js';
import { at, column, type KqlCtx } from './kql-scope.js';
import { headOperators, sourceHead } from './kql-source.js';
import { columnsOf, firstRows, joinMax, onePerKey, ROW_ORDER, sortKey, subSearchOrder, type KqlColumn } from './kql-join-order.js';
import { EVENT_ORDER, eventOrder, keepTime, latestRows, TIME } from './kql-join-events.js';
import { dedupAfter, dedupFail, hoistedDedup } from './kql-dedup.js';

export { onePerKey } from './kql-join-order.js';

type RenderStages = (ctx: KqlCtx, stages: Stage[]) => string[];
/** The stages before and after the one being rendered, in its pipeline. */
export interface Place { before: Stage[]; after: Stage[] }

const RIGHT = 'JoinRight';
const LEFT = 'JoinKey';
const TIME_COLUMN = 'JoinTime';
const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The join as operators, or undefined after reporting why it cannot be rendered exactly. */
export function join(ctx: KqlCtx, s: Join, renderStages: RenderStages, place?: Place): string[] | undefined {
  const fail = (why: string): undefined => {
    ctx.diags.push(diag('RB401', `kql cannot express ${why}`, at(ctx, s.origin)));
    return undefined;
  };
  // As the evaluator reads it: absent 1, zero or less every row, else the first ceil(max).
  const max = joinMax(s);
  // With max=N and several sub-search rows per key, KQL keeps the first N in the order the
  // evaluator reads them (kql-join-order.ts), where that order can be rebuilt.
  const stats = max !== 0 && !onePerKey(s.query.stages, s.on) ? subSearchOrder(s.query.stages) : undefined;
  // Without stats or tstats the rows are events, newest first (kql-join-events.ts).
  const order = typeof stats === 'string' && !s.query.stages.some((x) => x.kind === 'aggregate') ? eventOrder(s.query.stages) : stats;
  const events = order === EVENT_ORDER;
  const tooMany = (why: string): undefined => fail(`join max=${max} here: SPL joins each row with the first ${max === 1 ? 'sub-search row' : `${max} sub-search rows`} of its key, in the sub-search's order, and KQL joins every one; the sub-search's order cannot be rebuilt here: ${why}`);
  if (typeof order === 'string') return tooMany(order);
  if (s.query.inputs) return fail('a join whose sub-search is a correlation');
  const early = place && hoistedDedup(place.before, s, place.after);
  const numbered = place ? numbering(ctx, s, place, early) : [];
  if (!numbered) return undefined;
  // The sub-search: its own table, filter and stages, in this flavour.
  const head = sourceHead(ctx.mapping, s.query.source, s.query.filter, ctx.file, ctx.diags, s.origin ?? ctx.here);
  if (!head) return undefined;
  if (ctx.lookups) head.ctx.lookups = ctx.lookups;
  const rctx = head.ctx;
  rctx.here = s.origin ?? ctx.here;
  const before = ctx.diags.length;
  const rstages = renderStages(rctx, events ? keepTime(s.query.stages) : s.query.stages);
  if (head.filter === undefined || ctx.diags.slice(before).some((d) => d.severity === 'error')) return undefined;
  if (rctx.scope.table) return fail('a join whose sub-search ends without stats or table (its columns would be the whole table)');
  // The event time keepTime kept only for the order, unless the sub-search returns it itself.
  const hidden = events && !columnsOf(s.query.stages)?.has(TIME);
  const time = events ? rctx.scope.resolve(TIME) : undefined;
  if (events && time?.type !== 'datetime') return tooMany('its events have no time to pick the latest by');
  const right = rctx.scope.names().filter((n) => !(hidden && n === TIME)).map((n, i) => {
    const r = rctx.scope.resolve(n)!;
    return { name: n, tmp: `${RIGHT}${i}`, type: r.type, standIn: r.standIn };
  });

  const pre: string[] = [];
  const rightKeys: string[] = [];
  const on: string[] = [];
  const present: string[] = [];
  const keyCols: { text: string; type: KqlType }[] = [];
  for (const [i, f] of s.on.entries()) {
    const r = right.find((c) => c.name === f);
    // SPL joins no row on a field the sub-search lacks: an inner join never matches, a left one adds nothing.
    if (!r) return fail(`a join on '${f}', which the sub-search does not return${ctx.scope.table || ctx.scope.resolve(f) ? '' : ' (nor the rows: the join matches no row)'}`);
    const l = column(ctx, f, s.origin);
    if (!l) return undefined;
    // A key that is a stand-in constant (a group-by field the table lacks) would pair every row
    // with every row of the other side: that flavour has no column for it.
    if (l.standIn || r.standIn) {
      ctx.diags.push(diag('RB403', `kql (${ctx.mapping.flavour}): join field '${f}' has no column on the ${l.standIn ? 'left' : 'right'} side (it is a constant there, so the join would pair every row)`, at(ctx, s.origin)));
      return undefined;
    }
    // SPL compares join fields as text: columns of different types are compared as strings.
    const same = l.type === r.type;
    let lt = l.text;
    if (!same || !PLAIN.test(l.text)) {
      lt = `${LEFT}${i}`;
      pre.push(`${lt} = ${same ? l.text : `tostring(${l.text})`}`);
    }
    let rt = r.tmp;
    if (!same) {
      rt = `${RIGHT}Key${i}`;
      rightKeys.push(`${rt} = tostring(${r.tmp})`);
    }
    present.push(same && r.type !== 'string' ? `isnotnull(${rt})` : `isnotempty(${rt})`);
    keyCols.push({ text: rt, type: same ? r.type : 'string' });
    on.push(`$left.${lt} == $right.${rt}`);
  }

  // After the join: each sub-search field under its own name, merged with the row's field of the same name.
  const assign: string[] = [];
  for (const r of right) {
    if (s.on.includes(r.name)) continue;
    const l = ctx.scope.resolve(r.name);
    if (!l) {
      if (ctx.scope.table && Object.hasOwn(ctx.scope.table.columns, r.name)) return fail(`a join that adds '${r.name}', a column of ${ctx.scope.table.name} under another field`);
      assign.push(`${kqlIdent(r.name)} = ${r.tmp}`);
      continue;
    }
    const m = merge({ text: l.text, type: l.type }, { text: r.tmp, type: r.type }, s.overwrite);
    if (!m) return fail(`a join where '${r.name}' has different types on the two sides (${l.type}, ${r.type})`);
    if (ctx.scope.table && kqlIdent(r.name) !== l.text && Object.hasOwn(ctx.scope.table.columns, r.name)) return fail(`a join that sets '${r.name}', a column of ${ctx.scope.table.name} under another field`);
    assign.push(`${kqlIdent(r.name)} = ${m.text}`);
    r.type = m.type;
  }
  const sub = [
    kqlIdent(head.table.name),
    ...headOperators(head),
    ...rstages,
    `project ${[...right.map((r) => `${r.tmp} = ${kqlIdent(r.name)}`), ...(hidden ? [`${TIME_COLUMN} = ${time!.text}`] : [])].join(', ')}`,
    ...(rightKeys.length ? [`extend ${rightKeys.join(', ')}`] : []),
    `where ${present.join(' and ')}`,
  ];
  if (events) {
    const latest = latestRows(keyCols, hidden ? TIME_COLUMN : right.find((r) => r.name === TIME)!.tmp, max, hidden ? [TIME_COLUMN] : []);
    if (typeof latest === 'string') return tooMany(latest);
    sub.push(...latest);
  } else if (order) {
    const first = firstRows(keyCols, order, (n) => {
      const r = right.find((c) => c.name === n);
      return r && { text: r.tmp, type: r.type };
    }, s.on, max, 'JoinOrder');
    if (typeof first === 'string') return tooMany(first);
    sub.push(...first);
  }
  // A stand-in constant on either side may be the merged value: it stays a stand-in, so a later
  // filter, dedup or join on it is refused as it would be before the join.
  for (const r of right) if (!s.on.includes(r.name)) ctx.scope.define(r.name, r.type, r.standIn || ctx.scope.resolve(r.name)?.standIn);
  if (numbered.length) ctx.scope.define(ROW_ORDER, 'long');
  const away = [...right.map((r) => r.tmp), ...rightKeys.map((k) => k.split(' = ')[0]!), ...pre.map((p) => p.split(' = ')[0]!)];
  const ops = [
    ...numbered,
    ...(pre.length ? [`extend ${pre.join(', ')}`] : []),
    `join kind=${s.type === 'inner' ? 'inner' : 'leftouter'} (${sub.join(' | ')}) on ${on.join(', ')}`,
    ...(assign.length ? [`extend ${assign.join(', ')}`] : []),
    `project-away ${away.join(', ')}`,
  ];
  if (!early) return ops;
  const d = dedupAfter(ctx, early, [...place!.before, s]);
  return d && [...ops, ...d];
}

/**
 * A field both sides have, after the join: the sub-search's value where it has one (overwrite)
 * or the row's where it has one. A text on one side and a list (values() of a stats) on the
 * other merge into a dynamic column, the text as a dynamic string, since the evaluator
 * (src/evaluator/stage-join.ts) puts either value in the field as it is. Other pairs of
 * different types have no common column: undefined.
 */
function merge(l: KqlColumn, r: KqlColumn, overwrite: boolean): KqlColumn | undefined {
  let type = l.type;
  if (l.type !== r.type) {
    if (!(l.type === 'dynamic' && r.type === 'string') && !(l.type === 'string' && r.type === 'dynamic')) return undefined;
    type = 'dynamic';
  }
  const empty = (c: KqlColumn) => (c.type === 'string' ? `isempty(${c.text})` : `isnull(${c.text})`);
  const value = (c: KqlColumn) => (c.type === type ? c.text : `iff(isempty(${c.text}), dynamic(null), pack_array(${c.text})[0])`);
  const text = overwrite ? `iff(${empty(r)}, ${value(l)}, ${value(r)})` : `iff(${empty(l)}, ${value(r)}, ${value(l)})`;
  return { text, type };
}

/**
 * Where a later dedup keeps each key's first row in the stats order and this join sets a column
 * of that order (subSearchOrder with `numbered`), the rows are numbered in that order before
 * the join, in ROW_ORDER, which the dedup sorts by and drops (kql-dedup.ts). [] when no later
 * stage needs it; undefined after reporting at the dedup why the rows cannot be numbered.
 */
function numbering(ctx: KqlCtx, s: Join, { before, after }: Place, early?: Dedup): string[] | undefined {
  const mine = subSearchOrder(before, true);
  const here = subSearchOrder([...before, s], true);
  if (typeof mine === 'string' || typeof here === 'string' || here[0]?.name !== ROW_ORDER || mine.some((o) => o.name === ROW_ORDER)) return [];
  const k = after.findIndex((x) => x.kind === 'dedup');
  const d = after[k];
  const then = early ? here : d ? subSearchOrder([...before, s, ...after.slice(0, k)], true) : undefined;
  if (d?.kind !== 'dedup' || typeof then !== 'object' || then[0]?.name !== ROW_ORDER) return [];
  const by: string[] = [];
  for (const c of mine) {
    const r = ctx.scope.resolve(c.name);
    const key = r && sortKey(c, r.text, r.type);
    if (!key) return dedupFail(ctx, d, `'${c.name}' (${r?.type ?? 'no column'}) sorts differently in KQL`);
    by.push(key);
  }
  // Without order columns (a stats without by: one row) the number is 1.
  return by.length ? [`sort by ${by.join(', ')}`, `extend ${ROW_ORDER} = row_number()`] : [`extend ${ROW_ORDER} = 1`];
}
