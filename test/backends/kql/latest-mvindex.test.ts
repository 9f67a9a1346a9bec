/** SPL latest()/earliest() as arg_max/arg_min over the event time; mvindex() as dynamic array indexing. */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { pred, type Stage, type ValueExpr } from '../../../src/ir/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { at, rule } from './rule.js';

const ok = (q: string | undefined) => {
  expect(q).toBeDefined();
  if (!KUSTO_SKIP) expect(kustoErrors(q!)).toEqual([]);
};

describe('kql latest() and earliest()', () => {
  it('arg_max/arg_min of the time, nulled where the value is missing; the time columns projected away', () => {
    const s: Stage = { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'latest', field: 'process.name', as: 'last_name' }, { fn: 'earliest', field: 'process.pid', as: 'first_pid' }, { fn: 'count', as: 'n' }] };
    const r = render(rule(pred('process.name', 'eq', ['net.exe']), [s]), 'kql', { dialect: 'defender' });
    expect(r.query!.split('\n').slice(2)).toEqual([
      '| summarize (AggTime0, last_name) = arg_max(iff(isnotempty(FileName), Timestamp, datetime(null)), FileName), (AggTime1, first_pid) = arg_min(iff(isnotnull(ProcessId), Timestamp, datetime(null)), ProcessId), n = count() by dest = DeviceName',
      '| project-away AggTime0, AggTime1',
      '',
    ]);
    ok(r.query);
  });
  it('with a count(eval()) style condition, and inside eventstats', () => {
    const cond = pred('process.name', 'eq', ['cmd.exe']);
    const s: Stage = { kind: 'eventstats', groupBy: [{ field: 'host.name', as: 'host.name' }], aggs: [{ fn: 'latest', field: 'process.command_line', where: cond, as: 'last_cmd' }] };
    const r = render(rule(pred('process.name', 'eq', ['net.exe']), [s]), 'kql', { dialect: 'defender' });
    expect(r.query).toContain("(AggTime0, last_cmd) = arg_max(iff(FileName =~ 'cmd.exe' and isnotempty(ProcessCommandLine), Timestamp, datetime(null)), ProcessCommandLine) by DeviceName | project-away AggTime0) on DeviceName");
    ok(r.query);
  });
  it('after an aggregate (no event time): RB401 at the stage', () => {
    const first: Stage = { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'count', as: 'n' }] };
    const second: Stage = { kind: 'aggregate', groupBy: [], aggs: [{ fn: 'latest', field: 'dest', as: 'd' }], origin: at(4, 9) };
    const r = render(rule(pred('process.name', 'eq', ['x']), [first, second]), 'kql', { dialect: 'defender' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column])).toEqual([['RB401', 4, 9]]);
  });
});

const call = (fn: string, ...args: ValueExpr[]): ValueExpr => ({ kind: 'call', fn, args });
const lit = (value: string | number): ValueExpr => ({ kind: 'lit', value });
const field = (name: string): ValueExpr => ({ kind: 'field', name });

describe('kql mvindex()', () => {
  const evalOf = (e: ValueExpr, origin = at(3, 5)) => render(rule(pred('process.name', 'eq', ['x']), [{ kind: 'eval', assign: [{ field: 'v', expr: e }], origin }]), 'kql', { dialect: 'defender' });
  it('a non-negative index into a split(): the element as a string, null (empty) past the end', () => {
    const r = evalOf(call('mvindex', call('split', field('process.command_line'), lit('@')), lit(0)));
    expect(r.query).toContain("| extend v = tostring(split(ProcessCommandLine, '@')[0])");
    ok(r.query);
  });
  it('a negative index counts from the end, null when the list is shorter', () => {
    const r = evalOf(call('mvindex', call('split', field('process.command_line'), lit(' ')), lit(-2)));
    expect(r.query).toContain("| extend v = iff(array_length(split(ProcessCommandLine, ' ')) >= 2, tostring(split(ProcessCommandLine, ' ')[array_length(split(ProcessCommandLine, ' ')) - 2]), '')");
    ok(r.query);
  });
  it('a single value is a list of one: index 0 and -1 are the value, any other null', () => {
    expect(evalOf(call('mvindex', field('process.name'), lit(-1))).query).toContain('| extend v = FileName');
    expect(evalOf(call('mvindex', field('process.name'), lit(1))).query).toContain("| extend v = ''");
  });
  it('a computed index or a range: RB430 at the call', () => {
    for (const e of [call('mvindex', field('process.name'), field('process.pid')), call('mvindex', call('split', field('process.name'), lit('.')), lit(0), lit(1))]) {
      const r = evalOf({ ...e, origin: at(3, 12) } as ValueExpr);
      expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column])).toEqual([['RB430', 3, 12]]);
    }
  });
});
