/** What the KQL backend refuses or warns about, asserted by code, line and column. */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { and, pred, type Diagnostic } from '../../../src/ir/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { at, FILE, rule } from './rule.js';

const pos = (ds: Diagnostic[], code: string) => ds.filter((d) => d.code === code).map((d) => [d.file, d.line, d.column]);

const defender = { dialect: 'defender' };

describe('kql diagnostics', () => {
  it('RB403 for a filtered field with no column, at the predicate; no query', () => {
    const r = render(rule(pred('process.working_directory', 'eq', ['C:\\'], { origin: at(7, 5) })), 'kql', defender);
    expect(r.ok).toBe(false);
    expect(r.query).toBeUndefined();
    expect(pos(r.diagnostics, 'RB403')).toEqual([[FILE, 7, 5]]);
  });
  it('reports every unmapped field, not only the first', () => {
    const r = render(rule(and([pred('process.working_directory', 'eq', ['x'], { origin: at(7, 5) }), pred('process.parent.entity_id', 'eq', ['y'], { origin: at(8, 5) })])), 'kql', defender);
    expect(pos(r.diagnostics, 'RB403')).toEqual([[FILE, 7, 5], [FILE, 8, 5]]);
  });
  it('RB402 for a log source with no table, at the log source', () => {
    const r = render(rule(pred('process.name', 'eq', ['x']), [], { product: 'windows', service: 'security', origin: at(3, 3) }), 'kql', defender);
    expect(r.ok).toBe(false);
    expect(pos(r.diagnostics, 'RB402')).toEqual([[FILE, 3, 3]]);
  });
  it('RB402 for a Sigma category Defender has no table for', () => {
    const r = render(rule(pred('process.name', 'eq', ['x']), [], { product: 'windows', category: 'ps_script', origin: at(4, 13) }), 'kql', defender);
    expect(pos(r.diagnostics, 'RB402')).toEqual([[FILE, 4, 13]]);
  });
  it('RB401 for a keyword search (capability check)', () => {
    const r = render(rule(pred('', 'keyword', ['*mimikatz*'], { origin: at(9, 7) })), 'kql');
    expect(r.ok).toBe(false);
    expect(pos(r.diagnostics, 'RB401')).toEqual([[FILE, 9, 7]]);
  });
  it('RB430 for a regex RE2 rejects', () => {
    const r = render(rule(pred('process.command_line', 'regex', ['foo(?=bar)'], { origin: at(10, 9) })), 'kql');
    expect(r.ok).toBe(false);
    expect(pos(r.diagnostics, 'RB430')).toEqual([[FILE, 10, 9]]);
  });
  it('RB430 for an invalid CIDR network and for a non-numeric bound', () => {
    const r = render(rule(and([
      pred('source.ip', 'cidr', ['10.0.0.0/33'], { origin: at(11, 3) }),
      pred('destination.port', 'gt', ['high'], { origin: at(12, 3) }),
    ]), [], { category: 'network_connection' }), 'kql');
    expect(pos(r.diagnostics, 'RB430')).toEqual([[FILE, 11, 3], [FILE, 12, 3]]);
  });
  it('an EventID the table implies is true, with an RB404 warning', () => {
    const r = render(rule(and([pred('event.code', 'eq', [1], { origin: at(13, 5) }), pred('process.name', 'eq', ['x'])])), 'kql');
    expect(r.ok).toBe(true);
    expect(r.query).toBe("DeviceProcessEvents\n| where FileName =~ 'x'\n");
    expect(pos(r.diagnostics, 'RB404')).toEqual([[FILE, 13, 5]]);
  });
  it('an EventID-only rule still names its table (never an empty query)', () => {
    const r = render(rule(pred('event.code', 'eq', [4688], { origin: at(13, 5) })), 'kql');
    expect(r.query).toBe('DeviceProcessEvents\n');
  });
  it('RB403 for an EventID the table does not hold', () => {
    const r = render(rule(pred('event.code', 'eq', [5], { origin: at(13, 5) })), 'kql', defender);
    expect(r.ok).toBe(false);
    expect(pos(r.diagnostics, 'RB403')).toEqual([[FILE, 13, 5]]);
  });
  it('RB404 once for a rewrite that is not exact (registry.path), at its first use', () => {
    const r = render(rule(and([
      pred('registry.path', 'endswith', ['\\Run\\x'], { origin: at(14, 5) }),
      pred('registry.path', 'contains', ['\\Software\\'], { origin: at(15, 5) }),
    ]), [], { category: 'registry_set' }), 'kql');
    expect(r.ok).toBe(true);
    expect(pos(r.diagnostics, 'RB404')).toEqual([[FILE, 14, 5]]);
  });
  it('RB404 for a log source that is not exact, at the log source', () => {
    const r = render(rule(pred('process.name', 'eq', ['x']), [], { category: 'dns_query', origin: at(2, 1) }), 'kql');
    expect(r.ok).toBe(true);
    expect(pos(r.diagnostics, 'RB404')).toEqual([[FILE, 2, 1]]);
    expect(r.query).toBe("DeviceEvents\n| where ActionType == 'DnsQueryResponse' and InitiatingProcessFileName =~ 'x'\n");
  });
  it('RB432 for a filter after an aggregate on a column the aggregate does not produce: SPL reads null, the filter is false', () => {
    const r = render(rule(pred('process.name', 'eq', ['x']), [
      { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'count', as: 'count' }], origin: at(20, 3) },
      { kind: 'filter', expr: pred('process.name', 'eq', ['x'], { origin: at(21, 9) }), origin: at(21, 3) },
    ]), 'kql');
    expect(pos(r.diagnostics, 'RB432')).toEqual([[FILE, 21, 9]]);
    expect(r.diagnostics.find((d) => d.code === 'RB432')!.severity).toBe('warning');
    expect(r.query!.trimEnd().split('\n').at(-1)).toBe('| where false');
  });
  it('RB430 for a strftime specifier format_datetime lacks', () => {
    const r = render(rule(pred('process.name', 'eq', ['x']), [
      { kind: 'eval', assign: [{ field: 't', expr: { kind: 'call', fn: 'strftime', args: [{ kind: 'field', name: '@timestamp' }, { kind: 'lit', value: '%j' }], origin: at(22, 11) } }], origin: at(22, 3) },
    ]), 'kql');
    expect(pos(r.diagnostics, 'RB430')).toEqual([[FILE, 22, 11]]);
  });
  it('RB401 for a function the column declares unsupported', () => {
    const r = render(rule(pred('process.name', 'eq', ['x']), [
      { kind: 'eval', assign: [{ field: 't', expr: { kind: 'call', fn: 'substr', args: [{ kind: 'field', name: 'process.name' }, { kind: 'lit', value: 2 }], origin: at(23, 11) } }], origin: at(23, 3) },
      { kind: 'filter', expr: pred('t', 'eq', ['y']) },
    ]), 'kql');
    expect(pos(r.diagnostics, 'RB401')).toEqual([[FILE, 23, 11]]);
  });
  it('RB431 (info) for ctime of a field the summary did not compute: left out, as Splunk leaves it absent', () => {
    const ctime = { kind: 'call' as const, fn: 'strftime', args: [{ kind: 'field' as const, name: 'firstTime' }, { kind: 'lit' as const, value: '%Y-%m-%dT%H:%M:%S' }], origin: at(30, 7) };
    const r = render(rule(pred('process.name', 'eq', ['x']), [
      { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'count', as: 'count' }], origin: at(29, 3) },
      { kind: 'eval', assign: [{ field: 'firstTime', expr: ctime }], origin: at(30, 7) },
    ]), 'kql');
    expect(r.ok).toBe(true);
    expect(r.query).toBe("DeviceProcessEvents\n| where FileName =~ 'x'\n| summarize ['count'] = count() by dest = DeviceName\n");
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.line, d.column])).toEqual([['RB431', 'info', 30, 7]]);
  });
  it('but an assignment that overwrites an existing field with a missing one is not a drop: after the summary the field is absent, so null', () => {
    const r = render(rule(pred('process.name', 'eq', ['x']), [
      { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'count', as: 'count' }], origin: at(29, 3) },
      { kind: 'eval', assign: [{ field: 'dest', expr: { kind: 'call', fn: 'lower', args: [{ kind: 'field', name: 'nope', origin: at(31, 20) }] } }], origin: at(31, 7) },
    ]), 'kql');
    expect(r.ok).toBe(true);
    expect(r.query!.trimEnd().split('\n').pop()).toBe("| extend dest = tolower('')");
  });
  it('and before a summary a field with no column is still RB403 (the source may hold it)', () => {
    const r = render(rule(pred('process.name', 'eq', ['x']), [
      { kind: 'eval', assign: [{ field: 'process.name', expr: { kind: 'call', fn: 'lower', args: [{ kind: 'field', name: 'nope', origin: at(32, 20) }] } }], origin: at(32, 7) },
    ]), 'kql', { dialect: 'defender' });
    expect(r.ok).toBe(false);
    expect(pos(r.diagnostics, 'RB403')).toEqual([[FILE, 32, 20]]);
  });
  it('values(x) as x by x keeps one column, as SPL shows one', () => {
    const r = render(rule(pred('process.name', 'eq', ['x']), [
      { kind: 'aggregate', groupBy: [{ field: 'process.command_line', as: 'process' }], aggs: [{ fn: 'count', as: 'count' }, { fn: 'values', field: 'process.command_line', as: 'process' }], origin: at(40, 3) },
    ]), 'kql');
    expect(r.query).toBe("DeviceProcessEvents\n| where FileName =~ 'x'\n| summarize ['count'] = count() by process = ProcessCommandLine\n");
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
  it('RB401 when an aggregate of another field takes a group-by key\'s name', () => {
    const r = render(rule(pred('process.name', 'eq', ['x']), [
      { kind: 'aggregate', groupBy: [{ field: 'process.command_line', as: 'process' }], aggs: [{ fn: 'values', field: 'process.name', as: 'process' }], origin: at(41, 3) },
      { kind: 'filter', expr: pred('process', 'eq', ['x'], { origin: at(42, 9) }) },
    ]), 'kql');
    // only the first error: the filter after the failed summary is not reported as well
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column])).toEqual([['RB401', 41, 3]]);
  });
  it('a rename onto an existing column replaces it, as SPL rename does', () => {
    const r = render(rule(pred('process.name', 'eq', ['x']), [
      { kind: 'aggregate', groupBy: [{ field: 'process.command_line', as: 'P.process' }], aggs: [{ fn: 'values', field: 'process.name', as: 'process' }], origin: at(42, 3) },
      { kind: 'rename', pairs: [{ from: 'P.*', to: '*' }], origin: at(43, 3) },
    ]), 'kql');
    expect(r.query!.split('\n').slice(3, 5)).toEqual(['| project-away process', "| project-rename process = ['P.process']"]);
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
  it('dedup keeps the latest event per key among those that have every key', () => {
    const r = render(rule(pred('process.name', 'eq', ['x']), [{ kind: 'dedup', fields: ['host.name', 'process.pid'], origin: at(44, 3) }]), 'kql');
    expect(r.query).toBe("DeviceProcessEvents\n| where FileName =~ 'x'\n| where isnotempty(DeviceName) and isnotnull(ProcessId)\n| summarize arg_max(Timestamp, *) by DeviceName, ProcessId\n");
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
  it('RB401 for dedup after an aggregate and a sort (an order KQL does not keep), at the stage', () => {
    const r = render(rule(pred('process.name', 'eq', ['x']), [
      { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }, { field: 'process.pid', as: 'pid' }], aggs: [{ fn: 'count', as: 'count' }], origin: at(45, 3) },
      { kind: 'sort', keys: [{ field: 'count', desc: true }] },
      { kind: 'dedup', fields: ['dest'], origin: at(46, 3) },
      { kind: 'filter', expr: pred('count', 'gt', [1]), origin: at(47, 3) },
    ]), 'kql');
    expect(pos(r.diagnostics, 'RB401')).toEqual([[FILE, 46, 3]]);
  });
  it('rex becomes extract() of the named group, numbered as RE2 numbers it', () => {
    const r = render(rule(pred('process.name', 'eq', ['x']), [
      { kind: 'extract', field: 'process.command_line', pattern: '(\\w+)\\s+(?<target>[^ ]+)\\s(?P<rest>.*)', names: ['target', 'rest'], origin: at(48, 3) },
    ]), 'kql');
    expect(r.query!.trimEnd().split('\n').pop()).toBe("| extend target = extract('(\\\\w+)\\\\s+(?P<target>[^ ]+)\\\\s(?P<rest>.*)', 2, ProcessCommandLine), rest = extract('(\\\\w+)\\\\s+(?P<target>[^ ]+)\\\\s(?P<rest>.*)', 3, ProcessCommandLine)");
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
  it('RB430 for a rex pattern RE2 rejects, RB401 for a rex into an existing field from a group that may not take part', () => {
    const bad = render(rule(pred('process.name', 'eq', ['x']), [{ kind: 'extract', field: 'process.command_line', pattern: '(?<=a)(?<b>x)', names: ['b'], origin: at(49, 3) }]), 'kql');
    expect(pos(bad.diagnostics, 'RB430')).toEqual([[FILE, 49, 3]]);
    const over = render(rule(pred('process.name', 'eq', ['x']), [{ kind: 'extract', field: 'process.command_line', pattern: '(?<x>a)', names: ['x'], origin: at(50, 3) }, { kind: 'extract', field: 'process.command_line', pattern: '(?<x>b)?c', names: ['x'], origin: at(51, 3) }]), 'kql');
    expect(pos(over.diagnostics, 'RB401')).toEqual([[FILE, 51, 3]]);
  });
  it('RB405 for an aggregate of a field with no column: shown as a constant after the summary', () => {
    const r = render(rule(pred('process.name', 'eq', ['x']), [
      { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'count', as: 'count' }, { fn: 'values', field: 'process.entity_id', as: 'process_guid' }, { fn: 'dc', field: 'process.parent.entity_id', as: 'parents' }], origin: at(52, 3) },
    ]), 'kql');
    expect(r.query!.trimEnd().split('\n').slice(2)).toEqual(["| summarize ['count'] = count() by dest = DeviceName", "| extend process_guid = '', parents = 0"]);
    expect(pos(r.diagnostics, 'RB405')).toEqual([[FILE, 52, 3], [FILE, 52, 3]]);
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
  it('RB411 for an unknown dialect', () => {
    const r = render(rule(pred('process.name', 'eq', ['x'])), 'kql', { dialect: 'splunk' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['RB411']);
  });
  it('head before any sort is the latest events, as Splunk returns them', () => {
    const r = render(rule(pred('process.name', 'eq', ['x']), [{ kind: 'head', n: 5 }]), 'kql');
    expect(r.query).toBe("DeviceProcessEvents\n| where FileName =~ 'x'\n| top 5 by Timestamp desc\n");
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
  it('a user template receives the query', () => {
    const r = render(rule(pred('process.name', 'eq', ['x'])), 'kql', { template: 'test/fixtures/kql/wrap.hbs' });
    expect(r.query).toBe("// hand-made\nDeviceProcessEvents\n| where FileName =~ 'x'\n\n");
  });
});
