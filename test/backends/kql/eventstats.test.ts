/** SPL eventstats in KQL: the rows joined back to their group's summary, rows without a key cleared. */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { pred, type Stage } from '../../../src/ir/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { at, rule } from './rule.js';

const agg: Stage = { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }, { field: 'user.name', as: 'user' }], aggs: [{ fn: 'count', as: 'n' }], span: { field: '@timestamp', seconds: 300, as: '_time' } };
const stats: Stage = { kind: 'eventstats', groupBy: [{ field: 'dest', as: 'dest' }], aggs: [{ fn: 'avg', field: 'n', as: 'avgN' }, { fn: 'stdev', field: 'n', as: 'sdN' }, { fn: 'count', as: 'slots' }] };

describe('kql eventstats', () => {
  it('after a summary: as, join kind=leftouter on the keys, the right keys projected away, keyless rows cleared', () => {
    const outlier: Stage = { kind: 'filter', expr: { kind: 'test', expr: { kind: 'binary', op: '>', left: { kind: 'field', name: 'n' }, right: { kind: 'binary', op: '+', left: { kind: 'field', name: 'avgN' }, right: { kind: 'field', name: 'sdN' } } } } };
    const r = render(rule(pred('process.name', 'eq', ['net.exe']), [agg, stats, outlier]), 'kql');
    expect(r.query!.split('\n').slice(3, 7)).toEqual([
      '| as hint.materialized=true EventStatsRows',
      '| join kind=leftouter (EventStatsRows | summarize avgN = avg(n), sdN = stdev(n), slots = count() by dest) on dest',
      '| project-away dest1',
      "| extend avgN = iff(isempty(dest), real(null), avgN), sdN = iff(isempty(dest), real(null), sdN), slots = iff(isempty(dest), long(null), slots)",
    ]);
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
  it('over events: the key is the mapped column', () => {
    const r = render(rule(pred('process.name', 'eq', ['net.exe']), [{ kind: 'eventstats', groupBy: [{ field: 'host.name', as: 'host.name' }], aggs: [{ fn: 'dc', field: 'process.command_line', as: 'variants' }] }]), 'kql');
    expect(r.query).toContain('| join kind=leftouter (EventStatsRows | summarize variants = count_distinctif(ProcessCommandLine, isnotempty(ProcessCommandLine)) by DeviceName) on DeviceName\n| project-away DeviceName1\n');
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
  it('without a by clause: one group of every row, joined on a constant key', () => {
    const r = render(rule(pred('process.name', 'eq', ['net.exe']), [agg, { ...stats, groupBy: [] }]), 'kql');
    expect(r.query!.split('\n').slice(3)).toEqual([
      '| extend EventStatsKey = 1',
      '| as hint.materialized=true EventStatsRows',
      '| join kind=leftouter (EventStatsRows | summarize avgN = avg(n), sdN = stdev(n), slots = count() by EventStatsKey) on EventStatsKey',
      '| project-away EventStatsKey, EventStatsKey1',
      '',
    ]);
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
  it('by a computed field or into an existing field: RB401 at the stage', () => {
    const at7 = at(7, 3);
    const codes = (st: Stage) => render(rule(pred('process.name', 'eq', ['x']), [{ ...st, origin: at7 } as Stage]), 'kql', { dialect: 'defender' }).diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column]);
    expect(codes({ kind: 'eventstats', groupBy: [{ field: 'user.name', as: 'u' }], aggs: [{ fn: 'count', as: 'n' }] })).toEqual([['RB401', 7, 3]]);
    expect(codes({ kind: 'eventstats', groupBy: [{ field: 'host.name', as: 'h' }], aggs: [{ fn: 'count', as: 'process.name' }] })).toEqual([['RB401', 7, 3]]);
  });
});

describe('kql mvexpand', () => {
  it('mv-expand of a values() column; a single-valued column needs no operator', () => {
    const values: Stage = { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'values', field: 'process.name', as: 'names' }] };
    const r = render(rule(pred('process.name', 'eq', ['net.exe']), [values, { kind: 'mvexpand', field: 'names' }, { kind: 'filter', expr: pred('names', 'eq', ['net.exe']) }]), 'kql');
    expect(r.query!.split('\n').slice(2)).toEqual(['| summarize names = array_sort_asc(make_set_if(FileName, isnotempty(FileName))) by dest = DeviceName', '| mv-expand names to typeof(string)', "| where names =~ 'net.exe'", '']);
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
    const single = render(rule(pred('process.name', 'eq', ['net.exe']), [{ kind: 'mvexpand', field: 'process.name' }]), 'kql');
    expect(single.query).toBe("DeviceProcessEvents\n| where FileName =~ 'net.exe'\n");
  });
});
