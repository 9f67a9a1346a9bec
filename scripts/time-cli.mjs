#!/usr/bin/env node
/**
 * Wall time of one-shot CLI commands, start-up included: each command is spawned `--runs` times
 * (default 11, after one warm-up) and the median, min and max are printed with the load average,
 * since on a shared machine a median means little without it; the CPU time each process reports
 * (bench/cpu-report.mjs) is the steadier figure under load. With several `--root DIR` (checkouts
 * of this package, each built), their runs alternate, so load changes hit them alike; a root
 * written DIR#nobundle runs with RULEBRIDGE_NO_BUNDLE=1 (tsc's output instead of the bundle).
 * Usage: node scripts/time-cli.mjs [--runs N] [--root DIR[#nobundle]]… [--json]
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const HERE = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : dflt; };
const RUNS = Number(opt('--runs', 11));
const ROOTS = argv.flatMap((a, i) => (argv[i - 1] === '--root' ? [a.endsWith('#nobundle') ? resolve(a.slice(0, -9)) + '#nobundle' : resolve(a)] : []));
if (!ROOTS.length) ROOTS.push(HERE);
const CPU_REPORT = join(HERE, 'bench', 'cpu-report.mjs');

const BIN = 'bin/rulebridge.js';
const SIGMA = 'rules/sigma/proc_creation_win_whoami_priv.yml';
const COMMANDS = {
  nodeEmpty: ['-e', '0'],
  version: [BIN, '--version'],
  convertSigmaKql: [BIN, 'convert', SIGMA, '--to', 'kql'],
  convertSplunkKql: [BIN, 'convert', 'rules/splunk/windows_msiexec_dllregisterserver.yml', '--to', 'kql'],
  convertSigmaAll: [BIN, 'convert', SIGMA, '--to', 'all'],
  validate: [BIN, 'validate', 'rules/splunk/windows_msiexec_dllregisterserver.yml'],
  eval: [BIN, 'eval', SIGMA, '--events', 'rules/events/sysmon-process-creation.jsonl'],
};

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const out = { runs: RUNS, loadavgAtStart: loadavg().map((x) => +x.toFixed(2)), roots: Object.fromEntries(ROOTS.map((r) => [r, {}])) };
for (const [name, args] of Object.entries(COMMANDS)) {
  const times = ROOTS.map(() => []), cpu = ROOTS.map(() => []);
  for (let i = 0; i <= RUNS; i++) {
    ROOTS.forEach((root, k) => {
      const t = performance.now();
      const noBundle = root.endsWith('#nobundle');
      const env = { ...process.env, RULEBRIDGE_NO_BUNDLE: noBundle ? '1' : '' };
      const r = spawnSync(process.execPath, ['--import', CPU_REPORT, ...args], { cwd: noBundle ? root.slice(0, -9) : root, encoding: 'utf8', env });
      const wall = performance.now() - t;
      if (r.status !== 0) throw new Error(`${root}: ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
      const m = /BENCH_CPU_MS ([\d.]+)/.exec(r.stderr);
      if (i === 0) return; // warm-up: file cache
      times[k].push(wall);
      if (m) cpu[k].push(Number(m[1]));
    });
  }
  ROOTS.forEach((root, k) => {
    out.roots[root][name] = { medianMs: Math.round(median(times[k])), minMs: Math.round(Math.min(...times[k])), maxMs: Math.round(Math.max(...times[k])), medianCpuMs: Math.round(median(cpu[k])) };
  });
}
out.loadavgAtEnd = loadavg().map((x) => +x.toFixed(2));
if (argv.includes('--json')) process.stdout.write(JSON.stringify(out, null, 2) + '\n');
else {
  process.stdout.write(`${RUNS} runs each, load average ${out.loadavgAtStart.join(' ')} → ${out.loadavgAtEnd.join(' ')}\n`);
  for (const [root, cmds] of Object.entries(out.roots)) {
    process.stdout.write(`${root}\n`);
    for (const [name, r] of Object.entries(cmds)) process.stdout.write(`  ${name.padEnd(18)} median ${String(r.medianMs).padStart(5)} ms  (min ${r.minMs}, max ${r.maxMs}), cpu ${r.medianCpuMs} ms\n`);
  }
}
