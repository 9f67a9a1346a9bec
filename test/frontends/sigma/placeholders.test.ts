/**
 * Sigma `|expand` placeholders: without values a whole-value `%name%` lowers to the IR
 * `placeholder` op with a warning naming it (RB354); with a placeholders file the values replace
 * it before the other modifiers run; the Sigma backend writes `|expand: '%name%'` back.
 */
import { describe, it, expect } from 'vitest';
import { resolve } from 'node:path';
import { loadYaml } from '../../../src/source/index.js';
import { readPlaceholders, sigmaFromDocs, placeholdersFrom } from '../../../src/frontends/sigma/index.js';
import { render } from '../../../src/backends/index.js';
import { compileRules } from '../../../src/evaluator/index.js';
import type { Expr } from '../../../src/ir/nodes.js';
import { lowerText, ruleText, stripOrigins } from './helpers.js';

const FILE = resolve(__dirname, '..', '..', 'fixtures', 'sigma', 'placeholders', 'values.yml');
const SEC = ['    product: windows', '    service: security'];

function lower(detection: string[], table?: Map<string, string[]>) {
  const { docs } = loadYaml('rule.yml', ruleText(detection, SEC));
  return sigmaFromDocs(docs, table ? { placeholders: table } : {})[0]!;
}
const ph = (field: string, name: string, extra: object = {}): Expr => ({ kind: 'pred', field, op: 'placeholder', values: [name], caseSensitive: false, quantifier: 'any', ...extra });

describe('placeholders without values', () => {
  it('a whole-value placeholder is a named list, with a warning at the value', () => {
    const r = lower(['    selection:', "        WorkstationName|expand: '%Workstations%'", '    condition: selection']);
    expect(stripOrigins(r.rule!.query.filter)).toEqual(ph('winlog.event_data.WorkstationName', 'Workstations'));
    expect(r.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['RB354@10:33']);
    expect(r.diagnostics[0]!.message).toContain('%Workstations%');
  });
  it('two placeholders in a list stay two predicates (never merged into one list name)', () => {
    const r = lower(['    selection:', '        ComputerName|expand:', "            - '%ServerSystems%'", "            - '%DomainControllers%'", '    condition: selection']);
    expect(stripOrigins(r.rule!.query.filter)).toEqual({ kind: 'or', args: [ph('winlog.event_data.ComputerName', 'ServerSystems'), ph('winlog.event_data.ComputerName', 'DomainControllers')] });
  });
  it('positional modifiers become refOp; cased and neq keep their meaning', () => {
    const r = lower(['    selection:', "        location|contains|expand: '%KNOWN%'", "        other|expand|cased|neq: '%X%'", '    condition: selection']);
    expect(stripOrigins(r.rule!.query.filter)).toEqual({ kind: 'and', args: [ph('winlog.event_data.location', 'KNOWN', { refOp: 'contains' }), { kind: 'not', arg: ph('winlog.event_data.other', 'X', { caseSensitive: true }) }] });
  });
  it('the evaluator refuses a placeholder it has no values for (RB504)', () => {
    const r = lower(['    selection:', "        TargetUserName|expand: '%admins%'", '    condition: selection']);
    expect(compileRules([r.rule!]).diagnostics.map((d) => d.code)).toContain('RB504');
  });
});

describe('placeholders with a placeholders file', () => {
  const { table, diagnostics } = readPlaceholders(FILE);
  it('reads name → values (a scalar is a one-value list)', () => {
    expect(diagnostics).toEqual([]);
    expect(table.get('admins')).toEqual(['adm_root']);
    expect(table.get('Workstations')).toEqual(['WS-*', 'LAPTOP-01']);
  });
  it('values replace the placeholder; their wildcards stay wildcards', () => {
    const r = lower(['    selection:', "        WorkstationName|expand: '%Workstations%'", '    condition: selection'], table);
    expect(r.diagnostics).toEqual([]);
    expect(stripOrigins(r.rule!.query.filter)).toEqual({ kind: 'or', args: [
      { kind: 'pred', field: 'winlog.event_data.WorkstationName', op: 'startswith', values: ['WS-'], caseSensitive: false, quantifier: 'any' },
      { kind: 'pred', field: 'winlog.event_data.WorkstationName', op: 'eq', values: ['LAPTOP-01'], caseSensitive: false, quantifier: 'any' },
    ] });
  });
  it('text around a placeholder and the other modifiers apply to each value', () => {
    const r = lower(['    selection:', "        QueryName|endswith|expand: '.%internal_domains%'", '    condition: selection'], table);
    expect(stripOrigins(r.rule!.query.filter)).toEqual({ kind: 'pred', field: 'winlog.event_data.QueryName', op: 'endswith', values: ['.corp.example', '.example.internal'], caseSensitive: false, quantifier: 'any' });
  });
  it('RB352 names a placeholder the file lacks, at the value', () => {
    const r = lower(['    selection:', "        User|expand: '%nobody%'", '    condition: selection'], table);
    expect(r.rule).toBeUndefined();
    expect(r.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['RB352@10:22']);
    expect(r.diagnostics[0]!.message).toContain('%nobody%');
  });
  it('RB352 for a placeholders file that is not a map', () => {
    expect(placeholdersFrom(['a']).diagnostics.map((d) => d.code)).toEqual(['RB352']);
  });
});

describe('placeholders in Sigma output', () => {
  it('come back as |expand with their positional modifier, and round trip', () => {
    const text = ruleText(['    selection:', "        location|contains|expand: '%KNOWN%'", '        ComputerName|expand:', "            - '%A%'", "            - '%B%'", '    condition: selection'], SEC);
    const [r] = lowerText(text);
    const out = render(r!.rule!, 'sigma');
    expect(out.ok).toBe(true);
    expect(out.query).toContain("location|contains|expand: '%KNOWN%'");
    const [back] = lowerText(out.query!, 'emitted.yml');
    expect(stripOrigins(back!.rule!.query)).toEqual(stripOrigins(r!.rule!.query));
  });
});
