/**
 * The Sigma corpus (../shared/corpus/sigma): every rule validates against
 * schemas/sigma-rule.schema.json, and nearly every rule lowers with no error. The only rules
 * that do not are those using `|expand` placeholders, which need values rulebridge has not got.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadYaml, validateDoc } from '../../../src/source/index.js';
import { CORPUS, HAS_CORPUS, skipNote } from '../../helpers/paths.js';
import { lowerText, ymlFiles } from './helpers.js';

const DIR = join(CORPUS, 'sigma');
skipNote('the Sigma corpus tests');

describe.skipIf(!HAS_CORPUS)('sigma corpus', () => {
  const files = HAS_CORPUS ? ymlFiles(DIR) : [];

  it('every rule validates against the Sigma rule schema', () => {
    expect(files.length).toBeGreaterThan(1000);
    const bad: string[] = [];
    for (const f of files) {
      const { docs } = loadYaml(f, readFileSync(f, 'utf8'));
      for (const d of docs) for (const x of validateDoc('sigma-rule', d)) bad.push(`${f}:${x.line}:${x.column} ${x.message}`);
    }
    expect(bad).toEqual([]);
  });

  it('lowers at least 99.3% of the rules with no error (and reports what fails)', () => {
    let total = 0;
    let ok = 0;
    const constructs = new Map<string, number>();
    for (const f of files) {
      for (const r of lowerText(readFileSync(f, 'utf8'), f)) {
        total++;
        const errors = r.diagnostics.filter((d) => d.severity === 'error');
        if (r.rule && !errors.length) ok++;
        for (const d of errors) {
          const key = `${d.code} ${d.message.replace(/\[[^\]]*\]|"[^"]*"/g, '…').slice(0, 70)}`;
          constructs.set(key, (constructs.get(key) ?? 0) + 1);
        }
      }
    }
    const rate = ok / total;
    const top = [...constructs].sort((a, b) => b[1] - a[1]).slice(0, 10);
    console.log(`sigma corpus: ${ok}/${total} rules lowered with no error (${(rate * 100).toFixed(2)}%)`);
    for (const [k, n] of top) console.log(`  ${String(n).padStart(4)}  ${k}`);
    expect(rate).toBeGreaterThanOrEqual(0.993);
    // What fails is only the placeholder modifier, which has no value to lower to.
    expect(top.every(([k]) => k.startsWith('RB352'))).toBe(true);
  });
});
