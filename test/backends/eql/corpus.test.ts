/**
 * Every Sigma rule of ../shared/corpus/sigma (all rule folders) that lowers is rendered for eql
 * and spl. Reports per target converted / unsupported by reason / invalid; asserts that every
 * output re-parses with the test grammars, that no refusal is silent, and that ≥ 99% convert.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { loadRuleText } from '../../../src/frontends/load.js';
import { CORPUS, HAS_CORPUS, skipNote } from '../../helpers/paths.js';
import { parseEql } from '../../helpers/eql-parse.js';
import { parseSpl } from '../../helpers/spl-parse.js';
import { count, newTally, report } from './tally.js';

function ymls(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? ymls(p) : p.endsWith('.yml') ? [p] : [];
  });
}

describe.skipIf(!HAS_CORPUS)('sigma corpus → eql, spl', () => {
  skipNote('the sigma corpus rendering test');
  it('converts ≥ 99%, reports the rest, and every output re-parses', () => {
    let files = 0;
    let rules = 0;
    let unlowered = 0;
    const eql = newTally();
    const spl = newTally();
    for (const file of ymls(join(CORPUS, 'sigma'))) {
      files++;
      for (const lr of loadRuleText(file, readFileSync(file, 'utf8'))) {
        if (!lr.rule) { unlowered++; continue; }
        rules++;
        count(eql, file, render(lr.rule, 'eql'), parseEql);
        count(spl, file, render(lr.rule, 'spl'), parseSpl);
      }
    }
    console.log(`sigma corpus: ${files} files, ${rules} rules lowered, ${unlowered} not lowered\n${report('eql', rules, eql)}\n${report('spl', rules, spl)}`);
    for (const t of [eql, spl]) {
      expect(t.invalid.slice(0, 5)).toEqual([]);
      expect(t.silent).toEqual([]);
      expect(t.converted / rules).toBeGreaterThanOrEqual(0.99);
    }
  }, 120_000);
});
