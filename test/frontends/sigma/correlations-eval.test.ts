/**
 * The eight correlation fixtures evaluated over events written for them
 * (test/fixtures/sigma/correlations/events.jsonl, ECS): which groups each correlation reports.
 * The events are built so that each type has groups that must and must not match, including a
 * group split by the fixed time buckets (bob's whoami runs) and a sequence in the wrong order
 * (carol: net before whoami).
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadRuleText } from '../../../src/frontends/load.js';
import { compileRules, evaluateFiles } from '../../../src/evaluator/index.js';
import type { RuleIR } from '../../../src/ir/nodes.js';

const DIR = resolve(__dirname, '..', '..', 'fixtures', 'sigma', 'correlations');
const EVENTS = join(DIR, 'events.jsonl');

function correlation(type: string): RuleIR {
  const r = loadRuleText(`${type}.yml`, readFileSync(join(DIR, `${type}.yml`), 'utf8')).find((x) => x.rule?.query.inputs);
  if (!r?.rule) throw new Error(`${type}: no correlation`);
  return r.rule;
}

/** The groups (user names) a correlation reports, with the value column, sorted by user. */
async function groups(type: string): Promise<[string, unknown][]> {
  const { compiled, diagnostics } = compileRules([correlation(type)]);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const res = await evaluateFiles(compiled, [EVENTS], () => {});
  expect(res.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return res.aggregates
    .map((a): [string, unknown] => [String(a.group['user.name']), a.values[type === 'temporal' ? 'rule_count' : type] ?? null])
    .sort((a, b) => a[0].localeCompare(b[0]));
}

describe('sigma correlations evaluated over events', () => {
  it('event_count: alice ran whoami 3 times in one 10m bucket; bob 3 times across two buckets', async () => {
    expect(await groups('event_count')).toEqual([['alice', 3]]);
  });
  it('value_count: alice ran net with 2 command lines; bob twice the same one', async () => {
    expect(await groups('value_count')).toEqual([['alice', 2]]);
  });
  it('temporal: only alice ran whoami, net and ipconfig within one bucket', async () => {
    expect(await groups('temporal')).toEqual([['alice', 3]]);
  });
  it('temporal_ordered: whoami then net for alice and bob (twice each), not carol (net first)', async () => {
    expect((await groups('temporal_ordered')).map(([u]) => u)).toEqual(['alice', 'alice', 'bob', 'bob']);
  });
  it('value_sum: alice 2200 and dave 2000 exceed 1000; bob 180 does not', async () => {
    expect((await groups('value_sum')).map(([u, v]) => [u, Number(v)])).toEqual([['alice', 2200], ['dave', 2000]]);
  });
  it('value_avg: alice ~733 and dave 2000 exceed 500; bob 60 does not', async () => {
    const g = await groups('value_avg');
    expect(g.map(([u]) => u)).toEqual(['alice', 'dave']);
    expect(Number(g[0]![1])).toBeCloseTo(733.33, 1);
  });
  it('value_percentile: the 90th percentile reaches 900 for alice and dave, not bob', async () => {
    expect((await groups('value_percentile')).map(([u]) => u)).toEqual(['alice', 'dave']);
  });
  it('value_median: only alice (600) lies in 100..1000; bob 60 and dave 2000 do not', async () => {
    expect((await groups('value_median')).map(([u, v]) => [u, Number(v)])).toEqual([['alice', 600]]);
  });
});
