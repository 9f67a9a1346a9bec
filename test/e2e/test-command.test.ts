/**
 * `rulebridge test`, run as a user runs it (the built bin/rulebridge.js): security_content
 * attack_data found by file name under --data (missing data is a skip, not a failure), SigmaHQ
 * regression cases (info.yml + event.jsonl / event.xml.log), JSON and JUnit reports, exit codes;
 * then the regression corpus of ../shared/corpus (skipped, saying so, when absent).
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { REPO, CORPUS, HAS_CORPUS, skipNote } from '../helpers/paths.js';
import type { TestReport } from '../../src/testing/index.js';

const BIN = join(REPO, 'bin', 'rulebridge.js');
const F = join('test', 'fixtures', 'test-command');
function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'test', ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const ALL = [join(F, 'rules'), join(F, 'regression'), '--data', join(F, 'data'), '--macros', 'rules/macros'];

describe('rulebridge test on fixtures', () => {
  it('reports pass, fail and skip per rule and test, and exits 1 on a failure', () => {
    const r = run(...ALL, '--json');
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.out) as TestReport;
    const rows = rep.rules.flatMap((x) => x.tests.map((t) => [x.title, t.name, t.status, t.results ?? null]));
    expect(rows).toEqual([
      ['Windows MSIExec DLLRegisterServer Tests', 'True Positive Test', 'passed', 1],
      ['Windows MSIExec DLLRegisterServer Tests', 'Data <not> "here" & gone', 'skipped', null],
      ['Windows MSIExec DLLRegisterServer Tests', 'Benign Test', 'failed', 0],
      ['MsiExec Registers a DLL', 'Positive Detection Test [event.jsonl]', 'passed', 4],
      ['MsiExec Registers a DLL', 'Positive Detection Test [event.xml.log]', 'passed', 1],
      ['MsiExec Registers a DLL', 'No Data Test [event.jsonl]', 'skipped', null],
      ['MsiExec Registers a DLL', 'No Data Test [event.xml.log]', 'skipped', null],
    ]);
    const t = rep.rules[0]!.tests;
    expect(t[1]!.message).toBe('skipped: data not found: not-here.log');
    // a file name used by several datasets resolves to the one whose folders match the URL's
    expect(t[0]!.files[0]).toMatch(/nested\/T1218\.007\/atomic_red_team\/windows-sysmon\.log$/);
    // the URL's %20 is decoded to find the file
    expect(t[2]!.files[0]).toMatch(/benign sysmon\.log$/);
    // match_count 2 in info.yml, but the fixture files hold 4 and 1 matching events: noted, not failed
    expect(rep.rules[1]!.tests[1]!.message).toMatch(/match_count says 2/);
    expect(rep.summary).toMatchObject({ rules: 2, tests: 7, passed: 3, failed: 1, skipped: 3, errors: 0 });
    expect(r.err).toMatch(/1 regression case\(s\) name a rule not given/);
  });

  it('exits 0 when nothing fails, and skipped data is not a failure', () => {
    const r = run(join(F, 'rules', 'proc_creation_win_msiexec_register_dll.yml'), join(F, 'regression'));
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter(Boolean).map((l) => l.split(' ')[0])).toEqual(['PASS', 'PASS', 'SKIP', 'SKIP']);
  });

  it('writes JUnit XML with the text escaped', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rb-junit-')), 'junit.xml');
    run(...ALL, '--junit', file);
    const xml = readFileSync(file, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="rulebridge test" tests="7" failures="1" errors="0" skipped="3"/);
    expect(xml).toContain('name="Data &lt;not&gt; &quot;here&quot; &amp; gone"');
    expect(xml).toContain('<failure message="expected at least one result row in 5 event(s), got none"/>');
    expect(xml).not.toMatch(/name="[^"]*[<>][^"]*"/);
  });

  it('a rule that does not lower makes its tests errors', () => {
    const r = run(join('test', 'fixtures', 'cli', 'unknown-macro.yml'), '--json');
    const rep = JSON.parse(r.out) as TestReport;
    // The fixture has no tests: nothing runs, nothing fails.
    expect(rep.summary.tests).toBe(0);
    expect(r.code).toBe(0);
  });
});

describe.skipIf(!HAS_CORPUS)('rulebridge test on the Sigma regression corpus', () => {
  skipNote('the regression corpus run of rulebridge test');
  it('detects every case from both renderings', () => {
    const r = run(join(CORPUS, 'sigma'), join(CORPUS, 'regression'), '--json', '-q');
    const rep = JSON.parse(r.out) as TestReport;
    const misses = rep.rules.flatMap((x) => x.tests.filter((t) => t.status !== 'passed').map((t) => `${x.file} ${t.name}: ${t.message}`));
    console.log('regression detection:', rep.summary);
    expect(misses).toEqual([]);
    expect(rep.summary.passed).toBeGreaterThanOrEqual(250);
    expect(r.code).toBe(0);
  }, 300_000);
});
