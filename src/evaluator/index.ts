/**
 * The evaluator: rules compiled once into closures, run over streamed event files.
 * `compileRules` → `evaluateFiles(compiled, files, onMatch)`. Each event is read, normalized
 * (fields extracted once, shared by all rules) and dispatched by channel and event id.
 */
import { performance } from 'node:perf_hooks';
import { diag, type Diagnostic } from '../diagnostics/index.js';
import type { RuleIR } from '../ir/index.js';
import { compileRule, type CompiledRule } from './compile-rule.js';
import { Dispatcher } from './dispatch.js';
import { readEvents } from './readers/index.js';
import { isFlatWindows, toCanonical, toNumber } from './normalize/index.js';
import { Row } from './row.js';
import { runTable, type Carrier, type Step } from './stages.js';
import type { Aggregator } from './aggregate.js';

export type { CompiledRule } from './compile-rule.js';
export { toCanonical } from './normalize/index.js';
export type { CanonicalEvent, FieldValue } from './normalize/index.js';
export { readEvents, type RawEvent } from './readers/index.js';

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

/** Compiles rules once; rules with errors are left out and their diagnostics returned. */
export function compileRules(rules: RuleIR[]): { compiled: CompiledRule[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const compiled: CompiledRule[] = [];
  for (const r of rules) {
    const c = compileRule(r, diagnostics);
    if (c) compiled.push(c);
  }
  return { compiled, diagnostics };
}

/** Per-run state of one rule. */
interface RuleRun {
  rule: CompiledRule;
  steps: Step[];
  agg?: Aggregator;
  collected?: Carrier[];
}

function splitRow(r: CompiledRule, f: Record<string, unknown>): AggregateRow {
  const group: Record<string, unknown> = {};
  const values: Record<string, unknown> = {};
  for (const k of Object.keys(f)) (r.groupNames.includes(k) ? group : values)[k] = f[k] ?? null;
  return { rule: r.id, group, values };
}

/** Evaluates compiled rules over event files (read in the order given). */
export async function evaluateFiles(compiled: CompiledRule[], files: string[], onMatch: (m: Match) => void): Promise<EvaluateResult> {
  const t0 = performance.now();
  const diagnostics: Diagnostic[] = [];
  const matches: Record<string, number> = {};
  for (const r of compiled) matches[r.id] ??= 0;
  const runs = new Map<CompiledRule, RuleRun>();
  for (const r of compiled) {
    const run: RuleRun = { rule: r, steps: r.prefix.map((s) => (s.kind === 'step' ? s.make() : () => true)) };
    const first = r.rest[0];
    if (first?.kind === 'aggregate') run.agg = first.make();
    else if (first) run.collected = [];
    runs.set(r, run);
  }
  const match = (r: CompiledRule, file: string, line: number) => {
    matches[r.id] = (matches[r.id] ?? 0) + 1;
    onMatch({ rule: r.id, file, line });
  };
  const dispatcher = new Dispatcher(compiled);
  let events = 0;
  for (const file of files) {
    for await (const { line, raw } of readEvents(file, diagnostics)) {
      events++;
      // A flat Windows record names its channel and id before normalization: skip the work
      // for events no rule selects (most of a mixed log for a process_creation rule).
      if (isFlatWindows(raw)) {
        const ch = raw.Channel;
        const pre = typeof ch === 'string' && ch ? dispatcher.forChannel(ch, toNumber(raw.EventID)) : dispatcher.always;
        if (!pre.length) continue;
      }
      const ev = toCanonical(raw);
      const cands = dispatcher.candidates(ev);
      if (!cands.length) continue;
      const row = new Row(ev);
      for (const r of cands) {
        if (!r.filter(row)) continue;
        const run = runs.get(r)!;
        const c: Carrier = { f: ev, shared: true, file, line };
        if (!run.steps.every((s) => s(c))) continue;
        if (run.collected) run.collected.push(c);
        else {
          match(r, file, line);
          run.agg?.add(c.f);
        }
      }
    }
  }
  const aggregates: AggregateRow[] = [];
  for (const run of runs.values()) {
    const r = run.rule;
    if (run.agg) {
      const rows = runTable(r.rest.slice(1), run.agg.finish().map((f) => ({ f, shared: false })));
      if (run.agg.truncated) diagnostics.push(diag('RB505', `rule ${r.id}: ${run.agg.truncated}`, r.rule.query.stages.find((s) => s.kind === 'aggregate')?.origin ?? { file: r.file }));
      for (const c of rows) aggregates.push(splitRow(r, c.f));
    } else if (run.collected) {
      const rows = runTable(r.rest, run.collected);
      if (r.aggregates) {
        for (const c of run.collected) match(r, c.file!, c.line!);
        for (const c of rows) aggregates.push(splitRow(r, c.f));
      } else for (const c of rows) match(r, c.file!, c.line!);
    }
  }
  return { aggregates, summary: { events, matches, seconds: (performance.now() - t0) / 1000 }, diagnostics };
}
