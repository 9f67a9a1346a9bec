/**
 * Every security_content detection of ../shared/corpus that lowers is rendered for spl and
 * eql: each rendering re-parses with the test grammars or fails with error diagnostics.
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

function ymls(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? ymls(p) : p.endsWith('.yml') ? [p] : [];
  });
}

describe.skipIf(!HAS_CORPUS)('splunk corpus → spl, eql', () => {
  skipNote('the splunk corpus rendering test');
  it('renders or reports, and every output re-parses', () => {
    const macros = loadMacros([join(CORPUS, 'splunk', 'macros')]);
    const stats = { rules: 0, eql: 0, spl: 0 };
    const bad: string[] = [];
    for (const file of ymls(join(CORPUS, 'splunk', 'detections'))) {
      for (const lr of loadRuleText(file, readFileSync(file, 'utf8'), { macros })) {
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
    console.log(`splunk corpus: ${stats.rules} rules lowered, ${stats.eql} rendered as eql, ${stats.spl} as spl`);
    expect(bad.slice(0, 5)).toEqual([]);
    expect(stats.spl).toBeGreaterThan(stats.rules * 0.6);
    expect(stats.eql).toBeGreaterThan(stats.rules / 3);
  }, 300_000);
});
