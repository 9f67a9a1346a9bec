/**
 * SPL lookup with several matching rows in KQL: exact keys as a datatable of JSON lists, wildcard
 * keys as mv-apply over the matching rows' numbers; max_matches 1 as the first matching row. The
 * wildcard rendering is replayed here (its conditions run under RE2, its cells taken in row order,
 * at most max_matches rows, empty cells left out) against the evaluator's lookup stage on the
 * same values, which is the reference of SPL's multivalue output.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { RE2JS } from 're2js';
import { render } from '../../../src/backends/index.js';
import { LookupResolver } from '../../../src/evaluator/lookup-tables.js';
import { compileLookup } from '../../../src/evaluator/stage-lookup.js';
import type { CompileContext } from '../../../src/evaluator/pipeline.js';
import { pred, type Lookup, type Stage } from '../../../src/ir/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { at, rule, whereOf } from './rule.js';

const tables = new LookupResolver([join(import.meta.dirname, '..', '..', 'fixtures', 'kql', 'lookups')]);
const stage = (table: string, field: string, column: string, outputs: string[]): Lookup =>
  ({ kind: 'lookup', table, keys: [{ field, column }], outputs: outputs.map((o) => ({ column: o, as: o })), caseSensitive: false, origin: at(5, 7) });
const run = (stages: Stage[]) => render(rule(pred('process.name', 'eq', ['x.exe']), stages), 'kql', { dialect: 'defender', lookupTables: tables });
const lines = (q: string | undefined) => q!.split('\n').slice(2, -1);
const valid = (q: string | undefined) => {
  expect(q).toBeDefined();
  if (!KUSTO_SKIP) expect(kustoErrors(q!)).toEqual([]);
};

describe('kql lookup, several rows of one exact key', () => {
  it('each output with several values is a JSON list in the datatable, a dynamic array after', () => {
    const r = run([stage('multi', 'process.name', 'name', ['tool'])]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(lines(r.query)).toEqual([
      '| extend LookupKey0 = tolower(FileName)',
      `| lookup kind=leftouter (datatable(LookupKey0:string, LookupOut0:string, LookupMatched:bool)['psexec.exe', '["a","b"]', true]) on LookupKey0`,
      '| extend tool = iff(isempty(LookupOut0), dynamic(null), todynamic(LookupOut0))',
      '| project-away LookupKey0, LookupOut0, LookupMatched',
    ]);
    valid(r.query);
  });
  it('max_matches 1: the first row of the key only, a string', () => {
    const r = run([stage('multi-first', 'process.name', 'name', ['tool'])]);
    expect(lines(r.query)[1]).toBe(`| lookup kind=leftouter (datatable(LookupKey0:string, LookupOut0:string, LookupMatched:bool)['psexec.exe', 'a', true]) on LookupKey0`);
    expect(lines(r.query)[2]).toBe('| extend tool = LookupOut0');
    valid(r.query);
  });
  it('a later filter on the output tests each value (SPL: any value equals)', () => {
    const r = run([stage('multi', 'process.name', 'name', ['tool']), { kind: 'filter', expr: pred('tool', 'eq', ['B']) }]);
    expect(whereOf(r.query!.split('\n').slice(2).join('\n'))).toBe("coalesce(set_has_element(todynamic(tolower(tostring(tool))), 'b'), false)");
    valid(r.query);
  });
});

describe('kql lookup, what later stages do with a multivalued output', () => {
  const multi = () => stage('multi', 'process.name', 'name', ['tool']);
  const errs = (r: ReturnType<typeof run>) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column]);
  it.each<[string, Stage]>([
    ['stats by it (SPL counts the row under each value)', { kind: 'aggregate', groupBy: [{ field: 'tool', as: 'tool' }], aggs: [{ fn: 'count', as: 'n' }], origin: at(8, 2) }],
    ['values() of it (SPL collects each value)', { kind: 'aggregate', groupBy: [], aggs: [{ fn: 'values', field: 'tool', as: 'tools' }], origin: at(8, 2) }],
    ['dedup by it', { kind: 'dedup', fields: ['tool'], origin: at(8, 2) }],
    ['another field compared with it', { kind: 'filter', expr: pred('process.command_line', 'fieldref', ['tool']), origin: at(8, 2) }],
  ])('%s: RB401 at that stage', (_name, later) => {
    expect(errs(run([multi(), later]))).toEqual([['RB401', 8, 2]]);
  });
  it('a field computed from it is followed: stats by it is RB401 at the stats', () => {
    const copy: Stage = { kind: 'eval', assign: [{ field: 'u', expr: { kind: 'call', fn: 'coalesce', args: [{ kind: 'field', name: 'tool' }, { kind: 'lit', value: 'none' }] } }] };
    expect(errs(run([multi(), copy, { kind: 'aggregate', groupBy: [{ field: 'u', as: 'u' }], aggs: [{ fn: 'count', as: 'n' }], origin: at(8, 2) }]))).toEqual([['RB401', 8, 2]]);
  });
  it('renamed, shown, then filtered: rendered (the filter tests each value)', () => {
    const r = run([multi(), { kind: 'rename', pairs: [{ from: 'tool', to: 't' }] }, { kind: 'project', fields: ['t'], mode: 'keep' }, { kind: 'filter', expr: pred('t', 'contains', ['a']) }]);
    expect(errs(r)).toEqual([]);
    expect(r.query!.trimEnd().split('\n').pop()).toBe("| where coalesce(strcat_array(t, '\\n') contains 'a', false)");
    valid(r.query);
  });
  it('overwritten before a stats by it: rendered', () => {
    const r = run([multi(), { kind: 'eval', assign: [{ field: 'tool', expr: { kind: 'lit', value: 'x' } }] }, { kind: 'aggregate', groupBy: [{ field: 'tool', as: 'tool' }], aggs: [{ fn: 'count', as: 'n' }] }]);
    expect(errs(r)).toEqual([]);
    valid(r.query);
  });
});

describe('kql lookup, wildcard rows that can match one value', () => {
  it('max_matches 1: case() numbers the first matching row, no overlap check', () => {
    const r = run([stage('services-first', 'process.command_line', 'service', ['category'])]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(lines(r.query)[0]).toMatch(/^\| extend LookupRow = iff\(isnotempty\(tolower\(ProcessCommandLine\)\), case\(/);
    valid(r.query);
  });
  it('max_matches 2: mv-apply over the matching rows; an output two overlapping rows fill is a dynamic array, the other a string', () => {
    const r = run([stage('services', 'process.command_line', 'service', ['category', 'description'])]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const [apply, assign, away] = lines(r.query);
    expect(apply).toMatch(/^\| mv-apply LookupRow = iff\(isnotempty\(tolower\(ProcessCommandLine\)\), pack_array\(iff\(.*\), pack_array\(-1\)\) to typeof\(long\) on \(order by LookupRow asc \| extend LookupRank = row_cumsum/);
    // Rows 1 and 3 (`*svc*`, `*mps*`) can match one value and both have a category and a description.
    expect(assign).toBe("| extend category = iff(LookupMatched, iff(array_length(LookupOut0) == 0, dynamic(null), LookupOut0), pack_array('none')), description = iff(LookupMatched, iff(array_length(LookupOut1) == 0, dynamic(null), LookupOut1), pack_array('none'))");
    expect(away).toBe('| project-away LookupOut0, LookupOut1, LookupMatched');
    valid(r.query);
  });

  const VALUES = ['sc stop mpssvc', 'SC stop MPSSVC', 'sc stop MpsSvc now', 'wuauserv svc', 'mps only', 'plain', 'PLAIN', 'nothing', 'nothing here', 'svc mps', ''];
  it.each(['services', 'services-first', 'commands'])('%s: the replayed KQL gives the evaluator\'s outputs for each value', (table) => {
    const s = stage(table, 'process.command_line', table === 'commands' ? 'cmd' : 'service', ['category', 'description']);
    const q = run([s]).query!;
    valid(q);
    const diags: never[] = [];
    const step = compileLookup(s, diags, { lookups: tables } as unknown as CompileContext);
    if (step.kind !== 'step') throw new Error('a lookup is a row step');
    const evaluate = step.make();
    for (const v of VALUES) {
      const c = { f: v === '' ? {} : { 'process.command_line': v }, shared: false };
      evaluate(c);
      const want = (name: string) => asList((c.f as Record<string, unknown>)[name]);
      const got = replay(q, v);
      expect([v, got.category, got.description]).toEqual([v, want('category'), want('description')]);
    }
  });
});

/** An evaluator value as a list: missing → [], one value → [v]. */
function asList(v: unknown): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];
}

