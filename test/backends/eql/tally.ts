/**
 * Corpus figures shared by the EQL and SPL corpus tests: per target, how many lowered rules
 * converted, how many were refused (grouped by the first error's code and message, with the
 * rule-specific parts blanked), and how many outputs failed to re-parse.
 */
import type { Diagnostic } from '../../../src/diagnostics/index.js';
import type { RenderResult } from '../../../src/backends/index.js';

/** One target's tally. */
export interface Tally {
  converted: number;
  unsupported: Map<string, number>;
  invalid: string[];
  silent: string[];
}

export function newTally(): Tally {
  return { converted: 0, unsupported: new Map(), invalid: [], silent: [] };
}

/** The reason of a refusal: code and message of the first error, quoted names blanked. */
export function reasonOf(ds: Diagnostic[]): string {
  const e = ds.find((d) => d.severity === 'error');
  if (!e) return 'no error';
  return `${e.code} ${e.message.replace(/'[^']*'/g, "'…'").replace(/\d+/g, 'N')}`;
}

/** Adds one rendering to the tally, re-parsing a converted query. */
export function count(t: Tally, file: string, out: RenderResult, parse: (q: string) => unknown): void {
  if (out.ok) {
    t.converted++;
    try {
      parse(out.query!);
    } catch (err) {
      t.invalid.push(`${file}: ${(err as Error).message}\n${out.query}`);
    }
    return;
  }
  if (!out.diagnostics.some((d) => d.severity === 'error')) t.silent.push(file);
  const r = reasonOf(out.diagnostics);
  t.unsupported.set(r, (t.unsupported.get(r) ?? 0) + 1);
}

/** A printable report: converted / unsupported by reason / invalid, with the share converted. */
export function report(name: string, rules: number, t: Tally): string {
  const refused = [...t.unsupported.values()].reduce((a, b) => a + b, 0);
  const lines = [`${name}: ${rules} rules, ${t.converted} converted (${((100 * t.converted) / Math.max(rules, 1)).toFixed(2)}%), ${refused} unsupported, ${t.invalid.length} invalid`];
  for (const [r, n] of [...t.unsupported].sort((a, b) => b[1] - a[1])) lines.push(`  ${String(n).padStart(5)}  ${r}`);
  return lines.join('\n');
}
