import { describe, it, expect } from 'vitest';
import type { Expr, Stage } from '../../../src/ir/index.js';
import { fromText, noOrigins, rule2024 } from './load.js';

/** Lowers a search over raw Sysmon process events (so fields map through mappings/windows.json). */
function lower(spl: string): { filter: Expr; stages: Stage[] } {
  const r = fromText(rule2024('`sysmon` EventCode=1 ' + spl));
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || !r.rule) throw new Error(JSON.stringify(errors));
  return noOrigins({ filter: r.rule.query.filter, stages: r.rule.query.stages });
}
const P = (field: string, op: string, values: unknown[], caseSensitive = false) => ({ kind: 'pred', field, op, values, caseSensitive, quantifier: 'any' });

describe('search-language semantics', () => {
  it.each([
    ['Image=*\\\\cmd.exe', P('process.executable', 'endswith', ['\\cmd.exe'])],
    ['Image="C:\\\\Windows\\\\*.exe"', P('process.executable', 'wildcard', ['C:\\\\Windows\\\\*.exe'])],
    // `?` is literal in SPL; the glob escapes it.
    ['CommandLine="a?b*c"', P('process.command_line', 'wildcard', ['a\\?b*c'])],
    ['CommandLine=*', P('process.command_line', 'exists', [true])],
    ['ProcessId>100', P('process.pid', 'gt', [100])],
    ['ProcessId<=5', P('process.pid', 'le', [5])],
    ['Image IN (a.exe, "b.exe")', P('process.executable', 'eq', ['a.exe', 'b.exe'])],
  ])('%s', (spl, expected) => {
    expect(lower(spl).filter).toEqual(expected);
  });

  it('field!=value requires the field; NOT field=value does not', () => {
    expect(lower('Image!=x').filter).toEqual({ kind: 'and', args: [P('process.executable', 'exists', [true]), { kind: 'not', arg: P('process.executable', 'eq', ['x']) }] });
    expect(lower('NOT Image=x').filter).toEqual({ kind: 'not', arg: P('process.executable', 'eq', ['x']) });
  });

  it('OR binds tighter than the implicit AND (Splunk search precedence)', () => {
    expect(lower('Image=a CommandLine=b OR User=c').filter).toEqual({
      kind: 'and',
      args: [P('process.executable', 'eq', ['a']), { kind: 'or', args: [P('process.command_line', 'eq', ['b']), P('user.name', 'eq', ['c'])] }],
    });
  });

  it('search-language booleans are upper case only; a lower-case `or` is a term and is reported', () => {
    const r = fromText(rule2024('`sysmon` EventCode=1 Image=a or User=b'));
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column])).toEqual([['RB250', 10, 32]]);
    expect(r.diagnostics.find((d) => d.code === 'RB250')!.message).toMatch(/upper case/);
  });

  it('command keywords (FROM, WHERE, BY, AS) and eval booleans are case-insensitive', () => {
    const a = fromText(rule2024('| tstats count AS n FROM datamodel=Endpoint.Processes WHERE Processes.process_name=x BY Processes.dest | where n > 1 AND NOT n = 3'));
    const b = fromText(rule2024('| tstats count as n from datamodel=Endpoint.Processes where Processes.process_name=x by Processes.dest | where n > 1 and not n = 3'));
    expect(a.diagnostics).toEqual([]);
    expect(noOrigins(b.rule!.query)).toEqual(noOrigins(a.rule!.query));
  });
});

describe('eval-language semantics (where)', () => {
  it('where comparisons, match() and like() are case-sensitive; like escapes glob characters', () => {
    expect(lower('| where Image="X" AND match(CommandLine, "^a.*b") AND like(User, "a*b%_")').filter).toEqual({
      kind: 'and',
      args: [
        P('process.executable', 'eq', ['X'], true),
        P('process.command_line', 'regex', ['^a.*b'], true),
        P('user.name', 'wildcard', ['a\\*b*?'], true),
      ],
    });
  });

  it('where x IN (…), isnull, cidrmatch and field-to-field comparison', () => {
    expect(lower('| where ParentImage IN ("a", "b") AND isnull(User) AND cidrmatch("10.0.0.0/8", SourceIp) AND Image=ParentImage').filter).toEqual({
      kind: 'and',
      args: [
        P('process.parent.executable', 'eq', ['a', 'b'], true),
        P('user.name', 'exists', [false]),
        P('winlog.event_data.SourceIp', 'cidr', ['10.0.0.0/8']),
        P('process.executable', 'fieldref', ['process.parent.executable'], true),
      ],
    });
  });

  it('a computed condition becomes a test node', () => {
    const f = lower('| where len(CommandLine) > 100').filter;
    expect(f).toEqual({
      kind: 'test',
      expr: { kind: 'binary', op: '>', left: { kind: 'call', fn: 'len', args: [{ kind: 'field', name: 'process.command_line' }] }, right: { kind: 'lit', value: 100 } },
    });
  });
});

