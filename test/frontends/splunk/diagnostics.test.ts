import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, fromText, rule2024, where } from './load.js';

const SEED = readFileSync(join(FIXTURES, 'windows_msiexec_dllregisterserver.yml'), 'utf8');

// rule2024 puts `search: |-` on line 9; the search text starts on line 10 at column 3.
describe('Splunk frontend diagnostics: code, line and column in the .yml', () => {
  it('schema: a misspelled top-level key is RB110 at the key', () => {
    const r = fromText(rule2024('| tstats count from datamodel=Endpoint.Processes by Processes.dest', 'known_false_positive: typo\n'));
    expect(where(r).filter((w) => w.startsWith('RB110'))).toEqual(['RB110@27:1']);
    expect(r.diagnostics.find((d) => d.code === 'RB110')!.message).toMatch(/unknown property 'known_false_positive'/);
  });

  it('schema: a bad status enum is RB110 at the value; the search is still lowered but no rule is returned', () => {
    const text = rule2024('| tstats count from datamodel=Endpoint.Processes by Processes.dest').replace('status: production', 'status: prod');
    const r = fromText(text);
    expect(where(r)).toEqual(['RB110@6:9']);
    expect(r.rule).toBeUndefined();
  });

  it('unknown macro: RB204 at its backquote', () => {
    const r = fromText(rule2024('| tstats count from datamodel=Endpoint.Processes\n  where `no_such_macro` Processes.process=x\n  by Processes.dest'));
    expect(where(r)).toEqual(['RB204@11:11']);
    expect(r.rule).toBeUndefined();
  });

  it('unterminated quote in SPL: RB201 at the quote, on a later line of a |- block', () => {
    const r = fromText(rule2024('`sysmon` EventCode=1\n| search Image="*\\\\cmd.exe'));
    expect(where(r)).toEqual(['RB201@11:18']);
  });

  it('an unterminated quote inside a macro definition points at the call site', () => {
    const r = fromText(rule2024('`sysmon` EventCode=1\n  `broken_quote`'));
    expect(where(r)).toEqual(['RB201@11:5']);
  });

  it('unknown SPL command: RB203 at the command name on line 3 of the block', () => {
    const r = fromText(rule2024('`sysmon` EventCode=1\n| stats count by Computer\n| frobnicate count'));
    expect(where(r)).toEqual(['RB203@12:5']);
  });

  it('unexpected token: RB202', () => {
    const r = fromText(rule2024('`sysmon` EventCode=1 | stats count by Computer | where count >'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['RB202']);
    expect(r.diagnostics[0]!.line).toBe(10);
  });

  it('recursive macros: RB206 at the outer call', () => {
    const r = fromText(rule2024('`sysmon` `loop_a`'));
    expect(where(r)).toEqual(['RB206@10:12']);
  });

  it('a command without a lowering: RB250 naming it, at its position', () => {
    const r = fromText(rule2024('`sysmon` EventCode=1\n| transaction foo maxspan=5m'));
    expect(where(r)).toEqual(['RB250@11:5']);
    expect(r.diagnostics[0]!.message).toMatch(/'transaction' command/);
  });

  it('positions inside a multi-line single-quoted scalar (the 2024 corpus style)', () => {
    const text = rule2024('x').replace("search: |-\n  x", "search: '`sysmon` EventCode=1\n  | stats count by Computer\n  | oops'");
    const r = fromText(text);
    expect(where(r)).toEqual(['RB203@11:5']);
  });

  it('a subsearch and a bare term are reported, never dropped', () => {
    const r = fromText(rule2024('`sysmon` EventCode=1 [search index=x | fields Computer]'));
    expect(where(r)).toEqual(['RB250@10:24']);
    const r2 = fromText(rule2024('`sysmon` EventCode=1 mimikatz'));
    expect(where(r2)).toEqual(['RB250@10:24']);
  });

  it('an unknown data model is RB251 at the datamodel option', () => {
    const r = fromText(rule2024('| tstats count from datamodel=Nope.Nothing by Nope.x'));
    expect(where(r)).toEqual(['RB251@10:23']);
  });

  it('an unknown eval function is RB253', () => {
    const r = fromText(rule2024('`sysmon` EventCode=1 | eval x=frob(Image)'));
    expect(where(r)).toEqual(['RB253@10:33']);
  });

  it('2026 format: a misspelled nested key, a bad enum and a bad ATT&CK id are RB110 at their lines', () => {
    const text = SEED.replace('        score: 50\n', '        scroe: 50\n').replace('type: TTP', 'type: ttp').replace('    - T1218.007', '    - T1218.7');
    const r = fromText(text);
    expect(where(r)).toEqual(['RB110@8:7', 'RB110@47:9', 'RB110@64:7']);
    expect(r.rule).toBeUndefined();
  });

  it('2026 format: a missing modification_date is one RB110', () => {
    const r = fromText(SEED.replace("modification_date: '2026-05-13'\n", ''));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['RB110']);
    expect(r.diagnostics[0]!.message).toMatch(/modification_date/);
  });

  it('a 2024 rule may not also carry 2026 top-level metadata', () => {
    const r = fromText(rule2024('| tstats count from datamodel=Endpoint.Processes by Processes.dest', 'creation_date: \'2024-01-01\'\n'));
    expect(where(r)).toContain('RB110@27:16');
    expect(r.diagnostics.find((d) => d.line === 27)!.message).toMatch(/creation_date/);
  });
});
