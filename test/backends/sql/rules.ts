/** Hand-built rules for the SQL tests. */
import type { Expr, LogSource, RuleIR, Stage } from '../../../src/ir/index.js';
import { render } from '../../../src/backends/index.js';

/** A rule over the events table with this filter and stages. */
export function ruleOf(filter: Expr, stages: Stage[] = [], source: LogSource = {}): RuleIR {
  return {
    format: 'sigma',
    file: 'rules/t.yml',
    meta: { id: 't', title: 'T', references: [], tags: [], falsepositives: [] },
    query: { source, filter, stages },
  };
}

/** Renders for a dialect and fails the test (by throwing) when rendering fails. */
export function sqlOf(rule: RuleIR, dialect: string): string {
  const r = render(rule, 'sql', { dialect });
  if (!r.ok || !r.query) throw new Error(`render failed: ${JSON.stringify(r.diagnostics)}`);
  return r.query;
}
