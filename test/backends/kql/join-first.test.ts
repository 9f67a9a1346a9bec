/**
 * SPL join max=N in KQL over a sub-search with several rows per key: each key keeps its first N
 * rows in the order the evaluator reads them (the stats group order), or RB401 says why that
 * order cannot be rebuilt. join-first-table.test.ts checks the partners against the evaluator.
 */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { EVALUATOR_NUMERIC, subSearchOrder } from '../../../src/backends/kql-join-order.js';
import { NUMERIC_FIELDS } from '../../../src/evaluator/normalize/canonical.js';
import { pred, TRUE, type Aggregate, type Join, type Stage } from '../../../src/ir/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { at, rule } from './rule.js';

const AS: Record<string, string> = { 'host.name': 'dest', 'process.name': 'name', 'process.pid': 'pid', 'process.command_line': 'cmd', '@timestamp': '_time' };
const stats = (by: string[], span?: number): Aggregate => ({
  kind: 'aggregate', groupBy: by.map((f) => ({ field: f, as: AS[f]! })), aggs: [{ fn: 'count', as: 'n' }],
  ...(span ? { span: { field: '@timestamp', seconds: span, as: '_time' } } : {}),
});
const left: Aggregate = { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }, { field: 'process.name', as: 'name' }], aggs: [{ fn: 'count', as: 'count' }] };
const joinOf = (on: string[], stages: Stage[], extra: Partial<Join> = {}): Join => ({
  kind: 'join', type: 'inner', on, overwrite: true, origin: at(6, 4),
  query: { source: { category: 'process_creation' }, filter: pred('process.name', 'endswith', ['.exe']), stages }, ...extra,
});
const kql = (j: Join, dialect = 'defender') => render(rule(TRUE, [left, j]), 'kql', { dialect });
const valid = (q: string | undefined): string => {
  expect(q).toBeDefined();
  if (!KUSTO_SKIP) expect(kustoErrors(q!)).toEqual([]);
  return q!;
};
/** The join's sub-search, between `join kind=… (` and `) on`. */
const subOf = (q: string): string => /\| join kind=\w+ \((.*)\) on /.exec(q)![1]!;
const errors = (r: ReturnType<typeof kql>) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column]);

