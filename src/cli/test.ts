/**
 * `rulebridge test <rules|dirs> [--data DIR] [--junit FILE] [--json]`: runs each rule's own tests
 * offline. A folder holding SigmaHQ regression cases (info.yml files) is read as cases for the
 * rules given beside it; other paths are rules. Exit 1 when a test fails or errs.
 */
import { statSync, writeFileSync } from 'node:fs';
import { loadRules } from '../index/load-rules.js';
import type { LoadedRule } from '../frontends/types.js';
import { FALSE, type RuleIR } from '../ir/index.js';
import { indexData, regressionCases, regressionDirs, runTests, splunkCases, toJUnit, type TestCase } from '../testing/index.js';
import { printDiagnostics } from './output.js';
import { lookupFolders } from './eval.js';

export interface TestFlags {
  data?: string[];
  junit?: string;
  json?: boolean;
  lookups?: string[];
  macros?: string[];
  quiet?: boolean;
}

const isDir = (p: string) => { try { return statSync(p).isDirectory(); } catch { return false; } };

/** A stand-in for a rule that did not lower, so its tests can be reported as errors. */
function stub(l: LoadedRule): RuleIR {
  return { format: l.format === 'splunk' ? 'splunk' : 'sigma', file: l.file, meta: { id: l.id ?? l.file, title: l.title ?? l.file, references: [], tags: [], falsepositives: [] }, query: { source: {}, filter: FALSE, stages: [] } };
}

export async function runTest(paths: string[], flags: TestFlags): Promise<number> {
  const roots = paths.filter((p) => isDir(p) && regressionDirs(p).length > 0);
  const rulePaths = paths.filter((p) => !roots.includes(p));
  const { rules, diagnostics } = loadRules(rulePaths, { ...(flags.macros ? { macros: flags.macros } : {}), ...(flags.lookups ? { lookups: flags.lookups } : {}) });
  printDiagnostics(diagnostics);
  const data = indexData(flags.data ?? []);
  const cases: TestCase[] = [];
  const byId = new Map<string, RuleIR>();
  const broken = new Map<RuleIR, string>();
  for (const l of rules) {
    const r = l.rule ?? stub(l);
    if (!l.rule) broken.set(r, `the rule did not load: ${l.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}${d.line ? ` at ${d.line}:${d.column ?? 0}` : ''} ${d.message}`).join('; ')}`);
    if (l.format === 'splunk' && l.text !== undefined) {
      const own = splunkCases(r, l.text, data);
      if (own.length && !l.rule) printDiagnostics(l.diagnostics, l.text, flags.quiet ? 'error' : 'warning');
      cases.push(...own);
    }
    if (l.id && !byId.has(l.id)) byId.set(l.id, r);
  }
  let orphans = 0;
  for (const root of roots) {
    const reg = regressionCases(root, byId);
    cases.push(...reg.cases);
    orphans += reg.orphans.length;
  }
  for (const c of cases) { const e = broken.get(c.rule); if (e) c.error = e; }
  const out = process.stdout;
  const report = await runTests(cases, { lookups: lookupFolders(flags.lookups, rules.map((l) => l.file)) }, (r, t) => {
    if (flags.json) return;
    const word = { passed: 'PASS', failed: 'FAIL', skipped: 'SKIP', error: 'ERROR' }[t.status];
    out.write(`${word.padEnd(5)} ${r.title} — ${t.name}${t.results !== undefined ? ` (${t.results})` : ''}${t.message ? `: ${t.message.replace(/^skipped: /, '')}` : ''}\n`);
  });
  if (flags.json) out.write(JSON.stringify(report, null, 2) + '\n');
  if (flags.junit) writeFileSync(flags.junit, toJUnit(report));
  const s = report.summary;
  process.stderr.write(`rulebridge test: ${s.rules} rule(s), ${s.tests} test(s): ${s.passed} passed, ${s.failed} failed, ${s.errors} error(s), ${s.skipped} skipped in ${s.seconds.toFixed(2)}s` +
    `${orphans ? `; ${orphans} regression case(s) name a rule not given` : ''}${rules.length - new Set(cases.map((c) => c.rule)).size > 0 ? `; ${rules.length - new Set(cases.map((c) => c.rule)).size} rule(s) without tests` : ''}\n`);
  return s.failed + s.errors > 0 ? 1 : 0;
}
