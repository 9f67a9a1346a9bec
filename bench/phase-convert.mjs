/**
 * Benchmark phase (run by bench/run.mjs in its own process, so that its peak RSS is its own):
 * load + lower every rule of a corpus, then render every lowered rule to each target, timed
 * separately. Prints one JSON object.
 * Usage: node bench/phase-convert.mjs <label> <folder> [--exclude <path part>]
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TARGETS, convertRule, hasErrors, loadRules } from '../dist/index.js';

const [label, dir, flag, exclude] = process.argv.slice(2);
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
for (const t of TARGETS) {
  let ok = 0, unsupported = 0;
  w = performance.now(); c = cpu();
  for (const r of lowered) (convertRule(r, [t])[t]?.ok ? ok++ : unsupported++);
  const wall = (performance.now() - w) / 1000, cpuS = cpu() - c;
  targets[t] = { wall, cpu: cpuS, ok, unsupported, rulesPerSec: Math.round(lowered.length / wall), rulesPerCpuSec: Math.round(lowered.length / cpuS) };
}
process.stdout.write(JSON.stringify({
  label, files: files.length, documents: rules.length, lowered: lowered.length,
  load: { ...load, rulesPerSec: Math.round(rules.length / load.wall), rulesPerCpuSec: Math.round(rules.length / load.cpu) },
  targets, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
}) + '\n');
