/**
 * Every Sigma rule of ../shared/corpus/sigma (all rule folders) that lowers is rendered for eql
 * and spl. Reports per target converted / unsupported by reason / invalid; asserts that every
 * output re-parses with the test grammars and that no refusal is silent. A rule with `|expand`
 * placeholders means nothing until the user gives the lists' values (`--placeholders`), so
 * those rules are rendered again with a table that gives each placeholder a value; both figures
 * must reach 99%.
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
    const given = { eql: newTally(), spl: newTally() };
    for (const file of ymls(join(CORPUS, 'sigma'))) {
      files++;
      const text = readFileSync(file, 'utf8');
      const names = [...new Set([...text.matchAll(/%([A-Za-z0-9_.-]+)%/g)].map((m) => m[1]!))];
      const table = new Map(names.map((n) => [n, [`${n}_value`]]));
      const withValues = names.length ? loadRuleText(file, text, { placeholders: table }) : undefined;
      loadRuleText(file, text).forEach((lr, i) => {
        if (!lr.rule) { unlowered++; return; }
        rules++;
        const valued = withValues?.[i]?.rule ?? lr.rule;
        for (const [target, tally, parse] of [['eql', eql, parseEql], ['spl', spl, parseSpl]] as const) {
          count(tally, file, render(lr.rule, target), parse);
          count(given[target], file, render(valued, target), parse);
        }
      });
    }
    console.log(`sigma corpus: ${files} files, ${rules} rules lowered, ${unlowered} not lowered\n${report('eql', rules, eql)}\n${report('spl', rules, spl)}`);
    console.log(`with placeholder values given:\n${report('eql', rules, given.eql)}\n${report('spl', rules, given.spl)}`);
    for (const t of [eql, spl, given.eql, given.spl]) {
      expect(t.invalid.slice(0, 5)).toEqual([]);
      expect(t.silent).toEqual([]);
    }
    expect(spl.converted / rules).toBeGreaterThanOrEqual(0.99);
    expect(eql.converted / rules).toBeGreaterThanOrEqual(0.99);
    expect(given.eql.converted / rules).toBeGreaterThanOrEqual(0.99);
    expect(given.spl.converted / rules).toBeGreaterThanOrEqual(0.99);
  }, 120_000);
});
