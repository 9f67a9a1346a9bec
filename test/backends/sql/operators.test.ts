/**
 * Every string operator × case sensitivity × hostile value, on a column and on a JSON field,
 * executed in SQLite and DuckDB: the matching rows are exactly those a plain JS reference of the
 * IR semantics selects (src/ir/nodes.ts, src/ir/glob.ts).
 */
import { beforeAll, describe, it, expect } from 'vitest';
import { globToRegex, not, pred, type PredOp } from '../../../src/ir/index.js';
import { bothEngines, type Engine } from './engines.js';
import { ruleOf, sqlOf } from './rules.js';

const DATA = [
  'abc', 'ABC', 'aBc', 'xabcx', 'a%c', 'a_c', 'abc%', 'a\\c', 'a\\', '\\', "'", "''", '"', '`', "a'b", 'a*c', 'a?c',
  'a[c', 'a]c', 'a[b]c', 'line1\nline2', 'tab\tx', '日本語', 'é', 'É', '%', '_', '', 'a.c', 'a\u2028b', 'trailing \\',
  'ab', 'a', 'emoji😀', 'x\r\ny', '%%', '\\%', 'a\\_c', 'A%C',
];
const FIELDS = ['process.command_line', 'winlog.event_data.Foo'];
const EVENTS = [
  ...DATA.map((s, i) => ({ 'winlog.record_id': String(i), 'process.command_line': s, 'winlog.event_data.Foo': s })),
  { 'winlog.record_id': 'missing' },
];

const VALUES: Record<Exclude<PredOp, 'regex' | 'cidr' | 'lt' | 'le' | 'gt' | 'ge' | 'exists' | 'fieldref' | 'keyword'>, string[]> = {
  eq: ['abc', 'a%c', 'a_c', "'", "''", '"', 'a\\', '\\', 'line1\nline2', '日本語', '', "a'b", '%', '`', 'emoji😀', 'x\r\ny', 'a\\_c'],
  contains: ['b', '%', '_', '\\', "'", '\n', '*', '?', '[', '本', '', '\\%', '"', ']', '\r\n', '\u2028'],
  startswith: ['a', 'a\\', 'a%', 'line1\n', "'", '%', '_', '\\'],
  endswith: ['\\', 'c', '%', '_', "'", 'C', ' \\', '😀'],
  wildcard: ['a?c', 'a*c', 'a\\*c', 'a\\?c', '*\\\\', '?', '*%*', '*_*', 'a[c', 'l*2', '?*', '', 'a?', '*\\', 'a[?]c', '%?', '?\\_?', '*\n*', '??'],
};

/** The IR meaning, in plain JS. */
function reference(op: string, v: string, cs: boolean, s: string | undefined): boolean {
  if (s === undefined) return false;
  const f = (x: string) => (cs ? x : x.toLowerCase());
  switch (op) {
    case 'eq': return f(s) === f(v);
    case 'contains': return f(s).includes(f(v));
    case 'startswith': return f(s).startsWith(f(v));
    case 'endswith': return f(s).endsWith(f(v));
    default: return new RegExp(globToRegex(v), cs ? 's' : 'si').test(s);
  }
}

function expected(op: string, v: string, cs: boolean, negate = false): string[] {
  return EVENTS.filter((e) => reference(op, v, cs, (e as Record<string, string>)['process.command_line']) !== negate).map((e) => e['winlog.record_id']).sort();
}

let engines: Engine[] = [];
beforeAll(async () => { engines = await bothEngines(EVENTS); });

async function ids(eng: Engine, sql: string): Promise<string[]> {
  return (await eng.all(sql)).map((r) => String(r['winlog.record_id'])).sort();
}

describe('sql string operators execute with the IR meaning', () => {
  for (const [op, values] of Object.entries(VALUES)) {
    for (const cs of [false, true]) {
      it(`${op} ${cs ? 'case-sensitive' : 'case-insensitive'}`, async () => {
        for (const eng of engines) {
          for (const field of FIELDS) {
            for (const v of values) {
              const sql = sqlOf(ruleOf(pred(field, op as PredOp, [v], { caseSensitive: cs })), eng.name);
              expect({ v, field, eng: eng.name, got: await ids(eng, sql) }).toEqual({ v, field, eng: eng.name, got: expected(op, v, cs) });
            }
          }
        }
      });
    }
  }

  it('NOT holds for events where the field is missing (two-valued logic)', async () => {
    for (const eng of engines) {
      const sql = sqlOf(ruleOf(not(pred('winlog.event_data.Foo', 'contains', ['b']))), eng.name);
      const got = await ids(eng, sql);
      expect(got).toEqual(expected('contains', 'b', false, true));
      expect(got).toContain('missing');
    }
  });

  it('multi-value lists: any is OR / IN, all is AND', async () => {
    for (const eng of engines) {
      const any = sqlOf(ruleOf(pred('process.command_line', 'eq', ['abc', "a'b", '\\'])), eng.name);
      expect(await ids(eng, any)).toEqual([0, 1, 2, 14, 9].map(String).sort());
      const all = sqlOf(ruleOf(pred('process.command_line', 'contains', ['a', 'c', '%'], { quantifier: 'all' })), eng.name);
      expect(await ids(eng, all)).toEqual(['4', '6', '38'].sort());
    }
  });
});
