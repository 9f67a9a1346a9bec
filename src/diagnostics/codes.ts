/**
 * The one table of diagnostic codes. Codes are stable: tests and users match on them, so a
 * code is never renumbered or reused. Each stage keeps its rows in its own file.
 */
import type { Severity, DiagnosticStage } from './diagnostic.js';
import { SOURCE_CODES } from './codes-source.js';
import { SPL_CODES } from './codes-spl.js';
import { SIGMA_CODES } from './codes-sigma.js';
import { TARGET_CODES } from './codes-target.js';
import { EVAL_CODES } from './codes-eval.js';

/** One row of the code table. */
export interface CodeDef {
  severity: Severity;
  stage: DiagnosticStage;
  /** What the code means, for the README and `rulebridge codes`. */
  summary: string;
}

/** Every code rulebridge can emit. */
export const CODES = {
  ...SOURCE_CODES,
  ...SPL_CODES,
  ...SIGMA_CODES,
  ...TARGET_CODES,
  ...EVAL_CODES,
} as const satisfies Record<string, CodeDef>;

export type Code = keyof typeof CODES;
