/**
 * Batches: a folder where most files are broken in a different way still converts the good
 * ones, and every broken one is reported with its code and position (in-process and through the
 * built CLI, with --out and --report). Exit codes are the documented ones (README, Command line).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, cpSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRules } from '../../src/index.js';
import { REPO, RULES } from '../helpers/paths.js';

const BATCH = join(REPO, 'test', 'fixtures', 'hostile', 'batch');
const BIN = join(REPO, 'bin', 'rulebridge.js');
const MACROS = join(RULES, 'macros');
const tmp = mkdtempSync(join(tmpdir(), 'rb-batch-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Each broken fixture: its error code, line and column. */
const BROKEN: Record<string, string[]> = {
  'alias-bomb.yml': ['RB104 6:14'],
  'bad-indent.yml': ['RB102 4:1'],
  'bad-modifier.yml': ['RB303 7:11'],
  'binary.yml': ['RB102 3:1'],
  'deep.yml': ['RB104 3:267'],
  'dup-key.yml': ['RB102 8:5'],
  'missing-selection.yml': ['RB302 8:28'],
  'not-a-rule.yml': ['RB103 1:1'],
  'schema.yml': ['RB110 3:3'],
  'spl-unknown-macro.yml': ['RB204 11:10'],
  'spl-unterminated.yml': ['RB201 11:43'],
  'tabs.yml': ['RB102 3:1', 'RB102 4:1'],
};
const GOOD = ['good-sigma.yml', 'good-splunk.yml'];

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('a folder of broken rules', () => {
  it('lowers the good files and reports every broken one at its position', () => {
    const { rules, diagnostics } = loadRules([BATCH], { macros: [MACROS] });
    expect(diagnostics).toEqual([]);
    const byFile: Record<string, string[]> = {};
    for (const r of rules) {
      const name = r.file.split(/[\\/]/).pop()!;
      byFile[name] = r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.line}:${d.column}`);
      expect(!!r.rule, name).toBe(GOOD.includes(name));
    }
    expect(byFile).toEqual({ ...BROKEN, ...Object.fromEntries(GOOD.map((g) => [g, []])) });
  });

  it('convert --out writes the good rules only, reports the broken ones, exits 1, leaves no temporary file', () => {
    const out = join(tmp, 'out');
    const report = join(tmp, 'report.json');
    const r = run('convert', BATCH, '--to', 'kql,sql,ir', '--out', out, '--report', report, '--macros', MACROS);
    expect(r.code).toBe(1);
    expect(r.err).not.toMatch(/\n\s+at .*\.js:\d+/);
    for (const [file, codes] of Object.entries(BROKEN)) for (const c of codes) {
      const [code, pos] = c.split(' ');
      expect(r.err).toContain(`${join(BATCH, file)}:${pos} ${code} error:`);
    }
    expect(readdirSync(out).sort()).toEqual(GOOD.flatMap((g) => ['ir.json', 'kql', 'sql'].map((x) => g.replace('.yml', `.${x}`))).sort());
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { rules: { file: string; diagnostics: { code: string; line: number; column: number; severity: string }[] }[]; summary: { withErrors: number } };
    expect(rep.summary.withErrors).toBe(Object.keys(BROKEN).length);
    const reported = Object.fromEntries(rep.rules.map((x) => [x.file.split(/[\\/]/).pop(), x.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.line}:${d.column}`)]));
    for (const [file, codes] of Object.entries(BROKEN)) expect(reported[file], file).toEqual(codes);
    expect(readdirSync(tmp).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('an oversized file and an unreadable path are reported; the batch goes on', () => {
    const dir = join(tmp, 'mixed');
    cpSync(BATCH, dir, { recursive: true });
    writeFileSync(join(dir, 'huge.yml'), 'title: x\n');
    truncateSync(join(dir, 'huge.yml'), 9 * 1024 * 1024);
    writeFileSync(join(dir, 'empty.yml'), '');
    const r = run('validate', dir, join(tmp, 'does-not-exist'), '--macros', MACROS, '-q');
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${join(dir, 'huge.yml')}:1:1 RB104 error:`);
    expect(r.err).toContain('RB901');
    expect(r.err).toContain(`${join(dir, 'tabs.yml')}:3:1 RB102 error:`);
  });
});

describe('exit codes (README: 0 ok, 1 error diagnostics, 2 usage)', () => {
  const good = join(BATCH, 'good-sigma.yml');
  it.each([
    ['a good rule', 0, ['convert', good, '--to', 'kql']],
    ['--help', 0, ['--help']],
    ['--version', 0, ['--version']],
    ['a broken rule', 1, ['convert', join(BATCH, 'bad-indent.yml'), '--to', 'kql']],
    ['a path that does not exist', 1, ['validate', join(tmp, 'nope.yml')]],
    ['an unknown command', 2, ['frobnicate']],
    ['an unknown option', 2, ['convert', good, '--frobnicate']],
    ['a missing argument', 2, ['convert']],
    ['an unknown target', 2, ['convert', good, '--to', 'cobol']],
  ] as const)('%s → %i', (_what, code, args) => {
    const r = run(...args);
    expect(r.code).toBe(code);
    expect(r.err).not.toMatch(/\n\s+at .*\.js:\d+/);
  });
  it('an output that cannot be written → RB903 and 1; the other outputs are written', () => {
    const blocker = join(tmp, 'blocker');
    writeFileSync(blocker, 'a file where a folder should be');
    const r = run('convert', good, '--to', 'kql', '--out', join(blocker, 'sub'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('RB903 error: cannot write');
    expect(r.err).not.toMatch(/\n\s+at .*\.js:\d+/);
    expect(readFileSync(blocker, 'utf8')).toBe('a file where a folder should be');
    const ok = run('convert', good, '--to', 'kql', '--out', join(tmp, 'ok'), '--report', join(blocker, 'r.json'));
    expect(ok.code).toBe(1);
    expect(readdirSync(join(tmp, 'ok'))).toEqual(['good-sigma.kql']);
  });
});
