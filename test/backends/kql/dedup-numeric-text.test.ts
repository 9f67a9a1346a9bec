/**
 * A field the evaluator holds as a number (process.pid) read from a text column (Sentinel's
 * SysmonEvent ProcessId): the "first" rows of dedup and join max=N follow the evaluator's order
 * (missing first, numbers by value, then other text by code unit), not the text order ('100'
 * before '9'). The KQL sort keys are replayed here over the evaluator's rows with the pid as the
 * text SysmonEvent holds, and a join keeps a stand-in constant a stand-in.
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
import { kqlCompare } from './kql-order.js';
import { at } from './rule.js';

type Row = Record<string, unknown>;
const AS: Record<string, string> = { 'host.name': 'dest', 'process.name': 'name', 'process.pid': 'pid', 'file.created': 'created' };
const stats = (by: string[]): Aggregate => ({ kind: 'aggregate', groupBy: by.map((f) => ({ field: f, as: AS[f]! })), aggs: [{ fn: 'count', as: 'n' }] });
const query = (stages: Stage[]): Query => ({ source: { product: 'windows', category: 'process_creation' }, filter: TRUE, stages });
const ruleOf = (stages: Stage[]): RuleIR => ({ format: 'splunk', file: 'r.yml', meta: { id: 'r', title: 't', references: [], tags: [], falsepositives: [] }, query: query(stages) });
const sentinel = (stages: Stage[]) => render(ruleOf(stages), 'kql', { dialect: 'sentinel' });
const valid = (r: ReturnType<typeof sentinel>): string[] => {
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  return r.query!.trimEnd().split('\n');
};
const PID_KEYS = 'isnotempty(pid) and isnull(toreal(pid)) asc, toreal(pid) asc, pid asc';

describe('kql sort keys of a numeric field held as text (SysmonEvent ProcessId)', () => {
  it('dedup after a stats: missing and other text apart, numbers by value, then the text', () => {
    const lines = valid(sentinel([stats(['host.name', 'process.pid', 'process.name']), { kind: 'dedup', fields: ['name'] }]));
    expect(lines).toContain(`| sort by name asc, dest asc, ${PID_KEYS}`);
  });
  it('join max=1: the sub-search sorts its pid column the same way', () => {
    const j: Join = { kind: 'join', type: 'inner', on: ['dest'], overwrite: true, query: query([stats(['host.name', 'process.pid'])]) };
    const q = valid(sentinel([stats(['host.name']), j])).join('\n');
    expect(q).toContain('| sort by JoinRight1 asc, isnotempty(JoinRight2) and isnull(toreal(JoinRight2)) asc, toreal(JoinRight2) asc, JoinRight2 asc |');
  });
  it('a join that sets a group column numbers the rows in that order first', () => {
    const sub: Aggregate = { kind: 'aggregate', groupBy: [{ field: 'process.pid', as: 'pid' }, { field: 'process.name', as: 'dest' }], aggs: [{ fn: 'count', as: 'm' }] };
    const j: Join = { kind: 'join', type: 'inner', on: ['pid'], overwrite: true, query: query([sub]) };
    const lines = valid(sentinel([stats(['process.pid', 'host.name', 'process.name']), j, { kind: 'dedup', fields: ['dest'] }]));
    const k = lines.indexOf('| extend JoinRowOrder = row_number()');
    expect(lines[k - 1]).toBe(`| sort by ${PID_KEYS}, dest asc, name asc`);
  });
});

describe('a stand-in constant the sub-search returns stays a stand-in after the join', () => {
  it('RB403 at a dedup of it, where the constant would keep one row in all', () => {
    // SysmonEvent process creations have no file.created: the sub-search groups it as "unknown".
    const j: Join = { kind: 'join', type: 'inner', on: ['dest'], overwrite: true, query: query([stats(['host.name', 'file.created'])]) };
    const r = sentinel([stats(['host.name']), j, { kind: 'dedup', fields: ['created'], origin: at(9, 5) }]);
    const errs = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errs.map((d) => [d.code, d.line, d.column])).toEqual([['RB403', 9, 5]]);
    expect(errs[0]!.message).toContain("dedup field 'created' has no column");
  });
  it('a column of the sub-search is not one', () => {
    const j: Join = { kind: 'join', type: 'inner', on: ['dest'], overwrite: true, query: query([stats(['host.name', 'process.name'])]) };
    valid(sentinel([stats(['host.name']), j, { kind: 'dedup', fields: ['name'] }]));
  });
});

// Pids by value 3 < 9 < 20 < 100 (as text '100' < '20' < '3' < '9'), one pid that is no number
// (the evaluator keeps it as text, after the numbers), names by case; file order is none of these.
const EVENTS: [string, string, number | string][] = [
  ['h1', 'b.exe', 9], ['h1', 'a.exe', 100], ['h2', 'a.exe', 'x7'], ['h1', 'c.exe', 20],
  ['h2', 'B.exe', 100], ['h2', 'c.exe', 3], ['h1', 'a.exe', 3], ['h2', 'b.exe', 9],
];
const dir = mkdtempSync(join(tmpdir(), 'rb-kql-numeric-text-'));
const files = [EVENTS, [...EVENTS].reverse()].map((evs, k) => writeEvents(dir, `procs${k}.jsonl`, evs.map(([h, n, pid], i) => sysmonProc(i + 1, h, `C:\\w\\${n}`, `2026-01-01T0${i}:00:00.000000Z`, { ProcessId: pid }))));

async function evaluate(stages: Stage[], file: string): Promise<Row[]> {
  const { compiled, diagnostics } = compileRules([ruleOf(stages)]);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const res = await evaluateFiles(compiled, [file], () => {});
  return res.aggregates.map((a) => ({ ...a.group, ...a.values }));
}

/** KQL's toreal of a text: its number where the whole text is a decimal number, else null. */
const toreal = (v: unknown): number | null => (typeof v === 'string' && /^[-+]?\d+(\.\d*)?$/.test(v) ? Number(v) : null);
const empty = (v: unknown) => v === null || v === undefined || v === '';
/** One rendered sort key as a value of a row (`c asc`, `toreal(c) asc`, the boolean key). */
function keyValue(key: string, r: Row): unknown {
  let m = /^isnotempty\((\w+)\) and isnull\(toreal\(\1\)\) asc$/.exec(key);
  if (m) return !empty(r[m[1]!]) && toreal(r[m[1]!]) === null ? 1 : 0;
  m = /^toreal\((\w+)\) asc$/.exec(key);
  if (m) return toreal(r[m[1]!]);
  m = /^(\w+) asc$/.exec(key);
  if (m) return r[m[1]!];
  throw new Error(`unknown sort key ${key}`);
}
/** The rendered dedup (present key, sort, first per key) over rows whose pid is SysmonEvent's text. */
function replayDedup(lines: string[], rows: Row[], field: string): Row[] {
  const sort = lines.find((l) => l.startsWith('| sort by '))!.slice('| sort by '.length).split(', ');
  const text = rows.map((r) => ({ ...r, pid: r.pid === null ? '' : String(r.pid) })).filter((r) => !empty(r[field]));
  text.sort((a, b) => {
    for (const k of sort) {
      const d = kqlCompare(keyValue(k, a), keyValue(k, b), false);
      if (d) return d;
    }
    return 0;
  });
  const seen = new Set<unknown>();
  return text.filter((r) => !seen.has(r[field]) && !!seen.add(r[field]));
}
const canon = (rows: Row[]) => rows.map((r) => JSON.stringify({ ...r, pid: String(r.pid) })).sort();

