/** The README's table of diagnostic codes, generated from the code table. */
import { CODES } from './codes.js';

/** A Markdown table of every code with its severity, stage and meaning. */
export function codesMarkdown(): string {
  const rows = Object.entries(CODES).map(([code, d]) => `| ${code} | ${d.severity} | ${d.stage} | ${d.summary.replace(/\|/g, '\\|')} |`);
  return ['| code | severity | stage | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
