/**
 * Hostile resources: YAML alias bombs and deep nesting are refused with a located RB104;
 * oversized rule files and event lines are bounded and the rest of the batch goes on;
 * catastrophic regexes and globs cannot stall evaluation; symlink loops and FIFOs in rule
 * folders cannot hang a walk. Stalls are caught by the watchdog (it kills a case that runs for
 * 20 s) rather than by timing assertions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRuleText } from '../../src/frontends/load.js';
import { loadRules } from '../../src/index.js';
import { loadMacros } from '../../src/frontends/splunk/index.js';
import { collectFiles, loadYaml, YAML_LIMITS } from '../../src/source/index.js';
import { compileRules, evaluateFiles, readEvents } from '../../src/evaluator/index.js';
import { MAX_LINE } from '../../src/evaluator/readers/index.js';
import type { Diagnostic } from '../../src/diagnostics/index.js';
import { REPO } from '../helpers/paths.js';
import { startWatchdog, type Watchdog } from './watchdog.js';

const HOSTILE = join(REPO, 'test', 'fixtures', 'hostile');
const read = (n: string) => readFileSync(join(HOSTILE, n), 'utf8');
const at = (ds: readonly Diagnostic[], code: string) => ds.filter((d) => d.code === code).map((d) => `${d.code} ${d.line}:${d.column}`);

let dog: Watchdog;
let tmp: string;
beforeAll(() => {
  dog = startWatchdog(20_000);
  tmp = mkdtempSync(join(tmpdir(), 'rb-hostile-'));
});
afterAll(async () => {
  await dog.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** Runs `f` under the watchdog: a stall kills the run instead of hanging it. */
async function guarded<T>(what: string, f: () => T | Promise<T>): Promise<T> {
  dog.begin(what);
  try {
    return await f();
  } finally {
    dog.end();
  }
}

describe('YAML bombs and depth', () => {
  it('refuses a billion-laughs alias bomb at its first alias', async () => {
    const rules = await guarded('billion laughs', () => loadRuleText('bomb.yml', read('billion-laughs.yml')));
    const ds = rules.flatMap((r) => r.diagnostics);
    expect(rules.every((r) => !r.rule)).toBe(true);
    // lol2 is the first line with an alias: `lol2: &lol2 [*lol1, …` (column of `*lol1`)
    expect(at(ds, 'RB104')).toEqual(['RB104 6:14']);
  });
  it('refuses deep flow nesting before the parser recurses, at the bracket that passes the limit', async () => {
    const ds = (await guarded('deep flow', () => loadRuleText('deep.yml', read('deep-flow.yml')))).flatMap((r) => r.diagnostics);
    // `detection: ` is 11 characters; the limit counts the block level of `detection` too
    expect(at(ds, 'RB104')).toEqual([`RB104 3:${11 + YAML_LIMITS.maxTextDepth}`]);
    expect(ds.filter((d) => d.code === 'RB102')).toEqual([]);
  });
  it('refuses deep block nesting and deep `- - -` sequences', async () => {
    const block = 'title: deep\ndetection:\n' + Array.from({ length: 1200 }, (_, i) => ' '.repeat(i + 2) + `k${i}:`).join('\n') + ' 1\n';
    const seq = 'title: deep\ndetection:\n' + '- '.repeat(2000) + 'x\n';
    for (const text of [block, seq]) {
      const { docs, diagnostics } = await guarded('deep block', () => loadYaml('deep.yml', text));
      expect(docs).toEqual([]);
      expect(diagnostics.map((d) => d.code)).toEqual(['RB104']);
      expect(diagnostics[0]!.line).toBeGreaterThan(1);
    }
  });
  it('refuses a parsed document deeper than maxDepth and accepts one just under it', () => {
    const nest = (n: number) => 'a: ' + '['.repeat(n) + ']'.repeat(n) + '\n';
    expect(loadYaml('ok.yml', nest(YAML_LIMITS.maxDepth - 2)).diagnostics).toEqual([]);
    const { diagnostics } = loadYaml('deep.yml', nest(YAML_LIMITS.maxDepth + 2));
    expect(at(diagnostics, 'RB104')).toEqual(['RB104 1:1']);
  });
  it.each([
    ['a flow list key', 'a:\n  ? [Image, CommandLine]\n  : foo\n', '2:5'],
    ['a flow map key in a list', 'a:\n  - {x: 1}: 2\n', '2:5'],
    ['an alias of a list as a key', 'l: &k [1, 2]\nm:\n  *k : v\n', '3:3'],
  ])('refuses %s with RB102 at the key, never a stringified field name', (_name, text, pos) => {
    const { docs, diagnostics } = loadYaml('k.yml', text);
    expect(docs).toEqual([]);
    expect(at(diagnostics, 'RB102')).toEqual([`RB102 ${pos}`]);
  });
  it('keeps plain and aliased scalar keys', () => {
    const { docs, diagnostics } = loadYaml('k.yml', 'a: &k Image\nb:\n  *k : v\n  ? plain\n  : w\n');
    expect(diagnostics).toEqual([]);
    expect(docs[0]!.value).toEqual({ a: 'Image', b: { Image: 'v', plain: 'w' } });
  });
  it('lists a bounded number of YAML errors per document', () => {
    const text = Array.from({ length: 200 }, (_, i) => `k${i}: "unterminated\n  x: : :\n`).join('') + '\n';
    const bad = '{'.repeat(100) + ']'.repeat(100) + '\n' + ': ]\n'.repeat(200);
    for (const t of [text, bad]) {
      const { diagnostics } = loadYaml('many.yml', t);
      expect(diagnostics.length).toBeGreaterThan(0);
      expect(diagnostics.length).toBeLessThanOrEqual(YAML_LIMITS.maxErrorsPerDoc * 2 + 2);
    }
  });
});

