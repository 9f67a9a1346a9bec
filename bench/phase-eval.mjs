/**
 * Benchmark phase (run by bench/run.mjs in its own process): the Windows rules of the Sigma
 * corpus over one event file, in one mode:
 *   floor      — the same reader path with no rules (read, gunzip, split, parse);
 *   single     — every rule, on this thread;
 *   workers:N  — every rule, per-event rules on N worker threads (rulebridge eval --workers N).
 * Prints one JSON object; RSS is sampled every 10,000 events to show whether memory stays flat.
 * Usage: node bench/phase-eval.mjs <sigma folder> <event file> <mode>
 * Environment: RB_BENCH_EVENTS=N measures the first N lines of the file only (copied, gzipped
 * again when the file is, to a temporary file first, so that quick runs keep the floor's work
 * the same per event); RB_BENCH_DIST=<folder> imports another build than ../dist.
 */
import { performance } from 'node:perf_hooks';
import { createReadStream, createWriteStream, mkdtempSync, openSync, readSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

const [sigmaDir, fullFile, mode] = process.argv.slice(2);
const dist = pathToFileURL(resolve(process.env.RB_BENCH_DIST ?? new URL('../dist', import.meta.url).pathname) + '/').href;
const { compileRules, evaluateFiles, hasErrors, loadRules } = await import(dist + 'index.js');

/** The first n lines of a file (gzip in, gzip out), in a temporary folder. */
async function head(file, n) {
  const fd = openSync(file, 'r');
  const magic = Buffer.alloc(2);
  readSync(fd, magic, 0, 2, 0);
  closeSync(fd);
  const gz = magic[0] === 0x1f && magic[1] === 0x8b;
  const dir = mkdtempSync(join(tmpdir(), 'rb-bench-'));
  const out = join(dir, basename(file));
  const src = createReadStream(file);
  const rl = createInterface({ input: gz ? src.pipe(createGunzip()) : src, crlfDelay: Infinity });
  async function* lines() {
    let i = 0;
    for await (const l of rl) { if (i++ >= n) break; yield l + '\n'; }
    rl.close(); src.destroy();
  }
  await pipeline(Readable.from(lines()), ...(gz ? [createGzip()] : []), createWriteStream(out));
  return { file: out, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const limit = Number(process.env.RB_BENCH_EVENTS ?? 0);
const cut = limit > 0 ? await head(fullFile, limit) : undefined;
const file = cut?.file ?? fullFile;
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
const evaluate = mode.startsWith('workers:') ? (await import(dist + 'evaluator/parallel.js')).parallelEvaluate(Number(mode.slice(8))) : evaluateFiles;
const rss = [];
let matches = 0;
const w = performance.now(), c = cpu();
const res = await evaluate(compiled, [file], () => { matches++; }, { onProgress: () => rss.push(Math.round(process.memoryUsage().rss / 1048576)), progressEvery: 10_000 });
const wall = (performance.now() - w) / 1000, cpuS = cpu() - c;
cut?.cleanup();
process.stdout.write(JSON.stringify({
  mode, file: fullFile, ...(limit > 0 ? { firstEvents: limit } : {}), ...ruleInfo, events: res.summary.events, matches, diagnostics: res.diagnostics.length,
  wall, cpu: cpuS, eventsPerSec: Math.round(res.summary.events / wall), eventsPerCpuSec: Math.round(res.summary.events / cpuS),
  rssMBEvery10k: rss, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
}) + '\n');
