/** The contract every target implements. */
import type { Diagnostic } from '../diagnostics/index.js';
import type { RuleIR } from '../ir/index.js';
import type { Capabilities } from './capabilities.js';

/** Names of the query targets. */
export type Target = 'sigma' | 'kql' | 'eql' | 'sql' | 'spl';

/** Options a caller may pass to any backend; each backend reads the ones it knows. */
export interface RenderOptions {
  /** SQL dialect: sqlite (default), duckdb, postgres, spark. KQL flavour: defender (default), sentinel. */
  dialect?: string;
  /** A user's Handlebars template; it receives `{ rule, meta, query, target }`. */
  template?: string;
  /** A user's mapping file that overrides the bundled one. */
  mapping?: string;
  /** The rows of the lookup tables a rule's `lookup` stages name (a backend reads no files); absent: none known. */
  lookupTables?: LookupSource;
}

/** One lookup table as loaded by the caller: header, rows (cells as text) and match options. */
export interface LookupRows {
  file: string;
  columns: string[];
  rows: string[][];
  /** Columns whose cells are Splunk wildcard patterns (`*` any run). */
  wildcard: ReadonlySet<string>;
  /** The value outputs get when no row matches (the definition's default_match with min_matches ≥ 1). */
  defaultMatch?: string;
  /** Most rows one key value matches, first rows first (the definition's max_matches; absent: Splunk's 1000). */
  maxMatches?: number;
}

/** Lookup tables by name: the table, or a message saying why it is not available. */
export interface LookupSource {
  get(name: string): LookupRows | string;
}

/** The outcome of rendering one rule for one target. */
export interface RenderResult {
  ok: boolean;
  /** The emitted text; absent whenever ok is false (never an empty or partial query). */
  query?: string;
  diagnostics: Diagnostic[];
}

/** One target: escaping, operators and field mapping in code; layout in templates/<name>.hbs. */
export interface Backend {
  name: Target;
  /** File extension of written outputs. */
  ext: string;
  /** This target's column of the capability table. */
  capabilities: Capabilities;
  /** Renders a rule that has passed the capability check. */
  render(rule: RuleIR, opts: RenderOptions): RenderResult;
}
