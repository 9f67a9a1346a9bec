/**
 * Benchmark phase (run by bench/run.mjs in its own process, so that its peak RSS is its own):
 * load + lower every rule of a corpus, then render every lowered rule to each target, timed
 * separately. Prints one JSON object, with end-to-end figures: one load shared by the render
 * of one target (`endToEnd.<target>`) and by the renders of all targets (`endToEnd.all`).
 * Usage: node bench/phase-convert.mjs <label> <folder> [--exclude <path part>]
 * Environment (for profiling one phase with `node --cpu-prof`):
 *  - BENCH_TARGETS=sigma,sql  renders only these targets (BENCH_TARGETS= renders none: load only);
 *  - BENCH_REPEAT=N           repeats each render loop N times (a steadier profile of a fast phase;
 *                             the mean and the fastest loop are reported);
 *  - BENCH_DIST=<folder>      the built library to measure (default: ../dist).
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const dist = process.env.BENCH_DIST ? pathToFileURL(resolve(process.env.BENCH_DIST, 'index.js')).href : '../dist/index.js';
const { TARGETS, convertRule, hasErrors, loadRules } = await import(dist);

const [label, dir, flag, exclude] = process.argv.slice(2);
const only = process.env.BENCH_TARGETS;
const targetList = only === undefined ? TARGETS : only.split(',').filter(Boolean);
const repeat = Math.max(1, Number(process.env.BENCH_REPEAT ?? 1));
const files = [];
(function walk(d) {
  for (const n of readdirSync(d).sort()) {
    const p = join(d, n);
    if (statSync(p).isDirectory()) { if (n !== 'macros') walk(p); }
    else if (/\.ya?ml$/.test(n) && !(flag === '--exclude' && p.includes(exclude))) files.push(p);
  }
})(dir);

const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
let w = performance.now(), c = cpu();
const { rules } = loadRules(files);
const load = { wall: (performance.now() - w) / 1000, cpu: cpu() - c };
const lowered = rules.filter((r) => r.rule && !hasErrors(r.diagnostics)).map((r) => r.rule);
const targets = {};
for (const t of targetList) {
  let ok = 0, unsupported = 0, best = Infinity;
  w = performance.now(); c = cpu();
  for (let i = 0; i < repeat; i++) {
    ok = 0; unsupported = 0;
    const c0 = cpu();
    for (const r of lowered) (convertRule(r, [t])[t]?.ok ? ok++ : unsupported++);
    best = Math.min(best, cpu() - c0);
  }
  const wall = (performance.now() - w) / 1000 / repeat, cpuS = (cpu() - c) / repeat;
  targets[t] = { wall, cpu: cpuS, ok, unsupported, rulesPerSec: Math.round(lowered.length / wall), rulesPerCpuSec: Math.round(lowered.length / cpuS) };
  // The fastest loop: the steady state once the JIT has warmed up (the first loop includes compiling).
  if (repeat > 1) targets[t].bestRulesPerCpuSec = Math.round(lowered.length / best);
}
// Rules of the corpus per CPU second, loading once and rendering one target / every target.
const perCpu = (s) => Math.round(rules.length / s);
const endToEnd = Object.fromEntries(Object.entries(targets).map(([t, r]) => [t, perCpu(load.cpu + r.cpu)]));
if (Object.keys(targets).length > 1) endToEnd.all = perCpu(load.cpu + Object.values(targets).reduce((s, r) => s + r.cpu, 0));
process.stdout.write(JSON.stringify({
  label, files: files.length, documents: rules.length, lowered: lowered.length,
  load: { ...load, rulesPerSec: Math.round(rules.length / load.wall), rulesPerCpuSec: Math.round(rules.length / load.cpu) },
  targets, endToEnd, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
}) + '\n');
