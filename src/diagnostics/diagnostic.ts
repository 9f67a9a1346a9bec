/**
 * Diagnostics are values, never exceptions: every stage returns the ones it found and the
 * pipeline keeps going where it can. Only internal bugs throw.
 */
import { CODES, type Code } from './codes.js';

export type Severity = 'error' | 'warning' | 'info';

/** The pipeline stage that produced a diagnostic. */
export type DiagnosticStage = 'load' | 'validate' | 'parse' | 'lower' | 'normalize' | 'check' | 'render' | 'eval' | 'cli';

/** Where a node of a rule came from: a file, a JSON pointer into the YAML document and a 1-based position. */
export interface Origin {
  file?: string;
  pointer?: string;
  line?: number;
  column?: number;
}

/** One finding about a rule, an event file or a conversion. */
export interface Diagnostic {
  code: Code;
  severity: Severity;
  message: string;
  stage: DiagnosticStage;
  file?: string;
  pointer?: string;
  line?: number;
  column?: number;
  hints?: string[];
}

/** Builds a diagnostic whose severity and stage come from the code table. */
export function diag(code: Code, message: string, at?: Origin, hints?: string[]): Diagnostic {
  const def = CODES[code];
  const d: Diagnostic = { code, severity: def.severity, stage: def.stage, message };
  if (at) {
    if (at.file !== undefined) d.file = at.file;
    if (at.pointer !== undefined) d.pointer = at.pointer;
    if (at.line !== undefined) d.line = at.line;
    if (at.column !== undefined) d.column = at.column;
  }
  if (hints && hints.length) d.hints = hints;
  return d;
}

/** True when any diagnostic in the list is an error. */
export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}
