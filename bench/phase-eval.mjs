/**
 * Benchmark phase (run by bench/run.mjs in its own process): the Windows rules of the Sigma
 * corpus over one event file, in one mode:
 *   floor      — the same reader path with no rules (read, gunzip, split, parse);
 *   single     — every rule, on this thread;
 *   workers:N  — every rule, per-event rules on N worker threads (rulebridge eval --workers N).
 * Prints one JSON object; RSS is sampled every 10,000 events to show whether memory stays flat.
 * Usage: node bench/phase-eval.mjs <sigma folder> <event file> <mode>
 */
import { performance } from 'node:perf_hooks';
import { compileRules, evaluateFiles, hasErrors, loadRules } from '../dist/index.js';

const [sigmaDir, file, mode] = process.argv.slice(2);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
let compiled = [], ruleInfo = {};
if (mode !== 'floor') {
  const w = performance.now();
  const { rules } = loadRules([sigmaDir]);
  const windows = rules.filter((r) => r.rule && !hasErrors(r.diagnostics) && r.rule.query.source.product?.toLowerCase() === 'windows').map((r) => r.rule);
  const c = compileRules(windows);
  compiled = c.compiled;
  ruleInfo = { windowsRules: windows.length, compiled: compiled.length, refused: windows.length - compiled.length, loadCompileSeconds: (performance.now() - w) / 1000 };
}
const evaluate = mode.startsWith('workers:') ? (await import('../dist/evaluator/parallel.js')).parallelEvaluate(Number(mode.slice(8))) : evaluateFiles;
const rss = [];
let matches = 0;
const w = performance.now(), c = cpu();
const res = await evaluate(compiled, [file], () => { matches++; }, { onProgress: () => rss.push(Math.round(process.memoryUsage().rss / 1048576)), progressEvery: 10_000 });
const wall = (performance.now() - w) / 1000, cpuS = cpu() - c;
process.stdout.write(JSON.stringify({
  mode, file, ...ruleInfo, events: res.summary.events, matches, diagnostics: res.diagnostics.length,
  wall, cpu: cpuS, eventsPerSec: Math.round(res.summary.events / wall), eventsPerCpuSec: Math.round(res.summary.events / cpuS),
  rssMBEvery10k: rss, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
}) + '\n');
