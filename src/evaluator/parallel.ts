/**
 * Evaluation on every core: the main thread reads event lines and hands them out in batches to
 * worker threads (parallel-worker.ts), each holding the compiled per-event rules; results are
 * taken back in batch order, so the matches come out in the order one thread gives them.
 *
 * Only per-event rules (one feed, no stages: most Sigma rules) are split this way. A rule with
 * stages (aggregates, sorts, joins, correlations) needs all its events in one place; those run
 * after, on the main thread, through evaluateFiles, and their matches and rows follow.
 */
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import type { Diagnostic } from '../diagnostics/index.js';
import { availableParallelism } from 'node:os';
import { evaluateFiles, type AggregateRow, type EvaluateOptions, type EvaluateResult, type Match } from './index.js';
import type { CompileOptions, CompiledRule } from './compile-rule.js';
import { BadLines, readEventLines, type EventFormat } from './readers/index.js';
import type { Batch, BatchResult, WorkerInit } from './parallel-worker.js';

/** Options of evaluateParallel. */
export interface ParallelOptions {
  /** Worker threads (at least 1). */
  workers: number;
  /** The options the rules were compiled with (workers compile them again). */
  compile?: CompileOptions;
  /** Event lines per batch (default 1000). */
  batchSize?: number;
  /** Called after batches with the events read so far (about every `progressEvery` events). */
  onProgress?: EvaluateOptions['onProgress'];
  progressEvery?: number;
}

/**
 * evaluateFiles' signature on `workers` threads (0 = one per core): what `rulebridge eval
 * --workers N` calls in place of evaluateFiles.
 */
export function parallelEvaluate(workers: number, compile: CompileOptions = {}): typeof evaluateFiles {
  const n = workers > 0 ? workers : availableParallelism();
  return (compiled, files, onMatch, o = {}) => evaluateParallel(compiled, files, onMatch, { workers: n, compile, ...o });
}

/** Diagnostic codes of the event readers: the main-thread pass of stage rules re-reads the files. */
const READER_CODES = new Set(['RB501', 'RB502', 'RB505']);

/** True for a rule that the workers can run: one untagged feed, no stages, no sub-queries. */
export function isPerEvent(r: CompiledRule): boolean {
  return r.feeds.length === 1 && !r.feeds[0]!.tag && !r.prefix.length && !r.rest.length && !r.subs.length && !r.aggregates;
}

/** Like evaluateFiles, on `workers` threads (see the module comment for the order of results). */
export async function evaluateParallel(compiled: CompiledRule[], files: string[], onMatch: (m: Match) => void, opts: ParallelOptions): Promise<EvaluateResult> {
  const t0 = performance.now();
  const plain = compiled.filter(isPerEvent);
  const staged = compiled.filter((r) => !isPerEvent(r));
  if (!plain.length) return evaluateFiles(compiled, files, onMatch, opts.onProgress ? { onProgress: opts.onProgress, progressEvery: opts.progressEvery ?? 10_000 } : {});
  const diagnostics: Diagnostic[] = [];
  const matches: Record<string, number> = {};
  for (const r of compiled) matches[r.id] ??= 0;
  const init: WorkerInit = { rules: plain.map((r) => r.rule), opts: opts.compile ?? {} };
  const n = Math.max(1, Math.floor(opts.workers));
  const workers = Array.from({ length: n }, () => new Worker(new URL('./parallel-worker.js', import.meta.url), { workerData: init }));
  const size = opts.batchSize ?? 1000;
  let events = 0;
  let reported = 0;
  const every = opts.progressEvery ?? 10_000;
  let failure: Error | undefined;
  try {
    for (const file of files) {
      // One file at a time, its batches flushed in order, so diagnostics keep the order of one thread.
      const fileDiags: Diagnostic[] = [];
      let format: EventFormat | undefined;
      const bad = new BadLines(file, () => format, fileDiags);
      const results = new Map<number, BatchResult>();
      let next = 0, sent = 0;
      let wake: (() => void) | undefined;
      const flush = () => {
        for (let r = results.get(next); r; r = results.get(next)) {
          results.delete(next++);
          if (r.error) failure ??= new Error(`evaluation worker failed: ${r.error}`);
          for (const [line, reason] of r.bad) bad.add(line, reason);
          const m = r.matches;
          for (let k = 0; k < m.length; k += 2) {
            const rule = plain[m[k]!]!;
            matches[rule.id] = (matches[rule.id] ?? 0) + 1;
            onMatch({ rule: rule.id, file, line: m[k + 1]! });
          }
        }
        if (opts.onProgress && events - reported >= every) opts.onProgress((reported = events), file);
      };
      const listeners = workers.map((w) => {
        const onMsg = (r: BatchResult) => { results.set(r.id, r); events -= r.bad.length; flush(); wake?.(); };
        const onErr = (e: Error) => { failure ??= e; wake?.(); };
        w.on('message', onMsg).on('error', onErr);
        return () => w.off('message', onMsg).off('error', onErr);
      });
      const waitFor = async (cond: () => boolean) => { while (!cond() && !failure) await new Promise<void>((res) => (wake = res)); };
      let batch: Batch = { id: 0, format: 'json', lines: [], texts: [] };
      const send = async () => {
        await waitFor(() => sent - next < 2 * n);
        workers[batch.id % n]!.postMessage(batch);
        events += batch.texts.length;
        sent++;
        batch = { id: sent, format: batch.format, lines: [], texts: [] };
      };
      for await (const l of readEventLines(file, fileDiags)) {
        if (failure) break;
        format = l.format;
        batch.format = l.format;
        batch.lines.push(l.line);
        batch.texts.push(l.text);
        if (batch.texts.length >= size) await send();
      }
      if (batch.texts.length && !failure) await send();
      await waitFor(() => next === sent);
      for (const off of listeners) off();
      if (failure) throw failure;
      // Reader and parse diagnostics by line, as one thread reports them; then the overflow count.
      const byLine = fileDiags.map((d, i) => [d.line ?? Infinity, i, d] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      for (const [, , d] of byLine) diagnostics.push(d);
      bad.finish();
      diagnostics.push(...fileDiags.slice(byLine.length));
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const aggregates: AggregateRow[] = [];
  if (staged.length) {
    const res = await evaluateFiles(staged, files, onMatch);
    for (const [id, c] of Object.entries(res.summary.matches)) matches[id] = (matches[id] ?? 0) + c;
    aggregates.push(...res.aggregates);
    diagnostics.push(...res.diagnostics.filter((d) => !READER_CODES.has(d.code)));
  }
  opts.onProgress?.(events, files[files.length - 1] ?? '');
  return { aggregates, summary: { events, matches, seconds: (performance.now() - t0) / 1000 }, diagnostics };
}
