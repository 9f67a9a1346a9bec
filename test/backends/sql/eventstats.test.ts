/** SPL eventstats as window functions: per-group aggregates on every row, rows kept; no group for a missing key. */
import { describe, it, expect } from 'vitest';
import { pred, TRUE, type Stage } from '../../../src/ir/index.js';
import { render } from '../../../src/backends/index.js';
import { bothEngines } from './engines.js';
import { ruleOf, sqlOf } from './rules.js';

const EV = [
  { 'winlog.record_id': '1', 'host.name': 'a', 'winlog.event_data.Bytes': '10' },
  { 'winlog.record_id': '2', 'host.name': 'a', 'winlog.event_data.Bytes': '30' },
  { 'winlog.record_id': '3', 'host.name': 'b', 'winlog.event_data.Bytes': '5' },
  { 'winlog.record_id': '4', 'winlog.event_data.Bytes': '7' },
];
const stats: Stage = {
  kind: 'eventstats', groupBy: [{ field: 'host.name', as: 'host.name' }],
  aggs: [{ fn: 'count', as: 'n' }, { fn: 'avg', field: 'winlog.event_data.Bytes', as: 'avgBytes' }, { fn: 'max', field: 'winlog.event_data.Bytes', as: 'top' }],
};
const keep: Stage = { kind: 'project', fields: ['winlog.record_id', 'n', 'avgBytes', 'top'], mode: 'keep' };
const sortById: Stage = { kind: 'sort', keys: [{ field: 'winlog.record_id', desc: false }] };

describe('sql eventstats', () => {
  it('adds the group aggregates to every row; a row without the key gets none', async () => {
    for (const eng of await bothEngines(EV)) {
      expect(await eng.all(sqlOf(ruleOf(TRUE, [stats, keep, sortById]), eng.name))).toEqual([
        { 'winlog.record_id': '1', n: 2, avgBytes: 20, top: '30' },
        { 'winlog.record_id': '2', n: 2, avgBytes: 20, top: '30' },
        { 'winlog.record_id': '3', n: 1, avgBytes: 5, top: '5' },
        { 'winlog.record_id': '4', n: null, avgBytes: null, top: null },
      ]);
    }
  });
  it('a later filter reads the added columns (an outlier test)', async () => {
    const outlier: Stage = { kind: 'filter', expr: { kind: 'test', expr: { kind: 'binary', op: '>', left: { kind: 'call', fn: 'tonumber', args: [{ kind: 'field', name: 'winlog.event_data.Bytes' }] }, right: { kind: 'field', name: 'avgBytes' } } } };
    for (const eng of await bothEngines(EV)) {
      const rows = await eng.all(sqlOf(ruleOf(TRUE, [stats, outlier, keep]), eng.name));
      expect(rows.map((r) => r['winlog.record_id'])).toEqual(['2']);
    }
  });
  it('dc and stdev are RB401 at the stage', () => {
    const origin = { file: 'rules/t.yml', line: 6, column: 3 };
    const r = render(ruleOf(pred('host.name', 'exists', [true]), [{ ...stats, aggs: [{ fn: 'dc', field: 'host.name', as: 'd' }], origin }]), 'sql');
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB401', 6, 3]]);
  });
});
