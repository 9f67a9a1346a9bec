/** Non-string predicates, long lists and pipeline stages, executed in SQLite and DuckDB. */
import { beforeAll, describe, it, expect } from 'vitest';
import { and, not, pred, type Stage } from '../../../src/ir/index.js';
import { bothEngines, sqliteEngine, duckdbEngine, type Engine } from './engines.js';
import { ruleOf, sqlOf } from './rules.js';
import { render } from '../../../src/backends/index.js';
import { RENAME_CASES } from '../../fixtures/evaluator/rename-cases.js';

const EVENTS = [
  { 'winlog.record_id': '1', '@timestamp': '2024-01-01T00:00:01Z', 'host.name': 'a', 'destination.port': '10', 'user.name': 'Bob', 'source.user.name': 'bob', 'winlog.event_data.Size': '9', 'process.command_line': "it's \\ here" },
  { 'winlog.record_id': '2', '@timestamp': '2024-01-01T00:00:02Z', 'host.name': 'a', 'destination.port': '9', 'user.name': 'bob', 'source.user.name': 'bob', 'winlog.event_data.Size': '10.5', 'process.command_line': 'line\nbreak' },
  { 'winlog.record_id': '3', '@timestamp': '2024-01-01T00:00:03Z', 'host.name': 'b', 'destination.port': 'abc', 'user.name': 'eve', 'winlog.event_data.Size': 'x1', 'process.command_line': 'Line' },
  { 'winlog.record_id': '4', '@timestamp': '2024-01-01T00:00:04Z', 'host.name': 'b', 'user.name': null, 'process.command_line': 'AbC123' },
];

let engines: Engine[] = [];
beforeAll(async () => { engines = await bothEngines(EVENTS); });

async function ids(eng: Engine, sql: string): Promise<string[]> {
  return (await eng.all(sql)).map((r) => String(r['winlog.record_id'])).sort();
}

describe('sql predicates beyond strings', () => {
  it('numeric comparisons cast text and ignore non-numbers (no 0.0 for "abc")', async () => {
    for (const eng of engines) {
      expect(await ids(eng, sqlOf(ruleOf(pred('destination.port', 'lt', [10])), eng.name))).toEqual(['2']);
      expect(await ids(eng, sqlOf(ruleOf(pred('destination.port', 'ge', ['9'])), eng.name))).toEqual(['1', '2']);
      expect(await ids(eng, sqlOf(ruleOf(pred('winlog.event_data.Size', 'gt', [9.5])), eng.name))).toEqual(['2']);
      expect(await ids(eng, sqlOf(ruleOf(not(pred('destination.port', 'gt', [100]))), eng.name))).toEqual(['1', '2', '3', '4']);
    }
  });

  it('exists and eq null', async () => {
    for (const eng of engines) {
      expect(await ids(eng, sqlOf(ruleOf(pred('user.name', 'exists', [true])), eng.name))).toEqual(['1', '2', '3']);
      expect(await ids(eng, sqlOf(ruleOf(pred('user.name', 'exists', [false])), eng.name))).toEqual(['4']);
      expect(await ids(eng, sqlOf(ruleOf(pred('source.user.name', 'eq', [null, 'BOB'])), eng.name))).toEqual(['1', '2', '3', '4']);
      expect(await ids(eng, sqlOf(ruleOf(pred('winlog.event_data.Size', 'eq', [null])), eng.name))).toEqual(['4']);
    }
  });

  it('fieldref compares two fields, with or without case', async () => {
    for (const eng of engines) {
      expect(await ids(eng, sqlOf(ruleOf(pred('user.name', 'fieldref', ['source.user.name'])), eng.name))).toEqual(['1', '2']);
      expect(await ids(eng, sqlOf(ruleOf(pred('user.name', 'fieldref', ['source.user.name'], { caseSensitive: true })), eng.name))).toEqual(['2']);
    }
  });

  it('regex in DuckDB: RE2, unanchored, quotes and backslashes intact, case and flags', async () => {
    const eng = await duckdbEngine(EVENTS);
    expect(await ids(eng, sqlOf(ruleOf(pred('process.command_line', 'regex', ["'s \\\\ h"], { caseSensitive: true })), 'duckdb'))).toEqual(['1']);
    expect(await ids(eng, sqlOf(ruleOf(pred('process.command_line', 'regex', ['^line'], { caseSensitive: true })), 'duckdb'))).toEqual(['2']);
    expect(await ids(eng, sqlOf(ruleOf(pred('process.command_line', 'regex', ['^line'])), 'duckdb'))).toEqual(['2', '3']);
    expect(await ids(eng, sqlOf(ruleOf(pred('process.command_line', 'regex', ['line.break'], { caseSensitive: true })), 'duckdb'))).toEqual([]);
    expect(await ids(eng, sqlOf(ruleOf(pred('process.command_line', 'regex', ['line.break'], { caseSensitive: true, flags: 's' })), 'duckdb'))).toEqual(['2']);
    expect(await ids(eng, sqlOf(ruleOf(pred('process.command_line', 'regex', ['^break'], { caseSensitive: true, flags: 'm' })), 'duckdb'))).toEqual(['2']);
    expect(await ids(eng, sqlOf(ruleOf(pred('process.command_line', 'regex', ['\\d{3}$'])), 'duckdb'))).toEqual(['4']);
  });
});

