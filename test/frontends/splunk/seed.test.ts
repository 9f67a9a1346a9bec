import { describe, it, expect } from 'vitest';
import type { Query } from '../../../src/ir/index.js';
import { fromFixture, noOrigins } from './load.js';

const BY = [
  ['action', 'event.action'], ['dest', 'host.name'], ['original_file_name', 'process.pe.original_file_name'],
  ['parent_process', 'process.parent.command_line'], ['parent_process_exec', 'process.parent.name'],
  ['parent_process_guid', 'process.parent.entity_id'], ['parent_process_id', 'process.parent.pid'],
  ['parent_process_name', 'process.parent.name'], ['parent_process_path', 'process.parent.executable'],
  ['process', 'process.command_line'], ['process_exec', 'process.name'], ['process_guid', 'process.entity_id'],
  ['process_hash', 'process.hash.sha256'], ['process_id', 'process.pid'],
  ['process_integrity_level', 'winlog.event_data.IntegrityLevel'], ['process_name', 'process.name'],
  ['process_path', 'process.executable'], ['user', 'user.name'], ['user_id', 'user.id'], ['vendor_product', 'observer.product'],
];

const ctime = (f: string) => ({
  kind: 'eval',
  assign: [{ field: f, expr: { kind: 'call', fn: 'strftime', args: [{ kind: 'field', name: f }, { kind: 'lit', value: '%Y-%m-%dT%H:%M:%S' }] } }],
});

const EXPECTED: Query = {
  source: { product: 'windows', category: 'process_creation', extra: { datamodel: 'Endpoint.Processes' } },
  filter: {
    kind: 'and',
    args: [
      {
        kind: 'or',
        args: [
          { kind: 'pred', field: 'process.name', op: 'eq', values: ['msiexec.exe'], caseSensitive: false, quantifier: 'any' },
          { kind: 'pred', field: 'process.pe.original_file_name', op: 'eq', values: ['msiexec.exe'], caseSensitive: false, quantifier: 'any' },
        ],
      },
      { kind: 'pred', field: 'process.command_line', op: 'contains', values: [' /y', ' -y'], caseSensitive: false, quantifier: 'any' },
    ],
  },
  stages: [
    {
      kind: 'aggregate',
      // drop_dm_object_name folded into the aliases: `Processes.dest` shows as `dest`.
      groupBy: BY.map(([as, field]) => ({ field: field!, as: as! })),
      aggs: [
        { fn: 'count', as: 'count' },
        { fn: 'min', field: '@timestamp', as: 'firstTime' },
        { fn: 'max', field: '@timestamp', as: 'lastTime' },
      ],
    },
    ctime('firstTime') as Query['stages'][number],
    ctime('lastTime') as Query['stages'][number],
  ],
};

describe('seed rule: Windows MSIExec DLLRegisterServer (2026 format)', () => {
  const r = fromFixture('windows_msiexec_dllregisterserver.yml');

  it('lowers with no diagnostics', () => {
    expect(r.diagnostics).toEqual([]);
    expect(r.rule).toBeDefined();
  });

  it('lowers to exactly the expected IR', () => {
    expect(noOrigins(r.rule!.query)).toEqual(EXPECTED);
  });

  it('keeps positions in the .yml: macro text at its call site, the rest at its own token', () => {
    const f = r.rule!.query.filter as Extract<Query['filter'], { kind: 'and' }>;
    const macroOr = f.args[0] as Extract<Query['filter'], { kind: 'or' }>;
    // `process_msiexec` is called at line 16, column 13 (its backquote).
    expect(macroOr.args.map((a) => [a.origin?.line, a.origin?.column])).toEqual([[16, 13], [16, 13]]);
    expect([f.args[1]!.origin?.line, f.args[1]!.origin?.column]).toEqual([16, 31]);
    const st = r.rule!.query.stages;
    expect([st[0]!.origin?.line, st[0]!.origin?.column]).toEqual([15, 7]);
    expect([st[1]!.origin?.line, st[1]!.origin?.column]).toEqual([25, 7]);
    expect([st[2]!.origin?.line, st[2]!.origin?.column]).toEqual([26, 7]);
    expect(r.rule!.query.source.origin?.line).toBe(15);
  });

  it('maps the metadata', () => {
    expect(r.rule!.meta).toMatchObject({
      id: 'fdb59aef-d88f-4909-8369-ec2afbd2c398',
      title: 'Windows MSIExec DLLRegisterServer',
      author: 'Michael Haag, Splunk',
      date: '2022-06-17',
      modified: '2026-05-13',
      status: 'production',
      level: 'medium',
      tags: ['attack.t1218.007'],
      dataSources: ['Sysmon EventID 1', 'Windows Event Log Security 4688', 'CrowdStrike ProcessRollup2'],
    });
    expect(r.rule!.meta.falsepositives[0]).toMatch(/^This analytic will need to be tuned/);
    expect(r.rule!.meta.references).toHaveLength(2);
  });
});
