/** The SQL dialects by name; sqlite is the default. */
import type { SqlDialect } from './sql-dialect.js';
import { sqlite } from './sql-sqlite.js';
import { duckdb } from './sql-duckdb.js';
import { postgres } from './sql-postgres.js';
import { spark } from './sql-spark.js';

export const SQL_DIALECTS: Record<SqlDialect['name'], SqlDialect> = { sqlite, duckdb, postgres, spark };

/** The dialect of that name (default sqlite), or undefined when unknown. */
export function sqlDialect(name: string | undefined): SqlDialect | undefined {
  return (SQL_DIALECTS as Record<string, SqlDialect>)[name ?? 'sqlite'];
}
