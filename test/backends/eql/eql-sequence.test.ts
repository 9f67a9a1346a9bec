/**
 * EQL sequences from correlation inputs (Sigma temporal_ordered): `sequence by … with
 * maxspan=…` with one bracketed event query per step, per-step keys where inputs alias them,
 * and refusals of correlations EQL cannot express, at their positions.
 */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { pred, TRUE } from '../../../src/ir/build.js';
import { INPUT_FIELD, type QueryInput, type RuleIR, type Stage } from '../../../src/ir/index.js';
import { parseEql } from '../../helpers/eql-parse.js';
import { AT, ruleOf } from './helpers.js';

const proc = { product: 'windows', category: 'process_creation' };
const net = { product: 'windows', category: 'network_connection' };

function corr(stages: Stage[], inputs?: QueryInput[]): RuleIR {
  const r = ruleOf(TRUE, stages, {});
  r.query.inputs = inputs ?? [
    { name: 'spawn', source: proc, filter: pred('process.name', 'eq', ['rundll32.exe']), aliases: [] },
    { name: 'beacon', source: net, filter: pred('destination.port', 'eq', [443]), aliases: [] },
  ];
  return r;
}

describe('eql sequence', () => {
  it('shared keys and maxspan', () => {
    const out = render(corr([{ kind: 'sequence', by: ['host.name', 'process.entity_id'], maxspan: 300, steps: ['spawn', 'beacon'] }]), 'eql');
    expect(out.diagnostics).toEqual([]);
    expect(out.query).toBe([
      'sequence by host.name, process.entity_id with maxspan=300s',
      '  [process where host.os.type == "windows" and event.type == "start" and process.name : "rundll32.exe"]',
      '  [network where host.os.type == "windows" and destination.port == 443]',
    ].join('\n'));
    const q = parseEql(out.query!);
    expect(q.steps!.map((s) => s.category)).toEqual(['process', 'network']);
    expect(q.by).toEqual(['host.name', 'process.entity_id']);
    expect(q.maxspan).toBe('300s');
  });
  it('steps follow the stage order, not the inputs order; no maxspan when it is 0', () => {
    const out = render(corr([{ kind: 'sequence', by: [], maxspan: 0, steps: ['beacon', 'spawn'] }]), 'eql');
    expect(out.query!.split('\n')[0]).toBe('sequence');
    expect(parseEql(out.query!).steps!.map((s) => s.category)).toEqual(['network', 'process']);
  });
  it('a key the inputs alias is joined per step', () => {
    const inputs: QueryInput[] = [
      { name: 'spawn', source: proc, filter: pred('process.name', 'eq', ['x']), aliases: [{ as: 'pid', field: 'process.pid' }] },
      { name: 'beacon', source: net, filter: pred('destination.port', 'eq', [443]), aliases: [{ as: 'pid', field: 'process.parent.pid' }] },
    ];
    const out = render(corr([{ kind: 'sequence', by: ['pid'], maxspan: 60, steps: ['spawn', 'beacon'] }], inputs), 'eql');
    const lines = out.query!.split('\n');
    expect(lines[0]).toBe('sequence with maxspan=60s');
    expect(lines[1]).toMatch(/\] by process\.pid$/);
    expect(lines[2]).toMatch(/\] by process\.parent\.pid$/);
    expect(parseEql(out.query!).steps!.map((s) => s.by)).toEqual([['process.pid'], ['process.parent.pid']]);
  });
  it('hostile values stay inside their strings in every step', () => {
    const inputs: QueryInput[] = [
      { name: 'a', source: proc, filter: pred('process.command_line', 'contains', ['"] [any where true] "\\']), aliases: [] },
      { name: 'b', source: net, filter: pred('destination.domain', 'eq', ['x"]\n']), aliases: [] },
    ];
    const out = render(corr([{ kind: 'sequence', by: [], maxspan: 10, steps: ['a', 'b'] }], inputs), 'eql');
    expect(parseEql(out.query!).steps).toHaveLength(2);
  });
  it('a correlation by aggregation is refused (RB401) at the aggregate', () => {
    const out = render(corr([
      { kind: 'aggregate', groupBy: [{ field: 'user.name', as: 'user.name' }], aggs: [{ fn: 'dc', field: INPUT_FIELD, as: 'rule_count' }], origin: AT },
      { kind: 'filter', expr: pred('rule_count', 'ge', [2]) },
    ]), 'eql');
    expect(out.ok).toBe(false);
    const errors = out.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.line, d.column])).toContainEqual(['RB401', 7, 5]);
    expect(errors.map((d) => d.code)).toEqual(errors.map(() => 'RB401'));
  });
  it('a step naming no input is RB430 at the stage', () => {
    const out = render(corr([{ kind: 'sequence', by: [], maxspan: 10, steps: ['spawn', 'nope'], origin: AT }]), 'eql');
    expect(out.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB430', 7, 5]]);
  });
});
