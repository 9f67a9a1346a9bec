/**
 * The CLI contract, run as a user runs it (the built bin/rulebridge.js): diagnostics with
 * positions and no stack traces, exit codes, --to ir against the IR schema, --report against the
 * report schema, eval's JSON lines, --out files, sql-ddl.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateValue } from '../../src/source/index.js';
import { REPO, RULES } from '../helpers/paths.js';

const BIN = join(REPO, 'bin', 'rulebridge.js');
const FIX = join(REPO, 'test', 'fixtures', 'cli');
const SEED = join(RULES, 'splunk', 'windows_msiexec_dllregisterserver.yml');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('diagnostics on bad input: file:line:col CODE, no stack trace', () => {
  const cases: [string, string, number, number][] = [
    ['invalid-yaml.yml', 'RB102', 5, 1],
    ['schema-violation.yml', 'RB110', 15, 1],
    ['unknown-macro.yml', 'RB204', 11, 65],
    ['unterminated-quote.yml', 'RB201', 11, 37],
    ['unknown-command.yml', 'RB203', 11, 33],
  ];
  for (const [file, code, line, col] of cases) {
    it(`${file} → ${code} at ${line}:${col}`, () => {
      const r = run('validate', join(FIX, file), '--macros', join(RULES, 'macros'));
      expect(r.code).toBe(1);
      expect(r.err).toContain(`${join(FIX, file)}:${line}:${col} ${code} error:`);
      expect(r.err).not.toMatch(/\n\s+at .*\.js:\d+/);
      expect(r.err).toContain('^');
    });
  }
  it('a bad rule does not stop the batch', () => {
    const r = run('convert', FIX, SEED, '--to', 'kql', '--macros', join(RULES, 'macros'));
    expect(r.code).toBe(1);
    expect(r.out).toContain('DeviceProcessEvents');
    expect(r.err).toMatch(/6 rule\(s\), 5 with errors/);
  });
  it('--json prints the diagnostics raw', () => {
    const r = run('validate', join(FIX, 'unknown-command.yml'), '--macros', join(RULES, 'macros'), '--json');
    const rep = JSON.parse(r.out) as { rules: { diagnostics: { code: string; line: number; column: number }[] }[] };
    expect(rep.rules[0]!.diagnostics.map((d) => [d.code, d.line, d.column])).toContainEqual(['RB203', 11, 33]);
  });
});

describe('convert', () => {
  it('prints one query alone for one rule and one target', () => {
    const r = run('convert', SEED, '--to', 'kql');
    expect(r.code).toBe(0);
    expect(r.out.startsWith('DeviceProcessEvents')).toBe(true);
  });
  it('--json prints the JSON report alone on stdout, the queries inside it', () => {
    const r = run('convert', SEED, '--to', 'kql,sql', '--json');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out) as { rules: { outputs: Record<string, { ok: boolean; query: string }> }[] };
    expect(rep.rules[0]!.outputs.kql!.query).toContain('DeviceProcessEvents');
    expect(run('convert', SEED, '--to', 'ir', '--json').code).toBe(2);
  });
  it('--to ir prints IR valid against schemas/ir.schema.json', () => {
    const r = run('convert', SEED, '--to', 'ir');
    expect(r.code).toBe(0);
    expect(validateValue('ir', JSON.parse(r.out))).toEqual([]);
  });
  it('--out writes one file per target and --report validates against the report schema', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-cli-'));
    const report = join(dir, 'report.json');
    const r = run('convert', join(RULES, 'splunk'), join(RULES, 'sigma'), '--to', 'all', '--out', join(dir, 'out'), '--report', report);
    expect(r.code).toBe(0);
    const files = readdirSync(join(dir, 'out'));
    expect(files).toContain('windows_msiexec_dllregisterserver.kql');
    expect(files.filter((f) => f.startsWith('windows_msiexec_dllregisterserver.')).length).toBe(5);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(validateValue('report', rep)).toEqual([]);
    expect(rep.rules).toHaveLength(4);
  });
  it('an unknown target is a usage error', () => {
    expect(run('convert', SEED, '--to', 'cobol').code).toBe(2);
  });
});

describe('eval', () => {
  it('prints a JSON line per match and per aggregate row, and a valid report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-eval-'));
    const report = join(dir, 'r.json');
    const r = run('eval', SEED, '--events', join(RULES, 'events'), '--report', report);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const matches = lines.filter((l) => 'line' in l);
    const aggs = lines.filter((l) => 'group' in l);
    expect(matches).toHaveLength(5);
    expect(matches[0]).toEqual({ rule: 'fdb59aef-d88f-4909-8369-ec2afbd2c398', file: expect.stringContaining('sysmon-process-creation'), line: expect.any(Number) });
    expect(aggs.length).toBeGreaterThan(0);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(validateValue('report', rep)).toEqual([]);
    expect(rep.matches).toHaveLength(5);
  });
});

describe('sql-ddl and demo', () => {
  it('prints the CREATE TABLE', () => {
    const r = run('sql-ddl', '--dialect', 'duckdb');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/CREATE TABLE/i);
  });
  it('demo converts and evaluates the bundled rules', () => {
    const r = run('demo');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Windows MSIExec DLLRegisterServer\s+splunk\s+ok/);
  });
});
