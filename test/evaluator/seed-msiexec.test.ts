/**
 * The seed rule (Windows MSIExec DLLRegisterServer) as IR built by hand, run over fixture events:
 * `(process.name = msiexec.exe OR process.pe.original_file_name = msiexec.exe) AND
 *  process.command_line IN ("* /y*", "* -y*") | stats count min(_time) max(_time) by … | ctime`.
 */
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { and, or, pred, type RuleIR } from '../../src/ir/index.js';
import { compileRules, evaluateFiles, type Match } from '../../src/evaluator/index.js';

const FILE = join(__dirname, '..', 'fixtures', 'events', 'msiexec.jsonl');

function seedRule(): RuleIR {
  const ctime = (f: string) => ({ field: f, expr: { kind: 'call' as const, fn: 'strftime', args: [{ kind: 'field' as const, name: f }, { kind: 'lit' as const, value: '%Y-%m-%dT%H:%M:%S' }] } });
  return {
    format: 'splunk',
    file: 'rules/splunk/windows_msiexec_dllregisterserver.yml',
    meta: { id: 'fdb59aef-d88f-4909-8369-ec2afbd2c398', title: 'Windows MSIExec DLLRegisterServer', references: [], tags: [], falsepositives: [] },
    query: {
      source: { category: 'process_creation', extra: { datamodel: 'Endpoint.Processes' } },
      filter: and([
        or([pred('process.name', 'eq', ['msiexec.exe']), pred('process.pe.original_file_name', 'eq', ['msiexec.exe'])]),
        pred('process.command_line', 'contains', [' /y', ' -y']),
      ]),
      stages: [
        {
          kind: 'aggregate',
          groupBy: [
            { field: 'host.name', as: 'dest' },
            { field: 'process.name', as: 'process_name' },
            { field: 'process.pe.original_file_name', as: 'original_file_name' },
            { field: 'user.name', as: 'user' },
            { field: 'process.parent.name', as: 'parent_process_name' },
          ],
          aggs: [
            { fn: 'count', as: 'count' },
            { fn: 'min', field: '@timestamp', as: 'firstTime' },
            { fn: 'max', field: '@timestamp', as: 'lastTime' },
          ],
        },
        { kind: 'eval', assign: [ctime('firstTime')] },
        { kind: 'eval', assign: [ctime('lastTime')] },
        { kind: 'filter', expr: { kind: 'const', value: true } },
      ],
    },
  };
}

describe('seed rule: Windows MSIExec DLLRegisterServer', () => {
  it('matches msiexec with " /y" and " -y" (Sysmon 1 and Security 4688), nothing else', async () => {
    const { compiled, diagnostics } = compileRules([seedRule()]);
    expect(diagnostics).toEqual([]);
    const matches: Match[] = [];
    const res = await evaluateFiles(compiled, [FILE], (m) => matches.push(m));
    // 1: /y, 2: -y, 5: renamed copy with OriginalFileName msiexec.exe and -Y, 8: Security 4688 with -y.
    // 3: no switch, 4: notepad, 6: no space before /y, 7: Sysmon 11 is not process_creation.
    expect(matches.map((m) => m.line)).toEqual([1, 2, 5, 8]);
    expect(matches.every((m) => m.rule === 'fdb59aef-d88f-4909-8369-ec2afbd2c398' && m.file === FILE)).toBe(true);
    expect(res.summary.events).toBe(8);
    expect(res.summary.matches).toEqual({ 'fdb59aef-d88f-4909-8369-ec2afbd2c398': 4 });
    expect(res.diagnostics.map((d) => [d.code, d.line])).toEqual([['RB501', 9]]);
  });

  it('aggregates count, firstTime and lastTime per group, in group order', async () => {
    const { compiled } = compileRules([seedRule()]);
    const res = await evaluateFiles(compiled, [FILE], () => {});
    expect(res.aggregates).toEqual([
      {
        rule: 'fdb59aef-d88f-4909-8369-ec2afbd2c398',
        group: { dest: 'WKS-01', process_name: 'msiexec.exe', original_file_name: null, user: 'CONTOSO\\alice', parent_process_name: null },
        values: { count: 1, firstTime: '2026-11-02T09:30:00', lastTime: '2026-11-02T09:30:00' },
      },
      {
        rule: 'fdb59aef-d88f-4909-8369-ec2afbd2c398',
        group: { dest: 'WKS-01', process_name: 'msiexec.exe', original_file_name: 'msiexec.exe', user: 'CONTOSO\\alice', parent_process_name: 'cmd.exe' },
        values: { count: 2, firstTime: '2026-11-02T09:15:01', lastTime: '2026-11-02T09:20:44' },
      },
      {
        rule: 'fdb59aef-d88f-4909-8369-ec2afbd2c398',
        group: { dest: 'WKS-02', process_name: 'inst.exe', original_file_name: 'msiexec.exe', user: 'CONTOSO\\alice', parent_process_name: 'cmd.exe' },
        values: { count: 1, firstTime: '2026-11-02T10:06:00', lastTime: '2026-11-02T10:06:00' },
      },
    ]);
  });

  it('the IN-list of globs ("* /y*", "* -y*") matches the same events as contains', async () => {
    const r = seedRule();
    const f = r.query.filter;
    if (f.kind !== 'and') throw new Error('fixture');
    f.args[1] = pred('process.command_line', 'wildcard', ['* /y*', '* -y*']);
    const { compiled } = compileRules([r]);
    const lines: number[] = [];
    await evaluateFiles(compiled, [FILE], (m) => lines.push(m.line));
    expect(lines).toEqual([1, 2, 5, 8]);
  });

  it('groups by host and process name only: one row per host', async () => {
    const r = seedRule();
    const agg = r.query.stages[0]!;
    if (agg.kind !== 'aggregate') throw new Error('fixture');
    agg.groupBy = [{ field: 'host.name', as: 'dest' }];
    const { compiled } = compileRules([r]);
    const res = await evaluateFiles(compiled, [FILE], () => {});
    expect(res.aggregates.map((a) => [a.group, a.values])).toEqual([
      [{ dest: 'WKS-01' }, { count: 3, firstTime: '2026-11-02T09:15:01', lastTime: '2026-11-02T09:30:00' }],
      [{ dest: 'WKS-02' }, { count: 1, firstTime: '2026-11-02T10:06:00', lastTime: '2026-11-02T10:06:00' }],
    ]);
  });
});
