/** The CREATE TABLE of the event table (see sql-layout.ts) in one dialect: `rulebridge sql-ddl`. */
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
  return `CREATE TABLE ${d.ident(layout.table)} (\n${cols.join(',\n')}\n)${using};`;
}
