/**
 * SPL lookup in KQL: the table's rows inlined as a datatable on the right of `lookup
 * kind=leftouter`, keys folded when the lookup is case-insensitive, wildcard rows as one case()
 * that numbers the matching row, default_match for rows without a match. Several matching rows: lookup-multi.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { render, type LookupSource } from '../../../src/backends/index.js';
import { LookupResolver } from '../../../src/evaluator/lookup-tables.js';
import { intersects } from '../../../src/backends/kql-lookup.js';
import { pred, type Lookup } from '../../../src/ir/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { at, rule } from './rule.js';
import { convert } from '../../../src/index.js';
import { CORPUS, HAS_CORPUS } from '../../helpers/paths.js';

const tables = new LookupResolver([join(import.meta.dirname, '..', '..', 'fixtures', 'kql', 'lookups')]);
const stage = (table: string, field: string, column: string, outputs: { column: string; as: string }[], caseSensitive = false): Lookup =>
  ({ kind: 'lookup', table, keys: [{ field, column }], outputs, caseSensitive, origin: at(5, 7) });
const run = (s: Lookup, lookupTables: LookupSource | null = tables) =>
  render(rule(pred('process.name', 'eq', ['x.exe']), [s]), 'kql', { dialect: 'defender', ...(lookupTables ? { lookupTables } : {}) });
const errors = (r: ReturnType<typeof run>) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column]);
const valid = (q: string | undefined) => {
  expect(q).toBeDefined();
  if (!KUSTO_SKIP) expect(kustoErrors(q!)).toEqual([]);
};

describe('kql lookup, exact keys', () => {
  it('case-insensitive: keys folded on both sides, rows of one key merged, escaped cells, default_match', () => {
    const r = run(stage('tools', 'process.name', 'name', [{ column: 'tool', as: 'tool' }, { column: 'note', as: 'process.parent.name' }]));
    expect(r.query!.split('\n').slice(2)).toEqual([
      '| extend LookupKey0 = tolower(FileName)',
      // The empty-key row is left out; PsExec.exe and psexec.exe are one key.
      `| lookup kind=leftouter (datatable(LookupKey0:string, LookupOut0:string, LookupOut1:string, LookupMatched:bool)['psexec.exe', 'Sysinternals "PsExec"', 'remote', true, 'nc.exe', 'netcat', 'c:\\\\tools\\\\', true]) on LookupKey0`,
      "| extend tool = iff(isnull(LookupMatched), 'unknown', LookupOut0), ['process.parent.name'] = iff(isnull(LookupMatched), 'unknown', LookupOut1)",
      '| project-away LookupKey0, LookupOut0, LookupOut1, LookupMatched',
      '',
    ]);
    valid(r.query);
  });
  it('case-sensitive: the key column as it is', () => {
    const r = run(stage('tools', 'process.name', 'name', [{ column: 'tool', as: 'tool' }], true));
    expect(r.query).toContain('| extend LookupKey0 = FileName\n');
    expect(r.query).toContain("['PsExec.exe', 'Sysinternals \"PsExec\"', true, 'psexec.exe', '', true, 'nc.exe', 'netcat', true]");
    valid(r.query);
  });
  it('a numeric key compares as its decimal text', () => {
    const r = run(stage('tools', 'process.pid', 'name', [{ column: 'tool', as: 'tool' }]));
    expect(r.query).toContain('| extend LookupKey0 = tostring(ProcessId)\n');
    valid(r.query);
  });
});

describe('kql lookup, wildcard keys', () => {
  it('disjoint patterns: case() numbers the matching row, the datatable holds each row by number', () => {
    const r = run(stage('drivers', 'process.executable', 'pattern', [{ column: 'family', as: 'family' }]));
    expect(r.query!.split('\n').slice(2, 4)).toEqual([
      `| extend LookupRow = iff(isnotempty(tolower(FolderPath)), case(tolower(FolderPath) matches regex '(?s)^c:\\\\\\\\evil.*\\\\.dll$', 0, tolower(FolderPath) matches regex '(?s)^.*\\\\\\\\bad\\\\.sys$', 1, tolower(FolderPath) == 'plain.sys', 2, -1), -1)`,
      "| lookup kind=leftouter (datatable(LookupRow:long, LookupOut0:string, LookupMatched:bool)[0, 'evil', true, 1, 'bad', true, 2, 'plain', true]) on LookupRow",
    ]);
    valid(r.query);
  });
  it('intersection of star patterns', () => {
    const p = (s: string) => s.split('*');
    expect(intersects(p('a*'), p('*b'))).toBe(true);
    expect(intersects(p('ab*'), p('ac*'))).toBe(false);
    expect(intersects(p('*x.sys'), p('*y.sys'))).toBe(false);
    expect(intersects(p('*\\bad.sys'), p('*.sys'))).toBe(true);
    expect(intersects(p('a*c*e'), p('ace'))).toBe(true);
    expect(intersects(p('a*c*e'), p('aec'))).toBe(false);
    expect(intersects(['plain'], ['plain'])).toBe(true);
    expect(intersects(['plain'], ['plain2'])).toBe(false);
  });
});

describe('kql lookup refusals', () => {
  it('no rows given, an unknown table, a table over the size bound: RB401 at the stage', () => {
    expect(errors(run(stage('tools', 'process.name', 'name', []), null))).toEqual([['RB401', 5, 7]]);
    expect(errors(run(stage('nosuch', 'process.name', 'name', [])))).toEqual([['RB401', 5, 7]]);
    const big: LookupSource = { get: () => ({ file: 'big.csv', columns: ['k', 'v'], rows: Array.from({ length: 5001 }, (_, i) => [`k${i}`, 'v']), wildcard: new Set() }) };
    const r = run(stage('big', 'process.name', 'k', [{ column: 'v', as: 'v' }]), big);
    expect(errors(r)).toEqual([['RB401', 5, 7]]);
    expect(r.diagnostics[0]!.message).toContain('5001 rows; at most 5000');
  });
  it('an output onto a table column read under another field: RB401', () => {
    expect(errors(run(stage('tools', 'process.name', 'name', [{ column: 'tool', as: 'FolderPath' }])))).toEqual([['RB401', 5, 7]]);
  });
});

describe.skipIf(!HAS_CORPUS)('kql lookup through convert()', () => {
  it('the rows come from the lookups/ folder above the rule (security_content layout)', () => {
    const file = join(CORPUS, 'splunk', 'detections', 'endpoint', 'windows_domain_admin_impersonation_indicator.yml');
    const { rules } = convert([file], { to: ['kql'] });
    const out = rules[0]!.outputs.kql!;
    expect(out.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
    // SPL: lookup domain_admins username AS TargetUserName OUTPUT username (case-insensitive).
    expect(out.query).toContain("| extend LookupKey0 = tolower(TargetUserName)\n| lookup kind=leftouter (datatable(LookupKey0:string, LookupOut0:string, LookupMatched:bool)['administrator', 'Administrator', true]) on LookupKey0\n| extend username = LookupOut0\n");
    valid(out.query);
  });
});
