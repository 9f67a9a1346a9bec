/**
 * Writing results: diagnostics to stderr, files atomically (src/source/atomic-write.ts), reports
 * as JSON. A failed write is an RB903 error on stderr, not an exception, so a batch goes on.
 */
import { diag, formatDiagnostic, type Diagnostic } from '../diagnostics/index.js';
import { tryWriteAtomic } from '../source/atomic-write.js';

export { tempPathFor, tryWriteAtomic } from '../source/atomic-write.js';

/** Prints diagnostics, each with its source line when the text is known. */
export function printDiagnostics(ds: readonly Diagnostic[], text?: string, minSeverity: 'info' | 'warning' | 'error' = 'info'): void {
  const rank = { info: 0, warning: 1, error: 2 };
  for (const d of ds) if (rank[d.severity] >= rank[minSeverity]) process.stderr.write(formatDiagnostic(d, text) + '\n');
}

/** Writes a file atomically; on failure prints an RB903 error and returns false. */
export function writeAtomic(path: string, content: string): boolean {
  const err = tryWriteAtomic(path, content);
  if (err === undefined) return true;
  printDiagnostics([diag('RB903', `cannot write ${path}: ${err}`, { file: path })]);
  return false;
}

/** Writes a JSON report atomically; on failure prints an RB903 error and returns false. */
export function writeReport(path: string, report: object): boolean {
  return writeAtomic(path, JSON.stringify(report, null, 2) + '\n');
}
