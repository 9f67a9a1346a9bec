/**
 * Sigma output of correlations beyond the fixtures: aliases, ranges and neq, temporal with its
 * own condition, value_count over two fields, inputs named by id; each round trips to the same
 * IR. Pipelines Sigma cannot say are refused (RB401).
 */
import { describe, it, expect } from 'vitest';
import { parse } from 'yaml';
import { render } from '../../../src/backends/index.js';
import { loadRuleText } from '../../../src/frontends/load.js';
import type { RuleIR, Stage } from '../../../src/ir/nodes.js';
import { pred } from '../../../src/ir/build.js';
import { stripOrigins } from '../../frontends/sigma/helpers.js';

const RULE_A = ['title: A', 'name: rule_a', 'logsource:', '    product: windows', '    category: process_creation', 'detection:', '    sel:', "        Image|endswith: '\\a.exe'", '    condition: sel'];
const RULE_B = ['title: B', 'id: 5c0f3f8e-0000-4000-8000-0000000000bb', 'logsource:', '    product: windows', '    category: network_connection', 'detection:', '    sel:', "        Image|endswith: '\\b.exe'", '    condition: sel'];

function correlation(lines: string[]): RuleIR {
  const text = ['title: C', 'id: 5c0f3f8e-0000-4000-8000-000000000001', 'level: high', 'correlation:', ...lines, '---', ...RULE_A, '---', ...RULE_B, ''].join('\n');
  const c = loadRuleText('c.yml', text)[0]!;
  if (!c.rule) throw new Error(JSON.stringify(c.diagnostics));
  return c.rule;
}

function roundTrip(rule: RuleIR): { text: string; doc: Record<string, any> } {
  const out = render(rule, 'sigma');
  expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const back = loadRuleText('emitted.yml', out.query!).find((r) => r.rule?.query.inputs)!;
  expect(stripOrigins({ ...back.rule!, file: rule.file })).toEqual(stripOrigins(rule));
  return { text: out.query!, doc: parse(out.query!.split(/^---$/m)[0]!) };
}

describe('sigma correlation output', () => {
  it('aliases, inputs by name and by id', () => {
    const { doc, text } = roundTrip(correlation(['    type: temporal', '    rules:', '        - rule_a', '        - 5c0f3f8e-0000-4000-8000-0000000000bb', '    group-by: [host]', '    timespan: 90m', '    aliases:', '        host:', '            rule_a: Computer', '            5c0f3f8e-0000-4000-8000-0000000000bb: DestinationHostname']));
    expect(doc.correlation).toEqual({ type: 'temporal', rules: ['rule_a', '5c0f3f8e-0000-4000-8000-0000000000bb'], aliases: { host: { rule_a: 'Computer', '5c0f3f8e-0000-4000-8000-0000000000bb': 'DestinationHostname' } }, 'group-by': ['host'], timespan: '90m' });
    expect(doc.level).toBe('high');
    // The rule referenced by id comes back with that id and no name.
    expect(text).toMatch(/^id: 5c0f3f8e-0000-4000-8000-0000000000bb$/m);
  });
  it('ranges and neq', () => {
    const { doc } = roundTrip(correlation(['    type: event_count', '    rules: [rule_a]', '    group-by: [User, Computer]', '    timespan: 2d', '    condition:', '        gt: 2', '        lte: 10', '        neq: 5']));
    expect(doc.correlation.condition).toEqual({ gt: 2, lte: 10, neq: 5 });
    expect(doc.correlation['group-by']).toEqual(['User', 'Computer']);
  });
  it('temporal with its own condition', () => {
    const { doc } = roundTrip(correlation(['    type: temporal', '    rules: [rule_a, 5c0f3f8e-0000-4000-8000-0000000000bb]', '    group-by: [User]', '    timespan: 45s', '    condition:', '        gte: 1']));
    expect(doc.correlation.condition).toEqual({ gte: 1 });
    expect(doc.correlation.timespan).toBe('45s');
  });
  it('value_count over two fields', () => {
    const { doc } = roundTrip(correlation(['    type: value_count', '    rules: [rule_a]', '    group-by: [User]', '    timespan: 1h', '    condition:', '        field: [CommandLine, ParentImage]', '        gte: 3']));
    expect(doc.correlation.condition).toEqual({ field: ['CommandLine', 'ParentImage'], gte: 3 });
  });
  it('RB401 for an aggregate Sigma cannot say (no time buckets; a max)', () => {
    const base = correlation(['    type: event_count', '    rules: [rule_a]', '    group-by: [User]', '    timespan: 1h', '    condition:', '        gte: 3']);
    const agg = base.query.stages[0] as Extract<Stage, { kind: 'aggregate' }>;
    const { span: _span, ...unbucketed } = agg;
    const noSpan: RuleIR = { ...base, query: { ...base.query, stages: [unbucketed, base.query.stages[1]!] } };
    const codes = (r: RuleIR) => render(r, 'sigma').diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
    expect(codes(noSpan)).toEqual(['RB401']);
    const max: RuleIR = { ...base, query: { ...base.query, stages: [{ ...agg, aggs: [{ fn: 'max', field: 'x', as: 'm' }] }] } };
    expect(codes(max)).toEqual(['RB401']);
  });
  it('RB401 for a rule with an aggregate and no inputs (not a correlation)', () => {
    const rule: RuleIR = { format: 'splunk', file: 'x.yml', meta: { id: '', title: 'T', references: [], tags: [], falsepositives: [] }, query: { source: { product: 'windows', category: 'process_creation' }, filter: pred('process.name', 'eq', ['a.exe']), stages: [{ kind: 'aggregate', groupBy: [], aggs: [{ fn: 'count', as: 'count' }] }, { kind: 'filter', expr: pred('count', 'gt', [5]) }] } };
    expect(render(rule, 'sigma').diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['RB401']);
  });
});
