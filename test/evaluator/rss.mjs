#!/usr/bin/env node
/**
 * Memory at scale: evaluates the Windows Sigma corpus rules over ../shared/corpus/events/bench-100k
 * once (100k events) and replayed ten times (1M events: the same file streamed ten times, never
 * concatenated in memory), each in a fresh process, and prints peak RSS and the live heap (after a
 * full GC every 100k events). Flat memory means the live heap does not grow with the input; peak
 * RSS also holds V8's GC slack, which a longer run lets grow somewhat.
 *
 *   npx tsc -p . && node test/evaluator/rss.mjs            # both runs, a table
 *   node test/evaluator/rss.mjs 10                          # one run: 10 replays
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CORPUS = resolve(REPO, '..', 'shared', 'corpus');
const BENCH = join(CORPUS, 'events', 'bench-100k.jsonl.gz');
const mb = (b) => Math.round(b / 1024 / 1024);

if (!existsSync(BENCH)) {
  console.log(`skipped: ${BENCH} is absent`);
  process.exit(0);
}
if (!existsSync(join(REPO, 'dist', 'evaluator', 'index.js'))) {
  console.error('build first: npx tsc -p .');
  process.exit(2);
}

const replays = Number(process.argv[2]);
if (!replays) {
  const rows = [];
  for (const n of [1, 10]) {
    const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), String(n)], { encoding: 'utf8' });
    if (r.status !== 0) { console.error(r.stderr); process.exit(1); }
    rows.push(JSON.parse(r.stdout.trim().split('\n').pop()));
  }
  console.log('replays  events     rules  matches   seconds  events/s  RSS after compile  peak RSS  live heap growth (max, after GC)');
  for (const x of rows) console.log(`${String(x.replays).padStart(7)}  ${String(x.events).padStart(9)}  ${String(x.rules).padStart(5)}  ${String(x.matches).padStart(7)}  ${x.seconds.toFixed(1).padStart(8)}  ${String(x.eventsPerSecond).padStart(8)}  ${String(x.rssAfterCompileMB).padStart(14)} MB  ${String(x.peakRssMB).padStart(5)} MB  ${String(x.liveHeapGrowthMB).padStart(5)} MB`);
  const [a, b] = rows;
  console.log(`peak RSS growth from 100k to 1M events: ${b.peakRssMB - a.peakRssMB} MB; live heap growth ${a.liveHeapGrowthMB} → ${b.liveHeapGrowthMB} MB`);
  console.log('(live heap = heap used after a full GC, sampled every 100k events, minus the heap after compiling: what the run retains)');
  process.exit(0);
}

const { loadRuleText } = await import(join(REPO, 'dist', 'frontends', 'load.js'));
const { compileRules, evaluateFiles } = await import(join(REPO, 'dist', 'evaluator', 'index.js'));
const files = (d) => readdirSync(d).sort().flatMap((n) => { const p = join(d, n); return statSync(p).isDirectory() ? files(p) : /\.ya?ml$/.test(n) ? [p] : []; });
const rules = [];
for (const f of files(join(CORPUS, 'sigma'))) {
  for (const l of loadRuleText(f, readFileSync(f, 'utf8'))) if (l.rule && l.rule.query.source.product?.toLowerCase() === 'windows') rules.push(l.rule);
}
const { compiled } = compileRules(rules);
globalThis.gc?.();
const rssAfterCompile = process.memoryUsage().rss;
const heap0 = process.memoryUsage().heapUsed;
let matches = 0;
let liveMax = 0;
// Retained memory, not GC slack: a full GC every 100k events, then the heap still in use.
const sample = () => { if (!globalThis.gc) return; globalThis.gc(); liveMax = Math.max(liveMax, process.memoryUsage().heapUsed - heap0); };
const res = await evaluateFiles(compiled, Array(replays).fill(BENCH), () => { matches++; }, { onProgress: (n) => { if (n % 100_000 === 0) sample(); }, progressEvery: 100_000 });
const peak = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({
  replays, events: res.summary.events, rules: compiled.length, matches, seconds: res.summary.seconds,
  eventsPerSecond: Math.round(res.summary.events / res.summary.seconds), rssAfterCompileMB: mb(rssAfterCompile), peakRssMB: mb(peak), liveHeapGrowthMB: mb(liveMax),
}));