describe('sql long value lists', () => {
  const values = Array.from({ length: 500 }, (_, i) => `v${i}'%_\\`);
  const many = Array.from({ length: 500 }, (_, i) => ({ 'winlog.record_id': String(i), 'process.command_line': `x ${values[i]} y`, 'process.name': values[i] }));
  it('500-value eq and contains lists run in SQLite (IN list, balanced OR tree)', async () => {
    const eng = sqliteEngine([...many, { 'winlog.record_id': 'none', 'process.command_line': 'v1 %_', 'process.name': 'v1' }]);
    const eqSql = sqlOf(ruleOf(pred('process.name', 'eq', values)), 'sqlite');
    expect(eqSql).toContain('IN (');
    expect((await eng.all(eqSql)).length).toBe(500);
    const cSql = sqlOf(ruleOf(pred('process.command_line', 'contains', values)), 'sqlite');
    expect((await eng.all(cSql)).length).toBe(500);
    const big = Array.from({ length: 1500 }, (_, i) => `w${i}`);
    const bigSql = sqlOf(ruleOf(and([pred('process.command_line', 'contains', big), pred('process.name', 'startswith', big, { caseSensitive: true })])), 'sqlite');
    expect(await eng.all(bigSql)).toEqual([]);
    const d = await duckdbEngine(many);
    expect((await d.all(sqlOf(ruleOf(pred('process.command_line', 'contains', values)), 'duckdb'))).length).toBe(500);
  });
});

