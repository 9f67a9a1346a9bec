/**
 * SPL dedup after a stats/tstats in KQL: each key's first row in the stats order (sorted by the
 * key, then the group columns, row_number restarting per key), through row-wise stages and
 * joins that keep each row at most once (a join that sets a group column numbers the rows
 * before it); RB401 at the dedup where the order cannot be rebuilt.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { render } from '../../../src/backends/index.js';
import { compileRules, evaluateFiles } from '../../../src/evaluator/index.js';
import { pred, TRUE, type Aggregate, type Join, type Query, type RuleIR, type Stage } from '../../../src/ir/index.js';
import { sysmonProc, writeEvents } from '../../helpers/events.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { kqlSort } from './kql-order.js';
import { onePerKey } from '../../../src/backends/kql-join-order.js';
import { fromText, rule2024 } from '../../frontends/splunk/load.js';
import { at, rule } from './rule.js';

const AS: Record<string, string> = { 'host.name': 'dest', 'process.name': 'name', 'process.pid': 'pid', 'process.command_line': 'cmd', '@timestamp': '_time' };
const stats = (by: string[], span?: number): Aggregate => ({
  kind: 'aggregate', groupBy: by.map((f) => ({ field: f, as: AS[f]! })), aggs: [{ fn: 'count', as: 'n' }],
  ...(span ? { span: { field: '@timestamp', seconds: span, as: '_time' } } : {}),
});
const dedupOf = (...fields: string[]): Stage => ({ kind: 'dedup', fields, origin: at(9, 5) });
/** A join on pid whose sub-search returns `cols` per pid (by pid and the fields named by `by`). */
const joinOf = (by: [string, string][], extra: Partial<Join> = {}): Join => ({
  kind: 'join', type: 'inner', on: ['pid'], overwrite: true, origin: at(6, 4),
  query: { source: { category: 'process_creation' }, filter: TRUE, stages: [{ kind: 'aggregate', groupBy: [{ field: 'process.pid', as: 'pid' }, ...by.map(([field, as]) => ({ field, as }))], aggs: [{ fn: 'count', as: 'm' }] }] },
  ...extra,
});
const kql = (stages: Stage[], dialect = 'defender') => render(rule(pred('process.name', 'endswith', ['.exe']), stages), 'kql', { dialect });
const valid = (r: ReturnType<typeof kql>): string[] => {
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  return r.query!.trimEnd().split('\n');
};
/** The operators after the summarize line. */
const tail = (lines: string[]) => lines.slice(lines.findIndex((l) => l.startsWith('| summarize')) + 1);
const errors = (r: ReturnType<typeof kql>) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column]);

