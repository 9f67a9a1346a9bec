/**
 * Canonical events (flat objects keyed by canonical field names, as the evaluator's normalizer
 * produces them) as rows of the event table. Column values are text; numbers and booleans
 * become their text; an empty list is NULL, a one-element list its element, longer lists (read
 * per element by predicates, see MULTI_VALUED in sql-layout.ts) and objects JSON text. `@timestamp` becomes ISO-8601 UTC
 * text with microseconds (`2024-01-01T10:00:00.123456Z`) for SQLite and
 * `2024-01-01 10:00:00.123456` (UTC) for the TIMESTAMP columns of the other dialects; a time
 * that does not parse becomes NULL.
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
  // An empty list is a missing value and a one-element list its element, as the evaluator reads
  // them; a longer list stays JSON array text, which predicates on the fields of MULTI_VALUED
  // (sql-layout.ts) read element by element.
  if (Array.isArray(v)) return v.length === 0 ? null : v.length === 1 ? asText(v[0]) : JSON.stringify(v);
  return JSON.stringify(v);
}

const ISO = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:\.(\d+))?(?:Z|[+-]00:?00)?$/;

function asTime(v: unknown, dialect: string): SqlValue {
  if (v === null || v === undefined) return null;
  // UTC text keeps its microseconds (the normalizer writes 6 digits); other forms go through Date.
  const m = typeof v === 'string' ? ISO.exec(v.trim()) : null;
  let day: string, time: string, frac: string;
  if (m) [day, time, frac] = [m[1]!, m[2]!, (m[3] ?? '').padEnd(6, '0').slice(0, 6)];
  else {
    const d = v instanceof Date ? v : new Date(typeof v === 'number' ? v : String(v));
    if (Number.isNaN(d.getTime())) return null;
    const iso = d.toISOString();
    [day, time, frac] = [iso.slice(0, 10), iso.slice(11, 19), iso.slice(20, 23) + '000'];
  }
  // Fixed width, so text order is time order (MIN/MAX on SQLite's text column).
  return dialect === 'sqlite' ? `${day}T${time}.${frac}Z` : `${day} ${time}.${frac}`;
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