describe('sql stages', () => {
  const agg: Stage = { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'host' }], aggs: [{ fn: 'count', as: 'n' }, { fn: 'dc', field: 'user.name', as: 'users' }, { fn: 'count', where: pred('user.name', 'eq', ['bob']), as: 'bobs' }] };
  it('aggregate with HAVING on an aggregate alias', async () => {
    for (const eng of engines) {
      const sql = sqlOf(ruleOf({ kind: 'const', value: true }, [agg, { kind: 'filter', expr: pred('n', 'gt', [1]) }, { kind: 'filter', expr: pred('users', 'lt', [2]) }]), eng.name);
      expect(sql).toContain('HAVING COUNT(*) > 1 AND COUNT(DISTINCT "user.name") < 2');
      expect(await eng.all(sql)).toEqual([{ host: 'b', n: 2, users: 1, bobs: 0 }]);
    }
  });

  it('rename, eval reading an earlier assignment, project, sort and head', async () => {
    const stages: Stage[] = [
      agg,
      { kind: 'rename', pairs: [{ from: 'host', to: 'dest' }] },
      { kind: 'eval', assign: [{ field: 'label', expr: { kind: 'binary', op: '.', left: { kind: 'field', name: 'dest' }, right: { kind: 'lit', value: "'s" } } }, { field: 'label', expr: { kind: 'call', fn: 'upper', args: [{ kind: 'field', name: 'label' }] } }] },
      { kind: 'project', fields: ['label', 'n', 'dest'], mode: 'keep' },
      { kind: 'sort', keys: [{ field: 'dest', desc: true }] },
      { kind: 'head', n: 1 },
    ];
    for (const eng of engines) {
      const sql = sqlOf(ruleOf({ kind: 'const', value: true }, stages), eng.name);
      expect(await eng.all(sql)).toEqual([{ label: "B'S", n: 2, dest: 'b' }]);
    }
  });

  it.each(RENAME_CASES)('rename pairs apply left to right: $name', async ({ columns, pairs, want }) => {
    const stages: Stage[] = [
      agg,
      { kind: 'filter', expr: pred('host', 'eq', ['a']) },
      { kind: 'eval', assign: Object.entries(columns).map(([field, value]) => ({ field, expr: { kind: 'lit', value } })) },
      { kind: 'project', fields: Object.keys(columns), mode: 'keep' },
      { kind: 'rename', pairs },
    ];
    for (const eng of engines) expect(await eng.all(sqlOf(ruleOf({ kind: 'const', value: true }, stages), eng.name))).toEqual([want]);
  });

  it('filter on a JSON field and fillnull before an aggregate', async () => {
    for (const eng of engines) {
      const stages: Stage[] = [
        { kind: 'fillnull', fields: ['user.name'], value: 'unknown' },
        { kind: 'filter', expr: not(pred('winlog.event_data.Size', 'eq', ['9'])) },
        { kind: 'aggregate', groupBy: [{ field: 'user.name', as: 'user' }], aggs: [{ fn: 'count', as: 'count' }] },
        { kind: 'sort', keys: [{ field: 'user', desc: false }] },
      ];
      const sql = sqlOf(ruleOf({ kind: 'const', value: true }, stages), eng.name);
      expect(await eng.all(sql)).toEqual([{ user: 'bob', count: 1 }, { user: 'eve', count: 1 }, { user: 'unknown', count: 1 }]);
    }
  });
});

describe('sql time buckets and ctime of absent fields', () => {
  const TIMED = [
    { 'winlog.record_id': '1', '@timestamp': '2024-01-01T10:05:00Z', 'host.name': 'a' },
    { 'winlog.record_id': '2', '@timestamp': '2024-01-01T10:59:59.900Z', 'host.name': 'a' },
    { 'winlog.record_id': '3', '@timestamp': '2024-01-01T11:00:00Z', 'host.name': 'a' },
  ];
  const FMT = '%Y-%m-%dT%H:%M:%S';
  const stages: Stage[] = [
    { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'count', as: 'count' }], span: { field: '@timestamp', seconds: 3600, as: '_time' } },
    { kind: 'eval', assign: [
      { field: '_time', expr: { kind: 'call', fn: 'strftime', args: [{ kind: 'field', name: '_time' }, { kind: 'lit', value: FMT }] } },
      // ctime of a field the stats did not produce: a no-op, no column
      { field: 'firstTime', expr: { kind: 'call', fn: 'strftime', args: [{ kind: 'field', name: 'firstTime' }, { kind: 'lit', value: FMT }] } },
    ] },
    { kind: 'sort', keys: [{ field: '_time', desc: false }] },
  ];
  it('span=1h groups by epoch-aligned hour buckets in SQLite and DuckDB', async () => {
    for (const eng of await bothEngines(TIMED)) {
      const r = render(ruleOf({ kind: 'const', value: true }, stages), 'sql', { dialect: eng.name });
      expect(r.diagnostics).toEqual([]);
      expect(await eng.all(r.query!)).toEqual([
        { dest: 'a', count: 2, _time: '2024-01-01T10:00:00' },
        { dest: 'a', count: 1, _time: '2024-01-01T11:00:00' },
      ]);
    }
  });
  it('span over a text field is RB401', () => {
    const bad: Stage = { kind: 'aggregate', groupBy: [], aggs: [{ fn: 'count', as: 'count' }], span: { field: 'host.name', seconds: 60, as: '_time' }, origin: { file: 'rules/t.yml', line: 3, column: 4 } };
    const r = render(ruleOf({ kind: 'const', value: true }, [bad]), 'sql');
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB401', 3, 4]]);
  });
});

