/**
 * Sigma correlation rules → IR: one fixture per correlation type (test/fixtures/sigma/
 * correlations, each with the rules it references) with its expected query, and the
 * diagnostics of broken correlations asserted by code, line and column.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadRuleText, linkRules } from '../../../src/frontends/load.js';
import type { Expr, Query, QueryInput, Stage } from '../../../src/ir/nodes.js';
import { validateValue } from '../../../src/source/index.js';
import { stripOrigins } from './helpers.js';

const DIR = resolve(__dirname, '..', '..', 'fixtures', 'sigma', 'correlations');
const PROC = { product: 'windows', category: 'process_creation' };
const NET = { product: 'windows', category: 'network_connection' };

const ends = (v: string): Expr => ({ kind: 'pred', field: 'process.executable', op: 'endswith', values: [v], caseSensitive: false, quantifier: 'any' });
const cmp = (field: string, op: 'gt' | 'ge' | 'lt' | 'le' | 'eq', n: number): Expr => ({ kind: 'pred', field, op, values: [n], caseSensitive: false, quantifier: 'any' });
const input = (name: string, source: object, filter: Expr): QueryInput => ({ name, source, filter, aliases: [] });
const WHOAMI = input('recon_whoami', PROC, ends('\\whoami.exe'));
const NETEXE = input('recon_net', PROC, ends('\\net.exe'));
const IPCONFIG = input('recon_ipconfig', PROC, ends('\\ipconfig.exe'));
const CURL = input('curl_transfer', NET, ends('\\curl.exe'));
const BY_USER = [{ field: 'user.name', as: 'user.name' }];
const span = (seconds: number) => ({ field: '@timestamp', seconds, as: '_time' });
const BYTES = 'winlog.event_data.BytesSent';

/** A correlation query: union of the inputs, then the stages. */
function corr(inputs: QueryInput[], stages: Stage[]): Query {
  return { source: {}, filter: { kind: 'const', value: true }, stages, inputs };
}

/** Expected IR of each fixture's correlation. */
const EXPECTED: Record<string, Query> = {
  event_count: corr([WHOAMI], [
    { kind: 'aggregate', groupBy: BY_USER, aggs: [{ fn: 'count', as: 'event_count' }], span: span(600) },
    { kind: 'filter', expr: cmp('event_count', 'ge', 3) },
  ]),
  value_count: corr([NETEXE], [
    { kind: 'aggregate', groupBy: BY_USER, aggs: [{ fn: 'dc', field: 'process.command_line', as: 'value_count' }], span: span(600) },
    { kind: 'filter', expr: cmp('value_count', 'ge', 2) },
  ]),
  temporal: corr([WHOAMI, NETEXE, IPCONFIG], [
    { kind: 'aggregate', groupBy: BY_USER, aggs: [{ fn: 'dc', field: 'rule.name', as: 'rule_count' }], span: span(600) },
    { kind: 'filter', expr: cmp('rule_count', 'ge', 3) },
  ]),
  temporal_ordered: corr([WHOAMI, NETEXE], [{ kind: 'sequence', by: ['user.name'], maxspan: 600, steps: ['recon_whoami', 'recon_net'] }]),
  value_sum: corr([CURL], [
    { kind: 'aggregate', groupBy: BY_USER, aggs: [{ fn: 'sum', field: BYTES, as: 'value_sum' }], span: span(3600) },
    { kind: 'filter', expr: cmp('value_sum', 'gt', 1000) },
  ]),
  value_avg: corr([CURL], [
    { kind: 'aggregate', groupBy: BY_USER, aggs: [{ fn: 'avg', field: BYTES, as: 'value_avg' }], span: span(3600) },
    { kind: 'filter', expr: cmp('value_avg', 'gt', 500) },
  ]),
  value_percentile: corr([CURL], [
    { kind: 'aggregate', groupBy: BY_USER, aggs: [{ fn: 'percentile', field: BYTES, param: 90, as: 'value_percentile' }], span: span(3600) },
    { kind: 'filter', expr: cmp('value_percentile', 'ge', 900) },
  ]),
  value_median: corr([CURL], [
    { kind: 'aggregate', groupBy: BY_USER, aggs: [{ fn: 'median', field: BYTES, as: 'value_median' }], span: span(3600) },
    { kind: 'filter', expr: { kind: 'and', args: [cmp('value_median', 'ge', 100), cmp('value_median', 'le', 1000)] } },
  ]),
};

