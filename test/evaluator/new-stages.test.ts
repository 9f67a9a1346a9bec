/** The stages that need more than one event at a time: lookup, eventstats, mvexpand, join, correlation inputs, sequence; placeholders. */
import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { INPUT_FIELD, pred, TRUE, type Expr, type Query, type QueryInput, type RuleIR, type Stage } from '../../src/ir/index.js';
import { compileRules, evaluateFiles, parseCsv, type Match } from '../../src/evaluator/index.js';
import { sysmonProc, writeEvents } from '../helpers/events.js';

const LOOKUPS = join(__dirname, '..', 'fixtures', 'events', 'lookups');
const dir = mkdtempSync(join(tmpdir(), 'rb-new-stages-'));
const file = (name: string, events: Record<string, unknown>[]): string => writeEvents(dir, name, events);
const proc = sysmonProc;
// line: 1 x@h1 00:10, 2 y@h1 00:50, 3 x@h2 01:05, 4 x@h1 01:20, 5 Z@h2 01:30 (upper case path), 6 a PowerShell event
const EVENTS = file('procs.jsonl', [
  proc(1, 'h1', 'C:\\a\\x.exe', '2026-01-01T00:10:00.000000Z', { CommandLine: 'x.exe a,b,c' }),
  proc(2, 'h1', 'C:\\a\\y.exe', '2026-01-01T00:50:00.000000Z', { CommandLine: 'y.exe' }),
  proc(3, 'h2', 'C:\\a\\x.exe', '2026-01-01T01:05:00.000000Z'),
  proc(4, 'h1', 'C:\\a\\x.exe', '2026-01-01T01:20:00.000000Z'),
  proc(5, 'h2', 'C:\\A\\Z.EXE', '2026-01-01T01:30:00.000000Z'),
  { EventID: 4104, Channel: 'Microsoft-Windows-PowerShell/Operational', Computer: 'h3', SystemTime: '2026-01-01T02:00:00Z', ScriptBlockText: 'IEX x' },
]);
const at = (line: number, column: number) => ({ file: 'r.yml', line, column });

function rule(stages: Stage[], filter: Expr = TRUE, extra: Partial<Query> = {}): RuleIR {
  return { format: 'sigma', file: 'r.yml', meta: { id: 'r1', title: 't', references: [], tags: [], falsepositives: [] }, query: { source: { product: 'windows', category: 'process_creation' }, filter, stages, ...extra } };
}
async function run(r: RuleIR, opts: Parameters<typeof compileRules>[1] = { lookups: [LOOKUPS] }) {
  const { compiled, diagnostics } = compileRules([r], opts);
  const matches: Match[] = [];
  const res = await evaluateFiles(compiled, [EVENTS], (m) => matches.push(m));
  return { ...res, lines: matches.map((m) => m.line), rows: res.aggregates.map((a) => ({ ...a.group, ...a.values })), compileDiagnostics: diagnostics, compiled };
}
const byName = (as: Record<string, string>): Stage => ({ kind: 'aggregate', groupBy: [{ field: 'process.name', as: 'name' }], aggs: Object.entries(as).map(([k, v]) => ({ fn: 'first', field: v, as: k })) });
const where = (e: Expr): Stage => ({ kind: 'filter', expr: e });

