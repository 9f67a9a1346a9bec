/**
 * SPL eventstats as window functions: each aggregate `fn(x) OVER (PARTITION BY keys)` is added
 * to every row, the rows kept. A row lacking a key belongs to no group and gets NULL, as in SPL
 * (SQL would otherwise group the NULL keys together). count, sum, avg, min and max only: SQLite
 * and PostgreSQL have no DISTINCT inside a window.
 */
import type { EventStats } from '../ir/index.js';
import { report, textOf, type SqlCtx, type SqlType } from './sql-context.js';
import { renderExpr } from './sql-expr.js';

/** The window columns (`expr AS "name"`) and their types; undefined after reporting an error. */
export function eventstatsCols(st: EventStats, ctx: SqlCtx): { name: string; sql: string; type: SqlType }[] | undefined {
  const d = ctx.d;
  const keys: string[] = [];
  for (const g of st.groupBy) {
    const c = ctx.resolve(g.field, st.origin);
    if (!c) return undefined;
    keys.push(c.sql);
  }
  const over = `OVER (${keys.length ? `PARTITION BY ${keys.join(', ')}` : ''})`;
  const guard = (x: string) => (keys.length ? `CASE WHEN ${keys.map((k) => `${k} IS NOT NULL`).join(' AND ')} THEN ${x} END` : x);
  const out: { name: string; sql: string; type: SqlType }[] = [];
  for (const a of st.aggs) {
    const input = a.field !== undefined ? ctx.resolve(a.field, st.origin) : undefined;
    if (a.field !== undefined && !input) return undefined;
    const cond = a.where ? renderExpr(a.where, ctx) : undefined;
    const when = (x: string) => (cond ? `CASE WHEN ${cond} THEN ${x} END` : x);
    let sql: string;
    let type: SqlType = 'number';
    if (a.fn === 'count') sql = `COUNT(${input ? when(input.sql) : cond ? when('1') : '*'})`;
    else if ((a.fn === 'sum' || a.fn === 'avg') && input) sql = `${a.fn.toUpperCase()}(${when(input.type === 'number' ? input.sql : d.toNumber(textOf(ctx, input)))})`;
    else if ((a.fn === 'min' || a.fn === 'max') && input && input.type !== 'list') {
      sql = `${a.fn.toUpperCase()}(${when(input.sql)})`;
      type = input.type;
    } else {
      report(ctx, 'RB401', `sql cannot express ${a.fn}() in eventstats (window functions: count, sum, avg, min, max with a field)`, st.origin);
      return undefined;
    }
    out.push({ name: a.as, sql: guard(`${sql} ${over}`), type });
  }
  return out;
}