describe('kql join max=N: the first rows of each key in the stats order', () => {
  it('sorted by the join key, then the other group columns; numbered per key; the first kept', () => {
    const q = valid(kql(joinOf(['dest'], [stats(['host.name', 'process.name', 'process.pid'])])).query);
    expect(subOf(q)).toBe("DeviceProcessEvents | where FileName endswith '.exe' | summarize n = count() by dest = DeviceName, name = FileName, pid = ProcessId"
      + ' | project JoinRight0 = n, JoinRight1 = dest, JoinRight2 = name, JoinRight3 = pid | where isnotempty(JoinRight1)'
      + ' | sort by JoinRight1 asc, JoinRight2 asc, JoinRight3 asc | extend JoinOrder = row_number(1, JoinRight1 != prev(JoinRight1)) | where JoinOrder <= 1 | project-away JoinOrder');
  });
  it('max=2 keeps two; two join fields restart on either; a span bucket sorts last, by time', () => {
    const q = valid(kql(joinOf(['dest', 'name'], [stats(['process.pid', 'host.name', 'process.name'], 3600)], { max: 2 })).query);
    expect(subOf(q)).toContain('| where isnotempty(JoinRight2) and isnotempty(JoinRight3) | sort by JoinRight2 asc, JoinRight3 asc, JoinRight1 asc, JoinRight4 asc'
      + ' | extend JoinOrder = row_number(1, JoinRight2 != prev(JoinRight2) or JoinRight3 != prev(JoinRight3)) | where JoinOrder <= 2 | project-away JoinOrder');
    expect(subOf(q)).toContain('_time = bin(Timestamp, 3600s)');
    expect(subOf(q)).toContain('JoinRight4 = _time');
  });
  it('row-wise stages after the stats keep the order; group columns followed through a rename', () => {
    const stages: Stage[] = [
      stats(['host.name', 'process.name']),
      { kind: 'filter', expr: pred('n', 'gt', [1]) },
      { kind: 'eval', assign: [{ field: 'm', expr: { kind: 'field', name: 'n' } }] },
      { kind: 'rename', pairs: [{ from: 'name', to: 'image' }] },
      { kind: 'project', mode: 'keep', fields: ['dest', 'image', 'm'] },
    ];
    const q = valid(kql(joinOf(['dest'], stages)).query);
    expect(subOf(q)).toContain('| project JoinRight0 = dest, JoinRight1 = image, JoinRight2 = m | where isnotempty(JoinRight0) | sort by JoinRight0 asc, JoinRight1 asc |');
  });
  it('a sub-search of one row per key, or max=0 (and below, as the evaluator reads it), joins every row: no numbering', () => {
    expect(valid(kql(joinOf(['dest'], [stats(['host.name'])])).query)).not.toContain('JoinOrder');
    for (const max of [0, -1]) expect(valid(kql(joinOf(['dest'], [stats(['host.name', 'process.name'])], { max })).query)).not.toContain('JoinOrder');
    expect(valid(kql(joinOf(['dest'], [stats(['host.name', 'process.name'])], { max: 1.5 })).query)).toContain('| where JoinOrder <= 2 |');
  });

  it.each<[string, Stage[], string, string]>([
    ['no stats: events that a sort moved (join-raw.test.ts: events newest first)', [{ kind: 'sort', keys: [{ field: 'process.name', desc: false }] }], 'defender', 'a sort in a sub-search of events'],
    ['a sort after the stats', [stats(['host.name', 'process.name']), { kind: 'sort', keys: [{ field: 'n', desc: true }] }], 'defender', 'a sort after the stats'],
    ['a head after the stats', [stats(['host.name', 'process.name']), { kind: 'head', n: 5 }], 'defender', 'a head after the stats'],
    ['an eval over a group column', [stats(['host.name', 'process.name']), { kind: 'eval', assign: [{ field: 'name', expr: { kind: 'lit', value: 'x' } }] }], 'defender', "an eval that changes 'name'"],
    ['a fillnull of every column', [stats(['host.name', 'process.name']), { kind: 'fillnull', fields: [], value: 0 }], 'defender', "a fillnull that changes 'dest'"],
    ['a table without a group column', [stats(['host.name', 'process.name']), { kind: 'project', mode: 'keep', fields: ['dest', 'n'] }], 'defender', "drops 'name'"],
    ['a rename onto a group column', [stats(['host.name', 'process.name']), { kind: 'rename', pairs: [{ from: 'n', to: 'name' }] }], 'defender', "a rename onto 'name'"],
    ['an mvexpand after the stats', [stats(['host.name', 'process.name']), { kind: 'mvexpand', field: 'n' }], 'defender', 'an mvexpand after the stats'],
  ])('RB401 at the join where the order cannot be rebuilt: %s', (_name, stages, dialect, why) => {
    const r = kql(joinOf(['dest'], stages), dialect);
    expect(errors(r)).toEqual([['RB401', 6, 4]]);
    const msg = r.diagnostics.find((d) => d.code === 'RB401')!.message;
    expect(msg).toContain('join max=1 here');
    expect(msg).toContain(why);
  });
});

