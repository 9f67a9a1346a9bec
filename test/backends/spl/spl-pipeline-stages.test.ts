/**
 * SPL rendering of eventstats, mvexpand, lookup, join (a sub-query rendered as its own
 * search), correlation inputs (multisearch, one tagged branch per input) and the refusal of
 * ordered sequences, from IR built by hand. Every output re-parses with the test grammar.
 */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { pred, TRUE } from '../../../src/ir/build.js';
import { INPUT_FIELD, type Query, type RuleIR } from '../../../src/ir/index.js';
import { parseSpl } from '../../helpers/spl-parse.js';
import { AT, ruleOf } from '../eql/helpers.js';

const proc = { product: 'windows', category: 'process_creation' };
const net = { product: 'windows', category: 'network_connection' };

function ok(rule: RuleIR): string {
  const out = render(rule, 'spl');
  expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  parseSpl(out.query!);
  return out.query!;
}

describe('spl: stages that keep the rows', () => {
  it('eventstats adds each group\'s aggregates to its rows', () => {
    const q = ok(ruleOf(pred('process.name', 'eq', ['x']), [{ kind: 'eventstats', groupBy: [{ field: 'host.name', as: 'host.name' }], aggs: [{ fn: 'count', as: 'n' }, { fn: 'dc', field: 'user.name', as: 'users' }] }]));
    expect(q).toBe('| from datamodel:"Endpoint.Processes"\n| search Processes.process_name="x"\n| eventstats count as n dc(Processes.user) as users by Processes.dest');
  });
  it('mvexpand', () => {
    const q = ok(ruleOf(pred('winlog.event_data.Signed', 'eq', ['false']), [{ kind: 'mvexpand', field: 'winlog.event_data.Hashes' }]));
    expect(q).toBe('sourcetype="XmlWinEventLog" source="XmlWinEventLog:Microsoft-Windows-Sysmon/Operational" EventCode=1 Signed="false"\n| mvexpand Hashes');
  });
  it('lookup with keys and outputs; a case-insensitive lookup warns at the stage', () => {
    const lk = { kind: 'lookup' as const, table: 'lolbas_file_path', keys: [{ field: 'process.executable', column: 'lolbas_file_path' }], outputs: [{ column: 'description', as: 'desc' }], caseSensitive: true };
    const q = ok(ruleOf(pred('process.name', 'eq', ['x']), [lk]));
    expect(q).toBe('| from datamodel:"Endpoint.Processes"\n| search Processes.process_name="x"\n| lookup lolbas_file_path lolbas_file_path AS Processes.process_path OUTPUT description AS desc');
    const warned = render(ruleOf(pred('process.name', 'eq', ['x']), [{ ...lk, caseSensitive: false, origin: AT }]), 'spl');
    expect(warned.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB404', 7, 5]]);
  });
  it('a lookup name that could break out is refused', () => {
    const out = render(ruleOf(pred('process.name', 'eq', ['x']), [{ kind: 'lookup', table: 'a | delete', keys: [{ field: 'process.name', column: 'c' }], outputs: [], caseSensitive: true, origin: AT }]), 'spl');
    expect(out.ok).toBe(false);
    expect(out.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB430', 7, 5]]);
  });
});

describe('spl: join', () => {
  it('renders the sub-query as its own search inside brackets', () => {
    const sub: Query = { source: net, filter: pred('destination.port', 'eq', [4444]), stages: [{ kind: 'aggregate', groupBy: [{ field: 'process.entity_id', as: 'guid' }], aggs: [{ fn: 'count', as: 'conns' }] }] };
    const rule = ruleOf(pred('process.name', 'eq', ['x']), [{ kind: 'rename', pairs: [{ from: 'process.entity_id', to: 'guid' }] }, { kind: 'join', type: 'inner', on: ['guid'], query: sub, overwrite: true }, { kind: 'filter', expr: pred('conns', 'gt', [3]) }]);
    const q = ok(rule);
    expect(q).toBe('| from datamodel:"Endpoint.Processes"\n| search Processes.process_name="x"\n| rename Processes.process_guid AS guid\n| join type=inner overwrite=true guid [search sourcetype="XmlWinEventLog" source="XmlWinEventLog:Microsoft-Windows-Sysmon/Operational" EventCode=3 DestinationPort=4444 | stats count as conns by ProcessGuid | rename ProcessGuid AS guid]\n| where conns>3');
    const cmds = parseSpl(q);
    expect(cmds.find((c) => c.name === 'join')!.subsearches![0]!.map((c) => c.name)).toEqual(['search', 'stats', 'rename']);
  });
  it('keeps max: every sub-query row (0) or a count other than the default 1', () => {
    const sub: Query = { source: net, filter: pred('destination.port', 'eq', [4444]), stages: [] };
    const join = (max?: number) => ok(ruleOf(pred('process.name', 'eq', ['x']), [{ kind: 'join', type: 'inner', on: ['host.name'], query: sub, overwrite: true, ...(max === undefined ? {} : { max }) }]));
    const head = (q: string) => q.split('\n').find((l) => l.startsWith('| join'))!.split(' [')[0];
    expect(head(join(0))).toBe('| join type=inner overwrite=true max=0 Processes.dest');
    expect(head(join(3))).toBe('| join type=inner overwrite=true max=3 Processes.dest');
    expect(head(join(1))).toBe('| join type=inner overwrite=true Processes.dest');
    expect(head(join())).toBe('| join type=inner overwrite=true Processes.dest');
    expect(parseSpl(join(0)).some((c) => c.name === 'join')).toBe(true);
  });
  it('an error in the sub-query is reported at its position', () => {
    const sub: Query = { source: net, filter: pred('process.name', 'fieldref', ['user.name'], { refOp: 'contains', origin: AT }), stages: [] };
    const out = render(ruleOf(pred('process.name', 'eq', ['x']), [{ kind: 'join', type: 'left', on: ['host.name'], query: sub, overwrite: false }]), 'spl');
    expect(out.ok).toBe(false);
    expect(out.diagnostics.map((d) => [d.code, d.line, d.column])).toContainEqual(['RB401', 7, 5]);
  });
});

describe('spl: correlation inputs', () => {
  const corr = (stages: RuleIR['query']['stages']): RuleIR => {
    const r = ruleOf(TRUE, stages, {});
    r.query.inputs = [
      { name: 'proc', source: proc, filter: pred('process.executable', 'endswith', ['\\whoami.exe']), aliases: [{ as: 'usr', field: 'user.name' }] },
      { name: 'conn', source: net, filter: pred('destination.port', 'eq', [4444]), aliases: [{ as: 'usr', field: 'user.name' }] },
    ];
    return r;
  };
  it('temporal: multisearch of tagged inputs, bin, stats, where', () => {
    const q = ok(corr([
      { kind: 'aggregate', groupBy: [{ field: 'usr', as: 'usr' }], aggs: [{ fn: 'dc', field: INPUT_FIELD, as: 'rule_count' }], span: { field: '@timestamp', seconds: 300, as: '_time' } },
      { kind: 'filter', expr: pred('rule_count', 'ge', [2]) },
    ]));
    expect(q).toBe('| multisearch [search sourcetype="XmlWinEventLog" source="XmlWinEventLog:Microsoft-Windows-Sysmon/Operational" EventCode=1 Image="*\\\\whoami.exe" | eval rule_name="proc", usr=User] [search sourcetype="XmlWinEventLog" source="XmlWinEventLog:Microsoft-Windows-Sysmon/Operational" EventCode=3 DestinationPort=4444 | eval rule_name="conn", usr=User]\n| bin _time span=300s\n| stats dc(rule_name) as rule_count by usr _time\n| where rule_count>=2');
    const cmds = parseSpl(q);
    expect(cmds[0]!.subsearches!.map((b) => b.map((c) => c.name))).toEqual([['search', 'eval'], ['search', 'eval']]);
  });
  it('a field the inputs name differently cannot be grouped on', () => {
    const out = render(corr([{ kind: 'aggregate', groupBy: [{ field: 'process.command_line', as: 'cmd' }], aggs: [{ fn: 'count', as: 'n' }], origin: AT }]), 'spl');
    expect(out.ok).toBe(false);
    expect(out.diagnostics.map((d) => [d.code, d.line, d.column])).toContainEqual(['RB403', 7, 5]);
  });
  it('an ordered sequence is refused at the stage (RB401)', () => {
    const out = render(corr([{ kind: 'sequence', by: ['usr'], maxspan: 60, steps: ['proc', 'conn'], origin: AT }]), 'spl');
    expect(out.ok).toBe(false);
    expect(out.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB401', 7, 5]]);
  });
});

describe('spl: placeholder lists', () => {
  for (const [refOp, expr] of [['eq', 'value'], ['contains', '"*".value."*"'], ['startswith', 'value."*"'], ['endswith', '"*".value']] as const) {
    it(`${refOp}: a subsearch over the lookup of the list, with a warning at the predicate`, () => {
      const out = render(ruleOf(pred('user.name', 'placeholder', ['Admins'], { refOp, origin: AT })), 'spl');
      expect(out.query).toBe(`| from datamodel:"Endpoint.Processes"\n| search [| inputlookup Admins | eval rb_value=${expr} | rename rb_value AS Processes.user | fields Processes.user]`);
      expect(out.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB404', 7, 5]]);
      const sub = parseSpl(out.query!)[1]!.search as { kind: string; commands: { name: string }[] };
      expect(sub.commands.map((c) => c.name)).toEqual(['inputlookup', 'eval', 'rename', 'fields']);
    });
  }
  it('a list name that could break out, or a case-sensitive list, is refused at the predicate', () => {
    for (const p of [pred('user.name', 'placeholder', ['a] | delete ['], { origin: AT }), pred('user.name', 'placeholder', ['Admins'], { caseSensitive: true, origin: AT })]) {
      const out = render(ruleOf(p), 'spl');
      expect(out.ok).toBe(false);
      expect(out.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB401', 7, 5]]);
    }
  });
});
