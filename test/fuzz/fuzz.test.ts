/**
 * The CI fuzz run: every target with fixed seeds and a bounded number of cases, so the suite
 * is deterministic and takes about a minute. `npm run fuzz` runs the same targets for longer
 * with random seeds (long.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CORPUS, skipNote } from '../helpers/paths.js';
import { TARGETS, cleanScratch, warmUp } from './targets.js';
import { describeFailure, runTarget, slowest } from './runner.js';
import { startWatchdog, type Watchdog } from './watchdog.js';
import { validated } from './oracles.js';

/** Cases per target in CI; the seed is fixed per target. */
const RUNS: Record<string, number> = { 'yaml+schema': 600, sigma: 300, spl: 400, 'spl-macros': 200, 'corpus-mutations': 300, evaluator: 200, catalog: 100 };
const SEED = 20261201;

let dog: Watchdog;
beforeAll(async () => {
  dog = startWatchdog(20_000);
  await warmUp();
});
afterAll(async () => {
  await dog.stop();
  cleanScratch();
  console.log('fuzz: validated outputs', validated, `\nslowest case: ${Math.round(slowest.ms)} ms [${slowest.target}] ${slowest.input.slice(0, 600)}`);
});

describe('fuzz (fixed seeds)', () => {
  if (!HAS_CORPUS) skipNote('corpus mutations in the fuzz run (generated inputs still run)');
  for (const t of TARGETS) {
    it(`${t.name}: outputs or diagnostics, never an exception or a hang`, async () => {
      const r = await runTarget(t, dog, { seed: SEED, numRuns: RUNS[t.name] ?? 50, limits: { softMs: 2000 } });
      console.log(`fuzz ${t.name}: ${r.runs} case(s), seed ${r.seed}; slowest so far ${Math.round(slowest.ms)} ms (${slowest.target})`);
      expect(describeFailure(r)).toBe('');
    }, 120_000);
  }
});