describe('huge files and lines', () => {
  it('leaves out a rule file over the size limit with RB104 and loads the others', () => {
    const dir = join(tmp, 'huge');
    mkdirSync(dir);
    copyFileSync(join(REPO, 'rules', 'sigma', readdirFirst(join(REPO, 'rules', 'sigma'))), join(dir, 'good.yml'));
    writeFileSync(join(dir, 'huge.yml'), 'title: x\n');
    truncateSync(join(dir, 'huge.yml'), YAML_LIMITS.maxBytes + 1);
    const { rules, diagnostics } = loadRules([dir]);
    expect(diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([['RB104', join(dir, 'huge.yml'), 1]]);
    expect(rules.map((r) => [r.file, !!r.rule])).toEqual([[join(dir, 'good.yml'), true]]);
  });
  it('refuses rule text over the size limit given directly', () => {
    const { docs, diagnostics } = loadYaml('big.yml', 'a: ' + 'x'.repeat(YAML_LIMITS.maxBytes));
    expect(docs).toEqual([]);
    expect(at(diagnostics, 'RB104')).toEqual(['RB104 1:1']);
  });
  it('skips an event line over the length limit with RB505 and reads on', async () => {
    const file = join(tmp, 'long.jsonl');
    const ok = JSON.stringify({ EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Image: 'C:\\x.exe' });
    writeFileSync(file, `${ok}\n{"CommandLine":"${'a'.repeat(MAX_LINE + 10)}"}\n${ok}\n`);
    const diags: Diagnostic[] = [];
    const lines: number[] = [];
    await guarded('long line', async () => {
      for await (const e of readEvents(file, diags)) lines.push(e.line);
    });
    expect(lines).toEqual([1, 3]);
    expect(at(diags, 'RB505')).toEqual(['RB505 2:1']);
  }, 60_000);
});

describe('catastrophic regexes and globs', () => {
  const events = (n: number) =>
    [
      { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', CommandLine: 'a'.repeat(n) + '!' },
      { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', CommandLine: 'a'.repeat(n) },
      { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', CommandLine: 'a '.repeat(n / 2) + '!' },
    ]
      .map((e) => JSON.stringify(e))
      .join('\n') + '\n';

  it.each(['regex-bomb.yml', 'regex-bomb-spl.yml'])('%s: evaluation over 30 000-character values finishes (linear-time matching)', async (name) => {
    const loaded = loadRuleText(join(HOSTILE, name), read(name), { macros: loadMacros([join(REPO, 'test', 'fixtures', 'splunk', 'macros')]) });
    const rule = loaded[0]!.rule;
    expect(loaded[0]!.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const { compiled, diagnostics } = compileRules([rule!]);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const file = join(tmp, `${name}.jsonl`);
    writeFileSync(file, events(30_000));
    const matched: number[] = [];
    const res = await guarded(`catastrophic regex ${name}`, () => evaluateFiles(compiled, [file], (m) => matched.push(m.line)));
    expect(res.summary.events).toBe(3);
    // Sigma: `(a+)+$` matches the all-a line (2); nothing else does. SPL: regex keeps 2, then
    // match((a|aa)*b) is false everywhere and the like() needs a `b`: no match.
    expect(matched).toEqual(name === 'regex-bomb.yml' ? [2] : []);
  }, 60_000);
});

describe('rule folders', () => {
  it('walks symlink loops without hanging and lists each file once', async () => {
    const dir = join(tmp, 'loops');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'a.yml'), 'title: a\n');
    writeFileSync(join(dir, 'sub', 'b.yml'), 'title: b\n');
    symlinkSync('.', join(dir, 'self'));
    symlinkSync('..', join(dir, 'sub', 'up'));
    symlinkSync(join(dir, 'sub'), join(dir, 'sub-again'));
    symlinkSync('loop1.yml', join(dir, 'loop2.yml'));
    symlinkSync('loop2.yml', join(dir, 'loop1.yml'));
    symlinkSync('me.yml', join(dir, 'me.yml'));
    const { files, diagnostics } = await guarded('symlink loops', () => collectFiles([dir], ['.yml']));
    expect(files).toEqual([join(dir, 'a.yml'), join(dir, 'sub', 'b.yml')]);
    expect(diagnostics.map((d) => [d.code, d.file, /ELOOP/.test(d.message)])).toEqual([
      ['RB901', join(dir, 'loop1.yml'), true],
      ['RB901', join(dir, 'loop2.yml'), true],
      ['RB901', join(dir, 'me.yml'), true],
    ]);
  });
  it('never opens a FIFO: skipped in a folder, an error when named', async () => {
    const dir = join(tmp, 'fifo');
    mkdirSync(dir);
    try {
      execFileSync('mkfifo', [join(dir, 'pipe.yml')]);
    } catch {
      console.warn('skipped the FIFO test: mkfifo is not available');
      return;
    }
    const walked = await guarded('fifo', () => loadRules([dir]));
    expect(walked.rules).toEqual([]);
    expect(walked.diagnostics).toEqual([]);
    const named = await guarded('fifo named', () => loadRules([join(dir, 'pipe.yml')]));
    expect(named.diagnostics.map((d) => d.code)).toEqual(['RB901']);
  });
});

function readdirFirst(dir: string): string {
  return execFileSync('ls', [dir]).toString().split('\n').filter((n) => n.endsWith('.yml'))[0]!;
}