describe('kql dedup after a stats: the first row of each key in the stats order', () => {
  it('sorted by the key, then the other group columns in by order; numbered per key; the first kept', () => {
    expect(tail(valid(kql([stats(['host.name', 'process.name', 'process.pid']), dedupOf('name')])))).toEqual([
      '| where isnotempty(name)',
      '| sort by name asc, dest asc, pid asc',
      '| extend DedupOrder = row_number(1, name != prev(name))',
      '| where DedupOrder <= 1',
      '| project-away DedupOrder',
    ]);
  });
  it('two fields restart on either; a non-string key is present when not null; the span bucket sorts last', () => {
    expect(tail(valid(kql([stats(['process.pid', 'host.name', 'process.name'], 3600), dedupOf('pid', 'name', 'pid')])))).toEqual([
      '| where isnotnull(pid) and isnotempty(name)',
      '| sort by pid asc, name asc, dest asc, _time asc',
      '| extend DedupOrder = row_number(1, pid != prev(pid) or name != prev(name))',
      '| where DedupOrder <= 1',
      '| project-away DedupOrder',
    ]);
  });
  it('rows already one per key (the stats groups by some of the fields): only the rows lacking a field go', () => {
    expect(tail(valid(kql([stats(['host.name']), dedupOf('dest')])))).toEqual(['| where isnotempty(dest)']);
    expect(tail(valid(kql([stats(['host.name', 'process.name']), { kind: 'rename', pairs: [{ from: 'name', to: 'image' }] }, dedupOf('image', 'dest')])))).toEqual(['| project-rename image = name', '| where isnotempty(image) and isnotempty(dest)']);
  });
  it('row-wise stages between keep the order; a renamed group column sorts under its new name', () => {
    const lines = tail(valid(kql([
      stats(['host.name', 'process.name']),
      { kind: 'filter', expr: pred('n', 'gt', [1]) },
      { kind: 'eval', assign: [{ field: 'k', expr: { kind: 'field', name: 'n' } }] },
      { kind: 'rename', pairs: [{ from: 'dest', to: 'host' }] },
      dedupOf('k'),
    ])));
    expect(lines).toContain('| sort by k asc, host asc, name asc');
  });
  it('the counter takes a name no column has', () => {
    const lines = tail(valid(kql([{ ...stats(['host.name', 'process.name']), aggs: [{ fn: 'count', as: 'DedupOrder' }] }, dedupOf('name')])));
    expect(lines).toContain('| extend DedupOrder1 = row_number(1, name != prev(name))');
    expect(lines.at(-1)).toBe('| project-away DedupOrder1');
  });
  it('a join that leaves the group columns alone keeps the order: no numbering', () => {
    const lines = tail(valid(kql([stats(['process.pid', 'host.name', 'process.name']), joinOf([['process.command_line', 'cmd']]), dedupOf('cmd')])));
    expect(lines.join('\n')).not.toContain('JoinRowOrder');
    expect(lines).toContain('| sort by cmd asc, pid asc, dest asc, name asc');
  });
  it('a join that sets a group column: the rows are numbered in the stats order before it, and the dedup sorts by the number', () => {
    const lines = tail(valid(kql([stats(['process.pid', 'host.name', 'process.name']), joinOf([['process.command_line', 'name']]), dedupOf('name'), { kind: 'project', mode: 'keep', fields: ['dest', 'name'] }])));
    expect(lines.slice(0, 2)).toEqual(['| sort by pid asc, dest asc, name asc', '| extend JoinRowOrder = row_number()']);
    expect(lines[2]).toMatch(/^\| join kind=inner \(/);
    expect(lines.slice(-6)).toEqual([
      '| where isnotempty(name)',
      '| sort by name asc, JoinRowOrder asc',
      '| extend DedupOrder = row_number(1, name != prev(name))',
      '| where DedupOrder <= 1',
      '| project-away DedupOrder, JoinRowOrder',
      '| project dest, name',
    ]);
  });
  it("a dedup keeps the rows it keeps in place: a join's sub-search may end in one, and its first rows follow the stats order", () => {
    const j: Join = { ...joinOf([]), on: ['dest'], query: { source: { category: 'process_creation' }, filter: TRUE, stages: [stats(['host.name', 'process.name', 'process.pid']), dedupOf('name')] } };
    const q = valid(kql([stats(['host.name']), j])).join('\n');
    expect(q).toContain('| where isnotempty(name) | sort by name asc, dest asc, pid asc | extend DedupOrder = row_number(1, name != prev(name)) | where DedupOrder <= 1 | project-away DedupOrder |');
    expect(q).toContain('| sort by JoinRight1 asc, JoinRight2 asc, JoinRight3 asc | extend JoinOrder = row_number(1, JoinRight1 != prev(JoinRight1)) | where JoinOrder <= 1 |');
  });
  it('a join that sets a group column, then tables that keep the field, then the dedup: the join renders the dedup before the tables', () => {
    const table = (...fields: string[]): Stage => ({ kind: 'project', mode: 'keep', fields });
    const lines = tail(valid(kql([stats(['process.pid', 'host.name']), joinOf([['process.name', 'dest']]), table('dest', 'pid', 'n'), table('dest', 'n'), dedupOf('dest')])));
    expect(lines.slice(0, 2)).toEqual(['| sort by pid asc, dest asc', '| extend JoinRowOrder = row_number()']);
    expect(lines.slice(-7)).toEqual([
      '| where isnotempty(dest)',
      '| sort by dest asc, JoinRowOrder asc',
      '| extend DedupOrder = row_number(1, dest != prev(dest))',
      '| where DedupOrder <= 1',
      '| project-away DedupOrder, JoinRowOrder',
      '| project dest, pid, n',
      '| project dest, n',
    ]);
  });
  it('a table that drops the dedup field keeps the dedup in its place (RB403 there: no such column)', () => {
    const r = kql([stats(['process.pid', 'host.name']), joinOf([['process.name', 'dest']]), { kind: 'project', mode: 'keep', fields: ['pid'] }, dedupOf('dest')]);
    expect(errors(r)).toEqual([['RB403', 9, 5]]);
  });
  it('without a later dedup a join numbers nothing', () => {
    expect(valid(kql([stats(['process.pid', 'host.name', 'process.name']), joinOf([['process.command_line', 'name']])])).join('\n')).not.toContain('JoinRowOrder');
  });

  const sub = stats(['host.name', 'process.name']);
  it.each<[string, Stage[], string, string]>([
    ['no stats: rows in event order', [{ kind: 'project', mode: 'keep', fields: ['host.name', 'process.name'] }], 'defender', 'it has no stats or tstats'],
    ['a sort after the stats', [sub, { kind: 'sort', keys: [{ field: 'n', desc: true }] }], 'defender', 'a sort after the stats'],
    ['an mvexpand after the stats', [sub, { kind: 'mvexpand', field: 'n' }], 'defender', 'an mvexpand after the stats'],
    ['an eval over a group column', [sub, { kind: 'eval', assign: [{ field: 'name', expr: { kind: 'lit', value: 'x' } }] }], 'defender', "an eval that changes 'name'"],
    ['a table without a group column', [sub, { kind: 'project', mode: 'keep', fields: ['dest', 'n'] }], 'defender', "drops 'name'"],
    ['a join that may give a row several partners', [stats(['process.pid', 'host.name']), joinOf([['process.name', 'img']], { max: 0 })], 'defender', 'a join that may add several rows per row'],
    ['a join that sets a group column, then a table and an eval', [stats(['process.pid', 'host.name']), joinOf([['process.name', 'dest']]), { kind: 'project', mode: 'keep', fields: ['dest', 'n'] }, { kind: 'eval', assign: [{ field: 'k', expr: { kind: 'field', name: 'n' } }] }], 'defender', 'a fields/table after a join that set a column which ordered the rows'],
    ['a key that does not sort', [{ ...sub, aggs: [{ fn: 'values', field: 'process.command_line', as: 'cmds' }] }], 'defender', 'a key of type dynamic does not sort'],
  ])('RB401 at the dedup where the order cannot be rebuilt: %s', (_name, stages, dialect, why) => {
    const d = stages.some((s) => s.kind === 'aggregate' && s.aggs.some((a) => a.as === 'cmds')) ? 'cmds' : stages[0]!.kind === 'project' ? 'host.name' : 'dest';
    const r = kql([...stages, dedupOf(d)], dialect);
    expect(errors(r)).toEqual([['RB401', 9, 5]]);
    const msg = r.diagnostics.find((x) => x.code === 'RB401')!.message;
    expect(msg).toContain('dedup of');
    expect(msg).toContain('first row of each key in the current row order');
    expect(msg).toContain(why);
  });
  it.each<[string, Stage]>([
    ['a rename onto the key', { kind: 'rename', pairs: [{ from: 'n', to: 'dest' }] }],
    ['an eval of the key', { kind: 'eval', assign: [{ field: 'dest', expr: { kind: 'lit', value: 'x' } }] }],
    ['a fillnull of the key', { kind: 'fillnull', fields: ['dest'], value: 'x' }],
  ])('rows one per key no longer after %s: RB401 at the dedup, not a bare where', (_name, s) => {
    expect(errors(kql([stats(['host.name']), s, dedupOf('dest')]))).toEqual([['RB401', 9, 5]]);
  });
  it('onePerKey: a stage that sets a key, a key renamed onto another, a pattern rename or table undo it', () => {
    const agg = stats(['host.name', 'process.name']);
    expect(onePerKey([agg, { kind: 'rename', pairs: [{ from: 'dest', to: 'h' }] }], ['h', 'name'])).toBe(true);
    expect(onePerKey([agg, { kind: 'rename', pairs: [{ from: 'dest', to: 'name' }] }], ['name'])).toBe(false);
    expect(onePerKey([agg, { kind: 'rename', pairs: [{ from: 'n', to: 'name' }] }], ['dest', 'name'])).toBe(false);
    expect(onePerKey([agg, { kind: 'rename', pairs: [{ from: 'd*', to: 'h*' }] }], ['dest', 'name'])).toBe(false);
    expect(onePerKey([agg, { kind: 'project', mode: 'drop', fields: ['n*'] }], ['dest', 'name'])).toBe(false);
    expect(onePerKey([agg, { kind: 'lookup', table: 't', keys: [{ field: 'dest', column: 'k' }], outputs: [{ column: 'v', as: 'name' }], caseSensitive: false }], ['dest', 'name'])).toBe(false);
    expect(onePerKey([agg, { kind: 'fillnull', fields: [], value: 0 }], ['dest', 'name'])).toBe(false);
    expect(onePerKey([agg, { kind: 'fillnull', fields: ['n'], value: 0 }, { kind: 'eval', assign: [{ field: 'k', expr: { kind: 'lit', value: 1 } }] }], ['dest', 'name'])).toBe(true);
  });
  it('RB401 at a second dedup after a join that set a group column (the first takes the numbers away)', () => {
    const r = kql([stats(['process.pid', 'host.name']), joinOf([['process.name', 'dest']]), dedupOf('dest'), { kind: 'dedup', fields: ['pid'], origin: at(10, 2) }]);
    expect(errors(r)).toEqual([['RB401', 10, 2]]);
    expect(r.diagnostics.find((x) => x.code === 'RB401')!.message).toContain('a second dedup after a join');
  });
});

describe('dedup options the KQL rendering does not follow are refused by the Splunk frontend', () => {
  it.each([
    ['keepempty=true', 'keepempty'],
    ['consecutive=true', 'consecutive'],
    ['2', 'limit'],
  ])('dedup %s Computer: RB250 at the command', (opt, name) => {
    const r = fromText(rule2024(`\`sysmon\` EventCode=1 | stats count by Computer | dedup ${opt} Computer`));
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['RB250@10:52']);
    expect(r.diagnostics[0]!.message).toContain(`dedup option '${name}'`);
  });
  it('dedup … sortby: RB250 at the command', () => {
    const r = fromText(rule2024('`sysmon` EventCode=1 | stats count by Computer | dedup Computer sortby -count'));
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['RB250@10:52']);
  });
  it('the default options are the rendered meaning', () => {
    const r = fromText(rule2024('`sysmon` EventCode=1 | stats count by Computer | dedup 1 keepempty=false consecutive=false Computer'));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.rule!.query.stages.at(-1)).toMatchObject({ kind: 'dedup', fields: ['Computer'] });
  });
});

