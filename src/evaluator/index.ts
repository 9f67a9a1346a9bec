/**
 * The evaluator: rules compiled once into closures, run over streamed event files.
 * `compileRules` → `evaluateFiles(compiled, files, onMatch)`. Each event is read, normalized
 * (fields extracted once, shared by all rules) and dispatched by channel and event id to the
 * feeds of the rules (a rule's source + filter; one per input of a correlation; one per join
 * sub-query, which runs over the same events).
 */
import { performance } from 'node:perf_hooks';
import type { Diagnostic } from '../diagnostics/index.js';
import { INPUT_FIELD, type RuleIR } from '../ir/index.js';
import { compileRule, type CompileOptions, type CompiledRule, type Feed } from './compile-rule.js';
import { Dispatcher } from './dispatch.js';
import { Prefilter } from './prefilter.js';
import { readEvents } from './readers/index.js';
import type { CanonicalEvent } from './normalize/index.js';
import { isMissing, type Fields } from './row.js';
import { LookupResolver } from './lookup-tables.js';
import { RuleRuns, type QueryRun } from './run.js';
import { selectFeeds } from './select.js';
import type { Carrier } from './stages.js';

export type { CompiledRule, CompileOptions } from './compile-rule.js';
export { toCanonical } from './normalize/index.js';
export type { CanonicalEvent, FieldValue } from './normalize/index.js';
export { readEvents, type RawEvent } from './readers/index.js';
export { parseCsv, LookupResolver } from './lookup-tables.js';

/** One event that a rule matched. */
export interface Match { rule: string; file: string; line: number }
/** One output row of an aggregating rule. */
export interface AggregateRow { rule: string; group: Record<string, unknown>; values: Record<string, unknown> }
/** What an evaluation returns. */
export interface EvaluateResult {
  aggregates: AggregateRow[];
  summary: { events: number; matches: Record<string, number>; seconds: number };
  diagnostics: Diagnostic[];
}
/** Options of evaluateFiles. */
export interface EvaluateOptions {
  /** Called every `progressEvery` events (default 10000) and once at the end, with the events read so far. */
  onProgress?: (events: number, file: string) => void;
  progressEvery?: number;
}

/** Compiles rules once; rules with errors are left out and their diagnostics returned. */
export function compileRules(rules: RuleIR[], opts: CompileOptions = {}): { compiled: CompiledRule[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const compiled: CompiledRule[] = [];
  const lookups = new LookupResolver(opts.lookups ?? []);
  for (const r of rules) {
    const c = compileRule(r, diagnostics, opts, lookups);
    if (c) compiled.push(c);
  }
  return { compiled, diagnostics };
}

/** A feed of one query of one rule, in one run. */
interface Entry extends Feed { rule: CompiledRule; run: QueryRun; main: boolean }

function splitRow(r: CompiledRule, f: Record<string, unknown>): AggregateRow {
  const group: Record<string, unknown> = {};
  const values: Record<string, unknown> = {};
  for (const k of Object.keys(f)) (r.groupNames.includes(k) ? group : values)[k] = f[k] ?? null;
  return { rule: r.id, group, values };
}

/** The carrier of an event entering a feed: the shared event, or a tagged copy for a correlation input. */
function carrierOf(e: Entry, ev: CanonicalEvent, file: string, line: number, seq: number): Carrier {
  if (!e.tag) return { f: ev, shared: true, file, line, seq };
  const f: Fields = Object.assign(Object.create(null) as Fields, ev);
  f[INPUT_FIELD] = e.tag.name;
  for (const a of e.tag.aliases) if (!isMissing(ev[a.field])) f[a.as] = ev[a.field];
  return { f, shared: false, file, line, seq };
}

/** Evaluates compiled rules over event files (read in the order given; a file may repeat). */
export async function evaluateFiles(compiled: CompiledRule[], files: string[], onMatch: (m: Match) => void, opts: EvaluateOptions = {}): Promise<EvaluateResult> {
  const t0 = performance.now();
  const diagnostics: Diagnostic[] = [];
  const matches: Record<string, number> = {};
  for (const r of compiled) matches[r.id] ??= 0;
  const ruleRuns = new Map<CompiledRule, RuleRuns>();
  const entries: Entry[] = [];
  for (const r of compiled) {
    const rr = new RuleRuns(r);
    ruleRuns.set(r, rr);
    for (const q of [r, ...r.subs]) for (const f of q.feeds) entries.push({ ...f, rule: r, run: rr.runOf(q), main: q === r });
  }
  // An event that feeds several inputs of a correlation is still one match: its copies arrive
  // one after another, so remembering the sequence number of the last matched event per rule
  // suffices (not its file and line: a replayed file repeats those).
  const last = new Map<CompiledRule, number>();
  const match = (r: CompiledRule, file: string, line: number, seq: number) => {
    if (last.get(r) === seq) return;
    last.set(r, seq);
    matches[r.id] = (matches[r.id] ?? 0) + 1;
    onMatch({ rule: r.id, file, line });
  };
  const dispatcher = new Dispatcher(entries);
  const prefilter = new Prefilter(entries);
  const every = opts.progressEvery ?? 10_000;
  let events = 0;
  for (const file of files) {
    for await (const { line, raw } of readEvents(file, diagnostics)) {
      events++;
      if (opts.onProgress && events % every === 0) opts.onProgress(events, file);
      const sel = selectFeeds(raw, dispatcher, prefilter);
      if (!sel) continue;
      const { row } = sel;
      for (const e of sel.feeds) {
        if (!e.filter(row)) continue;
        // A query without stages keeps nothing: its rows need not be made (nor the event normalized in full).
        if (e.run.passThrough) { if (e.main) match(e.rule, file, line, events); continue; }
        if (e.run.push(carrierOf(e, row.fields as CanonicalEvent, file, line, events)) && e.main && !e.run.kept) match(e.rule, file, line, events);
      }
    }
  }
  opts.onProgress?.(events, files[files.length - 1] ?? '');
  const aggregates: AggregateRow[] = [];
  for (const [r, rr] of ruleRuns) {
    const run = rr.main;
    const rows = rr.rowsOf(r);
    if (run.kept && r.aggregates) for (const c of run.kept) match(r, c.file!, c.line!, c.seq!);
    if (r.aggregates) for (const c of rows) aggregates.push(splitRow(r, c.f));
    else if (run.kept) for (const c of rows) match(r, c.file!, c.line!, c.seq!);
    const at = r.rule.query.stages.find((s) => s.kind === 'aggregate')?.origin ?? { file: r.file };
    for (const q of rr.all()) { const d = q.limitDiagnostic(r.id, at); if (d) diagnostics.push(d); }
  }
  return { aggregates, summary: { events, matches, seconds: (performance.now() - t0) / 1000 }, diagnostics };
}
