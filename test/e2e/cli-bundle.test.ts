/**
 * The bundled CLI (dist/bundle/, scripts/bundle.mjs) is the tsc CLI (dist/cli/) made to start
 * faster: for the same commands both must print the same bytes and exit with the same code —
 * conversions to every target, validation, evaluation on one thread and on worker threads (the
 * worker is an entry of its own), and the commands that find templates, schemas, mappings and
 * rules from the package root, run from another folder. Also: which of the two bin/rulebridge.js
 * runs. Timings are measured by scripts/time-cli.mjs, not here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, RULES } from '../helpers/paths.js';

const BUNDLE = join(REPO, 'dist', 'bundle', 'main.js');
const COMPILED = join(REPO, 'dist', 'cli', 'main.js');
const FIX = join(REPO, 'test', 'fixtures', 'e2e', 'cli-bundle');
const SIGMA = join(RULES, 'sigma', 'proc_creation_win_whoami_priv.yml');
const SPLUNK = join(RULES, 'splunk', 'windows_msiexec_dllregisterserver.yml');
const REGEX = join(FIX, 'regex-rule.yml');
const EVENTS = join(RULES, 'events');
/** Runs an entry's main() as bin/rulebridge.js does (a file, not -e: worker threads inherit node's flags). */
const RUNNER = join(FIX, 'run-entry.mjs');

interface Run { code: number | null; out: string; err: string }

