import { describe, it, expect } from 'vitest';
import { sqlDdl } from '../../../src/backends/sql-ddl.js';
import { allColumns, columnNames, rowFor } from '../../../src/backends/sql-rows.js';
import { loadMapping, type WindowsMapping } from '../../../src/ir/index.js';
import { bothEngines } from './engines.js';

describe('sql event table', () => {
  it('has a column for every canonical field of the windows and cim mappings (winlog.event_data.* go to JSON)', () => {
    const w = loadMapping<WindowsMapping>('windows');
    const c = loadMapping<{ datamodels: Record<string, { fields: Record<string, string> }> }>('cim');
    const want = new Set<string>(Object.values(w.common));
    for (const cat of Object.values(w.categories)) {
      Object.values(cat.fields).forEach((v) => want.add(v));
      Object.keys(cat.derived ?? {}).forEach((v) => want.add(v));
    }
    for (const dm of Object.values(c.datamodels)) Object.values(dm.fields).forEach((v) => want.add(v));
    const cols = new Set(columnNames());
    const missing = [...want].filter((n) => !n.startsWith('winlog.event_data.') && !cols.has(n));
    expect(missing).toEqual([]);
    expect(cols.has('winlog.event_data.IntegrityLevel')).toBe(false);
    expect(allColumns().at(-1)).toBe('event_data');
  });

  it('prints DDL with quoted canonical names and per-dialect types', () => {
    expect(sqlDdl('sqlite')).toContain('"process.command_line" TEXT');
    expect(sqlDdl('sqlite')).toContain('"@timestamp" TEXT');
    expect(sqlDdl('duckdb')).toContain('"@timestamp" TIMESTAMP');
    expect(sqlDdl('postgres')).toContain('"@timestamp" TIMESTAMP');
    expect(sqlDdl('postgres')).toContain('"event_data" TEXT');
    expect(sqlDdl('spark')).toContain('`process.command_line` STRING');
    expect(sqlDdl('spark')).toContain('`@timestamp` TIMESTAMP');
    expect(() => sqlDdl('oracle')).toThrow(/unknown SQL dialect/);
  });

  it('loads canonical events: columns as text, the rest as JSON keyed by canonical name, time per dialect', async () => {
    const ev = { '@timestamp': '2024-03-01T10:00:00.5Z', 'event.code': 1, 'process.name': 'a.exe', 'winlog.event_data.IntegrityLevel': 'High', 'x.flag': true };
    const row = rowFor(ev, 'sqlite');
    const cols = allColumns();
    expect(row[cols.indexOf('@timestamp')]).toBe('2024-03-01T10:00:00.500000Z');
    expect(row[cols.indexOf('event.code')]).toBe('1');
    expect(JSON.parse(row.at(-1)!)).toEqual({ 'winlog.event_data.IntegrityLevel': 'High', 'x.flag': 'true' });
    expect(rowFor(ev, 'duckdb')[cols.indexOf('@timestamp')]).toBe('2024-03-01 10:00:00.500000');
    expect(rowFor({ '@timestamp': '2025-11-27T07:40:10.165324Z' }, 'sqlite')[cols.indexOf('@timestamp')]).toBe('2025-11-27T07:40:10.165324Z');
    expect(rowFor({ '@timestamp': 1700000000000 }, 'duckdb')[cols.indexOf('@timestamp')]).toBe('2023-11-14 22:13:20.000000');
    expect(rowFor({ '@timestamp': 'not a time' }, 'sqlite')[cols.indexOf('@timestamp')]).toBeNull();
    const lists = rowFor({ 'host.name': [], 'user.name': ['bob'], 'process.name': ['a', 'b'] });
    expect([lists[cols.indexOf('host.name')], lists[cols.indexOf('user.name')], lists[cols.indexOf('process.name')]]).toEqual([null, 'bob', '["a","b"]']);
    for (const eng of await bothEngines([ev])) {
      const rows = await eng.all('SELECT "process.name" AS p, "event.code" AS c FROM events');
      expect(rows).toEqual([{ p: 'a.exe', c: '1' }]);
    }
  });
});