describe('lookup', () => {
  it('parses quoted CSV cells', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n\nz,\n')).toEqual([['a', 'b'], ['x, y', 'say "hi"'], ['z', '']]);
  });

  it('resolves a name through its definition, matches case-insensitively, lists several matching rows, fills default_match', async () => {
    const r = await run(rule([
      { kind: 'lookup', table: 'bad_tools', keys: [{ field: 'process.name', column: 'tool' }], outputs: [{ column: 'is_bad', as: 'bad' }], caseSensitive: false },
      byName({ bad: 'bad' }),
    ]));
    expect(r.compileDiagnostics).toEqual([]);
    expect(r.rows).toEqual([{ name: 'Z.EXE', bad: 'false' }, { name: 'x.exe', bad: 'true' }, { name: 'y.exe', bad: ['true', 'maybe'] }]);
  });

  it('keeps the first rows in table order up to the definition\'s max_matches', async () => {
    const r = await run(rule([
      { kind: 'lookup', table: 'first_tool', keys: [{ field: 'process.name', column: 'tool' }], outputs: [{ column: 'is_bad', as: 'bad' }], caseSensitive: false },
      byName({ bad: 'bad' }),
    ]));
    expect(r.compileDiagnostics).toEqual([]);
    // y.exe has two rows (true, maybe): max_matches 1 keeps the first; Z.EXE has none and no default.
    expect(r.rows).toEqual([{ name: 'Z.EXE', bad: null }, { name: 'x.exe', bad: 'true' }, { name: 'y.exe', bad: 'true' }]);
  });

  it('matches wildcard columns (match_type WILDCARD) as globs; ? and \\ stay literal', async () => {
    const r = await run(rule([
      { kind: 'lookup', table: 'bad_tools', keys: [{ field: 'process.executable', column: 'pattern' }], outputs: [{ column: 'note', as: 'note' }], caseSensitive: false },
      byName({ note: 'note' }),
    ]));
    // Z.EXE matches no pattern: min_matches 1 with default_match gives 'false'.
    expect(r.rows).toEqual([{ name: 'Z.EXE', note: 'false' }, { name: 'x.exe', note: 'seen, twice' }, { name: 'y.exe', note: 'quoted "note"' }]);
  });

  it('is case-sensitive when the stage says so; a table without a definition outputs nothing on a miss', async () => {
    const mk = (cs: boolean) => rule([
      { kind: 'lookup', table: 'hosts', keys: [{ field: 'host.name', column: 'host' }], outputs: [{ column: 'owner', as: 'owner' }], caseSensitive: cs },
      { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'host' }], aggs: [{ fn: 'values', field: 'owner', as: 'owner' }] },
    ]);
    expect((await run(mk(true))).rows).toEqual([{ host: 'h1', owner: ['alice'] }, { host: 'h2', owner: [] }]);
    expect((await run(mk(false))).rows).toEqual([{ host: 'h1', owner: ['alice'] }, { host: 'h2', owner: ['bob'] }]);
  });

  it('outputs every non-key column when none is named', async () => {
    const r = await run(rule([{ kind: 'lookup', table: 'hosts', keys: [{ field: 'host.name', column: 'host' }], outputs: [], caseSensitive: false }, where(pred('owner', 'eq', ['bob']))]));
    expect(r.lines).toEqual([3, 5]);
  });

  it('reports a missing table, a KV store lookup and a missing column at the stage (RB506), and refuses to run the rule', async () => {
    for (const [table, col] of [['nosuch', 'tool'], ['kvstore_only', 'a'], ['bad_tools', 'nosuch']] as const) {
      const r = await run(rule([{ kind: 'lookup', table, keys: [{ field: 'process.name', column: col }], outputs: [], caseSensitive: false, origin: at(7, 12) }]));
      expect(r.compileDiagnostics.map((d) => [d.code, d.file, d.line, d.column])).toEqual([['RB506', 'r.yml', 7, 12]]);
      expect(r.compiled).toEqual([]);
    }
    const none = await run(rule([{ kind: 'lookup', table: 'hosts', keys: [], outputs: [], caseSensitive: false, origin: at(3, 1) }]), {});
    expect(none.compileDiagnostics[0]!.message).toMatch(/--lookups/);
  });
});