describe('sql IPv4 cidr as text', () => {
  const ADDR = ['10.1.2.3', '10.255.255.255', '11.0.0.1', '172.16.0.1', '172.31.255.255', '172.32.0.1', '172.15.9.9', '192.168.1.7', '192.168.10.7', '10.1.2', 'x10.1.2.3', '10.1.2.3.4', '10.a.b.c', '1.2.3.4', '::1'];
  const EV = ADDR.map((a, i) => ({ 'winlog.record_id': String(i), 'source.ip': a }));
  const cases: [string[], string[]][] = [
    [['10.0.0.0/8'], ['10.1.2.3', '10.255.255.255']],
    [['172.16.0.0/12'], ['172.16.0.1', '172.31.255.255']],
    [['192.168.1.0/24', '1.2.3.4/32'], ['192.168.1.7', '1.2.3.4']],
    [['192.168.1.4/30'], ['192.168.1.7']],
    [['0.0.0.0/0'], ['10.1.2.3', '10.255.255.255', '11.0.0.1', '172.16.0.1', '172.31.255.255', '172.32.0.1', '172.15.9.9', '192.168.1.7', '192.168.10.7', '1.2.3.4']],
  ];
  it('IPv6: ::1/128 and first-hextet prefixes (fe80::/10, fc00::/7), any letter case', async () => {
    const V6 = ['::1', '0:0:0:0:0:0:0:1', 'fe80::1', 'FE80::abcd%12', 'febf:1::', 'fec0::1', 'fc00::1', 'fdff:ffff::', 'fe00::', '::2', '10.0.0.1', 'f:fe80::'];
    const ev = V6.map((a, i) => ({ 'winlog.record_id': String(i), 'source.ip': a }));
    for (const eng of await bothEngines(ev)) {
      for (const [nets, want] of [
        [['::1/128'], ['::1', '0:0:0:0:0:0:0:1']],
        [['fe80::/10'], ['fe80::1', 'FE80::abcd%12', 'febf:1::']],
        [['fc00::/7', '10.0.0.0/8'], ['fc00::1', 'fdff:ffff::', '10.0.0.1']],
      ] as [string[], string[]][]) {
        const rows = await eng.all(sqlOf(ruleOf(pred('source.ip', 'cidr', nets)), eng.name));
        expect({ nets, got: rows.map((r) => r['source.ip']).sort() }).toEqual({ nets, got: [...want].sort() });
      }
    }
  });

  it('matches exactly the addresses of the network in SQLite and DuckDB', async () => {
    for (const eng of await bothEngines(EV)) {
      for (const [nets, want] of cases) {
        const rows = await eng.all(sqlOf(ruleOf(pred('source.ip', 'cidr', nets)), eng.name));
        expect({ nets, got: rows.map((r) => r['source.ip']).sort() }).toEqual({ nets, got: [...want].sort() });
      }
    }
  });
});

describe('sql timestamp parts (Sigma |hour …), UTC, ISO week', () => {
  // 2021-01-03 is a Sunday in ISO week 53 of 2020; 2021-01-04 starts week 1.
  const EV = [
    { 'winlog.record_id': '1', '@timestamp': '2021-01-03T23:59:30.5Z' },
    { 'winlog.record_id': '2', '@timestamp': '2021-01-04T00:00:00Z' },
    { 'winlog.record_id': '3', '@timestamp': '2024-12-30T03:04:05Z' },
    { 'winlog.record_id': '4' },
  ];
  const cases: [Parameters<typeof pred>[1], 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year', (number | string)[], string[]][] = [
    ['eq', 'week', [53], ['1']],
    ['eq', 'week', [1], ['2', '3']],
    ['eq', 'hour', ['3', 23], ['1', '3']],
    ['lt', 'minute', [5], ['2', '3']],
    ['ge', 'day', [4], ['2', '3']],
    ['eq', 'month', [12], ['3']],
    ['gt', 'year', [2021], ['3']],
  ];
  it('compares the part as a number in SQLite and DuckDB', async () => {
    for (const eng of await bothEngines(EV)) {
      for (const [op, part, values, want] of cases) {
        const rows = await eng.all(sqlOf(ruleOf(pred('@timestamp', op, values, { part })), eng.name));
        expect({ op, part, values, got: rows.map((r) => String(r['winlog.record_id'])).sort() }).toEqual({ op, part, values, got: want });
      }
    }
  });
});

