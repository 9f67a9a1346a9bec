/** Stages after the filter: aggregate functions, span, having, eval, rename, project, dedup, sort, head, fillnull, extract. */
import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { pred, TRUE, type Expr, type LogSource, type RuleIR, type Stage } from '../../src/ir/index.js';
import { compileRules, evaluateFiles, type Match } from '../../src/evaluator/index.js';
import { strftime } from '../../src/evaluator/strftime.js';
import { SYSMON, sysmonProc, writeEvents } from '../helpers/events.js';

const dir = mkdtempSync(join(tmpdir(), 'rb-stages-'));
const file = (name: string, events: Record<string, unknown>[]): string => writeEvents(dir, name, events);
const proc = sysmonProc;
const EVENTS = file('procs.jsonl', [
  proc(1, 'h1', 'C:\\a\\x.exe', '2026-01-01T00:10:00.000000Z', { CommandLine: 'x.exe user=alice id=7' }),
  proc(2, 'h1', 'C:\\a\\y.exe', '2026-01-01T00:50:00.000000Z', { CommandLine: 'y.exe user=bob id=8' }),
  proc(3, 'h2', 'C:\\a\\x.exe', '2026-01-01T01:05:00.000000Z', { CommandLine: 'x.exe' }),
  proc(4, 'h1', 'C:\\a\\x.exe', '2026-01-01T01:20:00.000000Z'),
  { EventID: 4104, Channel: 'Microsoft-Windows-PowerShell/Operational', Computer: 'h3', SystemTime: '2026-01-01T02:00:00Z', ScriptBlockText: 'IEX x' },
]);

function rule(stages: Stage[], filter: Expr = TRUE, source: LogSource = { category: 'process_creation' }): RuleIR {
  return { format: 'sigma', file: 'r.yml', meta: { id: 'r1', title: 't', references: [], tags: [], falsepositives: [] }, query: { source, filter, stages } };
}
async function evalRule(r: RuleIR, files = [EVENTS]) {
  const { compiled, diagnostics } = compileRules([r]);
  const matches: Match[] = [];
  const res = await evaluateFiles(compiled, files, (m) => matches.push(m));
  return { ...res, matches, compileDiagnostics: diagnostics };
}

