/**
 * "First" for SPL `join max=N` and `dedup` in KQL. SPL joins a row with the first N sub-search
 * rows of its key, in the sub-search's output order; dedup keeps each key's first row in the
 * current order. The evaluator (src/evaluator/stage-join.ts, stages.ts) reads that order as
 * the rows come; after stats/tstats it is the group order of
 * src/evaluator/aggregate.ts: by the group-by values in turn, then the span bucket, each
 * ascending with null first, numbers numerically and strings by code unit (as Splunk's stats
 * output is sorted by its by-fields). Row-wise stages after the aggregate keep that order.
 *
 * So the order is reproducible exactly when the sub-search's last aggregate is followed only
 * by stages that keep rows in place and leave the group columns' values alone; KQL then sorts
 * by those columns, numbers each key's rows (`row_number` restarting when the key changes,
 * learn.microsoft.com/kusto/query/row-number-function) and keeps the first N. Anything else
 * (no aggregate: events, newest first, which kql-join-events.ts orders; a later sort, head,
 * mvexpand, or a join that may add rows) has no order KQL can rebuild from the group columns,
 * and the caller reports RB401 with the reason returned here. A dedup keeps rows in place; so
 * does a join that gives each row at most one partner
 * (src/evaluator/stage-join.ts keeps the left order), though one that sets a group column
 * leaves the order to row numbers taken before it (kql-join.ts).
 */
import { visitStage, type Join, type Stage } from '../ir/index.js';
import { NUMERIC_TYPES, type KqlType } from './kql-mapping.js';

/** A column that orders the sub-search's rows, and what the evaluator holds in it. */
export interface OrderColumn {
  name: string;
  /** 'time': an event time or span bucket (ISO text in the evaluator); 'number' or 'text' otherwise. */
  value: 'time' | 'number' | 'text';
  /** Newest first (a search's events, eventOrder); absent: ascending. */
  desc?: boolean;
}

/**
 * Canonical fields the evaluator holds as numbers (src/evaluator/normalize/canonical.ts
 * NUMERIC_FIELDS; a test keeps the two equal). Every other field is text there, numbers included.
 */
export const EVALUATOR_NUMERIC: ReadonlySet<string> = new Set([
  'event.code', 'winlog.record_id', 'process.pid', 'process.parent.pid', 'source.port', 'destination.port',
]);


/** The private column a join numbers the rows in, when it sets a column that ordered them. */
export const ROW_ORDER = 'JoinRowOrder';

/** How many sub-search rows a join takes per key, as the evaluator reads `max`: 0 for every one. */
export function joinMax(s: Join): number {
  return s.max === undefined ? 1 : s.max > 0 ? Math.ceil(s.max) : 0;
}

/**
 * True when the rows are at most one per value of `fields`: the last aggregate (or dedup)
 * groups by some of them only, under the names they have at the end, and no stage since adds
 * rows or sets a key column (an eval, rename or fillnull onto a key can make two rows equal).
 */
export function onePerKey(stages: Stage[], fields: string[]): boolean {
  let keys: string[] | undefined;
  const unless = (names: string[]): void => {
    if (keys?.some((k) => names.includes(k))) keys = undefined;
  };
  const gone = (): void => {
    keys = undefined;
  };
  for (const s of stages) {
    visitStage<void>(s, {
      aggregate: (n) => {
        keys = [...n.groupBy.map((g) => g.as), ...(n.span ? [n.span.as] : [])];
      },
      dedup: (n) => {
        keys = keys && keys.every((k) => n.fields.includes(k)) ? keys : [...n.fields];
      },
      filter: () => undefined, sort: () => undefined, head: () => undefined,
      eval: (n) => unless(n.assign.map((a) => a.field)),
      lookup: (n) => unless(n.outputs.map((o) => o.as)),
      eventstats: (n) => unless(n.aggs.map((a) => a.as)),
      extract: (n) => unless(n.names),
      fillnull: (n) => (n.fields.length ? unless(n.fields) : gone()),
      project: (n) => {
        if (!keys) return;
        if (n.fields.some((f) => f.includes('*')) || keys.some((k) => n.fields.includes(k) !== (n.mode === 'keep'))) gone();
      },
      rename: (n) => {
        if (!keys) return;
        if (n.pairs.some((p) => p.from.includes('*') || p.to.includes('*'))) return gone();
        for (const p of n.pairs) {
          // Another field renamed onto a key replaces the key's values.
          if (!keys.includes(p.from) && keys.includes(p.to)) return gone();
          keys = keys.map((k) => (k === p.from ? p.to : k));
          if (new Set(keys).size < keys.length) return gone(); // a key renamed onto another
        }
      },
      mvexpand: gone, join: gone, sequence: gone, foreach: gone, spath: gone, iplocation: gone,
    });
  }
  return !!keys && keys.every((k) => fields.includes(k));
}

