/** Test engines: the event table in in-memory SQLite and DuckDB, loaded through rowFor(). */
import Database from 'better-sqlite3';
import { RE2JS } from 're2js';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { sqlDdl } from '../../../src/backends/sql-ddl.js';
import { insertSql, rowFor } from '../../../src/backends/sql-rows.js';

export type Row = Record<string, unknown>;
export type Event = Record<string, unknown>;

/** An engine that runs emitted SQL and returns plain rows (numbers as JS numbers). */
export interface Engine {
  name: 'sqlite' | 'duckdb';
  all(sql: string): Promise<Row[]>;
}

/**
 * The `regexp(pattern, text)` function SQLite's REGEXP operator calls: an unanchored RE2 search
 * (re2js), inline flags included, as emitted SQL expects (src/backends/sql-sqlite.ts).
 */
export function registerRegexp(db: Database.Database): void {
  const cache = new Map<string, RE2JS>();
  db.function('regexp', { deterministic: true }, (pattern: unknown, text: unknown) => {
    if (text === null || pattern === null) return null;
    let re = cache.get(String(pattern));
    if (!re) cache.set(String(pattern), (re = RE2JS.compile(String(pattern))));
    return re.matcher(String(text)).find() ? 1 : 0;
  });
}

/** Entries of Sigma placeholder lists: list name → values. */
export type Lists = Record<string, string[]>;

const listRows = (lists: Lists) => Object.entries(lists).flatMap(([l, vs]) => vs.map((v) => [l, v]));

/** SQLite with the tables, the events and the placeholder lists. */
export function sqliteEngine(events: Event[], lists: Lists = {}): Engine {
  const db = new Database(':memory:');
  registerRegexp(db);
  db.exec(sqlDdl('sqlite'));
  const put = db.prepare('INSERT INTO "placeholders" ("list", "value") VALUES (?, ?)');
  for (const r of listRows(lists)) put.run(...r);
  const ins = db.prepare(insertSql('sqlite'));
  db.transaction(() => { for (const e of events) ins.run(...rowFor(e, 'sqlite')); })();
  return { name: 'sqlite', all: async (sql) => db.prepare(sql).all() as Row[] };
}

/** DuckDB with the tables, the events and the placeholder lists. */
export async function duckdbEngine(events: Event[], lists: Lists = {}): Promise<Engine> {
  const inst = await DuckDBInstance.create(':memory:');
  const conn: DuckDBConnection = await inst.connect();
  await conn.run(sqlDdl('duckdb'));
  for (const r of listRows(lists)) await conn.run('INSERT INTO "placeholders" ("list", "value") VALUES (?, ?)', r);
  // Batches of rows per INSERT: one statement per row is slow in DuckDB.
  const one = insertSql('duckdb');
  const tuple = one.slice(one.indexOf('VALUES ') + 7);
  for (let i = 0; i < events.length; i += 100) {
    const batch = events.slice(i, i + 100);
    await conn.run(one + (', ' + tuple).repeat(batch.length - 1), batch.flatMap((e) => rowFor(e, 'duckdb')));
  }
  return {
    name: 'duckdb',
    all: async (q) => {
      const r = await conn.runAndReadAll(q);
      return r.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString() : v])));
    },
  };
}

/** Both engines over the same events (and placeholder lists). */
export async function bothEngines(events: Event[], lists: Lists = {}): Promise<Engine[]> {
  return [sqliteEngine(events, lists), await duckdbEngine(events, lists)];
}