function runEntry(entry: string, args: string[], cwd = REPO): Run {
  const r = spawnSync(process.execPath, [RUNNER, entry, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Evaluation reports its own speed; everything else must match byte for byte. */
const untimed = (s: string) => s.replace(/ in \d+\.\d+s \(\d+ events\/s\)/g, ' in <t>s (<n> events/s)').replace(/ in \d+\.\d+s\./g, ' in <t>s.');

function expectSame(args: string[], cwd = REPO): Run {
  const b = runEntry(BUNDLE, args, cwd);
  const c = runEntry(COMPILED, args, cwd);
  expect(b.err).not.toContain('internal error');
  expect({ code: b.code, out: untimed(b.out), err: untimed(b.err) }).toEqual({ code: c.code, out: untimed(c.out), err: untimed(c.err) });
  return b;
}

beforeAll(() => {
  if (!existsSync(COMPILED)) throw new Error('dist/cli/main.js is missing: run `npm run build` first');
  // The bundle is made from dist/: after a later tsc run it is rebuilt from that output.
  if (!existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < statSync(COMPILED).mtimeMs) {
    const r = spawnSync(process.execPath, [join(REPO, 'scripts', 'bundle.mjs')], { cwd: REPO, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`scripts/bundle.mjs failed: ${r.stderr}`);
  }
}, 120_000);

describe('the bundle prints what the tsc CLI prints', () => {
  for (const rule of [SIGMA, SPLUNK, REGEX]) {
    it(`convert --to all ${rule.slice(REPO.length + 1)}`, () => {
      const r = expectSame(['convert', rule, '--to', 'all']);
      expect(r.code).toBe(rule === REGEX ? 1 : 0); // EQL has no \b: an RB430 error for that target
      expect(r.out).toContain('[kql] ===');
      expect(r.out).toContain('[spl] ===');
    });
  }

  it('convert: RE2 (loaded on first use) rejects a backreference in kql and sql alike', () => {
    const r = expectSame(['convert', join(FIX, 'bad-regex-rule.yml'), '--to', 'kql,sql']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('bad-regex-rule.yml:12:5 RB430 error: kql: the regex /(a)\\1/ is not valid RE2 syntax');
    expect(r.err).toContain('bad-regex-rule.yml:12:5 RB401 error: sql (sqlite) cannot run the regex');
  });

  it('convert --wrap sentinel, and --report', () => {
    expect(expectSame(['convert', SIGMA, '--wrap', 'sentinel']).out).toContain('query: |');
    const dir = mkdtempSync(join(tmpdir(), 'rb-bundle-'));
    const reports = [BUNDLE, COMPILED].map((entry, i) => {
      const file = join(dir, `report-${i}.json`);
      expect(runEntry(entry, ['convert', SPLUNK, '--to', 'eql,sql', '--report', file]).code).toBe(0);
      return readFileSync(file, 'utf8');
    });
    expect(reports[0]).toBe(reports[1]);
    expect(JSON.parse(reports[0]!).summary.targets).toEqual({ eql: { ok: 1, failed: 0 }, sql: { ok: 1, failed: 0 } });
  });

  it('validate: every rule of a folder, as JSON, and a rule with an error', () => {
    expect(expectSame(['validate', join(RULES, 'sigma'), SPLUNK]).err).toContain('rulebridge: 3 rule(s), 0 with errors');
    expect(JSON.parse(expectSame(['validate', join(RULES, 'splunk'), '--json']).out).summary).toMatchObject({ rules: 2, withErrors: 0 });
    const bad = expectSame(['validate', join(REPO, 'test', 'fixtures', 'cli', 'unknown-command.yml'), '--macros', join(RULES, 'macros')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('unknown-command.yml:11:33 RB203 error:');
  });

  it('eval over the bundled events, on this thread', () => {
    const r = expectSame(['eval', SIGMA, SPLUNK, REGEX, '--events', EVENTS]);
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n').map((l) => JSON.parse(l).rule)).toContain('0b7c5d1e-2f3a-4b6c-8d9e-0f1a2b3c4d5e');
  });

  it('eval --workers 2 runs the bundled worker and finds the same matches as one thread of the tsc CLI', () => {
    const args = ['eval', SIGMA, REGEX, join(RULES, 'sigma'), '--events', EVENTS];
    const workers = runEntry(BUNDLE, [...args, '--workers', '2']);
    const one = runEntry(COMPILED, args);
    expect(workers.err).not.toContain('internal error');
    expect(workers.code).toBe(0);
    expect(workers.out).not.toBe('');
    expect(workers.out).toBe(one.out);
    expect(readdirSync(join(REPO, 'dist', 'bundle'))).toContain('parallel-worker.js');
  });

  it('catalog --help and --version', () => {
    expect(expectSame(['catalog', '--help']).out).toContain('Usage: rulebridge catalog');
    expect(expectSame(['--version']).out).toBe('0.1.0\n');
  });

  it('from another folder: demo (rules/, templates/, schemas/, mappings/), sql-ddl and inspect find the package files', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'rb-bundle-'));
    expect(expectSame(['demo'], elsewhere).out).toContain('Whoami Lists Privileges From an Office Parent');
    expect(expectSame(['sql-ddl', '--dialect', 'duckdb'], elsewhere).out).toContain('CREATE TABLE');
    expect(expectSame(['inspect', SPLUNK, '--json'], elsewhere).code).toBe(0);
  });
});

describe('bin/rulebridge.js runs the bundle unless it is missing, older than tsc output, or turned off', () => {
  /** A copy of bin/ beside two stand-in entries that say which one ran. */
  function layout(bundle: 'none' | 'newer' | 'older'): string {
    const root = mkdtempSync(join(tmpdir(), 'rb-bin-'));
    mkdirSync(join(root, 'bin'));
    copyFileSync(join(REPO, 'bin', 'rulebridge.js'), join(root, 'bin', 'rulebridge.js'));
    writeFileSync(join(root, 'package.json'), '{"type":"module"}\n');
    const entry = (dir: string, name: string) => {
      mkdirSync(join(root, 'dist', dir), { recursive: true });
      const file = join(root, 'dist', dir, 'main.js');
      writeFileSync(file, `export async function main(argv) { process.stdout.write('${name} ' + argv.slice(2).join(' ')); }\n`);
      return file;
    };
    const compiled = entry('cli', 'tsc');
    utimesSync(compiled, 2_000_000, 2_000_000);
    if (bundle !== 'none') {
      const b = entry('bundle', 'bundle');
      const t = bundle === 'newer' ? 2_000_001 : 1_999_999;
      utimesSync(b, t, t);
    }
    return root;
  }
  const run = (root: string, env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [join(root, 'bin', 'rulebridge.js'), 'convert', 'x.yml'], { encoding: 'utf8', env: { ...process.env, RULEBRIDGE_NO_BUNDLE: '', ...env } }).stdout;

  it('a bundle at least as new as dist/cli/main.js runs', () => expect(run(layout('newer'))).toBe('bundle convert x.yml'));
  it('an older bundle (tsc ran since) does not', () => expect(run(layout('older'))).toBe('tsc convert x.yml'));
  it('without a bundle, the tsc CLI runs', () => expect(run(layout('none'))).toBe('tsc convert x.yml'));
  it('RULEBRIDGE_NO_BUNDLE=1 runs the tsc CLI', () => expect(run(layout('newer'), { RULEBRIDGE_NO_BUNDLE: '1' })).toBe('tsc convert x.yml'));
});