type Row = Record<string, unknown>;
const dir = mkdtempSync(join(tmpdir(), 'rb-kql-dedup-first-'));
// Names differ by case ('B.exe' < 'a.exe' by code unit), pids by value (3 < 9 < 20 < 100; as
// text '100' first), hours and command lines; pid 9 and 100 each run on both hosts, a.exe on
// h1 as both.
const EVENTS: [string, string, number, string, string][] = [
  ['h1', 'a.exe', 9, '2026-01-01T00:10:00.000000Z', 'x'],
  ['h2', 'b.exe', 9, '2026-01-01T01:20:00.000000Z', 'y'],
  ['h1', 'B.exe', 100, '2026-01-01T02:30:00.000000Z', 'x'],
  ['h2', 'a.exe', 100, '2026-01-01T00:40:00.000000Z', 'z'],
  ['h1', 'c.exe', 20, '2026-01-01T03:00:00.000000Z', 'y'],
  ['h2', 'c.exe', 3, '2026-01-01T01:00:00.000000Z', 'Y'],
  ['h2', 'b.exe', 9, '2026-01-01T02:05:00.000000Z', 'x'],
  ['h1', 'a.exe', 100, '2026-01-01T03:30:00.000000Z', 'zz'],
];
const files = [EVENTS, [...EVENTS].reverse()].map((evs, k) => writeEvents(dir, `procs${k}.jsonl`, evs.map(([h, n, pid, t, cmd], i) => sysmonProc(i + 1, h, `C:\\w\\${n}`, t, { ProcessId: pid, CommandLine: cmd }))));
const query = (stages: Stage[]): Query => ({ source: { product: 'windows', category: 'process_creation' }, filter: TRUE, stages });
const ruleOf = (q: Query): RuleIR => ({ format: 'splunk', file: 'r.yml', meta: { id: 'r', title: 't', references: [], tags: [], falsepositives: [] }, query: q });