/**
 * The columns after one stage, from those before it; undefined where they are not known (the
 * table's fields, before any stats or table, or after a stage that adds fields by pattern).
 * Names a stage may set count as columns even where the evaluator would leave them absent.
 */
export function columnsAfter(cols: Set<string> | undefined, s: Stage): Set<string> | undefined {
  const add = (names: string[]) => (cols ? new Set([...cols, ...names]) : undefined);
  const same = () => cols;
  const unknown = () => undefined;
  return visitStage<Set<string> | undefined>(s, {
    aggregate: (n) => new Set([...n.groupBy.map((g) => g.as), ...(n.span ? [n.span.as] : []), ...n.aggs.map((a) => a.as)]),
    filter: same, sort: same, head: same, dedup: same, mvexpand: same,
    eval: (n) => add(n.assign.map((a) => a.field)),
    lookup: (n) => add(n.outputs.map((o) => o.as)),
    eventstats: (n) => add(n.aggs.map((a) => a.as)),
    extract: (n) => add(n.names),
    fillnull: (n) => add(n.fields),
    // The evaluator reads `*` in fields/table as a pattern; such a list is not followed here.
    project: (n) => (n.fields.some((f) => f.includes('*')) ? undefined : n.mode === 'keep' ? new Set(n.fields) : cols && new Set([...cols].filter((c) => !n.fields.includes(c)))),
    rename: (n) => {
      let cur = cols && [...cols];
      for (const p of n.pairs) {
        const moves = cur && renamePairs(p, cur);
        if (!moves) return undefined;
        const m = new Map(moves);
        cur = [...new Set([...cur!.filter((c) => !m.has(c)), ...m.values()])];
      }
      return cur && new Set(cur);
    },
    join: (n) => {
      const sub = columnsOf(n.query.stages);
      return sub && add([...sub]);
    },
    sequence: unknown, foreach: unknown, spath: unknown, iplocation: unknown,
  });
}

/** The columns a pipeline ends with, or undefined when they are not known. */
export function columnsOf(stages: Stage[]): Set<string> | undefined {
  let cols: Set<string> | undefined;
  for (const s of stages) cols = columnsAfter(cols, s);
  return cols;
}

/**
 * The columns that order the rows after `stages` (major first), or why there are none. With
 * `numbered`, a join that sets an order column (and keeps each row at most once) orders by
 * ROW_ORDER instead: the KQL join then numbers the rows before it (kql-join.ts).
 */
