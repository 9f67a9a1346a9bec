/**
 * A field both sides of a join have, with text on one side and a list (values() of a stats) on
 * the other: SPL puts either value in the field as it is (the evaluator, stage-join.ts, is the
 * reference), so KQL merges them into a dynamic column, the text as a dynamic string. The
 * rendered merge is replayed over the evaluator's rows of both sides and compared with the
 * evaluator's join. Other pairs of types stay RB401.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { render } from '../../../src/backends/index.js';
import { compileRules, evaluateFiles } from '../../../src/evaluator/index.js';
import { TRUE, type Aggregate, type Join, type Query, type RuleIR, type Stage } from '../../../src/ir/index.js';
import { sysmonProc, writeEvents } from '../../helpers/events.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { at } from './rule.js';

type Row = Record<string, unknown>;
const query = (stages: Stage[]): Query => ({ source: { product: 'windows', category: 'process_creation' }, filter: TRUE, stages });
const ruleOf = (stages: Stage[]): RuleIR => ({ format: 'splunk', file: 'r.yml', meta: { id: 'r', title: 't', references: [], tags: [], falsepositives: [] }, query: query(stages) });
// The row: one per host and name; the sub-search: the names (a list) per host, of .exe files only.
const left: Aggregate = { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }, { field: 'process.name', as: 'name' }], aggs: [{ fn: 'count', as: 'n' }] };
const sub = (stages: Stage[] = []): Query => ({
  source: { product: 'windows', category: 'process_creation' }, filter: { kind: 'pred', field: 'process.name', op: 'endswith', values: ['.exe'], caseSensitive: false, quantifier: 'any' },
  stages: [{ kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'values', field: 'process.name', as: 'name' }] }, ...stages],
});
const joinOf = (extra: Partial<Join> = {}): Join => ({ kind: 'join', type: 'left', on: ['dest'], overwrite: true, origin: at(6, 4), query: sub(), ...extra });
const kql = (stages: Stage[], dialect = 'defender') => render(ruleOf(stages), 'kql', { dialect });
const valid = (r: ReturnType<typeof kql>): string => {
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  return r.query!;
};
const extendOf = (q: string) => q.split('\n').find((l) => l.startsWith('| extend name = '))!;

describe('kql join: a text and a list under one name merge into a dynamic column', () => {
  it('overwrite: the list where the sub-search has one, else the text as a dynamic string', () => {
    for (const dialect of ['defender', 'sentinel']) {
      const q = valid(kql([left, joinOf()], dialect));
      expect(extendOf(q)).toBe('| extend name = iff(isnull(JoinRight0), iff(isempty(name), dynamic(null), pack_array(name)[0]), JoinRight0)');
    }
  });
  it('overwrite=false: the text where the row has one', () => {
    const q = valid(kql([left, joinOf({ overwrite: false })]));
    expect(extendOf(q)).toBe('| extend name = iff(isempty(name), JoinRight0, iff(isempty(name), dynamic(null), pack_array(name)[0]))');
  });
  it('a list on the row and text in the sub-search: the same, the other way round', () => {
    const l: Aggregate = { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'values', field: 'process.name', as: 'name' }] };
    const s: Query = { ...sub(), stages: [{ kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }, { field: 'process.name', as: 'name' }], aggs: [] }] };
    const q = valid(kql([l, joinOf({ query: s, max: 0 })]));
    expect(extendOf(q)).toBe('| extend name = iff(isempty(JoinRight1), name, iff(isempty(JoinRight1), dynamic(null), pack_array(JoinRight1)[0]))');
  });
  it('a number and a text have no common column: RB401 at the join', () => {
    const s: Query = { ...sub(), stages: [{ kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }, { field: 'process.pid', as: 'name' }], aggs: [] }] };
    const r = kql([left, joinOf({ query: s, max: 0 })]);
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column])).toEqual([['RB401', 6, 4]]);
    expect(r.diagnostics.find((d) => d.code === 'RB401')!.message).toContain("'name' has different types on the two sides (string, long)");
  });
  it('a join field on neither side: RB401 at the join, which says it matches no row', () => {
    const r = kql([left, joinOf({ on: ['guid'] })]);
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column])).toEqual([['RB401', 6, 4]]);
    expect(r.diagnostics.find((d) => d.code === 'RB401')!.message).toContain("a join on 'guid', which the sub-search does not return (nor the rows: the join matches no row)");
  });
});

// h1 ran two .exe names and a script host entry without .exe; h2 only a .com; h3 nothing in the sub-search.
const EVENTS: [string, string][] = [['h1', 'b.exe'], ['h1', 'a.exe'], ['h1', 'wscript'], ['h2', 'x.com'], ['h1', 'a.exe']];
const dir = mkdtempSync(join(tmpdir(), 'rb-kql-join-merge-'));
const file = writeEvents(dir, 'procs.jsonl', EVENTS.map(([h, n], i) => sysmonProc(i + 1, h, `C:\\w\\${n}`, `2026-01-01T0${i}:00:00.000000Z`)));

async function evaluate(stages: Stage[], q?: Query): Promise<Row[]> {
  const { compiled, diagnostics } = compileRules([{ ...ruleOf(stages), query: q ?? query(stages) }]);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const res = await evaluateFiles(compiled, [file], () => {});
  return res.aggregates.map((a) => ({ ...a.group, ...a.values }));
}

/** The rendered merge `iff(isnull(R), iff(isempty(L), dynamic(null), pack_array(L)[0]), R)` over one row and its partner. */
function merged(line: string, row: Row, partner: Row | undefined): unknown {
  expect(line).toMatch(/^\| extend name = iff\(isnull\(JoinRight0\), iff\(isempty\(name\), dynamic\(null\), pack_array\(name\)\[0\]\), JoinRight0\)$/);
  const r = partner?.name ?? null;
  const l = row.name === '' || row.name === undefined ? null : row.name;
  return r === null ? l : r;
}

describe('the merged field holds what the evaluator holds', () => {
  it.each<[string, boolean]>([['type=left', true], ['type=inner', false]])('%s', async (_name, keepAll) => {
    const j = joinOf(keepAll ? {} : { type: 'inner' });
    const line = extendOf(valid(kql([left, j])));
    const partners = new Map((await evaluate([], j.query)).map((p) => [p.dest, p]));
    const want = (await evaluate([left, j])).map((r) => JSON.stringify([r.dest, r.name])).sort();
    const got = (await evaluate([left])).flatMap((r) => {
      const p = partners.get(r.dest);
      return p || keepAll ? [JSON.stringify([r.dest, merged(line, r, p)])] : [];
    }).sort();
    expect(want.some((w) => w.includes('['))).toBe(true);
    expect(got).toEqual(want);
  });
});
