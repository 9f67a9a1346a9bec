/**
 * Runs fuzz targets with fast-check under the watchdog: a case slower than the soft limit fails
 * with its input; a case that hangs past the hard limit kills the run with its input on stderr.
 */
import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import type { Target } from './targets.js';
import { Violation, oracleClock } from './oracles.js';
import type { Watchdog } from './watchdog.js';

/** Limits of one case. */
export interface CaseLimits {
  softMs: number;
}

/** What one fast-check run of a target did. */
export interface TargetRun {
  target: string;
  seed: number;
  runs: number;
  /** The failure, with its replay data, when the property broke. */
  failure?: { message: string; counterexample: string; path: string };
}

/** The slowest case seen so far (for the logs: where time goes). */
export const slowest = { ms: 0, target: '', input: '' };

/** The property of a target: the run finishes within the soft limit and breaks no oracle. */
export function property(t: Target, dog: Watchdog, limits: CaseLimits) {
  return fc.asyncProperty(t.arb, async (input) => {
    dog.begin(`[${t.name}] ${t.show(input)}`);
    const t0 = performance.now();
    const o0 = oracleClock.ms;
    try {
      await t.run(input);
    } catch (e) {
      if (e instanceof Violation) throw e;
      throw new Violation(`uncaught exception: ${(e as Error).stack ?? e}`);
    } finally {
      dog.end();
    }
    let ms = performance.now() - t0 - (oracleClock.ms - o0);
    if (ms > limits.softMs) {
      // On a shared machine a pause (GC, another process) can stretch one run: a case is slow
      // only if it is slow twice.
      const t1 = performance.now();
      const o1 = oracleClock.ms;
      dog.begin(`[${t.name}] (again) ${t.show(input)}`);
      try {
        await t.run(input);
      } finally {
        dog.end();
      }
      ms = Math.min(ms, performance.now() - t1 - (oracleClock.ms - o1));
    }
    if (ms > slowest.ms) Object.assign(slowest, { ms, target: t.name, input: t.show(input) });
    if (ms > limits.softMs) throw new Violation(`one case took ${Math.round(ms)} ms twice (limit ${limits.softMs} ms)`);
  });
}

/** Runs a target for a number of cases or until a time limit, from a seed. */
export async function runTarget(t: Target, dog: Watchdog, opts: { seed: number; numRuns?: number; ms?: number; path?: string; limits: CaseLimits }): Promise<TargetRun> {
  const d = await fc.check(property(t, dog, opts.limits), {
    seed: opts.seed,
    numRuns: opts.numRuns ?? Number.MAX_SAFE_INTEGER,
    ...(opts.ms ? { interruptAfterTimeLimit: opts.ms } : {}),
    ...(opts.path ? { path: opts.path } : {}),
    endOnFailure: false,
  });
  const out: TargetRun = { target: t.name, seed: opts.seed, runs: d.numRuns };
  // A time slice that ended before its first case is no failure (fast-check reports it as one,
  // with no counterexample); a hang inside a case is the watchdog's to report.
  const emptySlice = d.interrupted && d.numRuns === 0 && d.counterexample === null;
  if (d.failed && !emptySlice) {
    const err = d.errorInstance as Error | undefined;
    out.failure = {
      message: err?.message ?? String(d.error),
      counterexample: d.counterexample ? t.show(d.counterexample[0]) : '(none)',
      path: d.counterexamplePath ?? '',
    };
  }
  return out;
}

/** A failure as text, with what is needed to replay it. */
export function describeFailure(r: TargetRun): string {
  if (!r.failure) return '';
  return `FAIL ${r.target} seed=${r.seed} path=${r.failure.path}\n  replay: FUZZ_TARGET='${r.target}' FUZZ_SEED=${r.seed} FUZZ_PATH='${r.failure.path}' npm run fuzz\n  ${r.failure.message.split('\n').slice(0, 30).join('\n  ')}\n  input: ${r.failure.counterexample}`;
}
