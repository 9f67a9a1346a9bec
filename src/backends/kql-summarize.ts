/**
 * Aggregates as KQL summarize: `summarize alias = fn(column), … by alias = column, …`. SPL's
 * aggregate functions skip null values; KQL strings are never null but empty, so the string
 * forms use the *if() variants with isnotempty().
 */
import { diag } from '../diagnostics/index.js';
import type { Agg, Aggregate } from '../ir/index.js';
import { renderExpr } from './kql-expr.js';
import { kqlIdent, kqlNumber, kqlString } from './kql-literal.js';
import { NUMERIC_TYPES, type KqlType } from './kql-mapping.js';
import { at, column, Scope, type KqlCtx } from './kql-scope.js';


/** summarize with aggregates, grouped by aliased columns; the output columns become the scope. */
export function summarize(ctx: KqlCtx, s: Aggregate): string | string[] | undefined {
  const out: [string, KqlType, boolean?][] = [];
  const aggs: string[] = [];
  const keys = new Map(s.groupBy.map((g) => [g.as, g.field]));
  const consts: string[] = [];
  const aways: string[] = [];
  const constOut: [string, KqlType, boolean][] = [];
  for (const a of s.aggs) {
    if (keys.has(a.as)) {
      // `values(x) as x by x` (common in security_content): within a group x has one value, so
      // the aggregate repeats the key; SPL shows one column, and so does KQL.
      if (keys.get(a.as) === a.field && SAME_AS_KEY.has(a.fn)) continue;
      // Otherwise the value is not defined: a stats that names an aggregate like one of its keys
      // (a prefix rename after a tstats that makes the names meet is folded in normalize, where
      // the key wins as SPL's rename keeps it, so it does not reach here).
      ctx.diags.push(diag('RB401', `kql cannot express two output columns named '${a.as}' (a group-by key and ${a.fn}()): which one SPL shows is not defined`, at(ctx, s.origin)));
      return undefined;
    }
    if (a.field && !a.where && !ctx.scope.resolve(a.field)) {
      // An aggregate of a field no event has is shown, not matched on: SPL gives 0 for the
      // counts and null (no value) for the rest.
      const zero = a.fn === 'count' || a.fn === 'dc';
      ctx.diags.push(diag('RB405', `kql (${ctx.mapping.flavour}): ${a.fn}(${a.field}) has no column; '${a.as}' is the constant ${zero ? '0' : "''"}`, at(ctx, s.origin)));
      consts.push(`${kqlIdent(a.as)} = ${zero ? '0' : "''"}`);
      constOut.push([a.as, zero ? 'long' : 'string', true]);
      continue;
    }
    const r = aggregate(ctx, s, a);
    if (!r) return undefined;
    if (r.time) {
      // arg_max/arg_min return two columns: the time (named, then projected away) and the value.
      const t = `${TIME_PREFIX}${aways.length}`;
      aways.push(t);
      aggs.push(`(${t}, ${kqlIdent(a.as)}) = ${r.text}`);
    } else aggs.push(`${kqlIdent(a.as)} = ${r.text}`);
    out.push([a.as, r.type]);
  }
  const by: string[] = [];
  const grouped = new Set<string>();
  for (const g of s.groupBy) {
    // `by x x` groups by x once (in SPL and in meaning); KQL rejects a column declared twice.
    if (grouped.has(g.as)) continue;
    grouped.add(g.as);
    const r = ctx.scope.resolve(g.field);
    if (!r) {
      const v = ctx.mapping.missingValue;
      ctx.diags.push(diag('RB405', `kql (${ctx.mapping.flavour}): group-by field '${g.field}' has no column; '${g.as}' is the constant ${JSON.stringify(v)} (tstats with fillnull_value groups missing values under one constant too; without it Splunk drops those rows)`, at(ctx, s.origin)));
      by.push(`${kqlIdent(g.as)} = ${kqlString(v)}`);
      out.push([g.as, 'string', true]);
      continue;
    }
    column(ctx, g.field, s.origin); // reports a rewrite that is not exact
    by.push(r.text === kqlIdent(g.as) ? r.text : `${kqlIdent(g.as)} = ${r.text}`);
    out.push([g.as, r.type]);
  }
  if (s.span) {
    const t = column(ctx, s.span.field, s.origin);
    if (!t) return undefined;
    by.push(`${kqlIdent(s.span.as)} = bin(${t.text}, ${s.span.seconds}s)`);
    out.push([s.span.as, t.type]);
  }
  if (!aggs.length && !by.length) {
    ctx.diags.push(diag('RB401', 'kql cannot express a summary with neither an aggregate over an existing field nor a group-by key', at(ctx, s.origin)));
    return undefined;
  }
  ctx.scope = Scope.of([...out, ...constOut]);
  const op = `summarize${aggs.length ? ` ${aggs.join(', ')}` : ''}${by.length ? ` by ${by.join(', ')}` : ''}`;
  const ops = [op, ...(aways.length ? [`project-away ${aways.join(', ')}`] : []), ...(consts.length ? [`extend ${consts.join(', ')}`] : [])];
  return ops.length === 1 ? op : ops;
}