/** The text of a KQL string literal as kqlString writes it. */
function unquote(lit: string): string {
  return lit.slice(1, -1).replace(/\\(u[0-9a-f]{4}|.)/g, (_, e: string) => (e.length > 1 ? String.fromCharCode(parseInt(e.slice(1), 16)) : ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[e] ?? e));
}

const LIT = String.raw`'(?:[^'\\]|\\.)*'`;

/**
 * The outputs the rendered lookup gives a row whose ProcessCommandLine is `v` ('' when absent),
 * each as a list: the case() form (first matching row, datatable by row number) or the mv-apply
 * form (every matching row, the first max_matches by number, empty cells left out).
 */
function replay(q: string, v: string): Record<string, string[]> {
  const key = v.toLowerCase();
  const conds = [...q.matchAll(new RegExp(String.raw`tolower\(ProcessCommandLine\) (matches regex|==) (${LIT}), (\d+)`, 'g'))].map((m) => ({
    n: Number(m[3]),
    test: m[1] === '==' ? (s: string) => s === unquote(m[2]!) : (s: string) => RE2JS.compile(unquote(m[2]!)).matcher(s).find(),
  }));
  const matching = key === '' ? [] : conds.filter((c) => c.test(key)).map((c) => c.n).sort((a, b) => a - b);
  const out: Record<string, string[]> = {};
  const names = [...q.matchAll(/(\w+) = iff\(LookupMatched|(\w+) = iff\(isnull\(LookupMatched\)|(\w+) = LookupOut\d/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
  // Each output's default_match: the literal its assignment gives a row without a match.
  const dfltOf = (name: string) => {
    const m = new RegExp(String.raw`\b${name} = iff\((?:isnull\(LookupMatched\), (?:pack_array\()?(${LIT})|LookupMatched, .*?, (?:pack_array\()?(${LIT})\)*(?:,|$))`, 'm').exec(q);
    return m ? [unquote(m[1] ?? m[2]!)] : [];
  };
  if (q.includes('| mv-apply ')) {
    const max = Number(/LookupRank <= (\d+)/.exec(q)![1]);
    const cells = [...new Set([...q.matchAll(new RegExp(String.raw`tostring\(pack_array\(((?:${LIT}(?:, )?)*)\)\[LookupRow\]\)`, 'g'))].map((m) => m[1]!))]
      .map((list) => [...list.matchAll(new RegExp(LIT, 'g'))].map((x) => unquote(x[0])));
    names.forEach((name, j) => {
      out[name] = matching.length === 0 ? dfltOf(name) : matching.slice(0, max).map((n) => cells[j]![n]!).filter((x) => x !== '');
    });
    return out;
  }
  if (q.includes(' on LookupKey0')) {
    // Exact keys: the datatable row of the folded key (key, cells…, true); a cell that todynamic
    // reads is a JSON list.
    const table = /datatable\([^)]*\)\[(.*)\]\) on LookupKey0/.exec(q)![1]!;
    const rows = [...table.matchAll(new RegExp(String.raw`(${LIT}), ((?:${LIT}, )*)true`, 'g'))].map((m) => ({ key: unquote(m[1]!), cells: [...m[2]!.matchAll(new RegExp(LIT, 'g'))].map((x) => unquote(x[0])) }));
    const row = key === '' ? undefined : rows.find((r) => r.key === key);
    names.forEach((name, j) => {
      const cell = row?.cells[j] ?? '';
      if (!row) out[name] = dfltOf(name);
      else if (q.includes(`todynamic(LookupOut${j})`)) out[name] = cell === '' ? [] : (JSON.parse(cell) as string[]);
      else out[name] = [cell].filter((x) => x !== '');
    });
    return out;
  }
  // The case() form: the first matching row's cells, from the datatable (row number, cells…, true).
  const first = matching[0];
  const table = /datatable\([^)]*\)\[(.*)\]\) on LookupRow/.exec(q)![1]!;
  const rows = [...table.matchAll(new RegExp(String.raw`(\d+), ((?:${LIT}, )*)true`, 'g'))].map((m) => ({ n: Number(m[1]), cells: [...m[2]!.matchAll(new RegExp(LIT, 'g'))].map((x) => unquote(x[0])) }));
  names.forEach((name, j) => {
    const row = rows.find((r) => r.n === first);
    out[name] = row ? [row.cells[j]!].filter((x) => x !== '') : dfltOf(name);
  });
  return out;
}
