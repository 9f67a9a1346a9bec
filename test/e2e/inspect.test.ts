/**
 * `rulebridge inspect`: the seed page's "Stages and Predicates" and "Indicators" sections for one
 * rule, as text and as JSON, run as a user runs it (the built bin/rulebridge.js).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO, RULES } from '../helpers/paths.js';

const BIN = join(REPO, 'bin', 'rulebridge.js');
const SEED = join(RULES, 'splunk', 'windows_msiexec_dllregisterserver.yml');
const MACROS = join(RULES, 'macros');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('rulebridge inspect', () => {
  it('prints the stages as the source wrote them, the predicates and the indicators', () => {
    const r = run('inspect', SEED, '--macros', MACROS);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Stage 1: tstats\n\n {2}\| tstats `security_content_summariesonly` count min\(_time\)/m);
    expect(r.out).toMatch(/^Stage 2: search\n\n {2}\| `drop_dm_object_name\(Processes\)`$/m);
    expect(r.out).toMatch(/^Stage 5: search$/m);
    expect(r.out).not.toMatch(/^Stage 6:/m);
    expect(r.out).toMatch(/^ {2}filter .*process\.command_line contains any\(" \/y", " -y"\)/m);
    expect(r.out).toMatch(/^ {2}Processes\.process_name +eq +"msiexec\.exe"$/m);
    expect(r.out).toMatch(/^ {2}Processes\.process +in +"\* \/y\*", "\* -y\*"$/m);
  });

  it('--json gives the same sections as data', () => {
    const r = run('inspect', SEED, '--macros', MACROS, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { lowered: boolean; stages: { command: string }[]; indicators: { field: string; kind: string; values: { shown: string }[] }[] };
    expect(j.lowered).toBe(true);
    expect(j.stages.map((s) => s.command)).toEqual(['tstats', 'search', 'search', 'search', 'search']);
    const proc = j.indicators.find((i) => i.field === 'Processes.process');
    expect(proc?.kind).toBe('in');
    expect(proc?.values.map((v) => v.shown).sort()).toEqual(['"* -y*"', '"* /y*"']);
  });

  it('a rule that does not lower still shows its stages, and exits 1 with its diagnostic', () => {
    const r = run('inspect', join(REPO, 'test', 'fixtures', 'cli', 'unknown-command.yml'), '--macros', MACROS);
    expect(r.code).toBe(1);
    expect(r.err).toContain('RB203');
    expect(r.out).toMatch(/^Stage 1: /m);
    expect(r.out).toContain('(the rule did not lower; see its diagnostics)');
  });
});
