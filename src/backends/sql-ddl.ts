/** The CREATE TABLEs of the event table and the placeholder lists (see sql-layout.ts) in one dialect: `rulebridge sql-ddl`. */
import { sqlDialect } from './sql-dialects.js';
import { sqlLayout } from './sql-layout.js';

/** The DDL for a dialect (sqlite, duckdb, postgres, spark); throws on an unknown dialect name. */
export function sqlDdl(dialect: string): string {
  const d = sqlDialect(dialect);
  if (!d) throw new Error(`unknown SQL dialect '${dialect}'`);
  const layout = sqlLayout();
  const cols = layout.columns.map((c) => `  ${d.ident(c.name)} ${c.type === 'timestamp' ? d.types.timestamp : d.types.text}`);
  cols.push(`  ${d.ident(layout.jsonColumn)} ${d.types.text}`);
  const using = d.name === 'spark' ? '\nUSING parquet' : '';
  const lists = `CREATE TABLE ${d.ident(layout.placeholderTable)} (\n  ${d.ident('list')} ${d.types.text},\n  ${d.ident('value')} ${d.types.text}\n)${using};`;
  return `CREATE TABLE ${d.ident(layout.table)} (\n${cols.join(',\n')}\n)${using};\n${lists}`;
}