describe('stages', () => {
  it('bin _time span + stats by _time → aggregate with a span; where after it → filter on the output column', () => {
    const { stages } = lower('| bin _time span=1h | stats dc(Image) as n by _time Computer | where n >= 3');
    expect(stages).toEqual([
      { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'Computer' }], aggs: [{ fn: 'dc', field: 'process.executable', as: 'n' }], span: { field: '@timestamp', seconds: 3600, as: '_time' } },
      { kind: 'filter', expr: P('n', 'ge', [3]) },
    ]);
  });

  it('bin _time may be separated from its stats by commands that do not touch _time', () => {
    const { stages } = lower('| bucket span=5m _time | eval x=1 | stats count by _time x');
    expect(stages[1]).toMatchObject({ kind: 'aggregate', groupBy: [{ field: 'x', as: 'x' }], span: { seconds: 300 } });
    const r = fromText(rule2024('`sysmon` EventCode=1 | bin _time span=5m | eval _time=now() | stats count by _time'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['RB250']);
  });

  it('eval, convert (default format), rex, fillnull, dedup, sort, head, table, fields -', () => {
    const { stages } = lower('| eval x=lower(Image) | convert ctime(_time) as t | rex field=CommandLine "-p (?<port>\\d+)" | fillnull value=0 port | dedup x | sort - port | head 5 | table x port | fields - port');
    expect(stages).toEqual([
      { kind: 'eval', assign: [{ field: 'x', expr: { kind: 'call', fn: 'lower', args: [{ kind: 'field', name: 'process.executable' }] } }] },
      { kind: 'eval', assign: [{ field: 't', expr: { kind: 'call', fn: 'strftime', args: [{ kind: 'field', name: '@timestamp' }, { kind: 'lit', value: '%m/%d/%Y %H:%M:%S' }] } }] },
      { kind: 'extract', field: 'process.command_line', pattern: '-p (?<port>\\d+)', names: ['port'] },
      { kind: 'fillnull', fields: ['port'], value: 0 },
      { kind: 'dedup', fields: ['x'] },
      { kind: 'sort', keys: [{ field: 'port', desc: true }] },
      { kind: 'head', n: 5 },
      { kind: 'project', fields: ['x', 'port'], mode: 'keep' },
      { kind: 'project', fields: ['port'], mode: 'drop' },
    ]);
  });

  it('a search before any stage joins the filter; the regex command is a case-sensitive regex', () => {
    const { filter, stages } = lower('| search User=a | regex CommandLine!="(?i)x"');
    expect(stages).toEqual([]);
    expect(filter).toEqual({ kind: 'and', args: [P('user.name', 'eq', ['a']), { kind: 'not', arg: P('process.command_line', 'regex', ['(?i)x'], true) }] });
  });

  it('tstats by _time span=1h, count(eval(…)) and where count > 5', () => {
    const r = fromText(rule2024('| tstats count from datamodel=Endpoint.Registry where Registry.registry_path="*\\\\Run\\\\*" by _time span=1h Registry.dest | `drop_dm_object_name(Registry)` | where count > 5'));
    expect(r.diagnostics).toEqual([]);
    expect(noOrigins(r.rule!.query)).toEqual({
      source: { product: 'windows', category: 'registry_event', extra: { datamodel: 'Endpoint.Registry' } },
      filter: P('registry.path', 'contains', ['\\Run\\']),
      stages: [
        { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'count', as: 'count' }], span: { field: '@timestamp', seconds: 3600, as: '_time' } },
        { kind: 'filter', expr: P('count', 'gt', [5]) },
      ],
    });
  });

  it('stats count(eval(cond)) keeps the condition on the aggregate', () => {
    const { stages } = lower('| stats count(eval(User="SYSTEM")) as sys by Computer');
    expect(stages[0]).toEqual({ kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'Computer' }], aggs: [{ fn: 'count', where: P('user.name', 'eq', ['SYSTEM'], true), as: 'sys' }] });
  });
});

describe('conditional aggregates', () => {
  it('values(eval(if(c, x, null()))) is values of x over the rows where c holds', () => {
    const { stages } = lower('| stats values(eval(if(User=="a", Image, null()))) as imgs by Computer');
    expect(stages[0]).toEqual({ kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'Computer' }], aggs: [{ fn: 'values', field: 'process.executable', where: P('user.name', 'eq', ['a'], true), as: 'imgs' }] });
  });
});

describe('unsupported constructs are errors at their position, never silently dropped', () => {
  it.each([
    ['| bin _time span=1h | table Image', 'RB250'],
    ['| stats values(x.*) as * by Computer', 'RB250'],
    ['earliest=-24h', 'RB250'],
    ['| where searchmatch("x")', 'RB250'],
    ['| dedup 2 Image', 'RB250'],
    ['| rex mode=sed field=Image "s/a/b/"', 'RB250'],
    ['Image>abc', 'RB250'],
    ['| mvexpand Image limit=2', 'RB250'],
    ['Image IN ("a",""*b*"")', 'RB202'],
    ['Image="a"AND User=b', 'RB202'],
  ])('%s → %s', (spl, code) => {
    const r = fromText(rule2024('`sysmon` EventCode=1 ' + spl));
    expect(r.rule).toBeUndefined();
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line])).toEqual([[code, 10]]);
  });
});
