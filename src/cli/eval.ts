/** `rulebridge eval`: run rules over event files; one JSON line per match and per aggregate row. */
import { collectFiles } from '../source/index.js';
import { hasErrors, type Diagnostic } from '../diagnostics/index.js';
import { loadRules } from '../index/load-rules.js';
import { compileRules, evaluateFiles } from '../evaluator/index.js';
import type { RuleIR } from '../ir/index.js';
import { printDiagnostics, writeReport } from './output.js';
import { lookupDirsFor } from '../frontends/splunk/index.js';

export interface EvalFlags {
  events: string[];
  macros?: string[];
  report?: string;
  /** Worker threads for per-event rules (0 = one per core; absent or 1 = this thread only). */
  workers?: number;
  lookups?: string[];
  quiet?: boolean;
}

/** Event file extensions read from directories. */
export const EVENT_EXTENSIONS = ['.jsonl', '.json', '.log', '.xml', '.gz', '.ndjson'];

export async function runEval(paths: string[], flags: EvalFlags): Promise<number> {
  const { rules, diagnostics } = loadRules(paths, { ...(flags.macros ? { macros: flags.macros } : {}), ...(flags.lookups ? { lookups: flags.lookups } : {}) });
  let failed = hasErrors(diagnostics);
  printDiagnostics(diagnostics);
  const lowered: RuleIR[] = [];
  for (const r of rules) {
    printDiagnostics(r.diagnostics, r.text, flags.quiet ? 'error' : 'warning');
    if (hasErrors(r.diagnostics) || !r.rule) failed = true;
    else lowered.push(r.rule);
  }
  const ev = collectFiles(flags.events, EVENT_EXTENSIONS);
  printDiagnostics(ev.diagnostics);
  if (hasErrors(ev.diagnostics)) failed = true;
  const compiled = compileRules(lowered, { lookups: lookupFolders(flags.lookups, lowered.map((r) => r.file)) });
  printDiagnostics(compiled.diagnostics, undefined, flags.quiet ? 'error' : 'warning');
  if (hasErrors(compiled.diagnostics)) failed = true;
  const matches: { rule: string; file: string; line: number }[] = [];
  const out = process.stdout;
  const progress = progressLine();
  // --workers: the same evaluation on worker threads (loaded only when asked for).
  const evaluate = flags.workers !== undefined && flags.workers !== 1 ? (await import('../evaluator/parallel.js')).parallelEvaluate(flags.workers) : evaluateFiles;
  const result = await evaluate(compiled.compiled, ev.files, (m) => {
    out.write(JSON.stringify(m) + '\n');
    if (flags.report) matches.push(m);
  }, { onProgress: (n, f) => progress.update(n, f), progressEvery: 2000 });
  progress.done();
  for (const a of result.aggregates) out.write(JSON.stringify(a) + '\n');
  const evalDiags: Diagnostic[] = result.diagnostics;
  printDiagnostics(evalDiags, undefined, flags.quiet ? 'error' : 'warning');
  if (hasErrors(evalDiags)) failed = true;
  const summary = { rules: lowered.length, rulesWithErrors: rules.length - lowered.length, eventFiles: ev.files.length, ...result.summary };
  // Per rule: the rules that matched, most matches first; the others counted.
  const per = Object.entries(result.summary.matches).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const hit = per.filter(([, n]) => n > 0);
  if (!flags.quiet) {
    for (const [id, n] of hit) process.stderr.write(`  ${String(n).padStart(8)}  ${id}\n`);
    if (per.length > hit.length) process.stderr.write(`  ${String(0).padStart(8)}  (${per.length - hit.length} other rule(s))\n`);
  }
  const eps = result.summary.seconds > 0 ? Math.round(summary.events / result.summary.seconds) : 0;
  process.stderr.write(`rulebridge: ${summary.events} event(s) from ${ev.files.length} file(s), ${lowered.length} rule(s), ${matches.length || Object.values(result.summary.matches).reduce((a, b) => a + b, 0)} match(es) in ${result.summary.seconds.toFixed(2)}s (${eps} events/s)\n`);
  if (flags.report && !writeReport(flags.report, { command: 'eval', matches, aggregates: result.aggregates, summary })) failed = true;
  return failed ? 1 : 0;
}

/**
 * A one-line progress display on stderr (events read, events/s), drawn only when stderr is a
 * terminal: a pipe or a file never receives carriage-return noise.
 */
export interface Progress { update(events: number, file: string): void; done(): void }

/** A progress line for `stream`, or a no-op when it is not a TTY. */
export function progressLine(stream: NodeJS.WriteStream = process.stderr, now = () => Date.now()): Progress {
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  const t0 = now();
  let drawn = false, last = 0;
  return {
    update(events, file) {
      const t = now();
      if (t - last < 200) return; // at most five redraws a second
      last = t;
      const rate = Math.round(events / Math.max((t - t0) / 1000, 0.001));
      const name = file.length > 40 ? '…' + file.slice(-39) : file;
      const text = `${events.toLocaleString('en-US')} events  ${rate.toLocaleString('en-US')} events/s  ${name}`;
      stream.write(`\r${text.slice(0, Math.max((stream.columns ?? 80) - 1, 20)).padEnd(Math.min(stream.columns ?? 80, 100) - 1)}`);
      drawn = true;
    },
    done() { if (drawn) stream.write('\r' + ' '.repeat(Math.min(stream.columns ?? 80, 100) - 1) + '\r'); },
  };
}

/** The lookup folders: the ones given, else the `lookups/` folders beside or above the rules (as the SPL frontend finds them). */
export function lookupFolders(given: string[] | undefined, ruleFiles: string[]): string[] {
  if (given?.length) return given;
  return [...new Set(ruleFiles.flatMap((f) => lookupDirsFor(f)))];
}
