/**
 * Correlations (Query.inputs: the union of several rules' events, tagged with rule.name, with
 * aliases) followed by an aggregate and a threshold, run in SQLite and DuckDB.
 */
import { describe, it, expect } from 'vitest';
import { pred, TRUE, type QueryInput, type RuleIR, type Stage } from '../../../src/ir/index.js';
import { bothEngines } from './engines.js';
import { ruleOf, sqlOf } from './rules.js';

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const ev = (t: string, user: string, exe: string, extra: Record<string, unknown> = {}) => ({
  '@timestamp': `2026-01-10T${t}:00Z`, 'winlog.channel': SYSMON, 'event.code': '1', 'user.name': user, 'process.executable': exe, ...extra,
});
const EVENTS = [
  ev('10:01', 'alice', 'C:\\Windows\\whoami.exe'),
  ev('10:02', 'alice', 'C:\\Windows\\WHOAMI.EXE'),
  ev('10:03', 'alice', 'C:\\Windows\\whoami.exe'),
  ev('10:04', 'alice', 'C:\\Windows\\net.exe', { 'winlog.event_data.TargetUser': 'carol' }),
  ev('10:12', 'alice', 'C:\\Windows\\whoami.exe'), // the next ten-minute bin
  ev('10:05', 'bob', 'C:\\Windows\\whoami.exe'),
  ev('10:06', 'bob', 'C:\\Windows\\whoami.exe'),
  { '@timestamp': '2026-01-10T10:07:00Z', 'winlog.channel': 'Security', 'event.code': '4688', 'user.name': 'bob', 'process.executable': 'C:\\x\\whoami.exe' },
  ev('10:08', 'dave', 'C:\\Windows\\ipconfig.exe', { 'winlog.event_data.TargetUser': 'alice' }),
];

const input = (name: string, exe: string, aliases: QueryInput['aliases'] = []): QueryInput => ({
  name, source: { product: 'windows', category: 'process_creation' }, filter: pred('process.executable', 'endswith', [exe]), aliases,
});
const corr = (inputs: QueryInput[], stages: Stage[]): RuleIR => ({ ...ruleOf(TRUE, stages), query: { source: {}, filter: TRUE, stages, inputs } });
const SPAN = { field: '@timestamp', seconds: 600, as: '_time' };

async function rows(rule: RuleIR): Promise<Record<string, unknown>[][]> {
  const out: Record<string, unknown>[][] = [];
  for (const eng of await bothEngines(EVENTS)) {
    const r = await eng.all(sqlOf(rule, eng.name));
    out.push(r.map((x) => ({ ...x, _time: String(x._time).slice(0, 16).replace(' ', 'T') })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
  }
  return out;
}

describe('sql correlations', () => {
  it('event_count: a count per user and ten-minute bin over the tagged events, with a threshold', async () => {
    const rule = corr([input('recon_whoami', '\\whoami.exe')], [
      { kind: 'aggregate', groupBy: [{ field: 'user.name', as: 'user.name' }], aggs: [{ fn: 'count', as: 'event_count' }], span: SPAN },
      { kind: 'filter', expr: pred('event_count', 'ge', [3]) },
    ]);
    // bob's third run is a Security 4688 event: process_creation reads it too
    for (const r of await rows(rule)) expect(r).toEqual([
      { _time: '2026-01-10T10:00', 'user.name': 'alice', event_count: 3 },
      { _time: '2026-01-10T10:00', 'user.name': 'bob', event_count: 3 },
    ]);
  });
  it('temporal: several of the rules matched per user (distinct rule.name), and each row knows its rule', async () => {
    const rule = corr([input('recon_whoami', '\\whoami.exe'), input('recon_net', '\\net.exe')], [
      { kind: 'aggregate', groupBy: [{ field: 'user.name', as: 'user.name' }], aggs: [{ fn: 'dc', field: 'rule.name', as: 'rules' }], span: SPAN },
      { kind: 'filter', expr: pred('rules', 'ge', [2]) },
    ]);
    for (const r of await rows(rule)) expect(r).toEqual([{ _time: '2026-01-10T10:00', 'user.name': 'alice', rules: 2 }]);
  });
  it('aliases copy each input\'s own field to one shared name, which the group-by reads', async () => {
    const rule = corr([
      input('who', '\\whoami.exe', [{ as: 'subject', field: 'user.name' }]),
      input('ipc', '\\ipconfig.exe', [{ as: 'subject', field: 'winlog.event_data.TargetUser' }]),
    ], [
      { kind: 'aggregate', groupBy: [{ field: 'subject', as: 'subject' }], aggs: [{ fn: 'dc', field: 'rule.name', as: 'rules' }, { fn: 'count', as: 'n' }] },
      { kind: 'filter', expr: pred('rules', 'ge', [2]) },
    ]);
    for (const r of await rows(rule)) expect(r.map(({ _time, ...x }) => x)).toEqual([{ subject: 'alice', rules: 2, n: 5 }]);
  });
  it('value_count: distinct values of a field per group', async () => {
    const rule = corr([input('any_tool', '.exe')], [
      { kind: 'aggregate', groupBy: [{ field: 'user.name', as: 'user.name' }], aggs: [{ fn: 'dc', field: 'process.executable', as: 'value_count' }] },
      { kind: 'filter', expr: pred('value_count', 'gt', [1]) },
    ]);
    // SQL's distinct is case-sensitive: WHOAMI.EXE and whoami.exe are two values, as in the evaluator's dc()
    for (const r of await rows(rule)) expect(r.map(({ _time, ...x }) => x)).toEqual([{ 'user.name': 'alice', value_count: 3 }, { 'user.name': 'bob', value_count: 2 }]);
  });
});
