/**
 * `rulebridge demo` (what `npm start` runs): converts the bundled rules/ to every target,
 * evaluates them over the bundled events and prints one table row per rule.
 */
import { join } from 'node:path';
import { PACKAGE_ROOT, collectFiles } from '../source/index.js';
import { TARGETS, compileRules, convert, evaluateFiles, hasErrors } from '../index.js';
import type { RuleIR } from '../ir/index.js';
import { printDiagnostics } from './output.js';
import { EVENT_EXTENSIONS } from './eval.js';

export async function runDemo(): Promise<number> {
  const rulesDir = join(PACKAGE_ROOT, 'rules');
  const { rules, diagnostics } = convert([join(rulesDir, 'splunk'), join(rulesDir, 'sigma')], { macros: [join(rulesDir, 'macros')] });
  printDiagnostics(diagnostics);
  const lowered = rules.filter((r) => r.rule && !hasErrors(r.diagnostics)).map((r) => r.rule as RuleIR);
  const compiled = compileRules(lowered);
  const events = collectFiles([join(rulesDir, 'events')], EVENT_EXTENSIONS).files;
  const counts = new Map<string, number>();
  const result = await evaluateFiles(compiled.compiled, events, (m) => counts.set(m.rule, (counts.get(m.rule) ?? 0) + 1));
  const groups = new Map<string, number>();
  for (const a of result.aggregates) groups.set(a.rule, (groups.get(a.rule) ?? 0) + 1);

  const header = ['rule', 'format', ...TARGETS, 'matches', 'groups'];
  const rows: string[][] = rules.map((r) => {
    const id = r.rule?.meta.id ?? r.id ?? '';
    const cell = (t: string) => {
      const o = r.outputs[t];
      if (!o) return 'error';
      if (!o.ok) return 'unsupported';
      return o.diagnostics.some((d) => d.severity === 'warning') ? 'ok*' : 'ok';
    };
    return [(r.title ?? r.file).slice(0, 48), r.format, ...TARGETS.map(cell), String(counts.get(id) ?? 0), String(groups.get(id) ?? 0)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  process.stdout.write(out.join('\n') + '\n');
  process.stdout.write(`\n${rules.length} rules, ${result.summary.events} events from ${events.length} file(s) in ${result.summary.seconds.toFixed(3)}s. ok* = converted with a warning; run \`rulebridge convert rules/ --to kql\` to see queries and diagnostics.\n`);
  const bad = rules.filter((r) => hasErrors(r.diagnostics));
  for (const r of bad) printDiagnostics(r.diagnostics, r.text, 'error');
  return bad.length ? 1 : 0;
}
