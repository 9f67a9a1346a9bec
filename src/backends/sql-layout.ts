/**
 * The event table that emitted SQL runs on, read from mappings/sql.json.
 *
 * ## The `events` table (README)
 * - One column per canonical (ECS) field of mappings/windows.json and mappings/cim.json, named
 *   exactly by the canonical name as a quoted identifier: `"process.command_line"`,
 *   `"event.code"`, `"winlog.channel"`, `"@timestamp"` (Spark: backticks).
 * - Values are text (numbers and booleans as their text; `"event.code"` is `'4688'`), except
 *   `"@timestamp"`: ISO-8601 UTC text with microseconds in SQLite, TIMESTAMP (UTC) elsewhere.
 * - `event_data`: JSON text with every other field of the event, keyed by its canonical name
 *   (`{"winlog.event_data.IntegrityLevel": "High"}`); queries read it with json_extract
 *   (SQLite), json_extract_string (DuckDB), `->>` on jsonb (PostgreSQL), get_json_object (Spark).
 * - A rule's log source becomes a condition on `"winlog.channel"` (case-insensitive) and
 *   `"event.code"` from mappings/windows.json; the table holds Windows events only.
 *
 * - Sigma placeholders (`|expand` lists not resolved at conversion) read the table
 *   `placeholders` ("list", "value"): a predicate holds when the field compares (eq, contains,
 *   startswith, endswith) to some value of its list's rows.
 *
 * Create it with `rulebridge sql-ddl --dialect sqlite|duckdb|postgres|spark` (sqlDdl), load
 * canonical events (the evaluator's toCanonical) with rowFor() and insertSql() of sql-rows.ts,
 * then run `rulebridge convert --to sql --dialect X`. SQLite needs 3.44 or later (JSON, window
 * functions, ORDER BY in aggregates, `%V`); regex rules use `REGEXP`, for which the host
 * registers an RE2 `regexp(pattern, text)` function (see sql-sqlite.ts).
 */
import { loadMapping } from '../ir/index.js';

/** A column of the table: text, or the event time. */
export interface SqlColumn { name: string; type: 'text' | 'timestamp' }

/** The shape of mappings/sql.json. */
export interface SqlLayout {
  table: string;
  jsonColumn: string;
  columns: SqlColumn[];
  /** The table of Sigma placeholder lists: one row ("list", "value") per entry. */
  placeholderTable: string;
}

/** The bundled layout. */
export function sqlLayout(): SqlLayout {
  return loadMapping<SqlLayout>('sql');
}

/** Canonical names that have a column of their own. */
export function columnNames(): string[] {
  return sqlLayout().columns.map((c) => c.name);
}

/** Every column of the table, in DDL order: the canonical columns, then the JSON column. */
export function allColumns(): string[] {
  return [...columnNames(), sqlLayout().jsonColumn];
}

/**
 * Canonical fields whose value may be a list: the unnamed `<Data>` elements of classic Windows
 * events (normalize/evtx-json.ts and the XML reader keep several as a list). sql-rows.ts
 * stores a list of two or more as JSON array text; a predicate on these fields tests each
 * element, as the evaluator does (a list matches when any element matches). A single value
 * that is itself JSON array text is read as a list too.
 */
export const MULTI_VALUED: ReadonlySet<string> = new Set(['winlog.event_data.Data']);

/**
 * Field names that may be read from the JSON column. Keys are written inside a JSON path
 * literal, so they are kept to characters no dialect's path syntax treats specially.
 */
export const JSON_KEY = /^[A-Za-z0-9_@.\- ]+$/;
