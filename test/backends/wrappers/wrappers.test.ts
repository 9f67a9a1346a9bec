/**
 * Bundled wrappers and user templates: each wrapped output parses back with its container's
 * own reader (YAML, JSON lines, a small .conf reader) and holds the rendered query byte for
 * byte, whatever quotes, backslashes, newlines or braces the rule's values and metadata hold.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { render, WRAPPERS } from '../../../src/backends/index.js';
import { WRAP_HELPERS } from '../../../src/backends/template.js';
import { and, pred } from '../../../src/ir/build.js';
import type { RuleIR } from '../../../src/ir/index.js';
import { parseEql } from '../../helpers/eql-parse.js';
import { parseSpl } from '../../helpers/spl-parse.js';
import { HOSTILE, ruleOf } from '../eql/helpers.js';

/** A savedsearches.conf reader: stanzas of `key = value`, a trailing backslash continuing the value. */
export function parseConf(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let stanza: Record<string, string> | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.startsWith('#')) continue;
    const head = /^\[(.*)\]$/.exec(line);
    if (head) {
      if (Object.hasOwn(out, head[1]!)) throw new Error(`duplicate stanza ${head[1]}`);
      stanza = out[head[1]!] = {};
      continue;
    }
    const kv = /^([A-Za-z0-9_.]+) = ?(.*)$/.exec(line);
    if (!kv || !stanza) throw new Error(`bad line ${i + 1}: ${line}`);
    let value = kv[2]!;
    while (value.endsWith('\\')) {
      const next = lines[++i];
      if (next === undefined) throw new Error('continuation at the end of the file');
      value = value.slice(0, -1) + '\n' + next;
    }
    stanza[kv[1]!] = value;
  }
  return out;
}

/** A rule whose metadata and values are built to break out of each container. */
function hostileRule(): RuleIR {
  const r = ruleOf(and([pred('process.name', 'eq', HOSTILE.filter((v) => !/[\r\n\t]/.test(v))), pred('process.command_line', 'contains', ['a"b\'c\\', '{{x}}', 'x ]\\'])]));
  r.meta = {
    ...r.meta,
    id: '5f1a2b3c-0000-4000-8000-000000000001',
    title: 'Quote " and \' and [brackets] and {{braces}}: #1',
    description: 'line one\nline two: "quoted" \\ back\n  - not a list\n',
    author: 'A. Author, B. Author',
    level: 'high',
    tags: ['attack.execution', 'attack.stealth', 'attack.t1218.007', 'attack.t1059', 'cve.2021-1234'],
    references: ['https://example.com/?a=1&b="2"'],
    falsepositives: ['admins\' scripts'],
  };
  return r;
}

describe('sentinel analytic rule (YAML)', () => {
  it('parses back and holds the KQL query byte for byte', () => {
    const rule = hostileRule();
    const plain = render(rule, 'kql', { dialect: 'sentinel' });
    const out = render(rule, 'kql', { template: 'sentinel' });
    expect(plain.ok && out.ok).toBe(true);
    const doc = parseYaml(out.query!);
    expect(doc.query).toBe(plain.query);
    expect(doc).toMatchObject({
      id: rule.meta.id,
      displayName: rule.meta.title,
      description: rule.meta.description!.trim(),
      severity: 'High',
      queryFrequency: '5m',
      queryPeriod: '5m',
      triggerOperator: 'gt',
      triggerThreshold: 0,
      tactics: ['Execution', 'DefenseEvasion'],
      relevantTechniques: ['T1218.007', 'T1059'],
      kind: 'Scheduled',
    });
  });

  it('values YAML would read as other types stay strings', () => {
    for (const title of ['yes', 'null', '1.0', '0x10', '~', '- x', '? y', '@z', '%TAG', '*anchor', '&ref', '!tag', '2024-01-01']) {
      const rule = hostileRule();
      rule.meta = { ...rule.meta, title, description: title };
      const doc = parseYaml(render(rule, 'kql', { template: 'sentinel' }).query!);
      expect([doc.displayName, doc.description]).toEqual([title, title]);
    }
  });
});

