/** What a frontend hands back for each rule it read. */
import type { Diagnostic, Origin } from '../diagnostics/index.js';
import type { RuleIR } from '../ir/index.js';
import type { SourceDoc } from '../source/index.js';

/** Rule source formats. */
export type RuleFormat = 'splunk' | 'sigma';

/**
 * What the Sigma frontend keeps of a document to link correlations and filters to the rules
 * they name, within one file or across the files of a batch (linking is repeatable).
 */
export interface SigmaLink {
  kind: 'rule' | 'correlation' | 'filter';
  /** The document, kept for correlations and filters only (linking lowers them). */
  src?: SourceDoc;
  /** The document's `id` and `name` (how correlations and filters refer to it). */
  id?: string;
  name?: string;
  /** Where the document's title is, for diagnostics about the whole document. */
  at: Origin;
  /** Diagnostics of the document alone, before linking. */
  own: Diagnostic[];
  /** A detection rule's IR before any filter. */
  base?: RuleIR;
}

/** One rule read from a file: its IR when it lowered, and every diagnostic either way. */
export interface LoadedRule {
  file: string;
  format: RuleFormat;
  /** Index of the YAML document in a multi-document file. */
  doc: number;
  id?: string;
  title?: string;
  /** Present when the rule lowered with no error diagnostic. */
  rule?: RuleIR;
  diagnostics: Diagnostic[];
  /** The source text of the file, for printing diagnostics with their line. */
  text?: string;
  /** Sigma documents only: what linking correlations and filters needs. */
  sigma?: SigmaLink;
}