describe('aggregate', () => {
  it('computes count, dc, values, list, sum, avg, min, max, earliest, latest, range by a group', async () => {
    const res = await evalRule(rule([{
      kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }],
      aggs: [
        { fn: 'count', as: 'n' }, { fn: 'dc', field: 'process.name', as: 'names' }, { fn: 'values', field: 'process.name', as: 'vals' },
        { fn: 'list', field: 'process.pid', as: 'pids' }, { fn: 'sum', field: 'process.pid', as: 'sum' }, { fn: 'avg', field: 'process.pid', as: 'avg' },
        { fn: 'min', field: 'process.pid', as: 'minpid' }, { fn: 'max', field: 'process.pid', as: 'maxpid' },
        { fn: 'earliest', field: 'process.name', as: 'first_name' }, { fn: 'latest', field: 'process.name', as: 'last_name' },
        { fn: 'range', field: 'process.pid', as: 'range' }, { fn: 'count', field: 'process.command_line', as: 'with_cmd' },
        { fn: 'count', as: 'x_only', where: pred('process.name', 'eq', ['x.exe']) },
      ],
    }]));
    expect(res.aggregates.map((a) => [a.group, a.values])).toEqual([
      [{ dest: 'h1' }, { n: 3, names: 2, vals: ['x.exe', 'y.exe'], pids: [101, 102, 104], sum: 307, avg: 307 / 3, minpid: 101, maxpid: 104, first_name: 'x.exe', last_name: 'x.exe', range: 3, with_cmd: 2, x_only: 2 }],
      [{ dest: 'h2' }, { n: 1, names: 1, vals: ['x.exe'], pids: [103], sum: 103, avg: 103, minpid: 103, maxpid: 103, first_name: 'x.exe', last_name: 'x.exe', range: 0, with_cmd: 1, x_only: 1 }],
    ]);
    expect(res.matches).toHaveLength(4);
  });

  it('buckets time with span and filters groups after the aggregate (having)', async () => {
    const res = await evalRule(rule([
      { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'count', as: 'count' }], span: { field: '@timestamp', seconds: 3600, as: '_time' } },
      { kind: 'filter', expr: pred('count', 'ge', [2]) },
    ]));
    expect(res.aggregates).toEqual([{ rule: 'r1', group: { dest: 'h1', _time: '2026-01-01T00:00:00.000000Z' }, values: { count: 2 } }]);
  });

  it('with no group-by and no rows still returns one row (count 0)', async () => {
    const res = await evalRule(rule([{ kind: 'aggregate', groupBy: [], aggs: [{ fn: 'count', as: 'count' }] }], pred('process.name', 'eq', ['none.exe'])));
    expect(res.aggregates).toEqual([{ rule: 'r1', group: {}, values: { count: 0 } }]);
  });

  it('renames after the aggregate keep track of the group columns', async () => {
    const res = await evalRule(rule([
      { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'Processes.dest' }], aggs: [{ fn: 'count', as: 'count' }] },
      { kind: 'rename', pairs: [{ from: 'Processes.*', to: '*' }] },
      { kind: 'rename', pairs: [{ from: 'count', to: 'hits' }] },
    ]));
    expect(res.aggregates.map((a) => [a.group, a.values])).toEqual([[{ dest: 'h1' }, { hits: 3 }], [{ dest: 'h2' }, { hits: 1 }]]);
  });

  it('eval strftime formats epoch seconds and ISO times; of a missing field it makes no field', async () => {
    const res = await evalRule(rule([
      { kind: 'aggregate', groupBy: [], aggs: [{ fn: 'min', field: '@timestamp', as: 'firstTime' }] },
      { kind: 'eval', assign: [
        { field: 'firstTime', expr: { kind: 'call', fn: 'strftime', args: [{ kind: 'field', name: 'firstTime' }, { kind: 'lit', value: '%Y-%m-%dT%H:%M:%S' }] } },
        { field: 'epoch', expr: { kind: 'call', fn: 'strftime', args: [{ kind: 'lit', value: 1767225600 }, { kind: 'lit', value: '%Y-%m-%dT%H:%M:%S' }] } },
        { field: 'none', expr: { kind: 'call', fn: 'strftime', args: [{ kind: 'field', name: 'nope' }, { kind: 'lit', value: '%Y' }] } },
      ] },
    ]));
    expect(res.aggregates[0]!.values).toEqual({ firstTime: '2026-01-01T00:10:00', epoch: '2026-01-01T00:00:00' });
    expect(strftime('2026-01-01T00:10:00.123456Z', '%d/%b/%Y %H:%M:%S.%3N %Z')).toBe('01/Jan/2026 00:10:00.123 UTC');
  });

  it('sort, head, project and fillnull on the output table', async () => {
    const res = await evalRule(rule([
      { kind: 'aggregate', groupBy: [{ field: 'process.name', as: 'name' }, { field: 'process.command_line', as: 'cmd' }], aggs: [{ fn: 'count', as: 'count' }] },
      { kind: 'fillnull', fields: ['cmd'], value: 'unknown' },
      { kind: 'sort', keys: [{ field: 'count', desc: true }, { field: 'name', desc: false }] },
      { kind: 'head', n: 2 },
      { kind: 'project', fields: ['name', 'count', 'cmd'], mode: 'keep' },
    ]));
    expect(res.aggregates.map((a) => [a.group, a.values])).toEqual([
      [{ name: 'x.exe', cmd: 'unknown' }, { count: 1 }],
      [{ name: 'x.exe', cmd: 'x.exe' }, { count: 1 }],
    ]);
  });
});

describe('per-event stages', () => {
  it('dedup keeps the first event per key', async () => {
    const res = await evalRule(rule([{ kind: 'dedup', fields: ['host.name'] }]));
    expect(res.matches.map((m) => m.line)).toEqual([1, 3]);
  });
  it('extract (rex) makes fields a later filter can test; eval and where work per event', async () => {
    const res = await evalRule(rule([
      { kind: 'extract', field: 'process.command_line', pattern: 'user=(?<user>\\w+) id=(?P<id>\\d+)', names: ['user', 'id'] },
      { kind: 'eval', assign: [{ field: 'id2', expr: { kind: 'binary', op: '*', left: { kind: 'field', name: 'id' }, right: { kind: 'lit', value: 2 } } }] },
      { kind: 'filter', expr: pred('id2', 'eq', [16]) },
    ]));
    expect(res.matches.map((m) => m.line)).toEqual([2]);
  });
  it('sort then head without an aggregate keeps the sorted first rows', async () => {
    const res = await evalRule(rule([{ kind: 'sort', keys: [{ field: '@timestamp', desc: true }] }, { kind: 'head', n: 2 }]));
    expect(res.matches.map((m) => m.line)).toEqual([4, 3]);
  });
  it('stages do not leak changes into the shared event seen by other rules', async () => {
    const a = rule([{ kind: 'eval', assign: [{ field: 'process.name', expr: { kind: 'lit', value: 'changed' } }] }]);
    const b = { ...rule([], pred('process.name', 'eq', ['x.exe'])), meta: { ...a.meta, id: 'r2' } };
    const { compiled } = compileRules([a, b]);
    const res = await evaluateFiles(compiled, [EVENTS], () => {});
    expect(res.summary.matches).toEqual({ r1: 4, r2: 3 });
  });
});

