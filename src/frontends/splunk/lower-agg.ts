/** The aggregates of stats, tstats and eventstats: SPL functions to IR aggregate columns. */
import type { Origin } from '../../diagnostics/index.js';
import type { Agg, AggFn, Stage, ValueExpr } from '../../ir/index.js';
import type { AggCall } from './ast.js';
import type { FieldContext } from './fields.js';
import { lowerCondition, lowerValue, unsupported } from './lower-expr.js';

/** The aggregate stage of tstats/stats; SPL names each column `as` or `fn(field)`. */
export function aggregate(aggs: AggCall[], by: { field: string; at: Origin }[], span: string | undefined, at: Origin, ctx: FieldContext): Stage {
  const out: Agg[] = aggs.map((a) => lowerAgg(a, ctx));
  const wild = by.find((b) => b.field.includes('*'));
  if (wild) unsupported(ctx.ds, `the wildcard group-by field '${wild.field}'`, wild.at);
  const groupBy = by.filter((b) => !(span && b.field === '_time')).map((b) => ({ field: ctx.canonical(b.field, b.at), as: b.field }));
  const stage: Stage = { kind: 'aggregate', groupBy, aggs: out, origin: at };
  if (span) {
    const seconds = spanSeconds(span);
    if (seconds === undefined) unsupported(ctx.ds, `the span '${span}'`, at);
    if (!by.some((b) => b.field === '_time')) unsupported(ctx.ds, 'a span without `_time` in the by clause', at);
    stage.span = { field: '@timestamp', seconds, as: '_time' };
  }
  return stage;
}

const AGG_FNS: Record<string, AggFn> = {
  count: 'count', c: 'count', dc: 'dc', distinct_count: 'dc', min: 'min', max: 'max', sum: 'sum', avg: 'avg', mean: 'avg',
  stdev: 'stdev', median: 'median', percentile: 'percentile', values: 'values', list: 'list', earliest: 'earliest',
  latest: 'latest', first: 'first', last: 'last', mode: 'mode', range: 'range', var: 'var',
};

export function lowerAgg(a: AggCall, ctx: FieldContext): Agg {
  const fn = AGG_FNS[a.fn];
  if (!fn) unsupported(ctx.ds, `the aggregate function '${a.fn}'`, a.at);
  // `values(x.*) as *` makes one column per matching field: no fixed set of columns in the IR.
  if (a.field?.includes('*') || a.as?.includes('*')) unsupported(ctx.ds, `${a.defaultName} (a wildcard aggregate)`, a.at);
  const agg: Agg = { fn, as: a.as ?? a.defaultName };
  if (a.field !== undefined) agg.field = ctx.canonical(a.field, a.at);
  if (a.evalArg) {
    const e = a.evalArg;
    const [cond, value, other] = e.kind === 'call' && e.fn === 'if' ? e.args : [];
    if (fn === 'count') agg.where = lowerCondition(e, ctx);
    // `values(eval(if(c, x, null())))`: the rows where c holds, of field x (the aggregate skips nulls).
    else if (cond && value?.kind === 'field' && other?.kind === 'call' && other.fn === 'null' && other.args.length === 0) {
      agg.field = ctx.canonical(value.name, value.at);
      agg.where = lowerCondition(cond, ctx);
    } else unsupported(ctx.ds, `${a.fn} over an eval expression`, a.at);
  }
  if (a.param !== undefined) agg.param = a.param;
  if (fn !== 'count' && a.field === undefined && !a.evalArg) unsupported(ctx.ds, `${a.fn} without a field`, a.at);
  return agg;
}

/** `1h` → 3600; units of the Splunk `span` option (s, m, h, d, w). */
export function spanSeconds(span: string): number | undefined {
  const m = /^(\d+)(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks)?$/i.exec(span);
  if (!m) return undefined;
  const unit = (m[2] ?? 's').toLowerCase()[0]!;
  const mult = ({ s: 1, m: 60, h: 3600, d: 86400, w: 604800 } as Record<string, number>)[unit]!;
  return Number(m[1]) * mult;
}


/**
 * `dc(eval(upper(user)))`: an aggregate of a computed value is the aggregate of a column the rows
 * compute first. The column is named as Splunk names the aggregate's argument (`eval(upper(user))`),
 * which no event field can be called. count(eval(…)) and values(eval(if(c, x, null()))) keep their
 * conditional form (lowerAgg). With `as y`, the column is `y` when no other aggregate and no group
 * key of the command reads a field `y`: the stats replaces every row by its output, where `y` is
 * the aggregate anyway, so the name is free (and every target can write it).
 */
export function preEval(aggs: AggCall[], ctx: FieldContext, by: string[] = []): { aggs: AggCall[]; assign: { field: string; expr: ValueExpr }[] } {
  const assign: { field: string; expr: ValueExpr }[] = [];
  const read = new Set<string>(by);
  for (const a of aggs) {
    if (a.field !== undefined) read.add(a.field);
    if (a.evalArg) fieldsRead(a.evalArg, read);
  }
  const taken = new Set<string>();
  const out = aggs.map((a) => {
    const e = a.evalArg;
    if (!e || AGG_FNS[a.fn] === 'count') return a;
    const [, value, other] = e.kind === 'call' && e.fn === 'if' ? e.args : [];
    if (value?.kind === 'field' && other?.kind === 'call' && other.fn === 'null' && other.args.length === 0) return a;
    const free = a.as !== undefined && !a.as.includes('*') && !read.has(a.as) && !taken.has(a.as);
    const name = free ? a.as! : a.defaultName.slice(a.defaultName.indexOf('(') + 1, -1);
    taken.add(name);
    assign.push({ field: name, expr: lowerValue(e, ctx) });
    ctx.defined.add(name);
    const { evalArg: _, ...rest } = a;
    return { ...rest, field: name };
  });
  return { aggs: out, assign };
}

/** The field names an eval expression reads. */
function fieldsRead(n: NonNullable<AggCall['evalArg']>, out: Set<string>): void {
  if (n.kind === 'field') out.add(n.name);
  else if (n.kind === 'call') for (const a of n.args) fieldsRead(a, out);
  else if (n.kind === 'binary') { fieldsRead(n.left, out); fieldsRead(n.right, out); }
  else if (n.kind === 'unary') fieldsRead(n.arg, out);
}
