/**
 * The library's batch loading (src/index.ts loadRules/convert) with Sigma meta rules: a
 * correlation and a filter naming rules of other files are linked across the batch, and a
 * placeholders file resolves `|expand` values.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { convert, loadRules } from '../../../src/index.js';

const FIX = resolve(__dirname, '..', '..', 'fixtures', 'sigma');

describe('sigma batches', () => {
  it('a filter in one file applies to a rule in another (loadRules)', () => {
    const { rules } = loadRules([join(FIX, 'filters', 'whoami_rule.yml'), join(FIX, 'filters', 'mf_admin_accounts.yml')]);
    const rule = rules.find((r) => r.id === '7b2c9e10-4f3a-4c55-9d6e-0a1b2c3d4e5f')!;
    expect(rule.rule!.query.filter.kind).toBe('and');
    expect(rules.flatMap((r) => r.diagnostics).filter((d) => d.severity === 'error')).toEqual([]);
  });
  it('a correlation in one file over a rule in another converts to Sigma as one multi-document rule', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-sigma-'));
    writeFileSync(join(dir, 'corr.yml'), ['title: Many whoami', 'correlation:', '    type: event_count', '    rules: [rule_x]', '    group-by: [User]', '    timespan: 1h', '    condition:', '        gte: 2', ''].join('\n'));
    writeFileSync(join(dir, 'rule.yml'), ['title: X', 'name: rule_x', 'logsource:', '    product: windows', '    category: process_creation', 'detection:', '    sel:', "        Image|endswith: '\\whoami.exe'", '    condition: sel', ''].join('\n'));
    const { rules } = convert([dir], { to: ['sigma'] });
    const [corr, rule] = rules;
    expect(corr!.diagnostics).toEqual([]);
    expect(corr!.outputs.sigma!.query).toMatch(/^correlation:\n {4}type: event_count\n {4}rules:\n {8}- rule_x$/m);
    expect(corr!.outputs.sigma!.query!.split(/^---$/m)).toHaveLength(2);
    // generate: false: the referenced rule is not converted on its own.
    expect(rule!.outputs).toEqual({});
    expect(rule!.diagnostics.map((d) => d.code)).toEqual(['RB358']);
  });
  it('--placeholders: values from a file replace |expand placeholders', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-sigma-'));
    writeFileSync(join(dir, 'r.yml'), ['title: P', 'logsource:', '    product: windows', '    service: security', 'detection:', '    sel:', "        TargetUserName|expand: '%admins%'", '    condition: sel', ''].join('\n'));
    const withValues = convert([join(dir, 'r.yml')], { to: ['sigma'], placeholders: join(FIX, 'placeholders', 'values.yml') });
    expect(withValues.rules[0]!.outputs.sigma!.query).toContain("TargetUserName: 'adm_root'");
    const without = convert([join(dir, 'r.yml')], { to: ['sigma'] });
    expect(without.rules[0]!.diagnostics.map((d) => d.code)).toEqual(['RB354']);
    expect(without.rules[0]!.outputs.sigma!.query).toContain("TargetUserName|expand: '%admins%'");
  });
});