describe('elastic detection rule (ndjson)', () => {
  it('is one JSON line holding the EQL query byte for byte', () => {
    const rule = hostileRule();
    const plain = render(rule, 'eql');
    const out = render(rule, 'eql', { template: 'elastic' });
    expect(out.ok).toBe(true);
    const lines = out.query!.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const doc = JSON.parse(lines[0]!);
    expect(doc.query).toBe(plain.query);
    parseEql(doc.query);
    expect(doc).toMatchObject({ rule_id: rule.meta.id, name: rule.meta.title, description: rule.meta.description!.trim(), risk_score: 73, severity: 'high', type: 'eql', language: 'eql', author: ['A. Author', 'B. Author'] });
    expect(doc.threat.map((t: { tactic: { id: string } }) => t.tactic.id)).toEqual(['TA0002', 'TA0005']);
    expect(doc.threat[0].technique.map((t: { id: string }) => t.id)).toEqual(['T1218', 'T1059']);
    expect(doc.threat[0].technique[0].subtechnique.map((t: { id: string }) => t.id)).toEqual(['T1218.007']);
  });
});

describe('splunk savedsearches.conf stanza', () => {
  it('parses back with continuation lines and holds the SPL query byte for byte', () => {
    const rule = hostileRule();
    rule.query.stages = [{ kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'count', as: 'count' }] }, { kind: 'filter', expr: pred('count', 'gt', [5]) }];
    const plain = render(rule, 'spl');
    expect(plain.query).toContain('\n'); // a multi-line search
    const out = render(rule, 'spl', { template: 'savedsearches' });
    expect(out.ok).toBe(true);
    const conf = parseConf(out.query!);
    const names = Object.keys(conf);
    expect(names).toEqual(['Quote " and \' and (brackets) and {{braces}}: #1']);
    const st = conf[names[0]!]!;
    expect(st.search).toBe(plain.query);
    parseSpl(st.search!);
    expect(st.description).toBe(rule.meta.description!.trim());
    expect(st).toMatchObject({ cron_schedule: '*/5 * * * *', 'dispatch.earliest_time': '-5m', 'alert.severity': '5', enableSched: '1' });
  });
  it('a value line ending in a backslash cannot be written and is refused', () => {
    expect(() => WRAP_HELPERS.conf!('a\\\nb', {} as never)).toThrow(/backslash/);
    expect(WRAP_HELPERS.conf!('a\nb', {} as never)).toBe('a\\\nb');
  });
});

describe('wrapper selection', () => {
  it('a wrapper on another target is RB412', () => {
    const out = render(hostileRule(), 'spl', { template: 'elastic' });
    expect(out.ok).toBe(false);
    expect(out.diagnostics.map((d) => [d.code, d.file])).toEqual([['RB412', 'rules/t.yml']]);
  });
  it('an unknown wrapper is RB412', () => {
    expect(render(hostileRule(), 'spl', { template: 'splunk' }).diagnostics.map((d) => d.code)).toEqual(['RB412']);
  });
  it('every bundled wrapper renders its target', () => {
    for (const [w, t] of Object.entries(WRAPPERS)) expect(render(hostileRule(), t, { template: w }).ok).toBe(true);
  });
  it('a rule the target refuses is refused wrapped, with the same diagnostics', () => {
    const r = ruleOf(pred('process.name', 'fieldref', ['user.name']));
    expect(render(r, 'eql', { template: 'elastic' }).diagnostics).toEqual(render(r, 'eql').diagnostics);
  });
});

describe('user templates', () => {
  const file = resolve(__dirname, '../../fixtures/wrappers/custom.hbs');
  for (const target of ['kql', 'eql', 'spl', 'sql', 'sigma']) {
    it(`${target}: the template receives the documented context and the query`, () => {
      const rule = hostileRule();
      const plain = render(rule, target);
      const out = render(rule, target, { template: file });
      expect(out.ok).toBe(true);
      expect(JSON.parse(out.query!)).toEqual({ title: rule.meta.title, target, level: 'high', techniques: ['T1218.007', 'T1059'], file: 'rules/t.yml', query: plain.query });
    });
  }
  it('a template naming a missing field fails with RB410 (strict mode)', () => {
    const out = render(hostileRule(), 'spl', { template: resolve(__dirname, '../../fixtures/wrappers/missing.hbs') });
    expect(out.ok).toBe(false);
    expect(out.diagnostics.map((d) => d.code)).toContain('RB410');
  });
});
