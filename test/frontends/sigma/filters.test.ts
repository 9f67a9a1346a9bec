/**
 * Sigma filter rules (sigma-filters-specification.md): a filter is added to each rule it names
 * as `AND NOT (filter condition)`, in the same file or across a batch; a filtered rule stops
 * matching the events the filter describes (evaluated); a log source that differs is RB359.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { linkRules, loadRuleText } from '../../../src/frontends/load.js';
import type { LoadedRule } from '../../../src/frontends/types.js';
import { compileRules, evaluateFiles } from '../../../src/evaluator/index.js';
import { render } from '../../../src/backends/index.js';
import type { Expr } from '../../../src/ir/nodes.js';
import { lowerText, stripOrigins } from './helpers.js';

const DIR = resolve(__dirname, '..', '..', 'fixtures', 'sigma', 'filters');
const load = (name: string) => loadRuleText(join(DIR, name), readFileSync(join(DIR, name), 'utf8'));
const p = (field: string, op: 'endswith' | 'startswith' | 'contains' | 'eq', v: string): Expr => ({ kind: 'pred', field, op, values: [v], caseSensitive: false, quantifier: 'any' });

/** The lines of events.jsonl a rule matches. */
async function matchedLines(r: LoadedRule): Promise<number[]> {
  const { compiled, diagnostics } = compileRules([r.rule!]);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const lines: number[] = [];
  await evaluateFiles(compiled, [join(DIR, 'events.jsonl')], (m) => lines.push(m.line));
  return lines;
}

describe('sigma filters', () => {
  it('a filter in another file of the batch is applied by id', async () => {
    const alone = load('whoami_rule.yml');
    expect(stripOrigins(alone[0]!.rule!.query.filter)).toEqual(p('process.executable', 'endswith', '\\whoami.exe'));
    expect(await matchedLines(alone[0]!)).toEqual([1, 2]);
    const [rule, filter] = linkRules([...alone, ...load('mf_admin_accounts.yml')]);
    expect(stripOrigins(rule!.rule!.query.filter)).toEqual({ kind: 'and', args: [p('process.executable', 'endswith', '\\whoami.exe'), { kind: 'not', arg: p('user.name', 'startswith', 'adm_') }] });
    // Said at the rule's title (its own file), naming the filter's file and line.
    expect(rule!.diagnostics.map((d) => `${d.code}@${d.file}:${d.line}:${d.column}`)).toEqual([`RB360@${join(DIR, 'whoami_rule.yml')}:1:8`]);
    expect(rule!.diagnostics[0]!.message).toContain('mf_admin_accounts.yml:9');
    expect(filter!.rule).toBeUndefined();
    expect(filter!.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['RB360@8:5']);
    // adm_bob's whoami (line 2) no longer matches.
    expect(await matchedLines(rule!)).toEqual([1]);
  });

  it('a filter in the same file is applied by name, its condition as written', async () => {
    const [rule] = load('same_file.yml');
    expect(stripOrigins(rule!.rule!.query.filter)).toEqual({
      kind: 'and',
      args: [p('process.executable', 'endswith', '\\net.exe'), { kind: 'not', arg: { kind: 'and', args: [p('process.command_line', 'contains', ' view'), p('user.name', 'eq', 'svc_inventory')] } }],
    });
    // svc_inventory's `net view` (line 3) is filtered; alice's net view and svc_inventory's net user stay.
    expect(await matchedLines(rule!)).toEqual([4, 5]);
  });

  it('the filtered rule comes out of the Sigma backend with the filter in its condition', () => {
    const [rule] = load('same_file.yml');
    const out = render(rule!.rule!, 'sigma');
    expect(out.ok).toBe(true);
    const [back] = lowerText(out.query!, 'emitted.yml');
    expect(stripOrigins(back!.rule!.query)).toEqual(stripOrigins(rule!.rule!.query));
  });

  it('RB359 when the filter\'s log source differs from the rule\'s, at the reference; not applied', () => {
    const text = readFileSync(join(DIR, 'same_file.yml'), 'utf8').replace('    category: process_creation\nfilter:', '    category: image_load\nfilter:');
    const [rule, filter] = loadRuleText('f.yml', text);
    expect(stripOrigins(rule!.rule!.query.filter)).toEqual(p('process.executable', 'endswith', '\\net.exe'));
    expect(filter!.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['RB359@20:11']);
  });

  it('RB351 when the filter names a rule that is not loaded, at the reference', () => {
    const [filter] = load('mf_admin_accounts.yml');
    expect(filter!.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['RB351@9:11']);
  });
});
