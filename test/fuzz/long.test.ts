/**
 * The long fuzz run, `npm run fuzz` (skipped in the ordinary suite): every target in turn with
 * fresh random seeds until FUZZ_SECONDS (default 600) have passed. Seeds are logged, so a
 * failure can be replayed with FUZZ_TARGET, FUZZ_SEED and FUZZ_PATH. Prints the cases tried per
 * target and every failure; fails at the end if any case failed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TARGETS, cleanScratch, warmUp } from './targets.js';
import { describeFailure, runTarget, slowest, type TargetRun } from './runner.js';
import { startWatchdog } from './watchdog.js';
import { validated } from './oracles.js';

const LONG = process.env.npm_lifecycle_event === 'fuzz' || process.env.FUZZ_LONG === '1';
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 600);
/** Time per target and seed before moving on to the next target. */
const SLICE_MS = Number(process.env.FUZZ_SLICE_SECONDS ?? 20) * 1000;
const SOFT_MS = Number(process.env.FUZZ_CASE_MS ?? 2000);

afterAll(() => cleanScratch());

describe.skipIf(!LONG)('long fuzz run (npm run fuzz)', () => {
  it(`fuzzes every target for ${SECONDS} s`, async () => {
    const dog = startWatchdog(Math.max(20_000, SOFT_MS * 10));
    await warmUp();
    const tried: Record<string, number> = {};
    const failures: TargetRun[] = [];
    const only = process.env.FUZZ_TARGET;
    const targets = only ? TARGETS.filter((t) => t.name === only) : TARGETS;
    expect(targets.length).toBeGreaterThan(0);
    try {
      if (process.env.FUZZ_SEED) {
        // Replay of one failure.
        const r = await runTarget(targets[0]!, dog, { seed: Number(process.env.FUZZ_SEED), numRuns: 1, ...(process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}), limits: { softMs: SOFT_MS } });
        console.log(r.failure ? describeFailure(r) : `replay of ${r.target} seed ${r.seed}: passed`);
        if (r.failure) failures.push(r);
      } else {
        const end = Date.now() + SECONDS * 1000;
        while (end - Date.now() >= 1000) {
          for (const t of targets) {
            const left = end - Date.now();
            // A slice too short to run one case would be reported by fast-check as a failure
            // with no counterexample ("interrupted after 0 tests").
            if (left < 1000) break;
            const seed = (Math.random() * 2 ** 31) | 0;
            const r = await runTarget(t, dog, { seed, ms: Math.min(SLICE_MS, left), limits: { softMs: SOFT_MS } });
            tried[t.name] = (tried[t.name] ?? 0) + r.runs;
            console.log(`${new Date().toISOString()} ${t.name} seed=${seed} cases=${r.runs}${r.failure ? ' FAILED' : ''}`);
            if (r.failure) {
              failures.push(r);
              console.log(describeFailure(r));
            }
          }
        }
      }
    } finally {
      await dog.stop();
    }
    const total = Object.values(tried).reduce((a, b) => a + b, 0);
    console.log(`\nFUZZ SUMMARY: ${total} case(s) in ${SECONDS} s; per target ${JSON.stringify(tried)}; failures ${failures.length}; crashes 0 (a crash kills the run before this line)`);
    console.log(`validated outputs ${JSON.stringify(validated)}; slowest case ${Math.round(slowest.ms)} ms [${slowest.target}]`);
    for (const f of failures) console.log(describeFailure(f));
    expect(failures.map((f) => `${f.target} seed=${f.seed} path=${f.failure!.path}`)).toEqual([]);
  }, (SECONDS + 900) * 1000);
});
