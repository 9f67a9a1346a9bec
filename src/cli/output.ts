/** Writing results: diagnostics to stderr, files atomically, reports as JSON. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../index.js';

/** Prints diagnostics, each with its source line when the text is known. */
export function printDiagnostics(ds: readonly Diagnostic[], text?: string, minSeverity: 'info' | 'warning' | 'error' = 'info'): void {
  const rank = { info: 0, warning: 1, error: 2 };
  for (const d of ds) if (rank[d.severity] >= rank[minSeverity]) process.stderr.write(formatDiagnostic(d, text) + '\n');
}

/** Writes a file through a temporary name and a rename, so no reader sees it half-written. */
export function writeAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

/** Writes a JSON report. */
export function writeReport(path: string, report: object): void {
  writeAtomic(path, JSON.stringify(report, null, 2) + '\n');
}