export function subSearchOrder(stages: Stage[], numbered = false): OrderColumn[] | string {
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
    if (hit) lose(hit.name === ROW_ORDER ? `${what} after a join that set a column which ordered the rows` : `${what} that changes '${hit.name}', which orders the rows`);
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
      },
      filter: () => undefined,
      eval: (n) => writes(n.assign.map((a) => a.field), 'an eval'),
      lookup: (n) => writes(n.outputs.map((o) => o.as), 'a lookup'),
      eventstats: (n) => writes(n.aggs.map((a) => a.as), 'an eventstats'),
      extract: (n) => writes(n.names, 'a rex'),
      fillnull: (n) => writes(n.fields.length ? n.fields : [...cols], 'a fillnull'),
      project: (n) => {
        const gone = order!.find((o) => n.fields.includes(o.name) !== (n.mode === 'keep'));
        if (gone) lose(gone.name === ROW_ORDER ? 'a fields/table after a join that set a column which ordered the rows' : `a fields/table that drops '${gone.name}', which orders the rows`);
      },
      rename: (n) => {
        let cur = [...cols];
        for (const p of n.pairs) {
          const renamed = renamePairs(p, cur);
          if (!renamed) return lose(`a rename of '${p.from}'`);
          const moves = new Map(renamed);
          // A field renamed onto an order column (that is not moving away itself) replaces its values.
          const clash = order!.find((o) => [...moves.values()].includes(o.name) && !moves.has(o.name));
          if (clash) return lose(`a rename onto '${clash.name}', which orders the rows`);
          if (moves.has(ROW_ORDER)) return lose(`a rename of '${p.from}' after a join that set a column which ordered the rows`);
          for (const o of order!) o.name = moves.get(o.name) ?? o.name;
          cur = [...cur.filter((c) => !moves.has(c)), ...moves.values()];
        }
      },
      sort: () => lose('a sort after the stats'),
      head: () => lose('a head after the stats'),
      // SPL dedup keeps the rows it keeps in place; KQL's (kql-dedup.ts) drops ROW_ORDER.
      dedup: () => (order!.some((o) => o.name === ROW_ORDER) ? lose('a second dedup after a join that set a column which ordered the rows') : undefined),
      mvexpand: () => lose('an mvexpand after the stats'),
      // The evaluator's join (src/evaluator/stage-join.ts) keeps the rows in order, each followed
      // by its partners' copies: the order stands where a row has at most one partner and the
      // join leaves the order columns alone (the `on` fields are equal as text, and KQL keeps the row's).
      join: (n) => {
        if (joinMax(n) !== 1 && !onePerKey(n.query.stages, n.on)) return lose('a join that may add several rows per row');
        const sub = columnsOf(n.query.stages);
        if (!sub) return lose("a join whose sub-search's fields are not known");
        const set = [...sub].filter((c) => !n.on.includes(c));
        const hit = order!.find((o) => set.includes(o.name));
        if (!hit) return;
        if (!numbered || cols.has(ROW_ORDER) || sub.has(ROW_ORDER)) return lose(`a join that sets '${hit.name}', which orders the rows`);
        order = [{ name: ROW_ORDER, value: 'number' }];
      },
      sequence: () => lose('a sequence'),
      foreach: () => lose('a foreach after the stats'),
      spath: () => lose('an spath after the stats'),
      iplocation: () => lose('an iplocation after the stats'),
    });
    const next = columnsAfter(cols, s);
    if (next) cols = next;
    else if (order) lose(`a stage whose fields are not known (${s.kind})`);
    if (order && s.kind === 'join' && order[0]!.name === ROW_ORDER) cols.add(ROW_ORDER);
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
 * formats), whose order differs. A field the evaluator holds as a number but a table keeps as
 * text (SysmonEvent's ProcessId) sorts by numericText.
 */
export function sortKey(c: OrderColumn, text: string, type: KqlType): string | undefined {
  if (c.value === 'number' && type === 'string') return numericText(text);
  const ok = c.value === 'time' ? type === 'datetime' : c.value === 'number' ? NUMERIC_TYPES.has(type) : type === 'string';
  return ok ? `${text} ${c.desc ? 'desc' : 'asc'}` : undefined;
}

/**
 * The evaluator's order (src/evaluator/aggregate.ts compareValues) of a numeric field read
 * from a string column: missing first, then the values that read as numbers, by value, then
 * any other text by code unit. KQL's toreal reads the decimal text Sysmon writes (ProcessId is
 * a decimal integer, exact in a real up to 2^53) as the evaluator's toNumber does; it gives
 * null for the rest, which the first key puts after the numbers. (Hex or space-padded numbers,
 * which the evaluator reads as numbers, are not written by Sysmon; a table that holds a numeric
 * field as hex text, as Security 4688's NewProcessId, needs a converting entry of type long in
 * its mapping, for its filters as much as for this order.)
 */
function numericText(text: string): string {
  return `isnotempty(${text}) and isnull(toreal(${text})) asc, toreal(${text}) asc, ${text} asc`;
}

/** A column as an operator reads it: its KQL text and type. */
export interface KqlColumn { text: string; type: KqlType }

const SORTABLE = new Set<KqlType>(['string', 'long', 'int', 'real', 'double', 'decimal', 'datetime']);

/**
 * Operators keeping the first `max` rows of each key in the given order: sorted by the key,
 * then by the order columns (those among `same`, equal within a key, left out); numbered from 1
 * again where the key changes, in the column `counter`. A string when a column would sort
 * differently in KQL. (Used for join max=N's sub-search and for dedup after a stats.)
 */
export function firstRows(keys: KqlColumn[], order: readonly OrderColumn[], resolve: (name: string) => KqlColumn | undefined, same: string[], max: number, counter: string): string[] | string {
  const by: string[] = [];
  for (const k of keys) {
    if (!SORTABLE.has(k.type)) return `a key of type ${k.type} does not sort`;
    by.push(`${k.text} asc`);
  }
  for (const o of order) {
    if (same.includes(o.name)) continue;
    const r = resolve(o.name);
    const key = r && sortKey(o, r.text, r.type);
    if (!key) return `'${o.name}' (${r?.type ?? 'not returned'}) sorts differently in KQL`;
    by.push(key);
  }
  const restart = keys.map((k) => `${k.text} != prev(${k.text})`).join(' or ');
  return [`sort by ${by.join(', ')}`, `extend ${counter} = row_number(1, ${restart})`, `where ${counter} <= ${max}`, `project-away ${counter}`];
}
