/**
 * Every Sigma rule of ../shared/corpus that lowers is rendered for eql and spl: each rendering
 * either re-parses with the test grammars or fails with error diagnostics, and never throws.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { loadRuleText } from '../../../src/frontends/load.js';
import { CORPUS, HAS_CORPUS, skipNote } from '../../helpers/paths.js';
import { parseEql } from '../../helpers/eql-parse.js';
import { parseSpl } from '../../helpers/spl-parse.js';

function ymls(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? ymls(p) : p.endsWith('.yml') ? [p] : [];
  });
}

describe.skipIf(!HAS_CORPUS)('sigma corpus → eql, spl', () => {
  skipNote('the sigma corpus rendering test');
  it('renders or reports, and every output re-parses', () => {
    const stats = { rules: 0, eql: 0, spl: 0 };
    const bad: string[] = [];
    for (const file of ymls(join(CORPUS, 'sigma', 'rules'))) {
      for (const lr of loadRuleText(file, readFileSync(file, 'utf8'))) {
        if (!lr.rule) continue;
        stats.rules++;
        for (const [target, parse] of [['eql', parseEql], ['spl', parseSpl]] as const) {
          const out = render(lr.rule, target);
          if (out.ok) {
            stats[target]++;
            try { parse(out.query!); } catch (err) { bad.push(`${file} ${target}: ${(err as Error).message}\n${out.query}`); }
          } else if (!out.diagnostics.some((d) => d.severity === 'error')) bad.push(`${file} ${target}: failed without an error`);
        }
      }
    }
    console.log(`sigma corpus: ${stats.rules} rules lowered, ${stats.eql} rendered as eql, ${stats.spl} as spl`);
    expect(bad.slice(0, 5)).toEqual([]);
    expect(stats.eql).toBeGreaterThan(stats.rules / 3);
    expect(stats.spl).toBeGreaterThan(stats.rules / 2);
  }, 120_000);
});