describe('sql dedup', () => {
  it('keeps the earliest row of each key and drops rows without the key, in SQLite and DuckDB', async () => {
    const EV = [
      { 'winlog.record_id': '1', '@timestamp': '2024-01-01T00:00:03Z', 'host.name': 'a', 'winlog.event_data.K': 'x' },
      { 'winlog.record_id': '2', '@timestamp': '2024-01-01T00:00:01Z', 'host.name': 'a', 'winlog.event_data.K': 'x' },
      { 'winlog.record_id': '3', '@timestamp': '2024-01-01T00:00:02Z', 'host.name': 'a', 'winlog.event_data.K': 'y' },
      { 'winlog.record_id': '4', '@timestamp': '2024-01-01T00:00:00Z', 'host.name': 'b' },
    ];
    for (const eng of await bothEngines(EV)) {
      const sql = sqlOf(ruleOf({ kind: 'const', value: true }, [{ kind: 'dedup', fields: ['host.name', 'winlog.event_data.K'] }]), eng.name);
      const rows = await eng.all(sql);
      expect(rows.map((r) => r['winlog.record_id']).sort()).toEqual(['2', '3']);
      expect(Object.keys(rows[0]!)).not.toContain('rb_dedup_row');
    }
  });
});

describe('sql values()', () => {
  it('distinct non-null values, sorted: a JSON array in SQLite, a LIST in DuckDB', async () => {
    const EV = [
      { 'host.name': 'a', 'user.name': 'zed' }, { 'host.name': 'a', 'user.name': "o'neil" }, { 'host.name': 'a', 'user.name': 'zed' },
      { 'host.name': 'a' }, { 'host.name': 'b', 'user.name': 'Bob' },
    ];
    const stages: Stage[] = [
      { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'values', field: 'user.name', as: 'users' }, { fn: 'values', field: 'user.name', where: pred('user.name', 'startswith', ['z']), as: 'z' }] },
      { kind: 'sort', keys: [{ field: 'dest', desc: false }] },
    ];
    const [lite, duck] = await bothEngines(EV);
    expect(await lite!.all(sqlOf(ruleOf({ kind: 'const', value: true }, stages), 'sqlite'))).toEqual([
      { dest: 'a', users: `["o'neil","zed"]`, z: '["zed"]' },
      { dest: 'b', users: '["Bob"]', z: '[]' },
    ]);
    expect(await duck!.all(sqlOf(ruleOf({ kind: 'const', value: true }, stages), 'duckdb'))).toEqual([
      { dest: 'a', users: ["o'neil", 'zed'], z: ['zed'] },
      { dest: 'b', users: ['Bob'], z: null },
    ]);
    const having: Stage = { kind: 'filter', expr: pred('users', 'eq', ['zed'], { origin: { file: 'rules/t.yml', line: 4, column: 2 } }) };
    const r = render(ruleOf({ kind: 'const', value: true }, [stages[0]!, having]), 'sql');
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB401', 4, 2]]);
  });
});

describe('sql earliest() and latest()', () => {
  it('the non-null value at the first and last time, in SQLite and DuckDB', async () => {
    const EV = [
      { '@timestamp': '2024-01-01T00:00:02.000001Z', 'host.name': 'a', 'user.name': 'mid' },
      { '@timestamp': '2024-01-01T00:00:01Z', 'host.name': 'a' },
      { '@timestamp': '2024-01-01T00:00:02Z', 'host.name': 'a', 'user.name': "first'" },
      { '@timestamp': '2024-01-01T00:00:09Z', 'host.name': 'a', 'user.name': 'last' },
      { '@timestamp': '2024-01-01T00:00:10Z', 'host.name': 'a' },
    ];
    const agg: Stage = { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'earliest', field: 'user.name', as: 'e' }, { fn: 'latest', field: 'user.name', as: 'l' }] };
    for (const eng of await bothEngines(EV)) {
      expect(await eng.all(sqlOf(ruleOf({ kind: 'const', value: true }, [agg]), eng.name))).toEqual([{ dest: 'a', e: "first'", l: 'last' }]);
    }
  });
});

