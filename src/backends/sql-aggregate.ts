/**
 * SQL GROUP BY: each key `field AS "alias"`, the span's time bucket, and the aggregate columns
 * (count, dc, min, max, sum, avg; `where` as CASE WHEN inside the function). After it, filters
 * name the aliases, which resolve to these expressions (so a HAVING never relies on alias
 * visibility, which PostgreSQL lacks).
 */
import type { Agg, Aggregate, Expr, Origin } from '../ir/index.js';
import { report, textOf, type SqlCol, type SqlCtx, type SqlScope, type SqlType } from './sql-context.js';
import { renderExpr } from './sql-expr.js';

/** GROUP BY keys and aggregate columns; the scope after it names the aliases. */
export function aggregate(a: Aggregate, ctx: SqlCtx): { cols: string[]; groupBy: string[]; scope: SqlScope } {
  const d = ctx.d;
  const cols: string[] = [];
  const groupBy: string[] = [];
  const names = new Map<string, SqlType>();
  const exprs = new Map<string, SqlCol>();
  if (a.span) {
    const c = ctx.resolve(a.span.field, a.origin);
    const n = a.span.seconds;
    if (!Number.isInteger(n) || n <= 0) report(ctx, 'RB401', `sql: a span of ${n} seconds is not a whole positive number`, a.origin);
    else if (c && c.type !== 'timestamp') report(ctx, 'RB401', `sql: span buckets a timestamp; '${a.span.field}' is not one`, a.origin);
    else if (c) {
      const b = d.timeBucket(c.sql, n);
      cols.push(`${b} AS ${d.ident(a.span.as)}`);
      groupBy.push(b);
      names.set(a.span.as, 'timestamp');
      exprs.set(a.span.as, { sql: b, type: 'timestamp' });
    }
  }
  for (const g of a.groupBy) {
    const c = ctx.resolve(g.field, a.origin);
    if (!c) continue;
    cols.push(`${c.sql} AS ${d.ident(g.as)}`);
    if (!groupBy.includes(c.sql)) groupBy.push(c.sql);
    names.set(g.as, c.type);
    exprs.set(g.as, c);
  }
  for (const g of a.aggs) {
    const c = aggSql(g, ctx, a.origin);
    if (!c) continue;
    cols.push(`${c.sql} AS ${d.ident(g.as)}`);
    names.set(g.as, c.type);
    exprs.set(g.as, c);
  }
  return { cols, groupBy, scope: { names, json: false, exprs } };
}

function aggSql(g: Agg, ctx: SqlCtx, origin?: Origin): SqlCol | undefined {
  const input = g.field !== undefined ? ctx.resolve(g.field, origin) : undefined;
  if (g.field !== undefined && !input) return undefined;
  const cond = g.where ? renderExpr(g.where as Expr, ctx) : undefined;
  const when = (x: string) => (cond ? `CASE WHEN ${cond} THEN ${x} END` : x);
  switch (g.fn) {
    case 'count':
      return { sql: input ? `COUNT(${when(input.sql)})` : cond ? `COUNT(${when('1')})` : 'COUNT(*)', type: 'number' };
    case 'dc':
      if (!input) break;
      return { sql: `COUNT(DISTINCT ${when(input.sql)})`, type: 'number' };
    case 'min':
    case 'max':
      if (!input) break;
      return { sql: `${g.fn.toUpperCase()}(${when(input.sql)})`, type: input.type };
    case 'sum':
    case 'avg': {
      if (!input) break;
      const x = input.type === 'number' ? input.sql : ctx.d.toNumber(textOf(ctx, input));
      return { sql: `${g.fn.toUpperCase()}(${when(x)})`, type: 'number' };
    }
    case 'earliest':
    case 'latest': {
      if (!input) break;
      const ts = ctx.resolve('@timestamp', origin);
      if (!ts || ts.type !== 'timestamp') {
        // After a summary the rows have no event time to order by (SPL `tstats … | stats latest(x)`).
        report(ctx, 'RB401', `sql: ${g.fn}() needs the event time, which these rows do not have`, origin);
        return undefined;
      }
      const keep = `${input.sql} IS NOT NULL AND ${ts.sql} IS NOT NULL${cond ? ` AND ${cond}` : ''}`;
      return { sql: ctx.d.byTime(input.sql, ts.sql, g.fn === 'latest', keep), type: input.type === 'timestamp' ? 'text' : input.type };
    }
    case 'values':
      if (!input) break;
      return { sql: ctx.d.valuesAgg(input.sql, cond), type: 'list' };
    default:
      report(ctx, 'RB401', `sql cannot express agg.${g.fn}`, origin);
      return undefined;
  }
  report(ctx, 'RB401', `sql: ${g.fn} needs a field`, origin);
  return undefined;
}

