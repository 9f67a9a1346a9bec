/**
 * SPL join max=N over a sub-search of events (no stats or tstats): Splunk returns a search's
 * events newest first, so each key joins its N latest rows; KQL picks them again by the event
 * time (arg_max for one, a sort by time descending numbered per key for N), keeping the time
 * through the sub-search's fields/table lists and dropping it after. Stages that move the rows
 * or the time are refused with RB401 at the join.
 */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { EVENT_ORDER, eventOrder, keepTime } from '../../../src/backends/kql-join-events.js';
import { pred, TRUE, type Aggregate, type Join, type Stage } from '../../../src/ir/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { at, rule } from './rule.js';

const left: Aggregate = { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'count', as: 'count' }] };
const toDest: Stage = { kind: 'rename', pairs: [{ from: 'host.name', to: 'dest' }] };
const fields = (...f: string[]): Stage => ({ kind: 'project', mode: 'keep', fields: f });
/** A join on dest over process events ending in .exe, at 7:3 of the hand-made rule. */
function joinOf(stages: Stage[], extra: Partial<Join> = {}): Join {
  const query = { source: { category: 'process_creation' }, filter: pred('process.name', 'endswith', ['.exe']), stages };
  return { kind: 'join', type: 'inner', on: ['dest'], overwrite: true, origin: at(7, 3), query, ...extra };
}
const kql = (j: Join, dialect = 'defender') => render(rule(TRUE, [left, j]), 'kql', { dialect });
/** The whole query, checked by Kusto.Language, and its join's sub-search (between `join kind=… (` and `) on`). */
function rendered(j: Join, dialect = 'defender'): { q: string; sub: string } {
  const q = kql(j, dialect).query;
  expect(q).toBeDefined();
  if (!KUSTO_SKIP) expect(kustoErrors(q!)).toEqual([]);
  return { q: q!, sub: /\| join kind=\w+ \((.*)\) on /.exec(q!)![1]! };
}
const errors = (r: ReturnType<typeof kql>) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column]);

