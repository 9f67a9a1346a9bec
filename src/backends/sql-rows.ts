/**
 * Canonical events (flat objects keyed by canonical field names, as the evaluator's normalizer
 * produces them) as rows of the event table. Column values are text; numbers and booleans
 * become their text; arrays and objects become JSON text. `@timestamp` becomes ISO-8601 UTC
 * text (`2024-01-01T10:00:00.123Z`) for SQLite and `2024-01-01 10:00:00.123` (UTC) for the
 * TIMESTAMP columns of the other dialects; a time that does not parse becomes NULL.
 * Every field without a column goes into the JSON column, as text, keyed by its canonical name.
 */
import { sqlDialect } from './sql-dialects.js';
import { allColumns, columnNames, sqlLayout } from './sql-layout.js';

export { allColumns, columnNames };

/** A column value: text or NULL. */
export type SqlValue = string | null;

function asText(v: unknown): SqlValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}

function asTime(v: unknown, dialect: string): SqlValue {
  if (v === null || v === undefined) return null;
  const d = v instanceof Date ? v : new Date(typeof v === 'number' ? v : String(v));
  if (Number.isNaN(d.getTime())) return null;
  const iso = d.toISOString();
  return dialect === 'sqlite' ? iso : iso.replace('T', ' ').replace('Z', '');
}

/** The row of an event, in the order of allColumns(). */
export function rowFor(event: Record<string, unknown>, dialect = 'sqlite'): SqlValue[] {
  if (!sqlDialect(dialect)) throw new Error(`unknown SQL dialect '${dialect}'`);
  const layout = sqlLayout();
  const known = new Set(columnNames());
  const row: SqlValue[] = layout.columns.map((c) => (c.type === 'timestamp' ? asTime(event[c.name], dialect) : asText(event[c.name])));
  const rest: Record<string, SqlValue> = {};
  for (const [k, v] of Object.entries(event)) if (!known.has(k) && v !== undefined) rest[k] = asText(v);
  row.push(JSON.stringify(rest));
  return row;
}

/** A parameterized INSERT for rowFor() rows (`?` placeholders: SQLite, DuckDB; `$n`: PostgreSQL). */
export function insertSql(dialect = 'sqlite'): string {
  const d = sqlDialect(dialect);
  if (!d) throw new Error(`unknown SQL dialect '${dialect}'`);
  const cols = allColumns();
  const marks = cols.map((_, i) => (d.name === 'postgres' ? `$${i + 1}` : '?'));
  return `INSERT INTO ${d.ident(sqlLayout().table)} (${cols.map((c) => d.ident(c)).join(', ')}) VALUES (${marks.join(', ')})`;
}
