/**
 * Per-run state of compiled queries. A query's rows pass its per-event steps as events stream
 * by; then they go to its aggregate, or are kept for its table stages (and always kept for a
 * join's sub-query, whose rows the join reads). Kept rows are bounded by MAX_KEPT_ROWS (RB505).
 */
import { diag, type Diagnostic, type Origin } from '../diagnostics/index.js';
import type { Aggregator } from './aggregate.js';
import type { CompiledQuery, RunEnv } from './pipeline.js';
import { runTable, type Carrier, type Step } from './stages.js';

/** Most rows one query keeps for its table stages in a run; further rows are dropped with RB505. */
export const MAX_KEPT_ROWS = 2_000_000;

/** One query in one run. */
export class QueryRun {
  readonly steps: Step[];
  readonly agg?: Aggregator;
  readonly kept?: Carrier[];
  truncated?: string;
  private rows?: Carrier[];

  /** True when every row passes and nothing is kept (no stages): push would only return true. */
  readonly passThrough: boolean;

  constructor(readonly q: CompiledQuery, keepAll: boolean) {
    this.steps = q.prefix.map((s) => (s.kind === 'step' ? s.make() : () => true));
    const first = q.rest[0];
    if (first?.kind === 'aggregate') this.agg = first.make();
    else if (first || keepAll) this.kept = [];
    this.passThrough = !this.steps.length && !this.agg && !this.kept;
  }

  /** Feeds one row; true when it passed the per-event steps (and was aggregated or kept). */
  push(c: Carrier): boolean {
    for (const s of this.steps) if (!s(c)) return false;
    if (this.kept) {
      if (this.kept.length >= MAX_KEPT_ROWS) {
        this.truncated ??= `more than ${MAX_KEPT_ROWS} rows reached a stage that needs them all; further rows were dropped`;
        return false;
      }
      this.kept.push(c);
    } else this.agg?.add(c.f);
    return true;
  }

  /** The output rows (computed once). */
  finish(env: RunEnv): Carrier[] {
    if (this.rows) return this.rows;
    if (this.agg) {
      this.rows = runTable(this.q.rest.slice(1), this.agg.finish().map((f) => ({ f, shared: false })), env);
      this.truncated ??= this.agg.truncated;
    } else this.rows = this.kept ? runTable(this.q.rest, this.kept, env) : [];
    return this.rows;
  }

  /** RB505 when a limit dropped input. */
  limitDiagnostic(id: string, at: Origin): Diagnostic | undefined {
    return this.truncated ? diag('RB505', `rule ${id}: ${this.truncated}`, at) : undefined;
  }
}

/** The runs of one rule: its main query and its joins' sub-queries, sharing one environment. */
export class RuleRuns implements RunEnv {
  readonly main: QueryRun;
  private runs = new Map<CompiledQuery, QueryRun>();

  constructor(q: CompiledQuery & { subs: CompiledQuery[] }) {
    this.main = new QueryRun(q, false);
    this.runs.set(q, this.main);
    for (const s of q.subs) this.runs.set(s, new QueryRun(s, true));
  }

  runOf(q: CompiledQuery): QueryRun {
    return this.runs.get(q)!;
  }

  rowsOf(q: CompiledQuery): Carrier[] {
    return this.runOf(q).finish(this);
  }

  all(): QueryRun[] {
    return [...this.runs.values()];
  }
}
