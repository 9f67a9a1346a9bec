/**
 * SPL join in KQL: as is where KQL's join means the same (max=0, or a sub-search with one row
 * per key; other sub-searches: join-first.test.ts); the sub-search's columns renamed apart,
 * merged back by SPL's overwrite rule.
 */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { onePerKey } from '../../../src/backends/kql-join.js';
import { pred, type Join, type Stage } from '../../../src/ir/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { at, rule } from './rule.js';

const tstats = (by: string[], extra: Stage[] = []): Stage[] => [
  { kind: 'aggregate', groupBy: by.map((f) => ({ field: f, as: f === 'host.name' ? 'dest' : f === 'process.pid' ? 'process_id' : f })), aggs: [{ fn: 'count', as: 'count' }, { fn: 'values', field: 'destination.ip', as: 'dest_ip' }] },
  ...extra,
];
const leftAgg: Stage = { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }, { field: 'process.pid', as: 'process_id' }], aggs: [{ fn: 'count', as: 'count' }] };
const joinOf = (on: string[], stages: Stage[], extra: Partial<Join> = {}): Join => ({
  kind: 'join', type: 'inner', on, overwrite: true, origin: at(6, 4),
  query: { source: { category: 'network_connection' }, filter: pred('destination.port', 'gt', [0]), stages }, ...extra,
});
const run = (j: Join) => render(rule(pred('process.name', 'eq', ['rundll32.exe']), [leftAgg, j]), 'kql', { dialect: 'defender' });
const valid = (q: string | undefined) => {
  expect(q).toBeDefined();
  if (!KUSTO_SKIP) expect(kustoErrors(q!)).toEqual([]);
};

describe('kql join', () => {
  it('a sub-search of one row per key (stats by the join fields): inner join, columns renamed apart, overwrite merge', () => {
    const r = run(joinOf(['dest', 'process_id'], tstats(['host.name', 'process.pid'])));
    expect(r.query!.split('\n').slice(3)).toEqual([
      "| join kind=inner (DeviceNetworkEvents | where RemotePort > 0 | summarize ['count'] = count(), dest_ip = array_sort_asc(make_set_if(RemoteIP, isnotempty(RemoteIP))) by dest = DeviceName, process_id = InitiatingProcessId | project JoinRight0 = ['count'], JoinRight1 = dest_ip, JoinRight2 = dest, JoinRight3 = process_id | where isnotempty(JoinRight2) and isnotnull(JoinRight3)) on $left.dest == $right.JoinRight2, $left.process_id == $right.JoinRight3",
      "| extend ['count'] = iff(isnull(JoinRight0), ['count'], JoinRight0), dest_ip = JoinRight1",
      '| project-away JoinRight0, JoinRight1, JoinRight2, JoinRight3',
      '',
    ]);
    valid(r.query);
  });
  it('overwrite=false keeps the row\'s value; type=left is leftouter; max=0 joins every row', () => {
    const r = run(joinOf(['dest'], tstats(['host.name', 'process.pid']), { overwrite: false, type: 'left', max: 0 }));
    expect(r.query).toContain('| join kind=leftouter (');
    expect(r.query).toContain("process_id = iff(isnull(process_id), JoinRight3, process_id)");
    valid(r.query);
  });
  it('keys of different types compare as strings', () => {
    const sub: Stage[] = [{ kind: 'aggregate', groupBy: [{ field: 'process.name', as: 'process_id' }], aggs: [{ fn: 'count', as: 'n' }] }];
    const r = run(joinOf(['process_id'], sub));
    expect(r.query).toContain('| extend JoinKey0 = tostring(process_id)\n');
    expect(r.query).toContain('on $left.JoinKey0 == $right.JoinRightKey0');
    valid(r.query);
  });
  it('max=1 over a sub-search with several rows per key in an order KQL cannot rebuild (a sort after the stats): RB401 at the join', () => {
    const r = run(joinOf(['dest'], tstats(['host.name', 'process.pid'], [{ kind: 'sort', keys: [{ field: 'count', desc: true }] }])));
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column])).toEqual([['RB401', 6, 4]]);
    expect(r.diagnostics.find((d) => d.code === 'RB401')!.message).toContain('join max=1');
  });
  it('one row per key: the last aggregate or dedup, through renames; stages that add rows undo it', () => {
    const agg: Stage = { kind: 'aggregate', groupBy: [{ field: 'a', as: 'a' }], aggs: [] };
    expect(onePerKey([agg], ['a', 'b'])).toBe(true);
    expect(onePerKey([agg, { kind: 'rename', pairs: [{ from: 'a', to: 'k' }] }], ['k'])).toBe(true);
    expect(onePerKey([agg, { kind: 'rename', pairs: [{ from: 'a', to: 'k' }] }], ['a'])).toBe(false);
    expect(onePerKey([agg, { kind: 'mvexpand', field: 'a' }], ['a'])).toBe(false);
    expect(onePerKey([{ kind: 'dedup', fields: ['a'] }], ['a'])).toBe(true);
    expect(onePerKey([{ kind: 'filter', expr: pred('a', 'eq', ['x']) }], ['a'])).toBe(false);
    expect(onePerKey([agg, { kind: 'project', fields: ['b'], mode: 'keep' }], ['a'])).toBe(false);
  });
});
