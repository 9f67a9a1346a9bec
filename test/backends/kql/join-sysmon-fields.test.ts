/**
 * The SysmonEvent fields the Sentinel fallback of the process-GUID joins reads (Defender has no
 * process GUID): the registry key and value name split from TargetObject, the file creation
 * time, and CIM action values from the Sysmon event id. The rendered splits are replayed over
 * sample paths (the value name against the evaluator's registry.value); every rewrite that is
 * not exact warns RB404 at the field.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { render } from '../../../src/backends/index.js';
import { pred, TRUE, type Aggregate, type Join, type LogSource, type Stage } from '../../../src/ir/index.js';
import { loadEvents, SYSMON, writeEvents } from '../../helpers/events.js';
import { KUSTO_SKIP, kustoErrors, kustoStringValue } from '../../helpers/kusto.js';
import { at, rule } from './rule.js';

const by = (...fields: [string, string][]): Aggregate => ({ kind: 'aggregate', groupBy: fields.map(([field, as]) => ({ field, as })), aggs: [{ fn: 'count', as: 'n' }], origin: at(3, 7) });
const sentinel = (source: LogSource, stages: Stage[], filter = TRUE) => render(rule(filter, stages, source), 'kql', { dialect: 'sentinel' });
const valid = (r: ReturnType<typeof sentinel>): string => {
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  return r.query!;
};
const warnings = (r: ReturnType<typeof sentinel>) => r.diagnostics.filter((d) => d.code === 'RB404' && d.message.includes('field ')).map((d) => [d.message.slice(0, d.message.indexOf(' is rendered')), d.line, d.column]);
const registry: LogSource = { product: 'windows', category: 'registry_event' };

// TargetObject as Sysmon writes it: a value event names the key and the value; a key event the key.
const PATHS: [string, string, string, string][] = [
  // TargetObject, EventType, the key, the value name
  ['HKLM\\SOFTWARE\\Remcos-x\\exepath', 'SetValue', 'HKLM\\SOFTWARE\\Remcos-x', 'exepath'],
  ['HKU\\S-1-5-21\\Software\\Remcos', 'CreateKey', 'HKU\\S-1-5-21\\Software\\Remcos', 'Remcos'],
  ['HKLM\\SOFTWARE\\A\\B', 'DeleteKey', 'HKLM\\SOFTWARE\\A\\B', 'B'],
  ['HKLM\\SOFTWARE\\A\\B/C', 'DeleteValue', 'HKLM\\SOFTWARE\\A\\B', 'C'],
  ['HKLM\\SOFTWARE\\A\\', 'SetValue', 'HKLM\\SOFTWARE\\A', ''],
];

describe('SysmonEvent registry fields split from TargetObject', () => {
  const r = sentinel(registry, [by(['registry.key', 'key'], ['registry.value', 'value'], ['registry.path', 'path'])]);
  const q = valid(r);
  const value = new RegExp(kustoStringValue(/value = extract\(('(?:[^'\\]|\\.)*'), 0, TargetObject\)/.exec(q)![1]!));
  const keyParts = /key = iff\(EventType in \(([^)]*)\), TargetObject, extract\(('(?:[^'\\]|\\.)*'), 1, TargetObject\)\)/.exec(q)!;
  const keyEvents = keyParts[1]!.split(', ').map(kustoStringValue);
  const key = new RegExp(kustoStringValue(keyParts[2]!));
  const keyOf = (path: string, type: string) => (keyEvents.includes(type) ? path : key.exec(path)?.[1] ?? '');

  it('both are inexact rewrites: RB404 at the stats', () => {
    expect(warnings(r)).toEqual([["kql (sentinel): field 'registry.key'", 3, 7], ["kql (sentinel): field 'registry.value'", 3, 7]]);
    expect(keyEvents).toEqual(['CreateKey', 'DeleteKey', 'RenameKey']);
  });
  it.each(PATHS)('%s (%s)', (path, type, wantKey, wantValue) => {
    expect(keyOf(path, type)).toBe(wantKey);
    expect(value.exec(path)![0]).toBe(wantValue);
  });
  it("the value name is the evaluator's registry.value of the same event", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-kql-sysmon-fields-'));
    const file = writeEvents(dir, 'reg.jsonl', PATHS.map(([path, type], i) => ({ EventID: 13, Channel: SYSMON, Computer: 'h', SystemTime: '2026-01-01T00:00:00.000000Z', EventRecordID: i + 1, Image: 'C:\\w\\a.exe', EventType: type, TargetObject: path })));
    const { events } = await loadEvents([file]);
    expect(events.map((e) => e.event['registry.value'])).toEqual(PATHS.map(([path]) => value.exec(path)![0]));
  });
});

describe('SysmonEvent file creation time and CIM actions', () => {
  it('file.created is the CreationUtcTime column, exact', () => {
    const r = sentinel({ product: 'windows', category: 'file_event' }, [by(['file.created', 'file_create_time'])]);
    expect(valid(r)).toContain('by file_create_time = CreationUtcTime');
    expect(warnings(r)).toEqual([]);
  });
  it.each<[string, string, string]>([
    ['process_creation', "iff(EventID == 1, 'allowed', '')", 'allowed'],
    ['file_event', "iff(EventID == 11, 'created', '')", 'created'],
    ['file_change', "iff(EventID == 2, 'modified', '')", 'modified'],
    ['file_delete', "iff(EventID == 23, 'deleted', '')", 'deleted'],
  ])('%s: the action from the event id, with RB404', (category, expr, value) => {
    const r = sentinel({ product: 'windows', category }, [], { ...pred('event.action', 'eq', [value]), origin: at(2, 9) });
    expect(valid(r)).toContain(`${expr} =~ '${value}'`);
    expect(warnings(r)).toEqual([["kql (sentinel): field 'event.action'", 2, 9]]);
  });
  it("a registry event's action is Sysmon's EventType, which CIM values never equal: RB404", () => {
    const r = sentinel(registry, [], { ...pred('event.action', 'eq', ['deleted']), origin: at(2, 9) });
    expect(valid(r)).toContain("EventType =~ 'deleted'");
    expect(warnings(r)).toEqual([["kql (sentinel): field 'event.action'", 2, 9]]);
    expect(r.diagnostics.find((d) => d.code === 'RB404' && d.message.includes('event.action'))!.message).toContain('never equals one');
  });
});

describe('a process-GUID join of registry events to process creations falls back to SysmonEvent', () => {
  it('unified: Defender has no GUID, Sentinel joins on ProcessGuid', () => {
    const sub = by(['process.entity_id', 'process_guid'], ['process.name', 'process_name']);
    const j: Join = { kind: 'join', type: 'inner', on: ['process_guid'], overwrite: true, query: { source: { product: 'windows', category: 'process_creation' }, filter: TRUE, stages: [sub] }, origin: at(6, 4) };
    const stages: Stage[] = [by(['process.entity_id', 'process_guid'], ['registry.key', 'key']), j];
    const u = render(rule(TRUE, stages, registry), 'kql', { dialect: 'unified' });
    expect(u.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(u.query).toContain('on $left.process_guid == $right.JoinRight');
    expect(u.query).toContain('process_guid = ProcessGuid');
    expect(render(rule(TRUE, stages, registry), 'kql', { dialect: 'defender' }).diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column])).toEqual([['RB403', 6, 4]]);
  });
});
