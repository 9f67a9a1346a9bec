/**
 * Every regex predicate of the Sigma corpus that the regex rewrite pass changes (leading inline
 * flags, whole-pattern groups, anchored lookaheads, anchors in end groups) is checked differentially: the original
 * predicate (RE2 semantics, or the JS engine for lookarounds), the rewritten IR in the evaluator
 * and its EQL rendering (which must re-parse) agree on strings generated from the pattern.
 * Only files holding `|re` are lowered, and each pattern gets a bounded number of strings.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadRuleText } from '../../../src/frontends/load.js';
import { walkExpr, type Pred } from '../../../src/ir/index.js';
import { rewriteRegexPred } from '../../../src/ir/passes/regex-rewrite.js';
import { EQL_REGEX_REWRITES } from '../../../src/backends/eql-regex.js';
import { CORPUS, HAS_CORPUS, skipNote } from '../../helpers/paths.js';
import { evaluated, reference, stringsFor, viaEql } from '../../ir/regex-oracle.js';

function ymls(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? ymls(p) : p.endsWith('.yml') ? [p] : [];
  });
}

/** The corpus regex predicates the pass rewrites, with the file they come from. */
function rewrittenPreds(): { file: string; pred: Pred }[] {
  const out: { file: string; pred: Pred }[] = [];
  for (const file of ymls(join(CORPUS, 'sigma'))) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('|re')) continue;
    for (const lr of loadRuleText(file, text)) {
      if (!lr.rule) continue;
      walkExpr(lr.rule.query.filter, (n) => {
        if (n.kind === 'pred' && n.op === 'regex' && rewriteRegexPred(n, EQL_REGEX_REWRITES).expr !== n) out.push({ file: relative(CORPUS, file), pred: n });
      });
    }
  }
  return out;
}

describe.skipIf(!HAS_CORPUS)('sigma corpus regexes rewritten for eql', () => {
  skipNote('the corpus regex rewrite differential');
  it('mean the same before and after the rewrite, in the evaluator and in EQL', () => {
    const found = rewrittenPreds();
    console.log(`corpus regexes rewritten: ${found.length}\n${found.map((f) => `  ${f.file}: ${f.pred.values.join(' , ')}`).join('\n')}`);
    expect(found.length).toBeGreaterThan(0);
    for (const { file, pred } of found) {
      const field = 'process.command_line';
      const p = { ...pred, field };
      const out = rewriteRegexPred(p, EQL_REGEX_REWRITES);
      const want = reference(p);
      const got = evaluated(out.expr, field);
      const eql = viaEql(out.expr, field);
      let hits = 0;
      fc.assert(
        fc.property(stringsFor(p.values.join('')), (s) => {
          const w = want(s);
          if (w) hits++;
          expect(got(s), `${file}: evaluator on ${JSON.stringify(s)}`).toBe(w);
          expect(eql.test(s), `${file}: ${eql.query} on ${JSON.stringify(s)}`).toBe(w);
        }),
        { numRuns: 300, seed: 7 },
      );
      expect(hits, `${file}: the generated strings match sometimes`).toBeGreaterThan(0);
      expect(hits, `${file}: the generated strings miss sometimes`).toBeLessThan(300);
    }
  }, 60_000);
});