describe('kql join max=N over events: the latest rows of each key', () => {
  it('max=1: the time kept through the fields list, arg_max by the key, then dropped', () => {
    const { q, sub } = rendered(joinOf([toDest, fields('dest', 'process.name')]));
    expect(sub).toBe("DeviceProcessEvents | where FileName endswith '.exe' | project-rename dest = DeviceName"
      + " | project dest, ['process.name'] = FileName, ['@timestamp'] = Timestamp"
      + " | project JoinRight0 = dest, JoinRight1 = ['process.name'], JoinTime = ['@timestamp'] | where isnotempty(JoinRight0)"
      + ' | summarize arg_max(JoinTime, *) by JoinRight0 | project-away JoinTime');
    // Only the sub-search's own fields reach the row: not the time kept for the order.
    expect(q).toContain("| extend ['process.name'] = JoinRight1\n| project-away JoinRight0, JoinRight1\n");
  });
  it('max=2: sorted by the key, then time newest first, numbered per key; the number and the time dropped', () => {
    const { sub } = rendered(joinOf([toDest, fields('dest', 'process.name')], { max: 2 }));
    expect(sub).toContain('| where isnotempty(JoinRight0) | sort by JoinRight0 asc, JoinTime desc'
      + ' | extend JoinOrder = row_number(1, JoinRight0 != prev(JoinRight0)) | where JoinOrder <= 2 | project-away JoinOrder, JoinTime');
  });
  it('a sub-search that returns _time itself orders by it and hands it to the row', () => {
    const { q, sub } = rendered(joinOf([toDest, fields('dest', '@timestamp')]));
    expect(sub).toContain("| project JoinRight0 = dest, JoinRight1 = ['@timestamp'] | where isnotempty(JoinRight0) | summarize arg_max(JoinRight1, *) by JoinRight0");
    expect(q).toContain("| extend ['@timestamp'] = JoinRight1\n");
  });
  it('rows that keep their place keep the order: filter, eval, two lists in turn', () => {
    const stages: Stage[] = [
      toDest,
      { kind: 'filter', expr: pred('process.pid', 'gt', [4]) },
      { kind: 'eval', assign: [{ field: 'img', expr: { kind: 'field', name: 'process.name' } }] },
      fields('dest', 'img', 'process.pid'),
      fields('dest', 'img'),
    ];
    const { sub } = rendered(joinOf(stages), 'sentinel');
    expect(sub).toContain('JoinTime = [\'@timestamp\'] | where isnotempty(JoinRight0) | summarize arg_max(JoinTime, *) by JoinRight0 | project-away JoinTime');
  });
  it('a sub-search of one row per key (a dedup of the key), or max=0, joins every row: no order', () => {
    const dedup: Stage = { kind: 'dedup', fields: ['dest'] };
    expect(rendered(joinOf([toDest, dedup, fields('dest', 'process.name')])).q).not.toContain('JoinTime');
    expect(rendered(joinOf([toDest, fields('dest', 'process.name')], { max: 0 })).q).not.toContain('JoinTime');
  });

  it.each<[string, Stage[], string]>([
    ['a sort', [toDest, { kind: 'sort', keys: [{ field: 'process.name', desc: false }] }, fields('dest', 'process.name')], 'a sort in a sub-search of events'],
    ['an mvexpand', [toDest, { kind: 'mvexpand', field: 'process.name' }, fields('dest', 'process.name')], 'an mvexpand in a sub-search of events'],
    ['an eval that sets _time', [toDest, { kind: 'eval', assign: [{ field: '@timestamp', expr: { kind: 'lit', value: 1 } }] }, fields('dest')], 'an eval that sets _time'],
    ['a rename of _time', [toDest, { kind: 'rename', pairs: [{ from: '@timestamp', to: 't' }] }, fields('dest', 't')], 'a rename that sets _time'],
    ['a filter on _time after the list dropped it', [toDest, fields('dest'), { kind: 'filter', expr: pred('@timestamp', 'exists', []) }], 'a filter that reads _time after a fields/table removed it'],
    ['a fields pattern', [toDest, fields('dest', 'process.*')], "a fields/table pattern ('dest process.*')"],
    ['an eventstats', [toDest, { kind: 'eventstats', groupBy: [], aggs: [{ fn: 'count', as: 'c' }] }, fields('dest', 'c')], 'an eventstats in a sub-search of events'],
  ])('RB401 at the join where the events\' order cannot be rebuilt: %s', (_name, stages, why) => {
    const r = kql(joinOf(stages));
    expect(errors(r)).toEqual([['RB401', 7, 3]]);
    const msg = r.diagnostics.find((d) => d.code === 'RB401')!.message;
    expect(msg).toContain('join max=1 here');
    expect(msg).toContain(why);
  });
  it('a table whose time is not a datetime has no latest rows: RB401 at the join', () => {
    const r = render(rule(TRUE, [left, joinOf([toDest, fields('dest', 'process.name')])]), 'kql', { mapping: 'test/fixtures/kql-join-raw/text-time.json' });
    expect(errors(r)).toEqual([['RB401', 7, 3]]);
    expect(r.diagnostics.find((d) => d.code === 'RB401')!.message).toContain('its events have no time to pick the latest by');
  });
  it('a sub-search that ends on the table\'s columns is still refused as such', () => {
    const r = kql(joinOf([toDest]));
    expect(errors(r)).toEqual([['RB401', 7, 3]]);
    expect(r.diagnostics.find((d) => d.code === 'RB401')!.message).toContain('ends without stats or table');
  });
});

describe('eventOrder and keepTime', () => {
  it('no stages, or stages that keep rows in place: newest first', () => {
    expect(eventOrder([])).toBe(EVENT_ORDER);
    expect(eventOrder([fields('a', '@timestamp'), { kind: 'filter', expr: pred('@timestamp', 'exists', []) }, { kind: 'head', n: 3 }])).toBe(EVENT_ORDER);
    expect(eventOrder([{ kind: 'project', mode: 'drop', fields: ['@timestamp'] }, fields('a')])).toBe(EVENT_ORDER);
  });
  it('a rename pattern that may take _time, a fillnull of every field', () => {
    expect(eventOrder([{ kind: 'rename', pairs: [{ from: '@*', to: 'x*' }] }])).toContain('a rename that sets _time');
    expect(eventOrder([{ kind: 'rename', pairs: [{ from: 'a*', to: 'b*' }] }])).toBe(EVENT_ORDER);
    expect(eventOrder([{ kind: 'fillnull', fields: [], value: 0 }])).toContain('a fillnull of every field');
  });
  it('keepTime adds the time to keep lists and takes it off drop lists, nothing else', () => {
    const stages: Stage[] = [fields('a'), fields('a', '@timestamp'), { kind: 'project', mode: 'drop', fields: ['@timestamp', 'b'] }, { kind: 'head', n: 1 }];
    expect(keepTime(stages)).toEqual([fields('a', '@timestamp'), fields('a', '@timestamp'), { kind: 'project', mode: 'drop', fields: ['b'] }, { kind: 'head', n: 1 }]);
    expect(stages[0]).toEqual(fields('a'));
  });
});