async function evaluate(stages: Stage[], file: string): Promise<Row[]> {
  const { compiled, diagnostics } = compileRules([ruleOf(query(stages))]);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const res = await evaluateFiles(compiled, [file], () => {});
  return res.aggregates.map((a) => ({ ...a.group, ...a.values }));
}

/** The columns of a rendered `| sort by a asc, b asc` line. */
const sortCols = (line: string): string[] => line.slice('| sort by '.length).split(', ').map((k) => /^(\w+) asc$/.exec(k)![1]!);
const time = (c: string) => c === '_time';
const sorted = (rows: Row[]) => rows.map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)))).sort();

/** The rendered dedup tail (present keys, sort, numbering per key, the first) replayed over rows. */
function replayDedup(lines: string[], rows: Row[]): Row[] {
  const i = lines.findIndex((l) => l.startsWith('| extend DedupOrder = '));
  const keys = [...lines[i]!.matchAll(/(\w+) != prev/g)].map((m) => m[1]!);
  const present = rows.filter((r) => keys.every((k) => r[k] !== null && r[k] !== undefined && r[k] !== ''));
  const seen = new Set<string>();
  return kqlSort(present, sortCols(lines[i - 1]!), (c) => c, time).filter((r) => {
    const k = JSON.stringify(keys.map((c) => r[c]));
    return !seen.has(k) && !!seen.add(k);
  });
}

