/**
 * "First" for SPL `join max=N` in KQL. SPL joins a row with the first N sub-search rows of its
 * key, in the sub-search's output order. The evaluator (src/evaluator/stage-join.ts) reads that
 * order as its sub-query emits rows; after stats/tstats it is the group order of
 * src/evaluator/aggregate.ts: by the group-by values in turn, then the span bucket, each
 * ascending with null first, numbers numerically and strings by code unit (as Splunk's stats
 * output is sorted by its by-fields). Row-wise stages after the aggregate keep that order.
 *
 * So the order is reproducible exactly when the sub-search's last aggregate is followed only
 * by stages that keep rows in place and leave the group columns' values alone; KQL then sorts
 * by those columns, numbers each key's rows (`row_number` restarting when the key changes,
 * learn.microsoft.com/kusto/query/row-number-function) and keeps the first N. Anything else
 * (no aggregate: events in file order; a later sort, head, dedup, mvexpand or join) has no
 * order KQL can rebuild, and the caller reports RB401 with the reason returned here.
 */
import { visitStage, type Stage } from '../ir/index.js';
import type { KqlType } from './kql-mapping.js';

/** A column that orders the sub-search's rows, and what the evaluator holds in it. */
export interface OrderColumn {
  name: string;
  /** 'time': an event time or span bucket (ISO text in the evaluator); 'number' or 'text' otherwise. */
  value: 'time' | 'number' | 'text';
}

/**
 * Canonical fields the evaluator holds as numbers (src/evaluator/normalize/canonical.ts
 * NUMERIC_FIELDS; a test keeps the two equal). Every other field is text there, numbers included.
 */
export const EVALUATOR_NUMERIC: ReadonlySet<string> = new Set([
  'event.code', 'winlog.record_id', 'process.pid', 'process.parent.pid', 'source.port', 'destination.port',
]);

const NUMERIC = new Set<KqlType>(['long', 'int', 'real', 'double', 'decimal']);

/** The group columns that order the sub-search's output (major first), or why there are none. */
export function subSearchOrder(stages: Stage[]): OrderColumn[] | string {
  let order: OrderColumn[] | undefined;
  let why = 'it has no stats or tstats (its rows come in event order, which KQL does not keep)';
  // Every column after the aggregate, to see what a rename or a new field overwrites.
  let cols = new Set<string>();
  const lose = (reason: string): void => {
    order = undefined;
    why = reason;
  };
  const writes = (names: string[], what: string): void => {
    const hit = order?.find((o) => names.includes(o.name));
    if (hit) lose(`${what} that changes '${hit.name}', which orders the rows`);
    for (const n of names) cols.add(n);
  };
  for (const s of stages) {
    if (s.kind !== 'aggregate' && !order) continue; // before the aggregate, order does not matter
    visitStage<void>(s, {
      aggregate: (n) => {
        const next: OrderColumn[] = [];
        for (const g of n.groupBy) {
          if (next.some((o) => o.name === g.as)) continue; // `by x x` groups by x once
          next.push({ name: g.as, value: g.field === '@timestamp' ? 'time' : EVALUATOR_NUMERIC.has(g.field) ? 'number' : 'text' });
        }
        if (n.span) next.push({ name: n.span.as, value: 'time' });
        order = next;
        cols = new Set([...next.map((o) => o.name), ...n.aggs.map((a) => a.as)]);
      },
      filter: () => undefined,
      eval: (n) => writes(n.assign.map((a) => a.field), 'an eval'),
      lookup: (n) => writes(n.outputs.map((o) => o.as), 'a lookup'),
      eventstats: (n) => writes(n.aggs.map((a) => a.as), 'an eventstats'),
      extract: (n) => writes(n.names, 'a rex'),
      fillnull: (n) => writes(n.fields.length ? n.fields : [...cols], 'a fillnull'),
      project: (n) => {
        const gone = order!.find((o) => n.fields.includes(o.name) !== (n.mode === 'keep'));
        if (gone) lose(`a fields/table that drops '${gone.name}', which orders the rows`);
        cols = new Set([...cols].filter((c) => n.fields.includes(c) === (n.mode === 'keep')));
      },
      rename: (n) => {
        for (const p of n.pairs) {
          const renamed = renamePairs(p, [...cols]);
          if (!renamed) return lose(`a rename of '${p.from}'`);
          const moves = new Map(renamed);
          // A field renamed onto an order column (that is not moving away itself) replaces its values.
          const clash = order!.find((o) => [...moves.values()].includes(o.name) && !moves.has(o.name));
          if (clash) return lose(`a rename onto '${clash.name}', which orders the rows`);
          for (const o of order!) o.name = moves.get(o.name) ?? o.name;
          cols = new Set([...[...cols].filter((c) => !moves.has(c)), ...moves.values()]);
        }
      },
      sort: () => lose('a sort after the stats'),
      head: () => lose('a head after the stats'),
      dedup: () => lose('a dedup after the stats'),
      mvexpand: () => lose('an mvexpand after the stats'),
      join: () => lose('a join after the stats'),
      sequence: () => lose('a sequence'),
      foreach: () => lose('a foreach after the stats'),
      spath: () => lose('an spath after the stats'),
      iplocation: () => lose('an iplocation after the stats'),
    });
  }
  return order ?? why;
}

/** The (from, to) names one rename pair maps among `cols`, or undefined for a pattern it cannot follow. */
function renamePairs(p: { from: string; to: string }, cols: string[]): [string, string][] | undefined {
  const wildFrom = p.from.endsWith('*');
  if (p.from.slice(0, -1).includes('*') || p.to.slice(0, -1).includes('*') || wildFrom !== p.to.endsWith('*')) return undefined;
  if (!wildFrom) return cols.includes(p.from) && p.from !== p.to ? [[p.from, p.to]] : [];
  const [f, t] = [p.from.slice(0, -1), p.to.slice(0, -1)];
  return cols.filter((c) => c.startsWith(f)).map((c) => [c, t + c.slice(f.length)] as [string, string]).filter(([a, b]) => a !== b);
}

/**
 * The KQL sort key for an order column of this type, or undefined when KQL would order its
 * values differently from the evaluator. KQL sorts ascending with nulls first, as the evaluator
 * puts missing values first; a missing string is '' in KQL, the least string anyway. Text
 * sorts as a KQL string only (ordinal, as array_sort_asc of values() is taken to): a numeric
 * or datetime column may hold what the evaluator keeps as other text (hex logon ids, time
 * formats), whose order differs.
 */
export function sortKey(c: OrderColumn, text: string, type: KqlType): string | undefined {
  const ok = c.value === 'time' ? type === 'datetime' : c.value === 'number' ? NUMERIC.has(type) : type === 'string';
  return ok ? `${text} asc` : undefined;
}
