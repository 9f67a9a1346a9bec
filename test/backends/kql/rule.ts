/** Small builders for hand-made rules in the KQL tests. */
import type { Expr, LogSource, Origin, RuleIR, Stage } from '../../../src/ir/index.js';

export const FILE = 'test/fixtures/kql/hand-made.yml';

/** An origin in the hand-made rule file. */
export function at(line: number, column: number): Origin {
  return { file: FILE, line, column };
}

/** A rule over a log source with a filter and stages. */
export function rule(filter: Expr, stages: Stage[] = [], source: LogSource = { category: 'process_creation', origin: at(1, 1) }): RuleIR {
  return {
    format: 'sigma',
    file: FILE,
    meta: { id: '00000000-0000-4000-8000-000000000000', title: 'hand-made', references: [], tags: [], falsepositives: [] },
    query: { source, filter, stages },
  };
}

/** The `where` line of a rendered query (the operator text after `| where `). */
export function whereOf(query: string): string {
  const line = query.split('\n').find((l) => l.startsWith('| where '));
  return line ? line.slice('| where '.length) : '';
}
