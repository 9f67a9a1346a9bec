/** What a frontend hands back for each rule it read. */
import type { Diagnostic } from '../diagnostics/index.js';
import type { RuleIR } from '../ir/index.js';

/** Rule source formats. */
export type RuleFormat = 'splunk' | 'sigma';

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
}
