#!/usr/bin/env node
/**
 * Wall time of one-shot CLI commands, start-up included: each command is spawned `--runs` times
 * (default 11, after one warm-up) and the median, min and max are printed with the load average,
 * since on a shared machine a median means little without it.
 * Usage: node scripts/time-cli.mjs [--runs N] [--bin bin/rulebridge.js] [--json]
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : dflt; };
const RUNS = Number(opt('--runs', 11));
const BIN = opt('--bin', 'bin/rulebridge.js');

const COMMANDS = {
  nodeEmpty: ['-e', '0'],
  version: [BIN, '--version'],
  convertSigmaKql: [BIN, 'convert', 'rules/sigma/proc_creation_win_whoami_priv.yml', '--to', 'kql'],
  convertSplunkKql: [BIN, 'convert', 'rules/splunk/windows_msiexec_dllregisterserver.yml', '--to', 'kql'],
  convertSigmaAll: [BIN, 'convert', 'rules/sigma/proc_creation_win_whoami_priv.yml', '--to', 'all'],
  validate: [BIN, 'validate', 'rules/splunk/windows_msiexec_dllregisterserver.yml'],
  eval: [BIN, 'eval', 'rules/sigma/proc_creation_win_whoami_priv.yml', '--events', 'rules/events/sysmon-process-creation.jsonl'],
};

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const out = { runs: RUNS, bin: BIN, loadavgAtStart: loadavg().map((x) => +x.toFixed(2)), commands: {} };
for (const [name, args] of Object.entries(COMMANDS)) {
  const times = [], cpu = [];
  for (let i = 0; i <= RUNS; i++) {
    const t = performance.now();
    // bench/cpu-report.mjs prints the process's own CPU time: steadier than wall time under load.
    const r = spawnSync(process.execPath, ['--import', './bench/cpu-report.mjs', ...args], { cwd: ROOT, encoding: 'utf8' });
    if (i > 0) times.push(performance.now() - t);
    const m = /BENCH_CPU_MS ([\d.]+)/.exec(r.stderr);
    if (i > 0 && m) cpu.push(Number(m[1]));
    if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  out.commands[name] = { medianMs: Math.round(median(times)), minMs: Math.round(Math.min(...times)), maxMs: Math.round(Math.max(...times)), medianCpuMs: Math.round(median(cpu)) };
}
out.loadavgAtEnd = loadavg().map((x) => +x.toFixed(2));
if (argv.includes('--json')) process.stdout.write(JSON.stringify(out, null, 2) + '\n');
else {
  process.stdout.write(`bin ${BIN}, ${RUNS} runs, load average ${out.loadavgAtStart.join(' ')} → ${out.loadavgAtEnd.join(' ')}\n`);
  for (const [name, r] of Object.entries(out.commands)) process.stdout.write(`${name.padEnd(18)} median ${String(r.medianMs).padStart(5)} ms  (min ${r.minMs}, max ${r.maxMs}), cpu ${r.medianCpuMs} ms\n`);
}
