/**
 * Round trips: Sigma → IR → Sigma → IR gives the same IR (origins aside), on the fixtures and
 * over the Sigma corpus; every emitted rule validates against the Sigma rule schema. Correlation
 * fixtures (multi-document files) come back as the same correlation query, inputs included.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { render } from '../../../src/backends/index.js';
import { ruleDocument } from '../../../src/backends/sigma.js';
import { metaFields } from '../../../src/backends/sigma-yaml.js';
import { validateValue } from '../../../src/source/index.js';
import type { RuleIR } from '../../../src/ir/nodes.js';
import { CORPUS, HAS_CORPUS, skipNote } from '../../helpers/paths.js';
import { lowerText, stripOrigins, ymlFiles } from '../../frontends/sigma/helpers.js';
import { loadRuleText } from '../../../src/frontends/load.js';

const FIXTURES = resolve(__dirname, '..', '..', 'fixtures', 'sigma');

/**
 * The backend checks the value its text reads back as against the schema, not the text: the
 * text of a rule's document must parse to exactly that value.
 */
function readsBackAsValue(rule: RuleIR): boolean {
  const doc = ruleDocument(metaFields(rule.meta, [], rule.file), rule.query.source, rule.query.filter, rule.file, []);
  if (!doc) throw new Error(`${rule.file}: no Sigma document`);
  expect(parse(doc.text), rule.file).toEqual(doc.value);
  return true;
}

/** Sigma text → IR → Sigma text → IR; returns both IRs and the emitted text. */
function roundTrip(rule: RuleIR): { first: unknown; second: unknown; text: string } {
  const out = render(rule, 'sigma');
  if (!out.ok) throw new Error(`${rule.file}: ${JSON.stringify(out.diagnostics)}`);
  const [back] = lowerText(out.query!, 'emitted.yml');
  if (!back?.rule) throw new Error(`${rule.file}: emitted rule does not lower: ${JSON.stringify(back?.diagnostics)}\n${out.query}`);
  return { first: stripOrigins(rule), second: stripOrigins({ ...back.rule, file: rule.file }), text: out.query! };
}

/** Fixture folders of multi-document files (correlations, filters), checked below. */
const MULTI = /^(correlations|filters|placeholders)\//;

describe('sigma round trip on fixtures', () => {
  for (const name of ymlFiles(FIXTURES).map((f) => f.slice(FIXTURES.length + 1)).filter((n) => !MULTI.test(n))) {
    it(name, () => {
      const [r] = lowerText(readFileSync(join(FIXTURES, name), 'utf8'), name);
      expect(r!.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const { first, second, text } = roundTrip(r!.rule!);
      expect(second).toEqual(first);
      expect(validateValue('sigma-rule', parse(text))).toEqual([]);
      expect(readsBackAsValue(r!.rule!)).toBe(true);
      // Rendering the re-read rule gives the same text: the output is a fixed point.
      const [again] = lowerText(text, 'emitted.yml');
      expect(render(again!.rule!, 'sigma').query).toBe(text);
    });
  }
});

/** The correlation of a multi-document text (the one rule with inputs). */
function correlationOf(file: string, text: string): RuleIR {
  const rules = loadRuleText(file, text).filter((r) => r.rule?.query.inputs);
  if (rules.length !== 1) throw new Error(`${file}: ${rules.length} correlations: ${JSON.stringify(loadRuleText(file, text).map((r) => r.diagnostics))}\n${text}`);
  return rules[0]!.rule!;
}

describe('sigma round trip of correlations', () => {
  for (const f of ymlFiles(join(FIXTURES, 'correlations'))) {
    const name = f.slice(FIXTURES.length + 1);
    it(name, () => {
      const rule = correlationOf(name, readFileSync(f, 'utf8'));
      const out = render(rule, 'sigma');
      expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const text = out.query!;
      const back = correlationOf('emitted.yml', text);
      expect(stripOrigins({ ...back, file: rule.file })).toEqual(stripOrigins(rule));
      // The emitted documents: the correlation, then one detection rule per input.
      const docs = text.split(/^---$/m).map((d) => parse(d) as Record<string, unknown>);
      expect(docs).toHaveLength(1 + rule.query.inputs!.length);
      expect(docs[0]!.correlation).toBeDefined();
      for (const d of docs.slice(1)) expect(validateValue('sigma-rule', d)).toEqual([]);
      expect(render(back, 'sigma').query).toBe(text);
    });
  }
});

skipNote('the Sigma corpus round trip');
describe.skipIf(!HAS_CORPUS)('sigma round trip over the corpus', () => {
  it('at least 99.5% of the rules that lower come back with the same IR', () => {
    let lowered = 0;
    let same = 0;
    const diffs: string[] = [];
    for (const f of ymlFiles(join(CORPUS, 'sigma'))) {
      const [r] = lowerText(readFileSync(f, 'utf8'), f);
      if (!r?.rule) continue;
      lowered++;
      try {
        const { first, second, text } = roundTrip(r.rule);
        const valid = validateValue('sigma-rule', parse(text)).length === 0 && readsBackAsValue(r.rule);
        if (valid && JSON.stringify(first) === JSON.stringify(second)) same++;
        else diffs.push(f);
      } catch (e) {
        diffs.push((e as Error).message.split('\n')[0]!);
      }
    }
    console.log(`sigma round trip: ${same}/${lowered} rules give the same IR (${((same / lowered) * 100).toFixed(2)}%)`);
    for (const d of diffs.slice(0, 10)) console.log('  differs: ' + d);
    expect(lowered).toBeGreaterThan(2000);
    expect(same / lowered).toBeGreaterThanOrEqual(0.995);
    // About 35 s alone on two cores; the margin is for a loaded machine running other files beside it.
  }, 150_000);
});