describe('eventstats and mvexpand', () => {
  it('eventstats adds per-group aggregates to every row and keeps the rows', async () => {
    const r = await run(rule([
      { kind: 'eventstats', groupBy: [{ field: 'host.name', as: 'host.name' }], aggs: [{ fn: 'count', as: 'n' }, { fn: 'dc', field: 'process.name', as: 'names' }] },
      where(pred('n', 'ge', [3])),
    ]));
    expect(r.lines).toEqual([1, 2, 4]);
    const r2 = await run(rule([
      { kind: 'eventstats', groupBy: [{ field: 'host.name', as: 'host.name' }], aggs: [{ fn: 'dc', field: 'process.name', as: 'names' }] },
      where(pred('names', 'eq', [2])), { kind: 'head', n: 10 },
    ]));
    expect(r2.lines).toEqual([1, 2, 3, 4, 5]);
  });

  it('mvexpand makes one row per list element and passes other rows', async () => {
    const r = await run(rule([
      { kind: 'eval', assign: [{ field: 'parts', expr: { kind: 'call', fn: 'split', args: [{ kind: 'call', fn: 'substr', args: [{ kind: 'field', name: 'process.command_line' }, { kind: 'lit', value: 7 }] }, { kind: 'lit', value: ',' }] } }] },
      { kind: 'mvexpand', field: 'parts' },
      { kind: 'aggregate', groupBy: [{ field: 'parts', as: 'part' }], aggs: [{ fn: 'count', as: 'n' }] },
    ]));
    // x.exe's 'a,b,c' gives three rows; y.exe's empty rest one row ''; events without a command line pass unchanged.
    expect(r.rows).toEqual([{ part: null, n: 3 }, { part: '', n: 1 }, { part: 'a', n: 1 }, { part: 'b', n: 1 }, { part: 'c', n: 1 }]);
  });
});

describe('join', () => {
  const sub = (stages: Stage[]): Query => ({ source: { product: 'windows', category: 'process_creation' }, filter: pred('process.name', 'eq', ['y.exe']), stages });
  const ycount: Stage = { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'host.name' }], aggs: [{ fn: 'count', as: 'ycount' }] };

  it('inner keeps the rows with a partner and adds its fields', async () => {
    const r = await run(rule([{ kind: 'join', type: 'inner', on: ['host.name'], overwrite: true, query: sub([ycount]) }, where(pred('ycount', 'eq', [1]))]));
    expect(r.lines).toEqual([1, 2, 4]);
  });

  it('left keeps every row', async () => {
    const r = await run(rule([{ kind: 'join', type: 'left', on: ['host.name'], overwrite: true, query: sub([ycount]) }]));
    expect(r.lines).toEqual([1, 2, 3, 4, 5]);
  });

  it('overwrite decides whose value a clashing field keeps', async () => {
    const tag = (v: string): Stage => ({ kind: 'eval', assign: [{ field: 'tag', expr: { kind: 'lit', value: v } }] });
    for (const [overwrite, want] of [[true, [1, 2, 4]], [false, []]] as const) {
      const r = await run(rule([tag('main'), { kind: 'join', type: 'inner', on: ['host.name'], overwrite, query: sub([tag('sub')]) }, where(pred('tag', 'eq', ['sub']))]));
      expect(r.lines).toEqual(want);
    }
  });

  it('max: the first max partners (0 = all), one row per partner', async () => {
    const all = (max?: number) => rule([
      { kind: 'join', type: 'inner', on: ['host.name'], overwrite: true, query: { ...sub([]), filter: pred('process.name', 'eq', ['x.exe']) }, ...(max === undefined ? {} : { max }) },
      { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'host' }], aggs: [{ fn: 'count', as: 'n' }] },
    ]);
    // h1 has 3 process events and 2 x.exe partners; h2 has 2 events and 1 partner
    expect((await run(all())).rows).toEqual([{ host: 'h1', n: 3 }, { host: 'h2', n: 2 }]);
    expect((await run(all(0))).rows).toEqual([{ host: 'h1', n: 6 }, { host: 'h2', n: 2 }]);
    expect((await run(all(2))).rows).toEqual([{ host: 'h1', n: 6 }, { host: 'h2', n: 2 }]);
  });

  it('a sub-query error is reported at its own position', async () => {
    const bad = { ...sub([]), source: { product: 'linux', category: 'process_creation', origin: at(9, 5) } };
    const r = await run(rule([{ kind: 'join', type: 'inner', on: ['host.name'], overwrite: true, query: bad }]));
    expect(r.compileDiagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB504', 9, 5]]);
  });
});

