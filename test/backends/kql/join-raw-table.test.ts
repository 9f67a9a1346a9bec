/**
 * The partners SPL join max=N takes from a sub-search of events, evaluator against KQL. Splunk
 * hands a search's events over newest first; the evaluator reads them in file order, so the
 * file here is written newest first, as Splunk would return it (over a file in another order the
 * evaluator's "first" rows are other ones: it does not sort events by time). The KQL side replays
 * the rendered sub-search tail (arg_max by the key, or a sort by key, then time descending,
 * numbered per key) over the same events, with their times.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { render } from '../../../src/backends/index.js';
import { compileRules, evaluateFiles } from '../../../src/evaluator/index.js';
import { TRUE, type Aggregate, type Query, type RuleIR, type Stage } from '../../../src/ir/index.js';
import { sysmonProc, writeEvents } from '../../helpers/events.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';

type Row = Record<string, unknown>;
const dir = mkdtempSync(join(tmpdir(), 'rb-kql-join-raw-'));

// host, image, time: per host the names differ, and neither their text nor the record number
// orders them as time does.
const EVENTS: [string, string, string][] = [
  ['h1', 'b.exe', '2026-01-01T00:10:00.000000Z'],
  ['h1', 'a.exe', '2026-01-01T03:20:00.000000Z'],
  ['h1', 'c.exe', '2026-01-01T02:30:00.000000Z'],
  ['h1', 'd.exe', '2026-01-01T00:40:00.000000Z'],
  ['h2', 'y.exe', '2026-01-01T01:00:00.000000Z'],
  ['h2', 'x.exe', '2026-01-01T04:00:00.000000Z'],
];
const newestFirst = [...EVENTS].sort((a, b) => Date.parse(b[2]) - Date.parse(a[2]));
const file = writeEvents(dir, 'procs.jsonl', newestFirst.map(([h, n, t], i) => sysmonProc(i + 1, h, `C:\\w\\${n}`, t)));

const query = (stages: Stage[]): Query => ({ source: { product: 'windows', category: 'process_creation' }, filter: TRUE, stages });
const ruleOf = (q: Query): RuleIR => ({ format: 'splunk', file: 'r.yml', meta: { id: 'r', title: 't', references: [], tags: [], falsepositives: [] }, query: q });
const left: Aggregate = { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'count', as: 'count' }] };
const sub = query([{ kind: 'rename', pairs: [{ from: 'host.name', to: 'dest' }] }, { kind: 'project', mode: 'keep', fields: ['dest', 'process.name'] }]);

async function evaluate(r: RuleIR): Promise<Row[]> {
  const { compiled, diagnostics } = compileRules([r]);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const res = await evaluateFiles(compiled, [file], () => {});
  return res.aggregates.map((a) => ({ ...a.group, ...a.values }));
}

/** The process names the rendered tail keeps for each host, replayed over the events. */
function replay(q: string): Map<string, string[]> {
  const tail = /\| where isnotempty\(JoinRight0\) \| (.*)\) on /.exec(q)![1]!;
  let max: number;
  if (tail === 'summarize arg_max(JoinTime, *) by JoinRight0 | project-away JoinTime') max = 1;
  else {
    const m = /^sort by JoinRight0 asc, JoinTime desc \| extend JoinOrder = row_number\(1, JoinRight0 != prev\(JoinRight0\)\) \| where JoinOrder <= (\d+) \| project-away JoinOrder, JoinTime$/.exec(tail);
    expect(m, tail).not.toBeNull();
    max = Number(m![1]);
  }
  const out = new Map<string, string[]>();
  for (const [h, n] of [...EVENTS].sort((a, b) => Date.parse(b[2]) - Date.parse(a[2]))) {
    const l = out.get(h) ?? [];
    if (l.length < max) out.set(h, [...l, n]);
  }
  return out;
}

describe('kql join max=N over events picks the partners the evaluator picks from events newest first', () => {
  it.each([1, 2, 3])('max=%i', async (max) => {
    const r = ruleOf(query([left, { kind: 'join', type: 'inner', on: ['dest'], overwrite: true, query: sub, ...(max === 1 ? {} : { max }) }]));
    const res = render(r, 'kql', { dialect: 'defender' });
    expect(res.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    if (!KUSTO_SKIP) expect(kustoErrors(res.query!)).toEqual([]);
    const kept = replay(res.query!);
    const got = (await evaluate(r)).map((row) => [row.dest, row['process.name']]);
    // The left rows come in the stats order (by dest), each followed by its partners in order.
    const want = [...kept].sort(([a], [b]) => (a < b ? -1 : 1)).flatMap(([h, names]) => names.map((n) => [h, n]));
    expect(got.length).toBeGreaterThan(max === 1 ? 1 : 3);
    expect(got).toEqual(want);
  });
});
