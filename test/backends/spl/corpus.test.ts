/**
 * Every security_content detection of ../shared/corpus/splunk that lowers is rendered for spl
 * and eql. Reports per target converted / unsupported by reason / invalid; asserts that every
 * output re-parses with the test grammars, that no refusal is silent, and that ≥ 99% of the
 * production detections convert to SPL. EQL has no aggregation, and most detections are
 * `tstats … by` searches, so its figure is reported and bounded only from below.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { loadRuleText } from '../../../src/frontends/load.js';
import { loadMacros } from '../../../src/frontends/splunk/index.js';
import { CORPUS, HAS_CORPUS, skipNote } from '../../helpers/paths.js';
import { parseEql } from '../../helpers/eql-parse.js';
import { parseSpl } from '../../helpers/spl-parse.js';
import { count, newTally, report } from '../eql/tally.js';

function ymls(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? ymls(p) : p.endsWith('.yml') ? [p] : [];
  });
}

describe.skipIf(!HAS_CORPUS)('splunk corpus → spl, eql', () => {
  skipNote('the splunk corpus rendering test');
  it('converts ≥ 99% of production detections to spl, reports the rest, and every output re-parses', () => {
    const macros = loadMacros([join(CORPUS, 'splunk', 'macros')]);
    let rules = 0;
    let unlowered = 0;
    const eql = newTally();
    const spl = newTally();
    for (const file of ymls(join(CORPUS, 'splunk', 'detections'))) {
      if (file.includes('/deprecated/')) continue; // production detections only
      for (const lr of loadRuleText(file, readFileSync(file, 'utf8'), { macros })) {
        if (!lr.rule) { unlowered++; continue; }
        rules++;
        count(eql, file, render(lr.rule, 'eql'), parseEql);
        count(spl, file, render(lr.rule, 'spl'), parseSpl);
      }
    }
    console.log(`splunk corpus: ${rules} production detections lowered, ${unlowered} not lowered\n${report('spl', rules, spl)}\n${report('eql', rules, eql)}`);
    for (const t of [eql, spl]) {
      expect(t.invalid.slice(0, 5)).toEqual([]);
      expect(t.silent).toEqual([]);
    }
    expect(spl.converted / rules).toBeGreaterThanOrEqual(0.99);
    expect(eql.converted).toBeGreaterThan(rules / 3);
  }, 300_000);
});