describe('correlations (inputs) and sequence', () => {
  const input = (name: string, filter: Expr): QueryInput => ({ name, source: { product: 'windows', category: 'process_creation' }, filter, aliases: [{ as: 'host', field: 'host.name' }] });
  const X = input('X', pred('process.name', 'eq', ['x.exe']));
  const Y = input('Y', pred('process.name', 'eq', ['y.exe']));
  const ALL = input('ALL', pred('process.executable', 'contains', ['\\a\\']));
  const corr = (inputs: QueryInput[], stages: Stage[]) => rule(stages, TRUE, { source: {}, inputs });

  it('tags each event with the inputs it matches (one event may feed several) and copies aliases', async () => {
    const r = await run(corr([X, Y, ALL], [{ kind: 'aggregate', groupBy: [{ field: INPUT_FIELD, as: 'input' }, { field: 'host', as: 'host' }], aggs: [{ fn: 'count', as: 'n' }] }]));
    expect(r.rows).toEqual([
      { input: 'ALL', host: 'h1', n: 3 }, { input: 'ALL', host: 'h2', n: 2 },
      { input: 'X', host: 'h1', n: 2 }, { input: 'X', host: 'h2', n: 1 }, { input: 'Y', host: 'h1', n: 1 },
    ]);
    // an event that fed two inputs is one match
    expect(r.lines).toEqual([1, 2, 3, 4, 5]);
  });

  it('sequence: steps in order per key within maxspan, one row per completed sequence', async () => {
    const seq = (steps: string[], maxspan: number) => corr([X, Y], [{ kind: 'sequence', by: ['host'], maxspan, steps }]);
    expect((await run(seq(['X', 'Y'], 3600))).rows).toEqual([{ host: 'h1' }]);
    expect((await run(seq(['X', 'Y'], 1800))).rows).toEqual([]); // 00:10 → 00:50 is 40 minutes
    expect((await run(seq(['Y', 'X'], 1800))).rows).toEqual([{ host: 'h1' }]); // 00:50 → 01:20
    expect((await run(seq(['X', 'X'], 0))).rows).toEqual([{ host: 'h1' }]); // h1: x, x; h2: one x
    expect((await run(seq(['Y', 'Y'], 0))).rows).toEqual([]);
    const r = await run(seq(['X', 'Y'], 3600));
    expect(r.aggregates.map((a) => a.group)).toEqual([{ host: 'h1' }]);
    expect(r.lines).toEqual([1, 2, 3, 4]); // the events that entered an input
  });

  it('runs deterministically', async () => {
    const r = corr([X, Y, ALL], [{ kind: 'sequence', by: ['host'], maxspan: 0, steps: ['ALL', 'X'] }]);
    const a = await run(r), b = await run(r);
    // On h2 the one x.exe event enters X before ALL (input order breaks the time tie): no ALL precedes an X.
    expect(a.rows).toEqual([{ host: 'h1' }]);
    expect(b.rows).toEqual(a.rows);
  });
});

describe('replays', () => {
  it('a file read twice gives each match twice, also for a rule that matches one event', async () => {
    const { compiled } = compileRules([rule([], pred('process.name', 'eq', ['y.exe']))]);
    const lines: number[] = [];
    const res = await evaluateFiles(compiled, [EVENTS, EVENTS], (m) => lines.push(m.line));
    expect(lines).toEqual([2, 2]);
    expect(res.summary.events).toBe(12);
  });
});

describe('placeholders', () => {
  const ph = rule([], pred('process.name', 'placeholder', ['tools'], { refOp: 'endswith', origin: at(4, 9) }));
  it('are refused without values (RB504 at the predicate)', async () => {
    const r = await run(ph);
    expect(r.compileDiagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB504', 4, 9]]);
  });
  it('compare by refOp to the values given', async () => {
    expect((await run(ph, { placeholders: { tools: ['y.exe', 'z.exe'] } })).lines).toEqual([2, 5]);
  });
});
