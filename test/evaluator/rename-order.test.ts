/**
 * One rename stage with several pairs: they apply left to right (SPL2 search reference, rename:
 * "Renames are processed in the order that you specify"); a renamed column replaces one of the
 * same name. The evaluator is checked here, SQL in test/backends/sql/features.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileRules, evaluateFiles } from '../../src/evaluator/index.js';
import { renameNames } from '../../src/evaluator/stages.js';
import { TRUE, type RuleIR, type Stage } from '../../src/ir/index.js';
import { sysmonProc, writeEvents } from '../helpers/events.js';
import { RENAME_CASES } from '../fixtures/evaluator/rename-cases.js';

const EVENTS = writeEvents(mkdtempSync(join(tmpdir(), 'rb-rename-')), 'p.jsonl', [sysmonProc(1, 'h1', 'C:\\x.exe', '2026-01-01T00:00:00Z')]);

function rule(stages: Stage[]): RuleIR {
  return { format: 'sigma', file: 'r.yml', meta: { id: 'r1', title: 't', references: [], tags: [], falsepositives: [] }, query: { source: { category: 'process_creation' }, filter: TRUE, stages } };
}

describe('rename pairs apply left to right (evaluator)', () => {
  it.each(RENAME_CASES)('$name', async ({ columns, pairs, want }) => {
    const stages: Stage[] = [
      { kind: 'aggregate', groupBy: [], aggs: [{ fn: 'count', as: 'n' }] },
      { kind: 'eval', assign: Object.entries(columns).map(([field, value]) => ({ field, expr: { kind: 'lit', value } })) },
      { kind: 'project', fields: ['n'], mode: 'remove' },
      { kind: 'rename', pairs },
    ];
    const { compiled, diagnostics } = compileRules([rule(stages)]);
    expect(diagnostics).toEqual([]);
    const res = await evaluateFiles(compiled, [EVENTS], () => {});
    expect(res.aggregates.map((a) => ({ ...a.group, ...a.values }))).toEqual([want]);
    expect(renameNames(Object.keys(columns), pairs).sort()).toEqual(Object.keys(want).sort());
  });
});
