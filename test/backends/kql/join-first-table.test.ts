/**
 * The partner SPL join max=N picks, evaluator against KQL, where the sub-search has several rows
 * per key. The evaluator runs the rule over events; the KQL side replays the rendered sub-search
 * tail (present keys, `sort by`, `row_number` restarting per key, `JoinOrder <= N`) over the
 * same sub-search rows, handed over in reverse (summarize's output has no order), sorting as KQL
 * documents: ascending, nulls first, numbers and datetimes by value, strings by code unit.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { render } from '../../../src/backends/index.js';
import { compileRules, evaluateFiles } from '../../../src/evaluator/index.js';
import { TRUE, type Aggregate, type Query, type RuleIR } from '../../../src/ir/index.js';
import { sysmonProc, writeEvents } from '../../helpers/events.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { kqlSort } from './kql-order.js';

type Row = Record<string, unknown>;
const dir = mkdtempSync(join(tmpdir(), 'rb-kql-join-first-'));
const AS: Record<string, string> = { 'host.name': 'dest', 'process.name': 'name', 'process.pid': 'pid' };
const TIME_COLUMNS = new Set(['_time']);

// Per host, the sub-search rows differ in name (ordinal: 'B.exe' < 'a.exe' < 'b.exe'), in pid
// (numeric: 3 < 9 < 20 < 100; as text '100' first) and in hour; file order is none of these.
const EVENTS: [string, string, number, string][] = [
  ['h1', 'b.exe', 9, '2026-01-01T00:10:00.000000Z'],
  ['h1', 'a.exe', 20, '2026-01-01T01:20:00.000000Z'],
  ['h1', 'B.exe', 100, '2026-01-01T02:30:00.000000Z'],
  ['h1', 'a.exe', 3, '2026-01-01T00:40:00.000000Z'],
  ['h2', 'b.exe', 100, '2026-01-01T03:00:00.000000Z'],
  ['h2', 'b.exe', 7, '2026-01-01T01:00:00.000000Z'],
];
const files = [EVENTS, [...EVENTS].reverse()].map((evs, k) => writeEvents(dir, `procs${k}.jsonl`, evs.map(([h, n, pid, t], i) => sysmonProc(i + 1, h, `C:\\w\\${n}`, t, { ProcessId: pid }))));

const stats = (by: string[], span?: boolean): Aggregate => ({
  kind: 'aggregate', groupBy: by.map((f) => ({ field: f, as: AS[f]! })), aggs: [{ fn: 'count', as: 'n' }],
  ...(span ? { span: { field: '@timestamp', seconds: 3600, as: '_time' } } : {}),
});
const query = (q: Omit<Query, 'source' | 'filter'>): Query => ({ source: { product: 'windows', category: 'process_creation' }, filter: TRUE, ...q });
const ruleOf = (q: Query): RuleIR => ({ format: 'splunk', file: 'r.yml', meta: { id: 'r', title: 't', references: [], tags: [], falsepositives: [] }, query: q });

async function evaluate(r: RuleIR, file: string): Promise<Row[]> {
  const { compiled, diagnostics } = compileRules([r]);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const res = await evaluateFiles(compiled, [file], () => {});
  return res.aggregates.map((a) => ({ ...a.group, ...a.values }));
}

/** The sub-search rows that the rendered tail keeps, by the join key's text. */
function replay(q: string, rows: Row[]): Map<string, Row[]> {
  const sub = /\| join kind=\w+ \((.*)\) on /.exec(q)![1]!;
  const cols = new Map([...(/\| project (JoinRight[^|]*)\|/.exec(sub)![1]!.matchAll(/(JoinRight\d+) = (\w+)/g))].map((m) => [m[1]!, m[2]!]));
  const sortBy = /\| sort by ([^|]*)\|/.exec(sub)![1]!.split(', ').map((k) => /^(JoinRight\d+) asc$/.exec(k.trim())![1]!);
  const restart = [...(/row_number\(1, ([^)]*\))\)/.exec(sub)![1]!.matchAll(/(JoinRight\d+) != prev/g))].map((m) => cols.get(m[1]!)!);
  const max = Number(/where JoinOrder <= (\d+)/.exec(sub)![1]);
  const keyOf = (r: Row) => JSON.stringify(restart.map((c) => r[c]));
  const present = [...rows].reverse().filter((r) => restart.every((c) => r[c] !== null && r[c] !== ''));
  const sorted = kqlSort(present, sortBy, (t) => cols.get(t)!, (c) => TIME_COLUMNS.has(c));
  const out = new Map<string, Row[]>();
  for (const r of sorted) {
    const l = out.get(keyOf(r)) ?? [];
    if (l.length < max) out.set(keyOf(r), [...l, r]);
  }
  return out;
}

describe('kql join max=N picks the partners the evaluator picks', () => {
  it.each<[string, string[], boolean, number]>([
    ['names by code unit (upper case first)', ['host.name', 'process.name', 'process.pid'], false, 1],
    ['pids by value, before the name', ['host.name', 'process.pid', 'process.name'], false, 1],
    ['the span bucket last, by time', ['host.name', 'process.name'], true, 1],
    ['the first two, the join field not first', ['process.name', 'host.name', 'process.pid'], false, 2],
  ])('%s', async (_name, by, span, max) => {
    const subQuery = query({ stages: [stats(by, span)] });
    const left: Aggregate = { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'count', as: 'count' }] };
    const r = ruleOf(query({ stages: [left, { kind: 'join', type: 'inner', on: ['dest'], overwrite: true, query: subQuery, ...(max === 1 ? {} : { max }) }] }));
    const res = render(r, 'kql', { dialect: 'defender' });
    expect(res.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    if (!KUSTO_SKIP) expect(kustoErrors(res.query!)).toEqual([]);
    const partner = (row: Row) => Object.fromEntries(Object.entries(row).filter(([k]) => k !== 'count' && k !== 'n'));
    for (const file of files) {
      const got = (await evaluate(r, file)).map(partner);
      const kept = replay(res.query!, await evaluate(ruleOf(subQuery), file));
      const want = (await evaluate(ruleOf(query({ stages: [left] })), file)).flatMap((l) => (kept.get(JSON.stringify([l.dest])) ?? []).map((p) => partner({ ...l, ...p })));
      expect(got.length).toBeGreaterThan(0);
      expect(got).toEqual(want);
    }
  });
});
