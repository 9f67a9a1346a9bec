/** Sigma correlations end to end: the Sigma frontend lowers them to inputs + stages, the evaluator runs them. */
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { loadRules } from '../../src/index.js';
import { compileRules, evaluateFiles, type Match } from '../../src/evaluator/index.js';

const DIR = join(__dirname, '..', 'fixtures', 'events', 'correlation');

describe('Sigma correlations in the evaluator', () => {
  it('temporal_ordered finds X then Y on one host within the timespan; event_count counts per group and window', async () => {
    const { rules } = loadRules([join(DIR, 'x-then-y.yml')]);
    const lowered = rules.filter((r) => r.rule?.query.inputs).map((r) => r.rule!);
    expect(lowered.map((r) => r.meta.title)).toEqual(['X Then Y On One Host', 'Three Or More X On One Host']);
    const { compiled, diagnostics } = compileRules(lowered);
    expect(diagnostics).toEqual([]);
    const matches: Match[] = [];
    const res = await evaluateFiles(compiled, [join(DIR, 'events.jsonl')], (m) => matches.push(m));
    // h1: x 00:10 → y 00:50 completes; h2: y before x does not; h1: x 03:00 → y 05:00 is past 1h.
    expect(res.aggregates.filter((a) => a.rule.endsWith('a03')).map((a) => a.group)).toEqual([{ 'host.name': 'h1' }]);
    // two x.exe on h1 on 2026-01-01; one on h2
    expect(res.aggregates.filter((a) => a.rule.endsWith('a04')).map((a) => [a.group['host.name'], a.values.event_count])).toEqual([['h1', 2]]);
    expect(res.diagnostics).toEqual([]);
  });
});
