/**
 * A rename right after an aggregate folds into the aggregate's output names with the rename
 * stage's meaning: pairs left to right, a renamed column replacing one of the same name.
 * Each case is also run through the evaluator folded and with the rename kept as a stage: same row.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileRules, evaluateFiles } from '../../src/evaluator/index.js';
import { normalizeStages, TRUE, type Aggregate, type Rename, type RuleIR, type Stage } from '../../src/ir/index.js';
import { sysmonProc, writeEvents } from '../helpers/events.js';

const AGG: Aggregate = {
  kind: 'aggregate',
  groupBy: [{ field: 'process.name', as: 'P.process_name' }, { field: 'host.name', as: 'P.dest' }],
  aggs: [{ fn: 'count', as: 'count' }, { fn: 'values', field: 'process.executable', as: 'process_name' }],
};

const CASES: { name: string; pairs: Rename['pairs']; folded: { groupBy: string[]; aggs: string[] } | 'kept' }[] = [
  { name: 'P.* AS *: the group key takes over the aggregate of its name', pairs: [{ from: 'P.*', to: '*' }], folded: { groupBy: ['process_name', 'dest'], aggs: ['count'] } },
  { name: 'pairs in order: count AS n, n AS hits', pairs: [{ from: 'count', to: 'n' }, { from: 'n', to: 'hits' }], folded: { groupBy: ['P.process_name', 'P.dest'], aggs: ['hits', 'process_name'] } },
  { name: 'an aggregate renamed onto a group key would drop the key: kept as a stage', pairs: [{ from: 'count', to: 'P.dest' }], folded: 'kept' },
];

const EVENTS = writeEvents(mkdtempSync(join(tmpdir(), 'rb-fold-')), 'p.jsonl', [sysmonProc(1, 'h1', 'C:\\a\\x.exe', '2026-01-01T00:00:00Z')]);
const rule = (stages: Stage[]): RuleIR => ({ format: 'sigma', file: 'r.yml', meta: { id: 'r1', title: 't', references: [], tags: [], falsepositives: [] }, query: { source: { category: 'process_creation' }, filter: TRUE, stages } });
async function rows(stages: Stage[]) {
  const { compiled } = compileRules([rule(stages)]);
  const res = await evaluateFiles(compiled, [EVENTS], () => {});
  return res.aggregates.map((a) => ({ ...a.group, ...a.values }));
}

describe('rename folded into an aggregate', () => {
  it.each(CASES)('$name', async ({ pairs, folded }) => {
    const rename: Rename = { kind: 'rename', pairs };
    const out = normalizeStages([AGG, rename]);
    if (folded === 'kept') expect(out).toEqual([AGG, rename]);
    else {
      expect(out).toHaveLength(1);
      const a = out[0] as Aggregate;
      expect(a.groupBy.map((g) => g.as)).toEqual(folded.groupBy);
      expect(a.aggs.map((x) => x.as)).toEqual(folded.aggs);
    }
    // The evaluator normalizes too; a no-op filter between the two keeps its rename a stage of
    // its own, which the fold must agree with.
    expect(await rows([AGG, rename])).toEqual(await rows([AGG, { kind: 'filter', expr: TRUE }, rename]));
  });
});