describe('the dedup keeps the rows the evaluator keeps, the pid as SysmonEvent text', () => {
  it.each<[string, string[], string]>([
    ['a name per pid order (pid first)', ['process.pid', 'host.name', 'process.name'], 'name'],
    ['a host per name, then pid', ['process.name', 'process.pid', 'host.name'], 'dest'],
  ])('%s', async (_name, by, field) => {
    const stages: Stage[] = [stats(by), { kind: 'dedup', fields: [field] }];
    const lines = valid(sentinel(stages));
    expect(lines.join('\n')).toContain('toreal(pid) asc');
    for (const file of files) {
      const want = await evaluate(stages, file);
      // summarize's output has no order: the rows are handed over in reverse.
      const got = replayDedup(lines, (await evaluate([stages[0]!], file)).reverse(), field);
      expect(want.length).toBeGreaterThan(1);
      expect(canon(got)).toEqual(canon(want));
    }
  });
  it('the text order would keep other rows (the case the keys are for)', async () => {
    const stages: Stage[] = [stats(['process.pid', 'host.name', 'process.name']), { kind: 'dedup', fields: ['dest'] }];
    const asText = ['| sort by dest asc, pid asc, name asc'];
    const want = await evaluate(stages, files[0]!);
    const got = replayDedup(asText, (await evaluate([stages[0]!], files[0]!)).reverse(), 'dest');
    expect(canon(got)).not.toEqual(canon(want));
  });
});
