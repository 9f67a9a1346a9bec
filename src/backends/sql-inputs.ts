/**
 * The events of a correlation (Query.inputs) as one FROM item: each input is a SELECT over the
 * event table (its log source and filter), with `rule.name` set to the input's name and each alias
 * copying the input's field to the shared name; the inputs are joined with UNION ALL, every
 * branch listing the same columns in the same order. Later stages read the union like the table.
 */
import { INPUT_FIELD, type QueryInput } from '../ir/index.js';
import { joinBool, lit, textOf, type SqlCol, type SqlCtx, type SqlType } from './sql-context.js';
import { renderExpr } from './sql-expr.js';
import { logsourceSql } from './sql-logsource.js';
import type { SqlLayout } from './sql-layout.js';

/** The union's SQL and the names (with types) its rows have. */
export interface InputsFrom { sql: string; names: Map<string, SqlType> }

/**
 * `ctxFor()` gives a context that resolves fields over the event table; the union's columns are
 * the table's, then alias names that are not columns, then the JSON column.
 */
export function inputsFrom(inputs: QueryInput[], layout: SqlLayout, base: SqlCtx, ctxFor: () => SqlCtx): InputsFrom {
  const d = base.d;
  const names = new Map<string, SqlType>(layout.columns.map((c) => [c.name, c.type]));
  const extra: string[] = [];
  for (const i of inputs) for (const a of i.aliases) if (!names.has(a.as) && !extra.includes(a.as)) extra.push(a.as);
  for (const e of extra) names.set(e, 'text');
  names.set(layout.jsonColumn, 'text');
  const branches = inputs.map((i) => {
    const ctx = ctxFor();
    ctx.at = i.origin ?? base.at;
    const aliased = new Map<string, SqlCol | undefined>();
    for (const a of i.aliases) aliased.set(a.as, ctx.resolve(a.field, i.origin));
    const col = (name: string, type: SqlType): string => {
      if (name === INPUT_FIELD) return `${lit(ctx, i.name, i.origin)} AS ${d.ident(name)}`;
      if (aliased.has(name)) {
        const c = aliased.get(name);
        // An alias onto the time column keeps the column's type; any other is text.
        const v = c ? (type === 'timestamp' && c.type === 'timestamp' ? c.sql : textOf(ctx, c)) : 'NULL';
        return `${v} AS ${d.ident(name)}`;
      }
      return names.has(name) && !extra.includes(name) ? d.ident(name) : `NULL AS ${d.ident(name)}`;
    };
    const cols = [...names].map(([n, t]) => col(n, t));
    const where: string[] = [];
    const ls = logsourceSql(i.source, ctx);
    if (ls) where.push(ls);
    if (!(i.filter.kind === 'const' && i.filter.value)) where.push(`(${renderExpr(i.filter, ctx)})`);
    return `SELECT ${cols.join(', ')}\nFROM ${d.ident(layout.table)}${where.length ? `\nWHERE ${joinBool(where, 'AND')}` : ''}`;
  });
  if (!names.has(INPUT_FIELD)) throw new Error(`the SQL layout has no column '${INPUT_FIELD}'`);
  return { sql: branches.join('\nUNION ALL\n'), names };
}
