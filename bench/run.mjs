#!/usr/bin/env node
/**
 * `npm run bench`: builds dist/ and the CLI bundle, then measures in one run on this machine,
 * each phase in its own process (so each peak RSS is its own), and writes bench/results.json:
 *  - conversion of the Sigma corpus and of the production Splunk detections: load + lower, then
 *    rendering per target (rules/s); the one-rule CLI wall time (spawned, start-up included);
 *  - evaluation of the corpus's Windows Sigma rules over bench-100k (JSON lines and XML): events/s
 *    against the parse-only floor, on one thread and with worker threads.
 * Wall-clock and CPU seconds are both recorded: on a shared machine CPU time is the steadier one.
 * Options: --no-build, --runs N (CLI spawns, default 21), --workers N (default: one per core).
 * The corpus is ../shared/corpus beside the repository (BENCH_CORPUS overrides).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = process.env.BENCH_CORPUS ?? resolve(ROOT, '..', 'shared', 'corpus');
const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : dflt; };
const RUNS = Number(opt('--runs', 21));
const WORKERS = Number(opt('--workers', availableParallelism()));
const log = (s) => process.stderr.write(s + '\n');

if (!existsSync(CORPUS)) { log(`bench: no corpus at ${CORPUS} (set BENCH_CORPUS); nothing measured`); process.exit(2); }
if (!argv.includes('--no-build')) {
  log('bench: building dist/ (tsc) and the CLI bundle (scripts/bundle.mjs)');
  const b = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', ROOT], { stdio: 'inherit' });
  if (b.status !== 0) log('bench: tsc reported errors; measuring what it emitted');
  // The `cli` figures are bin/rulebridge.js as installed: it runs the bundle made from this output.
  const u = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs')], { stdio: 'inherit' });
  if (u.status !== 0) log('bench: no bundle; the cli figures are of the tsc CLI');
}

function phase(script, ...args) {
  log(`bench: ${script} ${args.map((a) => a.replace(CORPUS, '<corpus>')).join(' ')}`);
  const r = spawnSync(process.execPath, [join(ROOT, 'bench', script), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
/** Wall time of a spawned command (median of RUNS), and its own CPU time (reported by cpu-report.mjs). */
function wallMs(args) {
  const times = [], cpuMs = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, ['--import', './bench/cpu-report.mjs', ...args], { cwd: ROOT, encoding: 'utf8' });
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    const m = /BENCH_CPU_MS ([\d.]+)/.exec(r.stderr);
    if (m) cpuMs.push(Number(m[1]));
  }
  return { medianMs: Math.round(median(times)), minMs: Math.round(Math.min(...times)), medianCpuMs: Math.round(median(cpuMs)), runs: RUNS };
}

const sigma = join(CORPUS, 'sigma');
const results = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, memGB: Math.round(totalmem() / 2 ** 30), node: process.version, loadavgAtStart: (await import('node:os')).loadavg() },
  conversion: {
    sigma: phase('phase-convert.mjs', 'sigma', sigma),
    splunk: phase('phase-convert.mjs', 'splunk', join(CORPUS, 'splunk', 'detections'), '--exclude', '/deprecated/'),
  },
  cli: {
    nodeEmpty: wallMs(['-e', '0']),
    convertSigmaKql: wallMs(['bin/rulebridge.js', 'convert', 'rules/sigma/proc_creation_win_whoami_priv.yml', '--to', 'kql']),
    convertSplunkKql: wallMs(['bin/rulebridge.js', 'convert', 'rules/splunk/windows_msiexec_dllregisterserver.yml', '--to', 'kql']),
  },
  evaluation: {},
};
for (const f of ['bench-100k.jsonl.gz', 'bench-100k.xml.log.gz']) {
  const file = join(CORPUS, 'events', f);
  const floor = phase('phase-eval.mjs', sigma, file, 'floor');
  const single = phase('phase-eval.mjs', sigma, file, 'single');
  const workers = existsSync(join(ROOT, 'dist', 'evaluator', 'parallel.js')) ? phase('phase-eval.mjs', sigma, file, `workers:${WORKERS}`) : { eventsPerSec: 'n/a', wall: NaN, matches: 'n/a', maxRssMB: 'n/a' };
  results.evaluation[f] = {
    floor, single, workers,
    ratioSingle: +(floor.wall / single.wall).toFixed(3), ratioSingleCpu: +(floor.cpu / single.cpu).toFixed(3),
    ratioWorkers: +(floor.wall / workers.wall).toFixed(3),
  };
}
results.machine.loadavgAtEnd = (await import('node:os')).loadavg();
writeFileSync(join(ROOT, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');

// The table.
const row = (cells) => '| ' + cells.join(' | ') + ' |';
const out = [];
out.push(`rulebridge benchmark — ${results.date}, ${results.machine.cpus} × ${results.machine.model}, Node ${results.machine.node}, load ${results.machine.loadavgAtStart.map((x) => x.toFixed(1)).join('/')}`);
out.push('', row(['conversion', 'rules', 'load+lower rules/s (cpu)', ...Object.keys(results.conversion.sigma.targets).map((t) => `${t} rules/s (cpu)`), 'peak RSS MB']));
out.push(row(Array(4 + Object.keys(results.conversion.sigma.targets).length).fill('---')));
for (const c of Object.values(results.conversion)) {
  out.push(row([c.label, `${c.lowered}/${c.documents}`, `${c.load.rulesPerSec} (${c.load.rulesPerCpuSec})`, ...Object.values(c.targets).map((t) => `${t.rulesPerSec} (${t.rulesPerCpuSec})`), c.maxRssMB]));
}
out.push('', row(['one-rule CLI (spawned, median of ' + RUNS + ')', 'wall ms', 'min wall ms', 'CPU ms']), row(['---', '---', '---', '---']));
for (const [name, c] of [['node -e 0 (Node start-up alone)', results.cli.nodeEmpty], ['convert <sigma rule> --to kql', results.cli.convertSigmaKql], ['convert <splunk rule> --to kql', results.cli.convertSplunkKql]]) {
  out.push(row([name, c.medianMs, c.minMs, c.medianCpuMs]));
}
out.push('', row(['evaluation', 'rules', 'events', 'floor ev/s', 'one thread ev/s', 'ratio (cpu ratio)', `${WORKERS} workers ev/s`, 'ratio', 'matches', 'peak RSS MB (1 thread / workers)']));
out.push(row(Array(10).fill('---')));
for (const [f, e] of Object.entries(results.evaluation)) {
  out.push(row([f, e.single.compiled, e.floor.events, e.floor.eventsPerSec, e.single.eventsPerSec, `${e.ratioSingle} (${e.ratioSingleCpu})`, e.workers.eventsPerSec, e.ratioWorkers, e.single.matches === e.workers.matches ? e.single.matches : `${e.single.matches} ≠ ${e.workers.matches}`, `${e.single.maxRssMB} / ${e.workers.maxRssMB}`]));
}
process.stdout.write(out.join('\n') + '\n');