/** Aggregates that, over rows sharing one value of their field, give that value. */
const SAME_AS_KEY = new Set<Agg['fn']>(['values', 'min', 'max', 'first', 'last', 'earliest', 'latest', 'mode']);

/** The column that holds a row's time after an aggregate (SPL `_time`). */
const ROW_TIME = '_time';

/** Names of the time columns arg_max/arg_min return beside a latest()/earliest() value. */
const TIME_PREFIX = 'AggTime';

/**
 * One aggregate function; Splunk's functions ignore null (here: empty) values. `time` marks an
 * arg_max/arg_min, whose text is assigned to a (time, value) pair.
 */
function aggregate(ctx: KqlCtx, s: Aggregate, a: Agg): { text: string; type: KqlType; time?: true } | undefined {
  const where = a.where ? renderExpr(ctx, a.where) : undefined;
  if (a.where && where === undefined) return undefined;
  if (a.fn === 'count' && !a.field) return { text: where ? `countif(${where})` : 'count()', type: 'long' };
  if (!a.field) {
    ctx.diags.push(diag('RB401', `kql cannot express ${a.fn}() without a field`, at(ctx, s.origin)));
    return undefined;
  }
  const c = column(ctx, a.field, s.origin);
  if (!c) return undefined;
  const present = c.type === 'string' ? `isnotempty(${c.text})` : `isnotnull(${c.text})`;
  const cond = where ? `${where} and ${present}` : present;
  const num = NUMERIC_TYPES.has(c.type) ? c.text : `todouble(${c.text})`;
  const approx = (what: string) =>
    ctx.diags.push(diag('RB404', `kql: ${what}`, at(ctx, s.origin)));
  const cw = (fn: string, ...args: string[]) => (where ? `${fn}if(${[...args, where].join(', ')})` : `${fn}(${args.join(', ')})`);
  switch (a.fn) {
    case 'count':
      return { text: `countif(${cond})`, type: 'long' };
    case 'dc':
      return { text: `count_distinctif(${c.text}, ${cond})`, type: 'long' };
    case 'min':
    case 'max':
      // KQL min/max skip nulls but not empty strings.
      return { text: c.type === 'string' ? `${a.fn}if(${c.text}, ${cond})` : cw(a.fn, c.text), type: c.type };
    case 'sum':
      return { text: cw('sum', num), type: NUMERIC_TYPES.has(c.type) ? c.type : 'real' };
    case 'avg':
      return { text: cw('avg', num), type: 'real' };
    case 'stdev':
      return { text: cw('stdev', num), type: 'real' };
    case 'var':
      return { text: cw('variance', num), type: 'real' };
    case 'range':
      return { text: `${cw('max', num)} - ${cw('min', num)}`, type: 'real' };
    case 'values':
      return { text: `array_sort_asc(make_set_if(${c.text}, ${cond}))`, type: 'dynamic' };
    case 'list':
      approx(`make_list keeps the values in the order KQL reads them, not Splunk's search order`);
      return { text: `make_list_if(${c.text}, ${cond})`, type: 'dynamic' };
    case 'latest':
    case 'earliest': {
      // SPL latest(x)/earliest(x): x of the newest/oldest event (by _time) among those that
      // have x. arg_max/arg_min ignore rows whose maximized expression is null, so the time is
      // nulled where x is missing (or the count(eval()) condition fails). Events sharing the
      // extreme time are a tie in both languages: neither defines which one wins. After an
      // aggregate the rows' time is their `_time` column (a span bucket or a by _time key), which
      // SPL's time functions order by as they order events (Search Reference, "latest").
      const time = ctx.scope.resolve(ctx.scope.table ? '@timestamp' : ROW_TIME);
      if (!time || time.type !== 'datetime') {
        ctx.diags.push(diag('RB401', `kql cannot express ${a.fn}() here: no event time to order the rows by`, at(ctx, s.origin)));
        return undefined;
      }
      return { text: `${a.fn === 'latest' ? 'arg_max' : 'arg_min'}(iff(${cond}, ${time.text}, datetime(null)), ${c.text})`, type: c.type, time: true };
    }
    case 'median':
    case 'percentile': {
      const p = a.fn === 'median' ? 50 : a.param ?? 50;
      approx(`percentile() is an estimate over large inputs; Splunk's ${a.fn} is exact up to its own limits`);
      // KQL has no percentileif(); percentile() skips the nulls iff() leaves.
      if (where) return { text: `percentile(iff(${where}, todouble(${num}), real(null)), ${kqlNumber(p)})`, type: 'real' };
      return { text: `percentile(${num}, ${kqlNumber(p)})`, type: 'real' };
    }
    default:
      ctx.diags.push(diag('RB401', `kql cannot express ${a.fn}()`, at(ctx, s.origin)));
      return undefined;
  }
}
