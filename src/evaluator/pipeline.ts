/**
 * Types shared by the compiler and the runner: a compiled query (its feeds and stages) and the
 * contexts a stage sees at compile time (lookup tables, sub-queries) and at run time (the rows
 * of the sub-queries, which run over the same event stream as the rule itself).
 */
import type { Query } from '../ir/index.js';
import type { Diagnostic } from '../diagnostics/index.js';
import type { RowTest } from './compile-expr.js';
import type { SourceSelector } from './logsource.js';
import type { Carrier, CompiledStage } from './stages.js';
import type { LookupResolver } from './lookup-tables.js';

/**
 * One way events enter a query: a log source and a filter. A correlation has one feed per
 * input, whose events are tagged with the input's name (INPUT_FIELD) and aliases.
 */
export interface Feed {
  source: SourceSelector;
  filter: RowTest;
  tag?: { name: string; aliases: { as: string; field: string }[] };
}

/** A query ready to run: feeds, per-event stages, then table stages. */
export interface CompiledQuery {
  feeds: Feed[];
  /** Per-event steps before the first aggregate or table stage. */
  prefix: CompiledStage[];
  /** The rest, from the first aggregate or table stage on. */
  rest: CompiledStage[];
  /** True when the output is a table of aggregate rows. */
  aggregates: boolean;
  /** The output columns that are group keys (the rest are values). */
  groupNames: string[];
  /** Sub-queries of joins anywhere below this query (flattened), run beside it over the same events. */
  subs: CompiledQuery[];
}

/** What stages need while compiling. */
export interface CompileContext {
  lookups: LookupResolver;
  /** Compiles a join's sub-query and registers it to run beside the rule. */
  subQuery(q: Query, diags: Diagnostic[]): CompiledQuery;
}

/** What table stages read while running: the finished rows of a sub-query. */
export interface RunEnv {
  rowsOf(q: CompiledQuery): Carrier[];
}