describe('kql dedup after a stats keeps the rows the evaluator keeps', () => {
  it.each<[string, string[], number | undefined, string[]]>([
    ['a name per host: the first by host, then pid by value', ['process.name', 'host.name', 'process.pid'], undefined, ['name']],
    ['a host per pid order (numeric, not text)', ['process.pid', 'host.name', 'process.name'], undefined, ['dest']],
    ['the span bucket last, by time', ['host.name', 'process.name'], 3600, ['dest']],
    ['two fields, one of them a group column', ['host.name', 'process.pid', 'process.name'], undefined, ['name', 'dest']],
  ])('%s', async (_name, by, span, fields) => {
    const stages: Stage[] = [stats(by, span), { kind: 'dedup', fields }];
    const lines = valid(render(ruleOf(query(stages)), 'kql', { dialect: 'defender' }));
    for (const file of files) {
      const want = await evaluate(stages, file);
      // summarize's output has no order: the rows are handed over in reverse.
      const got = replayDedup(lines, (await evaluate([stages[0]!], file)).reverse());
      expect(want.length).toBeGreaterThan(1);
      expect(sorted(got)).toEqual(sorted(want));
    }
  });
  it('the evaluator keeps the same rows with a table before the dedup as after it (what the KQL order relies on)', async () => {
    const j: Join = { ...joinOf([['process.command_line', 'name']]), origin: undefined };
    const head: Stage[] = [stats(['process.pid', 'host.name', 'process.name']), j];
    const table: Stage = { kind: 'project', mode: 'keep', fields: ['name', 'dest'] };
    for (const file of files) {
      const want = await evaluate([...head, { kind: 'dedup', fields: ['name'] }, table], file);
      expect(want.length).toBeGreaterThan(1);
      expect(await evaluate([...head, table, { kind: 'dedup', fields: ['name'] }], file)).toEqual(want);
    }
  });
  it('through a join that sets a group column: numbered before it, the first by that number', async () => {
    const left = stats(['process.pid', 'host.name', 'process.name']);
    const j: Join = { ...joinOf([['process.command_line', 'name']]), origin: undefined };
    const stages: Stage[] = [left, j, { kind: 'dedup', fields: ['name'] }];
    const lines = valid(render(ruleOf(query(stages)), 'kql', { dialect: 'defender' }));
    const k = lines.findIndex((l) => l === '| extend JoinRowOrder = row_number()');
    for (const file of files) {
      const want = await evaluate(stages, file);
      const numbered = kqlSort((await evaluate([left], file)).reverse(), sortCols(lines[k - 1]!), (c) => c, time).map((r, i) => ({ ...r, JoinRowOrder: i + 1 }));
      // Each pid's partner: its first sub-search row (join-first-table.test.ts checks KQL picks it).
      const partner = new Map<unknown, Row>();
      for (const r of await evaluate(j.query.stages, file)) if (!partner.has(r.pid)) partner.set(r.pid, r);
      const joined = numbered.flatMap((l) => {
        const p = partner.get(l.pid);
        return p ? [{ ...l, ...Object.fromEntries(Object.entries(p).map(([c, v]) => [c, v === null || v === '' ? l[c] : v])) }] : [];
      });
      const got = replayDedup(lines, joined.reverse()).map(({ JoinRowOrder: _, ...r }) => r);
      expect(want.length).toBeGreaterThan(1);
      expect(sorted(got)).toEqual(sorted(want));
    }
  });
});
