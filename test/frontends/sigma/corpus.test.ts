/**
 * The Sigma corpus (../shared/corpus/sigma): every rule validates against
 * schemas/sigma-rule.schema.json, and at least 99.5% lower with no error; any that do not carry
 * an error naming the construct. The `|expand` rules (rules-placeholder) lower to named lists with
 * a warning (RB354). Correlation and filter documents are counted and must link without error.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadYaml, validateDoc } from '../../../src/source/index.js';
import { CORPUS, HAS_CORPUS, skipNote } from '../../helpers/paths.js';
import { lowerText, ymlFiles } from './helpers.js';
import { linkSigma } from '../../../src/frontends/sigma/index.js';
import type { LoadedRule } from '../../../src/frontends/types.js';

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

  it('lowers at least 99.5% of the rules with no error (and reports what fails)', () => {
    let total = 0;
    let ok = 0;
    const constructs = new Map<string, number>();
    const placeholderFiles = new Set<string>();
    const all: LoadedRule[] = [];
    for (const f of files) {
      for (const r of lowerText(readFileSync(f, 'utf8'), f)) {
        all.push(r);
        total++;
        const errors = r.diagnostics.filter((d) => d.severity === 'error');
        if (r.rule && !errors.length) ok++;
        if (r.diagnostics.some((d) => d.code === 'RB354')) placeholderFiles.add(f);
        for (const d of errors) {
          const key = `${d.code} ${d.message.replace(/\[[^\]]*\]|"[^"]*"/g, '…').slice(0, 70)}`;
          constructs.set(key, (constructs.get(key) ?? 0) + 1);
        }
      }
    }
    const rate = ok / total;
    const top = [...constructs].sort((a, b) => b[1] - a[1]).slice(0, 10);
    console.log(`sigma corpus: ${ok}/${total} rules lowered with no error (${(rate * 100).toFixed(2)}%); ${placeholderFiles.size} with |expand placeholders kept as named lists`);
    for (const [k, n] of top) console.log(`  ${String(n).padStart(4)}  ${k}`);
    expect(total).toBeGreaterThanOrEqual(2278);
    expect(rate).toBeGreaterThanOrEqual(0.995);
    // Every failure names its construct: a code and a message, at a line.
    for (const r of all) for (const d of r.diagnostics.filter((x) => x.severity === 'error')) expect(d.line).toBeGreaterThan(0);
    // The placeholder rules lower, each with a warning naming its placeholder.
    // 14 files use |expand: 13 under rules-placeholder, one emerging-threats rule (%known_cdcs%).
    expect(placeholderFiles.size).toBe(14);
    expect([...placeholderFiles].filter((f) => !/[\\/]rules-placeholder[\\/]/.test(f)).length).toBe(1);

    // Correlation and filter documents of the corpus: counted, and linked over the whole batch.
    const linked = linkSigma(all);
    const meta = linked.filter((r) => r.sigma && r.sigma.kind !== 'rule');
    const count = (k: string) => meta.filter((r) => r.sigma!.kind === k).length;
    console.log(`sigma corpus: ${count('correlation')} correlation and ${count('filter')} filter documents`);
    for (const r of meta) expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // Without meta documents, linking the batch changes no rule.
    if (!meta.length) expect(linked.filter((r) => r.rule).length).toBe(ok);
  });
});