describe('subSearchOrder', () => {
  const agg = (...as: string[]): Aggregate => ({ kind: 'aggregate', groupBy: as.map((a) => ({ field: a === 't' ? '@timestamp' : a === 'p' ? 'process.pid' : `x.${a}`, as: a })), aggs: [{ fn: 'count', as: 'c' }] });
  const names = (stages: Stage[]) => {
    const o = subSearchOrder(stages);
    return typeof o === 'string' ? o : o.map((c) => `${c.name}:${c.value}`);
  };
  it('the group columns in by order (a repeated one once), the span bucket last; what each holds in the evaluator', () => {
    expect(names([{ ...agg('a', 'p', 'a', 't'), span: { field: '@timestamp', seconds: 60, as: 'b' } }])).toEqual(['a:text', 'p:number', 't:time', 'b:time']);
  });
  it('stages before the last stats do not matter; a later stats starts over', () => {
    expect(names([{ kind: 'sort', keys: [{ field: 'a', desc: false }] }, { kind: 'mvexpand', field: 'a' }, agg('a')])).toEqual(['a:text']);
    expect(names([agg('a'), { kind: 'sort', keys: [{ field: 'a', desc: false }] }, agg('b')])).toEqual(['b:text']);
    expect(names([agg('a'), agg('b'), { kind: 'head', n: 1 }])).toBe('a head after the stats');
  });
  it('renames: plain and prefix patterns move the columns; a swap is no clash', () => {
    expect(names([agg('D.a', 'D.b'), { kind: 'rename', pairs: [{ from: 'D.*', to: '*' }] }])).toEqual(['a:text', 'b:text']);
    expect(names([agg('a', 'b'), { kind: 'rename', pairs: [{ from: 'a', to: 'z' }] }, { kind: 'rename', pairs: [{ from: 'z', to: 'y' }] }])).toEqual(['y:text', 'b:text']);
    expect(names([agg('a', 'b'), { kind: 'rename', pairs: [{ from: 'c', to: 'b' }] }])).toBe("a rename onto 'b', which orders the rows");
    expect(names([agg('a', 'b'), { kind: 'rename', pairs: [{ from: 'missing', to: 'b' }] }])).toEqual(['a:text', 'b:text']);
    expect(names([agg('a'), { kind: 'rename', pairs: [{ from: 'a*b', to: 'c*' }] }])).toBe("a rename of 'a*b'");
  });
  it('new fields may not overwrite an order column: lookup, eventstats, rex', () => {
    expect(names([agg('a'), { kind: 'lookup', table: 't', keys: [{ field: 'a', column: 'k' }], outputs: [{ column: 'v', as: 'a' }], caseSensitive: false }])).toBe("a lookup that changes 'a', which orders the rows");
    expect(names([agg('a'), { kind: 'eventstats', groupBy: [], aggs: [{ fn: 'count', as: 'c' }] }])).toEqual(['a:text']);
    expect(names([agg('a'), { kind: 'extract', field: 'c', pattern: '(?<a>x)', names: ['a'] }])).toBe("a rex that changes 'a', which orders the rows");
  });
  it('its list of numeric fields is the evaluator\'s', () => {
    expect([...EVALUATOR_NUMERIC].sort()).toEqual([...NUMERIC_FIELDS].sort());
  });
});

describe('kql join on a field the flavour has no column for', () => {
  // Defender has no process GUID: grouped by it, the column is a stand-in constant, and a join
  // on it would pair every row of the two sides. The flavour refuses; Sentinel's has the column.
  const byGuid: Aggregate = { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }, { field: 'process.entity_id', as: 'guid' }], aggs: [{ fn: 'count', as: 'count' }] };
  const guidJoin = (leftStats: Aggregate, rightBy: string[]) => render(rule(TRUE, [leftStats, {
    kind: 'join', type: 'inner', on: ['guid'], overwrite: true, origin: at(6, 4),
    query: { source: { category: 'process_creation' }, filter: TRUE, stages: [{ kind: 'aggregate', groupBy: rightBy.map((f) => ({ field: f, as: f === 'process.entity_id' ? 'guid' : 'dest' })), aggs: [{ fn: 'count', as: 'n' }] }] },
  }]), 'kql', { dialect: 'defender' });
  it('a stand-in key on the left side is RB403 at the join', () => {
    const r = guidJoin(byGuid, ['process.entity_id']);
    expect(r.ok).toBe(false);
    expect(errors(r)).toEqual([['RB403', 6, 4]]);
    expect(r.diagnostics.find((d) => d.code === 'RB403')!.message).toContain("join field 'guid' has no column on the left side");
  });
  it('a stand-in key that reached the right side through a rename is RB403 too', () => {
    const r = render(rule(TRUE, [left, {
      kind: 'join', type: 'inner', on: ['dest'], overwrite: true, origin: at(6, 4),
      query: { source: { category: 'process_creation' }, filter: TRUE, stages: [
        { kind: 'aggregate', groupBy: [{ field: 'process.entity_id', as: 'g' }], aggs: [{ fn: 'count', as: 'n' }] },
        { kind: 'rename', pairs: [{ from: 'g', to: 'dest' }] },
      ] },
    }]), 'kql', { dialect: 'defender' });
    expect(errors(r)).toEqual([['RB403', 6, 4]]);
    expect(r.diagnostics.find((d) => d.code === 'RB403')!.message).toContain('on the right side');
  });
});
