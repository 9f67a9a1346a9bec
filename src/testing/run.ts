/**
 * Runs test cases through the evaluator: each rule compiles once; each case evaluates it over its
 * files. A case passes with at least one result: a match of an event rule, an output row of an
 * aggregating one (what a Splunk search returns). A regression `match_count` that differs is noted,
 * not failed: the corpus counts do not always agree with their own events (Anydesk Temporary
 * Artefact: match_count 1, yet three of its five events hold `\AnyDesk\user.conf`). A rule that does not
 * compile, or event files that do not read, make the case an error; a skipped case says why.
 */
import { performance } from 'node:perf_hooks';
import { type Diagnostic } from '../diagnostics/index.js';
import { compileRules, evaluateFiles, type CompileOptions } from '../evaluator/index.js';
import type { RuleIR } from '../ir/index.js';
import type { TestCase } from './cases.js';

export type TestStatus = 'passed' | 'failed' | 'skipped' | 'error';

/** The result of one test. */
export interface TestResult {
  name: string;
  status: TestStatus;
  files: string[];
  /** Matches (event rules) or output rows (aggregating rules). */
  results?: number;
  message?: string;
  seconds: number;
}
/** The tests of one rule. */
export interface RuleResult { id: string; title: string; file: string; tests: TestResult[]; seconds: number }
/** What `rulebridge test` reports. */
export interface TestReport {
  rules: RuleResult[];
  summary: { rules: number; tests: number; passed: number; failed: number; skipped: number; errors: number; seconds: number };
}

const brief = (ds: Diagnostic[]) => ds.map((d) => `${d.code}${d.line ? ` at ${d.line}:${d.column ?? 0}` : ''} ${d.message}`).join('; ');

/** Runs the cases (grouped by rule, in the order first seen); `onResult` sees each as it ends. */
export async function runTests(cases: TestCase[], opts: CompileOptions = {}, onResult?: (r: RuleResult, t: TestResult) => void): Promise<TestReport> {
  const t0 = performance.now();
  const byRule = new Map<RuleIR, TestCase[]>();
  for (const c of cases) { const l = byRule.get(c.rule); if (l) l.push(c); else byRule.set(c.rule, [c]); }
  const rules: RuleResult[] = [];
  for (const [rule, list] of byRule) {
    const r0 = performance.now();
    const rr: RuleResult = { id: rule.meta.id || rule.file, title: rule.meta.title || rule.file, file: rule.file, tests: [], seconds: 0 };
    const { compiled, diagnostics } = compileRules([rule], opts);
    for (const c of list) {
      const s0 = performance.now();
      const t: TestResult = { name: c.name, status: 'skipped', files: c.files, seconds: 0 };
      if (c.error) { t.status = 'error'; t.message = c.error; }
      else if (c.skip) t.message = `skipped: ${c.skip}`;
      else if (!compiled.length) { t.status = 'error'; t.message = `the rule cannot be evaluated: ${brief(diagnostics.filter((d) => d.severity === 'error'))}`; }
      else {
        const res = await evaluateFiles(compiled, c.files, () => {});
        const n = compiled[0]!.aggregates ? res.aggregates.length : res.summary.matches[compiled[0]!.id] ?? 0;
        const errs = res.diagnostics.filter((d) => d.severity === 'error');
        t.results = n;
        if (n >= 1) {
          t.status = 'passed';
          if (c.exact !== undefined && n !== c.exact) t.message = `note: ${n} match(es), the case's match_count says ${c.exact}`;
        }
        else if (errs.length) { t.status = 'error'; t.message = `event files did not read: ${brief(errs)}`; }
        else { t.status = 'failed'; t.message = `expected at least one ${compiled[0]!.aggregates ? 'result row' : 'match'} in ${res.summary.events} event(s), got none`; }
      }
      t.seconds = (performance.now() - s0) / 1000;
      rr.tests.push(t);
      onResult?.(rr, t);
    }
    rr.seconds = (performance.now() - r0) / 1000;
    rules.push(rr);
  }
  const all = rules.flatMap((r) => r.tests);
  const count = (s: TestStatus) => all.filter((t) => t.status === s).length;
  return {
    rules,
    summary: { rules: rules.length, tests: all.length, passed: count('passed'), failed: count('failed'), skipped: count('skipped'), errors: count('error'), seconds: (performance.now() - t0) / 1000 },
  };
}
