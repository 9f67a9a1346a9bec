/**
 * The event table that emitted SQL runs on, read from mappings/sql.json: table `events`, one
 * column per canonical field (quoted, named exactly by the canonical name), and a JSON text
 * column `event_data` with every other field of the event keyed by its canonical name
 * (`{"winlog.event_data.IntegrityLevel": "High"}`).
 */
import { loadMapping } from '../ir/index.js';

/** A column of the table: text, or the event time. */
export interface SqlColumn { name: string; type: 'text' | 'timestamp' }

/** The shape of mappings/sql.json. */
export interface SqlLayout { table: string; jsonColumn: string; columns: SqlColumn[] }

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
 * Field names that may be read from the JSON column. Keys are written inside a JSON path
 * literal, so they are kept to characters no dialect's path syntax treats specially.
 */
export const JSON_KEY = /^[A-Za-z0-9_@.\- ]+$/;
