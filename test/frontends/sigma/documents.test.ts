/** Recognizing Sigma documents, multi-document files, and what is reported instead of lowered. */
import { describe, it, expect } from 'vitest';
import { isSigmaDoc } from '../../../src/frontends/sigma/index.js';
import { loadRuleText } from '../../../src/frontends/load.js';
import { ruleText } from './helpers.js';

describe('sigma documents', () => {
  it('isSigmaDoc', () => {
    expect(isSigmaDoc({ title: 't', logsource: {}, detection: { condition: 'x' } })).toBe(true);
    expect(isSigmaDoc({ title: 't', correlation: { type: 'event_count' } })).toBe(true);
    expect(isSigmaDoc({ action: 'global', logsource: {} })).toBe(true);
    expect(isSigmaDoc({ name: 'n', id: 'i', search: '| tstats count' })).toBe(false);
    expect(isSigmaDoc(['title'])).toBe(false);
    expect(isSigmaDoc(null)).toBe(false);
  });

  it('every document of a multi-document file is its own rule, with its own positions', () => {
    const one = ruleText(['    selection:', "        Image|endswith: '\\a.exe'", '    condition: selection']);
    const two = ruleText(['    selection:', "        Image|bogus: 'x'", '    condition: selection']);
    const rules = loadRuleText('multi.yml', `${one}---\n${two}`);
    expect(rules.map((r) => r.doc)).toEqual([0, 1]);
    expect(rules[0]!.rule?.query.filter).toMatchObject({ field: 'process.executable', op: 'endswith', values: ['\\a.exe'] });
    expect(rules[1]!.rule).toBeUndefined();
    // the first document is 11 lines, `---` is line 12: the second one's line 10 is line 22
    expect(rules[1]!.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['RB303@22:15']);
  });

  it('RB350 for a Sigma 1.0 action: collection, at the action key', () => {
    const rules = loadRuleText('coll.yml', 'action: global\ntitle: t\nlogsource:\n    product: windows\n');
    expect(rules[0]!.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['RB350@1:9']);
  });
});
