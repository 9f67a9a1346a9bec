/**
 * The end of `convert` and `validate`: per-target counts, then the JSON report (--report), the
 * JSON on stdout (--json) or the one summary line on stderr. No backend is imported here, so
 * `validate` loads none.
 */
import { hasErrors, type Diagnostic } from '../diagnostics/index.js';
import type { ReportRule } from '../index/load-rules.js';
import { writeReport } from './output.js';

/** Counts of a batch: rules loaded and with errors, and per target the queries rendered or not. */
export function summarize(rules: ReportRule[], targets: string[]) {
  const perTarget: Record<string, { ok: number; failed: number }> = {};
  for (const t of targets) {
    if (t === 'ir') continue;
    perTarget[t] = { ok: 0, failed: 0 };
    for (const r of rules) {
      const o = r.outputs[t];
      if (o?.ok) perTarget[t]!.ok++;
      else perTarget[t]!.failed++;
    }
  }
  return { rules: rules.length, loaded: rules.filter((r) => !hasErrors(r.diagnostics)).length, withErrors: rules.filter((r) => hasErrors(r.diagnostics)).length, targets: perTarget };
}

function summaryLine(s: ReturnType<typeof summarize>): string {
  const t = Object.entries(s.targets).map(([k, v]) => `${k} ${v.ok}/${v.ok + v.failed}`).join(', ');
  return `rulebridge: ${s.rules} rule(s), ${s.withErrors} with errors${t ? `; converted: ${t}` : ''}`;
}

/** Report entries without what is not part of the JSON report (the lowered rule, the text). */
function stripped(rules: ReportRule[]) {
  return rules.map(({ file, id, title, format, diagnostics, outputs }) => ({ file, id, title, format, diagnostics, outputs }));
}

/**
 * Writes --report, prints --json, or prints the summary line (not after the one query of a
 * one-rule, one-target run). Returns false when the report could not be written.
 */
export function finish(command: 'convert' | 'validate', rules: ReportRule[], diagnostics: Diagnostic[], targets: string[], flags: { report?: string; json?: boolean }, single: boolean): boolean {
  const summary = summarize(rules, targets);
  let ok = true;
  if (flags.report) {
    if (!writeReport(flags.report, { command, rules: stripped(rules), files: diagnostics.length ? [{ file: '<args>', diagnostics }] : [], summary })) ok = false;
  }
  if (flags.json) process.stdout.write(JSON.stringify({ rules: stripped(rules), summary }, null, 2) + '\n');
  else if (!single) process.stderr.write(summaryLine(summary) + '\n');
  return ok;
}
