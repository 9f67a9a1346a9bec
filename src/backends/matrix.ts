/** The README's support matrix, generated from the capability table so the two never disagree. */
import { FEATURES, type Support } from './capabilities.js';
import { BACKENDS, TARGETS } from './registry.js';

const MARK: Record<Support, string> = { native: 'yes', rewrite: 'rewrite', unsupported: '—' };

/** A Markdown table: one row per feature, one column per target. */
export function supportMatrixMarkdown(): string {
  const head = `| feature | ${TARGETS.join(' | ')} |`;
  const rule = `|---|${TARGETS.map(() => '---').join('|')}|`;
  const rows = FEATURES.map((f) => `| ${f} | ${TARGETS.map((t) => MARK[BACKENDS[t].capabilities[f]]).join(' | ')} |`);
  return [head, rule, ...rows].join('\n');
}