describe('log source', () => {
  it('selects by service (channel), case-insensitively', async () => {
    const ps = file('ps.jsonl', [{ EventID: 4104, Channel: 'microsoft-windows-powershell/operational', Computer: 'h', ScriptBlockText: 'IEX (New-Object Net.WebClient)' }]);
    const res = await evalRule(rule([], pred('winlog.event_data.ScriptBlockText', 'contains', ['iex']), { product: 'windows', service: 'powershell' }), [EVENTS, ps]);
    expect(res.matches.map((m) => [m.file, m.line])).toEqual([[EVENTS, 5], [ps, 1]]);
  });
  it('an unknown category is RB504 at the log source origin, and the rule is not run', () => {
    const { compiled, diagnostics } = compileRules([rule([], TRUE, { product: 'windows', category: 'process_creations', origin: { file: 'r.yml', line: 4, column: 3 } })]);
    expect(compiled).toEqual([]);
    expect(diagnostics.map((d) => [d.code, d.file, d.line, d.column])).toEqual([['RB504', 'r.yml', 4, 3]]);
  });
  it('a non-Windows product is RB504', () => {
    const { diagnostics } = compileRules([rule([], TRUE, { product: 'linux', category: 'process_creation', origin: { file: 'r.yml', line: 5, column: 5 } })]);
    expect(diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB504', 5, 5]]);
  });
  it('an unknown function in eval is RB504 at its origin', () => {
    const { diagnostics } = compileRules([rule([{ kind: 'eval', assign: [{ field: 'x', expr: { kind: 'call', fn: 'nosuch', args: [], origin: { file: 'r.yml', line: 9, column: 14 } } }] }])]);
    expect(diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB504', 9, 14]]);
  });
});

describe('ECS events without a channel', () => {
  it('are selected by event.category/event.type for a category rule', async () => {
    const f = file('ecs.jsonl', [
      { '@timestamp': '2026-01-01T00:00:00Z', event: { category: ['process'], type: ['start'] }, process: { executable: '/usr/bin/curl', command_line: 'curl http://x' }, host: { name: 'h' } },
      { '@timestamp': '2026-01-01T00:00:01Z', event: { category: ['network'], type: ['connection'] }, process: { executable: '/usr/bin/curl' } },
    ]);
    const res = await evalRule(rule([], pred('process.name', 'eq', ['curl'])), [f]);
    expect(res.matches.map((m) => m.line)).toEqual([1]);
  });
});

describe('limits', () => {
  it('a row that splits into too many groups is truncated with RB505 at the aggregate', async () => {
    const many = Array.from({ length: 200 }, (_, i) => `v${i}`);
    const f = file('lists.jsonl', [{ EventID: 1, Channel: SYSMON, Computer: 'h', Data: many }]);
    const res = await evalRule(rule([{
      kind: 'aggregate', groupBy: [{ field: 'winlog.event_data.Data', as: 'a' }, { field: 'winlog.event_data.Data', as: 'b' }],
      aggs: [{ fn: 'count', as: 'count' }], origin: { file: 'r.yml', line: 6, column: 3 },
    }]), [f]);
    expect(res.aggregates).toHaveLength(10_000);
    expect(res.diagnostics.map((d) => [d.code, d.file, d.line, d.column])).toEqual([['RB505', 'r.yml', 6, 3]]);
  });
});

describe('earliest and latest after an aggregate', () => {
  it('order the rows by their _time column (the span bucket), not by key order', async () => {
    // Buckets: h1 at 00:00 (x.exe, y.exe), h1 at 01:00 (x.exe, x.exe); h2 at 01:00.
    const res = await evalRule(rule([
      { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }, { field: 'process.executable', as: 'exe' }], aggs: [{ fn: 'count', as: 'n' }], span: { field: '@timestamp', seconds: 3600, as: '_time' } },
      { kind: 'aggregate', groupBy: [{ field: 'dest', as: 'dest' }], aggs: [{ fn: 'latest', field: 'exe', as: 'last' }, { fn: 'earliest', field: 'exe', as: 'first' }] },
    ]));
    expect(res.aggregates.map((a) => [a.group, a.values])).toEqual([
      [{ dest: 'h1' }, { last: 'C:\\a\\x.exe', first: 'C:\\a\\x.exe' }],
      [{ dest: 'h2' }, { last: 'C:\\a\\x.exe', first: 'C:\\a\\x.exe' }],
    ]);
  });
});
