/**
 * The seed rule (Windows MSIExec DLLRegisterServer), its IR built by hand: the filter, a tstats
 * count/min/max by the CIM fields (aliases as after drop_dm_object_name), then ctime of
 * firstTime and lastTime. It runs in SQLite and DuckDB and gives count/firstTime/lastTime per group.
 */
import { beforeAll, describe, it, expect } from 'vitest';
import { and, loadMapping, or, pred, type Stage } from '../../../src/ir/index.js';
import { bothEngines, type Engine } from './engines.js';
import { ruleOf, sqlOf } from './rules.js';

const CIM = loadMapping<{ datamodels: Record<string, { fields: Record<string, string> }> }>('cim').datamodels['Endpoint.Processes']!.fields;
const BY = ['action', 'dest', 'original_file_name', 'parent_process', 'parent_process_exec', 'parent_process_guid', 'parent_process_id',
  'parent_process_name', 'parent_process_path', 'process', 'process_exec', 'process_guid', 'process_hash', 'process_id',
  'process_integrity_level', 'process_name', 'process_path', 'user', 'user_id', 'vendor_product'];
const FMT = '%Y-%m-%dT%H:%M:%S';

export const SEED_FILTER = and([
  or([pred('process.name', 'eq', ['msiexec.exe']), pred('process.pe.original_file_name', 'eq', ['msiexec.exe'])]),
  pred('process.command_line', 'contains', [' /y', ' -y']),
]);
export const SEED_STAGES: Stage[] = [
  {
    kind: 'aggregate',
    groupBy: BY.map((f) => ({ field: CIM[f]!, as: f })),
    aggs: [{ fn: 'count', as: 'count' }, { fn: 'min', field: '@timestamp', as: 'firstTime' }, { fn: 'max', field: '@timestamp', as: 'lastTime' }],
  },
  { kind: 'eval', assign: [{ field: 'firstTime', expr: { kind: 'call', fn: 'strftime', args: [{ kind: 'field', name: 'firstTime' }, { kind: 'lit', value: FMT }] } }] },
  { kind: 'eval', assign: [{ field: 'lastTime', expr: { kind: 'call', fn: 'strftime', args: [{ kind: 'field', name: 'lastTime' }, { kind: 'lit', value: FMT }] } }] },
];
export const SEED = ruleOf(SEED_FILTER, SEED_STAGES, { product: 'windows', category: 'process_creation' });

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const base = { 'winlog.channel': SYSMON, 'event.code': 1, 'host.name': 'HOST-A', 'user.name': 'bob', 'process.pe.original_file_name': 'msiexec.exe', 'process.parent.name': 'cmd.exe', 'winlog.event_data.IntegrityLevel': 'High' };
const EVENTS = [
  { ...base, 'winlog.record_id': 1, '@timestamp': '2024-01-01T10:00:00.000Z', 'process.name': 'msiexec.exe', 'process.command_line': 'msiexec.exe /y C:\\x.dll' },
  { ...base, 'winlog.record_id': 2, '@timestamp': '2024-01-01T10:05:30.250Z', 'process.name': 'msiexec.exe', 'process.command_line': 'msiexec.exe /y C:\\x.dll' },
  { ...base, 'winlog.record_id': 3, '@timestamp': '2024-01-01T11:00:00.000Z', 'host.name': 'HOST-B', 'process.name': 'MSIEXEC.EXE', 'process.command_line': 'MsiExec -Y x', 'process.pe.original_file_name': null },
  // renamed binary: caught by its original file name
  { ...base, 'winlog.record_id': 4, '@timestamp': '2024-01-02T00:00:01.000Z', 'host.name': 'HOST-C', 'process.name': 'notepad.exe', 'process.command_line': 'notepad.exe /y', 'winlog.event_data.IntegrityLevel': undefined },
  // the Security channel (4688), spelled in lower case by some renderers
  { ...base, 'winlog.channel': 'security', 'event.code': '4688', 'winlog.record_id': 5, '@timestamp': '2024-01-03T09:00:00.000Z', 'host.name': 'HOST-D', 'process.name': 'msiexec.exe', 'process.command_line': 'msiexec -y a' },
  // no match: no switch, switch without a leading space, another event id, another channel
  { ...base, 'winlog.record_id': 6, '@timestamp': '2024-01-01T10:00:00.000Z', 'process.name': 'msiexec.exe', 'process.command_line': 'msiexec.exe /i a.msi' },
  { ...base, 'winlog.record_id': 7, '@timestamp': '2024-01-01T10:00:00.000Z', 'process.name': 'msiexec.exe', 'process.command_line': 'msiexec.exe/y' },
  { ...base, 'event.code': 3, 'winlog.record_id': 8, '@timestamp': '2024-01-01T10:00:00.000Z', 'process.name': 'msiexec.exe', 'process.command_line': 'msiexec.exe /y' },
  { ...base, 'winlog.channel': 'System', 'winlog.record_id': 9, '@timestamp': '2024-01-01T10:00:00.000Z', 'process.name': 'msiexec.exe', 'process.command_line': 'msiexec.exe /y' },
];

let engines: Engine[] = [];
beforeAll(async () => { engines = await bothEngines(EVENTS); });

describe('seed rule in SQL', () => {
  it('gives count, firstTime and lastTime per group in SQLite and DuckDB', async () => {
    for (const eng of engines) {
      const rows = await eng.all(sqlOf(SEED, eng.name));
      const got = rows.map((r) => [r['dest'], r['process_name'], r['process_integrity_level'], r['count'], r['firstTime'], r['lastTime']]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      expect({ eng: eng.name, got }).toEqual({
        eng: eng.name,
        got: [
          ['HOST-A', 'msiexec.exe', 'High', 2, '2024-01-01T10:00:00', '2024-01-01T10:05:30'],
          ['HOST-B', 'MSIEXEC.EXE', 'High', 1, '2024-01-01T11:00:00', '2024-01-01T11:00:00'],
          ['HOST-C', 'notepad.exe', null, 1, '2024-01-02T00:00:01', '2024-01-02T00:00:01'],
          ['HOST-D', 'msiexec.exe', 'High', 1, '2024-01-03T09:00:00', '2024-01-03T09:00:00'],
        ],
      });
      expect(Object.keys(rows[0]!)).toEqual([...BY, 'count', 'firstTime', 'lastTime']);
    }
  });

  it('renders the documented shape', () => {
    const sql = sqlOf(SEED, 'sqlite');
    expect(sql).toContain('COUNT(*) AS "count", MIN("@timestamp") AS "firstTime", MAX("@timestamp") AS "lastTime"');
    expect(sql).toContain('"host.name" AS "dest"');
    expect(sql).toContain(`json_extract("event_data", '$."winlog.event_data.IntegrityLevel"') AS "process_integrity_level"`);
    expect(sql).toContain(`strftime('%Y-%m-%dT%H:%M:%S', "firstTime") AS "firstTime"`);
    expect(sql).toMatch(/WHERE \(\(lower\("winlog.channel"\) = lower\('Microsoft-Windows-Sysmon\/Operational'\) AND "event.code" = '1'\) OR/);
  });
});