describe('sql functions: match(), case(), trim()', () => {
  it('run in DuckDB and SQLite (REGEXP); match() of a non-literal regex is RB401', async () => {
    const EV = [{ 'winlog.record_id': '1', 'process.command_line': " Run'x " }, { 'winlog.record_id': '2', 'process.command_line': 'run' }];
    const f = { kind: 'field', name: 'process.command_line' } as const;
    const where = { kind: 'test', expr: { kind: 'call', fn: 'match', args: [f, { kind: 'lit', value: "R.n'" }] }, origin: { file: 'rules/t.yml', line: 5, column: 9 } } as const;
    const label: Stage = { kind: 'eval', assign: [{ field: 'label', expr: { kind: 'call', fn: 'case', args: [{ kind: 'binary', op: '=', left: { kind: 'call', fn: 'trim', args: [f] }, right: { kind: 'lit', value: "Run'x" } }, { kind: 'lit', value: 'trimmed' }, { kind: 'lit', value: true }, { kind: 'lit', value: 'other' }] } }] };
    const project: Stage = { kind: 'project', fields: ['winlog.record_id', 'label'], mode: 'keep' };
    const eng = await duckdbEngine(EV);
    expect(await eng.all(sqlOf(ruleOf(where, [label, project]), 'duckdb'))).toEqual([{ 'winlog.record_id': '1', label: 'trimmed' }]);
    expect(await eng.all(sqlOf(ruleOf({ kind: 'const', value: true }, [label, project, { kind: 'sort', keys: [{ field: 'winlog.record_id', desc: false }] }]), 'duckdb'))).toEqual([
      { 'winlog.record_id': '1', label: 'trimmed' }, { 'winlog.record_id': '2', label: 'other' },
    ]);
    expect(await sqliteEngine(EV).all(sqlOf(ruleOf(where, [label, project]), 'sqlite'))).toEqual([{ 'winlog.record_id': '1', label: 'trimmed' }]);
    const dyn = { ...where, expr: { ...where.expr, args: [f, f] } };
    const r = render(ruleOf(dyn), 'sql');
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB401', 5, 9]]);
  });
});

