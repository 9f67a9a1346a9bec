/**
 * SPL constructs that make or read multivalue fields and JSON, lowered and then run by the
 * evaluator over events written here: rex max_match, spath with a path, mvfilter, mvfind,
 * mvdedup, mvappend, min/max; and the Risk data model. Each rule has events that must and must
 * not match.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadYaml } from '../../../src/source/index.js';
import { splunkFromDoc } from '../../../src/frontends/splunk/index.js';
import { compileRules, evaluateFiles, type Match } from '../../../src/evaluator/index.js';
import type { LoadedRule } from '../../../src/frontends/types.js';
import { MACROS, noOrigins, rule2024 } from './load.js';

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const dir = mkdtempSync(join(tmpdir(), 'rb-spl-mv-'));
const proc = (i: number, cmd: string) => ({
  EventID: 1, Channel: SYSMON, Computer: 'h1', SystemTime: `2026-01-01T00:0${i}:00.000000Z`, EventRecordID: i, Image: 'C:\\x.exe', CommandLine: cmd,
});
// Lines 1..6.
const EVENTS = join(dir, 'procs.jsonl');
writeFileSync(EVENTS, [
  proc(1, 'x.exe -a -bb -ccc'),
  proc(2, 'x.exe -a'),
  proc(3, 'x.exe data={"a":{"b":[1,2]},"k":"v"}'),
  proc(4, 'x.exe data={"a":{"b":7},"k":"w"}'),
  proc(5, 'x.exe -enc AAAA -enc BBBB'),
  proc(6, 'x.exe -ENC AAAA'),
].map((e) => JSON.stringify(e)).join('\n') + '\n');

function load(search: string): LoadedRule {
  const { docs } = loadYaml('rule.yml', rule2024(search));
  return splunkFromDoc(docs[0]!, { macros: MACROS });
}
async function lines(search: string): Promise<number[]> {
  const r = load(search);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const { compiled, diagnostics } = compileRules([r.rule!]);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const out: Match[] = [];
  await evaluateFiles(compiled, [EVENTS], (m) => out.push(m));
  return out.map((m) => m.line);
}

describe('rex max_match', () => {
  it('keeps every match (0) as a list; the default keeps the first', async () => {
    expect(await lines('`sysmon` EventCode=1 | rex field=CommandLine max_match=0 "-(?<flag>[a-z]+)" | where mvcount(flag) >= 2')).toEqual([1, 5]);
    expect(await lines('`sysmon` EventCode=1 | rex field=CommandLine "-(?<flag>[a-z]+)" | where mvcount(flag) >= 2')).toEqual([]);
  });
  it('max_match=N keeps at most N matches; one match stays a single value', async () => {
    expect(await lines('`sysmon` EventCode=1 | rex field=CommandLine max_match=2 "-(?<flag>[a-z]+)" | where mvcount(flag) = 2 AND mvindex(flag, 1) = "bb"')).toEqual([1]);
    expect(await lines('`sysmon` EventCode=1 | rex field=CommandLine max_match=5 "-(?<flag>[a-z]+)" | where mvcount(flag) = 1 AND flag = "a"')).toEqual([2]);
  });
  it('is an extract stage with max; max_match=1 is the default form', () => {
    expect(noOrigins(load('`sysmon` EventCode=1 | rex max_match=0 field=CommandLine "(?P<f>x)"').rule!.query.stages)).toEqual([
      { kind: 'extract', field: 'process.command_line', pattern: '(?<f>x)', names: ['f'], max: 0 },
    ]);
    expect(load('`sysmon` EventCode=1 | rex max_match=1 field=CommandLine "(?P<f>x)"').rule!.query.stages[0]).not.toHaveProperty('max');
  });
  it('a max_match that is not a count is RB250 at the command', () => {
    const r = load('`sysmon` EventCode=1\n| rex max_match=all field=CommandLine "(?P<f>x)"');
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['RB250@11:5']);
  });
});

describe('spath with a path', () => {
  it('extracts every array element with {} and a single value without', async () => {
    const base = '`sysmon` EventCode=1 | rex field=CommandLine "data=(?<j>\\{.*\\})" ';
    expect(await lines(base + '| spath input=j path=a.b{} output=bs | where mvcount(bs) = 2')).toEqual([3]);
    expect(await lines(base + '| spath input=j path=a.b output=b | where b = 7')).toEqual([4]);
    expect(await lines(base + '| spath input=j path=k | where k = "w"')).toEqual([4]);
  });
});

describe('mvfilter, mvfind, mvdedup, mvappend, min, max', () => {
  const words = '`sysmon` EventCode=1 | eval w=split(CommandLine, " ") ';
  it('mvfilter keeps the values its one-field condition holds for', async () => {
    expect(await lines(words + '| eval long=mvfilter(len(w) > 3) | where mvcount(long) >= 3')).toEqual([5, 6]);
    expect(await lines(words + '| eval f=mvfilter(NOT match(w, "^-")) | where mvcount(f) = 1')).toEqual([1, 2]);
    expect(await lines(words + '| eval f=mvfilter(match(w, "^-[A-Z]")) | where isnull(f)')).toEqual([1, 2, 3, 4, 5]);
  });
  it('mvfilter over a condition naming two fields is RB250 at the call', () => {
    const r = load(words + '\n| eval x=mvfilter(w = Image)');
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['RB250@11:12']);
  });
  it('mvfind is case-sensitive and 0-based', async () => {
    expect(await lines(words + '| where mvfind(w, "^-enc$") = 1')).toEqual([5]);
    expect(await lines(words + '| where isnotnull(mvfind(w, "^-ENC$"))')).toEqual([6]);
  });
  it('mvdedup, mvappend, min and max', async () => {
    expect(await lines(words + '| where mvcount(mvdedup(w)) < mvcount(w)')).toEqual([5]);
    expect(await lines(words + '| eval m=mvappend(w, "zz") | where mvcount(m) = 3 AND mvindex(m, 1) = "-a" AND mvindex(m, 2) = "zz"')).toEqual([2]);
    expect(await lines(words + '| where max(w) = "x.exe" AND min(len(CommandLine), 20) = 17')).toEqual([1]);
  });
});

describe('the Risk data model', () => {
  it('maps to the risk index with ECS risk and threat fields; names ECS lacks stay as written (RB252)', () => {
    const r = load('| tstats count from datamodel=Risk.All_Risk where All_Risk.calculated_risk_score > 50 All_Risk.annotations.mitre_attack.mitre_technique_id="T1112" by All_Risk.risk_object');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.rule!.query.source).toMatchObject({ product: 'splunk', service: 'risk' });
    const q = JSON.stringify(r.rule!.query.filter);
    expect(q).toContain('"field":"risk.calculated_score"');
    expect(q).toContain('"field":"threat.technique.id"');
    expect(r.diagnostics.filter((d) => d.code === 'RB252').map((d) => d.message)).toEqual([expect.stringContaining("'All_Risk.risk_object'")]);
  });
});