function load(text: string, file = 'c.yml') {
  return loadRuleText(file, text);
}

/** code@line:column of every error and warning of the first document (the correlation). */
function corrDiags(text: string): string[] {
  const [c] = load(text);
  expect(c!.rule).toBeUndefined();
  return c!.diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.code}@${d.line}:${d.column}`);
}

describe('sigma correlations → IR, one per type', () => {
  for (const [type, query] of Object.entries(EXPECTED)) {
    it(type, () => {
      const rules = load(readFileSync(join(DIR, `${type}.yml`), 'utf8'), `${type}.yml`);
      const [c, ...refs] = rules;
      expect(c!.diagnostics).toEqual([]);
      expect(stripOrigins(c!.rule!.query)).toEqual(query);
      expect(validateValue('ir', c!.rule)).toEqual([]);
      // generate: false (the default): the referenced rules are inputs only, each saying so.
      for (const r of refs) {
        expect(r.rule).toBeUndefined();
        expect(r.diagnostics.map((d) => d.code)).toEqual(['RB358']);
      }
    });
  }
  it('keeps the metadata of the correlation document', () => {
    const [c] = load(readFileSync(join(DIR, 'event_count.yml'), 'utf8'));
    expect(c!.rule!.meta).toMatchObject({ id: '1f6b0e0a-1111-4a1a-8a1a-000000000001', title: 'Whoami run three times by one user within ten minutes', level: 'medium', status: 'test', author: 'rulebridge tests' });
  });
  it('positions: the stage at the type, each input at its reference', () => {
    const [c] = load(readFileSync(join(DIR, 'temporal.yml'), 'utf8'));
    expect(c!.rule!.query.stages[0]!.origin).toMatchObject({ line: 5, column: 11 });
    expect(c!.rule!.query.inputs!.map((i) => i.origin?.line)).toEqual([7, 8, 9]);
  });
});

/** A correlation document over two rules of the same file. */
function twoRules(corrLines: string[], logsource2 = 'process_creation'): string {
  return [
    'title: C', 'id: 5c0f3f8e-0000-4000-8000-000000000001', 'correlation:', ...corrLines, '---',
    'title: A', 'name: rule_a', 'logsource:', '    product: windows', '    category: process_creation', 'detection:', '    sel:', "        Image|endswith: '\\a.exe'", '    condition: sel', '---',
    'title: B', 'id: 5c0f3f8e-0000-4000-8000-0000000000bb', 'name: rule_b', 'logsource:', '    product: windows', `    category: ${logsource2}`, 'detection:', '    sel:', "        Image|endswith: '\\b.exe'", '    condition: sel', '',
  ].join('\n');
}

describe('sigma correlation features', () => {
  it('aliases map each rule\'s own field to one group-by name', () => {
    const text = twoRules(['    type: temporal', '    rules: [rule_a, rule_b]', '    group-by: [host]', '    timespan: 5m', '    aliases:', '        host:', '            rule_a: Computer', '            rule_b: DestinationHostname'], 'network_connection');
    const [c] = load(text);
    expect(c!.diagnostics).toEqual([]);
    const q = c!.rule!.query;
    expect(q.inputs!.map((i) => i.aliases)).toEqual([[{ as: 'host', field: 'host.name' }], [{ as: 'host', field: 'destination.domain' }]]);
    expect((q.stages[0] as { groupBy: unknown }).groupBy).toEqual([{ field: 'host', as: 'host' }]);
  });
  it('a group-by field the rules name differently becomes an alias of its Sigma name', () => {
    // Image is process.executable in both categories, so it stays canonical; a field with no mapping keeps its event_data name.
    const [c] = load(twoRules(['    type: temporal', '    rules: [rule_a, rule_b]', '    group-by: [Image]', '    timespan: 5m'], 'network_connection'));
    expect((c!.rule!.query.stages[0] as { groupBy: unknown }).groupBy).toEqual([{ field: 'process.executable', as: 'process.executable' }]);
  });
  it('references by id and by name; the input is named by the rule\'s name', () => {
    const [c] = load(twoRules(['    type: temporal_ordered', '    rules:', '        - rule_a', '        - 5c0f3f8e-0000-4000-8000-0000000000bb', '    group-by: [User]', '    timespan: 2h']));
    expect(c!.rule!.query.stages).toMatchObject([{ kind: 'sequence', steps: ['rule_a', 'rule_b'], maxspan: 7200 }]);
  });
  it('temporal with a condition keeps it (two of the rules)', () => {
    const [c] = load(twoRules(['    type: temporal', '    rules: [rule_a, rule_b]', '    group-by: [User]', '    timespan: 1d', '    condition:', '        gte: 1']));
    expect(stripOrigins(c!.rule!.query.stages[1])).toEqual({ kind: 'filter', expr: cmp('rule_count', 'ge', 1) });
  });
  it('neq and ranges', () => {
    const [c] = load(twoRules(['    type: event_count', '    rules: [rule_a]', '    group-by: [User]', '    timespan: 30s', '    condition:', '        gt: 2', '        neq: 5']));
    expect(stripOrigins(c!.rule!.query.stages[1])).toEqual({ kind: 'filter', expr: { kind: 'and', args: [cmp('event_count', 'gt', 2), { kind: 'not', arg: cmp('event_count', 'eq', 5) }] } });
    expect((c!.rule!.query.stages[0] as { span: unknown }).span).toEqual(span(30));
  });
  it('value_count over two fields: one column each, the condition on both (AND)', () => {
    const [c] = load(twoRules(['    type: value_count', '    rules: [rule_a]', '    group-by: [User]', '    timespan: 1h', '    condition:', '        field: [CommandLine, ParentImage]', '        gte: 3']));
    const [agg, f] = c!.rule!.query.stages;
    expect((agg as { aggs: unknown }).aggs).toEqual([{ fn: 'dc', field: 'process.command_line', as: 'value_count_1' }, { fn: 'dc', field: 'process.parent.executable', as: 'value_count_2' }]);
    expect(stripOrigins(f)).toEqual({ kind: 'filter', expr: { kind: 'and', args: [cmp('value_count_1', 'ge', 3), cmp('value_count_2', 'ge', 3)] } });
  });
  it('generate: true keeps the referenced rules as rules of their own', () => {
    const text = twoRules(['    type: event_count', '    rules: [rule_a]', '    group-by: [User]', '    timespan: 1h', '    condition:', '        gte: 2']).replace('correlation:', 'generate: true\ncorrelation:');
    const [c, a, b] = load(text);
    expect(c!.rule).toBeDefined();
    expect(a!.rule).toBeDefined();
    expect(a!.diagnostics).toEqual([]);
    expect(b!.rule).toBeDefined(); // not referenced at all
  });
  it('links across the files of a batch (linkRules), by name', () => {
    const corrText = ['title: C', 'correlation:', '    type: event_count', '    rules: [rule_x]', '    group-by: [User]', '    timespan: 1h', '    condition:', '        gte: 2', ''].join('\n');
    const ruleText = ['title: X', 'name: rule_x', 'logsource:', '    product: windows', '    category: process_creation', 'detection:', '    sel:', "        Image|endswith: '\\x.exe'", '    condition: sel', ''].join('\n');
    const alone = load(corrText, 'corr.yml');
    expect(alone[0]!.diagnostics.map((d) => d.code)).toEqual(['RB351']);
    const batch = linkRules([...alone, ...load(ruleText, 'rule.yml')]);
    expect(batch[0]!.diagnostics).toEqual([]);
    expect(batch[0]!.rule!.query.inputs!.map((i) => i.name)).toEqual(['rule_x']);
    expect(batch[1]!.rule).toBeUndefined();
    expect(batch[1]!.diagnostics.map((d) => d.code)).toEqual(['RB358']);
    // Linking again gives the same result (it starts from each document's own result).
    expect(stripOrigins(linkRules(batch).map((r) => [r.rule, r.diagnostics.map((d) => d.code)]))).toEqual(stripOrigins(batch.map((r) => [r.rule, r.diagnostics.map((d) => d.code)])));
  });
});

describe('sigma correlation diagnostics (code@line:column)', () => {
  it('RB351 unknown reference, at the list item', () => {
    expect(corrDiags(twoRules(['    type: temporal', '    rules: [rule_a, nope]', '    group-by: [User]', '    timespan: 5m']))).toEqual(['RB351@5:21']);
  });
  it('RB351 for a referenced rule that did not lower (its own error stays with it)', () => {
    const text = twoRules(['    type: temporal', '    rules: [rule_a]', '    group-by: [User]', '    timespan: 5m']).replace("Image|endswith: '\\a.exe'", "Image|bogus: 'a'");
    const [c, a] = load(text);
    expect(c!.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['RB351@5:13']);
    expect(a!.diagnostics.map((d) => d.code)).toEqual(['RB303']);
  });
  it('RB357 bad timespan, at its value', () => {
    expect(corrDiags(twoRules(['    type: temporal', '    rules: [rule_a]', '    group-by: [User]', '    timespan: 5 minutes']))).toEqual(['RB357@7:15']);
  });
  it('RB356 value_sum without a field, at the condition', () => {
    expect(corrDiags(twoRules(['    type: value_sum', '    rules: [rule_a]', '    group-by: [User]', '    timespan: 5m', '    condition:', '        gt: 5']))).toEqual(['RB356@9:9']);
  });
  it('RB356 value_percentile without its percentile', () => {
    expect(corrDiags(twoRules(['    type: value_percentile', '    rules: [rule_a]', '    group-by: [User]', '    timespan: 5m', '    condition:', '        field: CommandLine', '        gt: 5']))).toEqual(['RB356@9:9']);
  });
  it('RB351 alias naming a rule the correlation does not reference, at the key', () => {
    expect(corrDiags(twoRules(['    type: temporal', '    rules: [rule_a]', '    group-by: [h]', '    timespan: 5m', '    aliases:', '        h:', '            rule_z: Computer']))).toEqual(['RB351@10:13']);
  });
  it('RB355 for a cycle of correlations, RB350 for a chain', () => {
    const text = [
      'title: C1', 'name: c1', 'correlation:', '    type: temporal', '    rules: [c2]', '    group-by: [User]', '    timespan: 5m', '---',
      'title: C2', 'name: c2', 'correlation:', '    type: temporal', '    rules: [c1]', '    group-by: [User]', '    timespan: 5m', '---',
      'title: C3', 'correlation:', '    type: temporal', '    rules: [c1]', '    group-by: [User]', '    timespan: 5m', '',
    ].join('\n');
    const [c1, c2, c3] = load(text);
    expect(c1!.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['RB355@5:13']);
    expect(c2!.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['RB355@13:13']);
    expect(c3!.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['RB350@20:13']);
  });
  it('RB350 temporal_ordered asking for fewer rules than it lists', () => {
    expect(corrDiags(twoRules(['    type: temporal_ordered', '    rules: [rule_a, rule_b]', '    group-by: [User]', '    timespan: 5m', '    condition:', '        gte: 1']))).toEqual(['RB350@9:9']);
  });
  it('RB110 schema violation: a type Sigma does not define, at the value', () => {
    expect(corrDiags(twoRules(['    type: value_mode', '    rules: [rule_a]', '    group-by: [User]', '    timespan: 5m']))).toEqual(['RB110@4:11']);
  });
});

describe('sigma correlation metadata', () => {
  it('falsepositives given as one string (the correlation schema allows it) is a one-item list', () => {
    const text = readFileSync(join(DIR, 'event_count.yml'), 'utf8').replace('level: medium', 'falsepositives: Admins testing\nlevel: medium');
    const [c] = load(text);
    expect(c!.rule!.meta.falsepositives).toEqual(['Admins testing']);
  });
});