describe('keyword (value-only) searches', () => {
  const EV = [
    { 'winlog.record_id': '1', 'process.command_line': 'run Mimikatz now', 'winlog.channel': 'Security', 'event.code': '4688' },
    { 'winlog.record_id': '2', 'winlog.event_data.Message': "it's sekurlsa::logonpasswords", 'winlog.channel': 'Security', 'event.code': '4688' },
    { 'winlog.record_id': '3', 'winlog.event_data.Message': 'benign 100%', 'winlog.channel': 'Security', 'event.code': '4688' },
  ];
  const ids = (rows: Record<string, unknown>[]) => rows.map((r) => r['winlog.record_id']).sort();
  it('match a glob in any text column or any value of the JSON column, case-insensitively', async () => {
    for (const eng of await bothEngines(EV)) {
      expect(ids(await eng.all(sqlOf(ruleOf(pred('', 'keyword', ['*mimikatz*'])), eng.name)))).toEqual(['1']);
      expect(ids(await eng.all(sqlOf(ruleOf(pred('', 'keyword', ["*it's sekurlsa::*", '*MIMI*'])), eng.name)))).toEqual(['1', '2']);
      expect(ids(await eng.all(sqlOf(ruleOf(pred('', 'keyword', ['benign 1_0%'])), eng.name)))).toEqual([]);
      expect(ids(await eng.all(sqlOf(ruleOf(pred('', 'keyword', ['benign 1?0%'])), eng.name)))).toEqual(['3']);
      expect(ids(await eng.all(sqlOf(ruleOf(pred('', 'keyword', ['*mimikatz*', '*now'], { quantifier: 'all' })), eng.name)))).toEqual(['1']);
      expect(ids(await eng.all(sqlOf(ruleOf(pred('', 'keyword', ['*mimikatz*'], { caseSensitive: true })), eng.name)))).toEqual([]);
    }
  });
  it('is RB401 after a stage (no event table to search)', () => {
    const origin = { file: 'rules/t.yml', line: 4, column: 7 };
    const later = render(ruleOf({ kind: 'const', value: true }, [{ kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'h' }], aggs: [{ fn: 'count', as: 'n' }] }, { kind: 'filter', expr: pred('', 'keyword', ['x'], { origin }) }]), 'sql');
    expect(later.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB401', 4, 7]]);
  });
  it('reads the JSON values through json_each (SQLite, DuckDB), jsonb_each_text (PostgreSQL), exists(map_values(…)) (Spark)', () => {
    const q = (dialect: string) => sqlOf(ruleOf(pred('', 'keyword', ['*x*'])), dialect);
    // Each value is read element by element (a list is JSON array text: see MULTI_VALUED).
    expect(q('sqlite')).toContain(`EXISTS (SELECT 1 FROM json_each("event_data") AS j WHERE (CASE WHEN substr(j.value, 1, 1) = '[' AND json_valid(j.value) AND json_type(j.value) = 'array' THEN EXISTS (SELECT 1 FROM json_each(j.value) AS rb_k WHERE lower(rb_k.value) LIKE lower('%x%') ESCAPE '\\') ELSE lower(j.value) LIKE lower('%x%') ESCAPE '\\' END))`);
    expect(q('duckdb')).toContain(`EXISTS (SELECT 1 FROM json_each("event_data") AS j WHERE (CASE WHEN starts_with((j.value ->> '$'), '[') AND json_valid((j.value ->> '$')) AND json_type((j.value ->> '$')) = 'ARRAY' THEN len(list_filter(from_json((j.value ->> '$'), '["VARCHAR"]'), lambda rb_k: rb_k ILIKE '%x%' ESCAPE '\\')) > 0 ELSE (j.value ->> '$') ILIKE '%x%' ESCAPE '\\' END))`);
    expect(q('postgres')).toContain('EXISTS (SELECT 1 FROM jsonb_each_text(CAST("event_data" AS jsonb)) AS j WHERE EXISTS (SELECT 1 FROM jsonb_array_elements_text(');
    expect(q('spark')).toContain("exists(map_values(from_json(`event_data`, 'map<string,string>')), v -> exists(CASE WHEN v RLIKE '^\\\\s*\\\\[' THEN coalesce(from_json(v, 'array<string>'), array(v)) ELSE array(v) END, rb_k -> lower(rb_k) LIKE lower('%x%') ESCAPE '\\\\'))");
  });
});

describe('placeholders (Sigma |expand lists) read from the placeholders table', () => {
  const EV = [
    { 'winlog.record_id': '1', 'user.name': 'CORP\\Admin1' },
    { 'winlog.record_id': '2', 'user.name': 'svc_backup' },
    { 'winlog.record_id': '3', 'user.name': 'guest' },
    { 'winlog.record_id': '4' },
  ];
  const LISTS = { admins: ['corp\\admin1', 'root'], prefixes: ['svc_'], parts: ['ues'], '100%_odd': ['gue_t'] };
  const ids = (rows: Record<string, unknown>[]) => rows.map((r) => r['winlog.record_id']).sort();
  it('compare by refOp, case-insensitively unless cased; entries are literal', async () => {
    for (const eng of await bothEngines(EV, LISTS)) {
      const q = (refOp: 'eq' | 'contains' | 'startswith' | 'endswith' | undefined, list: string, caseSensitive = false) =>
        eng.all(sqlOf(ruleOf(pred('user.name', 'placeholder', [list], { caseSensitive, ...(refOp ? { refOp } : {}) })), eng.name));
      expect(ids(await q(undefined, 'admins'))).toEqual(['1']);
      expect(ids(await q('eq', 'admins', true))).toEqual([]);
      expect(ids(await q('startswith', 'prefixes'))).toEqual(['2']);
      expect(ids(await q('contains', 'parts'))).toEqual(['3']);
      expect(ids(await q('endswith', 'parts'))).toEqual([]);
      expect(ids(await q('eq', '100%_odd'))).toEqual([]);
      expect(ids(await q('eq', 'no such list'))).toEqual([]);
      const neg = await eng.all(sqlOf(ruleOf(not(pred('user.name', 'placeholder', ['admins']))), eng.name));
      expect(ids(neg)).toEqual(['2', '3', '4']);
    }
  });
});
