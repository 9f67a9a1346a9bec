/** Human-readable diagnostics: `file:line:col CODE message`, the source line and a caret. */
import type { Diagnostic } from './diagnostic.js';

/** Formats one diagnostic; `sourceText` (the file's text) adds the offending line and a caret. */
export function formatDiagnostic(d: Diagnostic, sourceText?: string): string {
  const where = [d.file ?? '<input>', d.line ?? 0, d.column ?? 0].join(':');
  let out = `${where} ${d.code} ${d.severity}: ${d.message}`;
  if (sourceText !== undefined && d.line !== undefined && d.line > 0) {
    const line = sourceText.split(/\r?\n/)[d.line - 1];
    if (line !== undefined) {
      const shown = line.length > 200 ? line.slice(0, 200) + '…' : line;
      const col = Math.max(1, Math.min(d.column ?? 1, shown.length + 1));
      out += `\n  ${shown}\n  ${' '.repeat(col - 1)}^`;
    }
  }
  for (const h of d.hints ?? []) out += `\n  hint: ${h}`;
  return out;
}
