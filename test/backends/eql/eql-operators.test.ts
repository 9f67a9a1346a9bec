import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { and, not, or, pred, type Pred, type PredOp } from '../../../src/ir/index.js';
import { eqlLiterals, evalEql, parseEql } from '../../helpers/eql-parse.js';
import { AT, HOSTILE, ruleOf } from './helpers.js';

function eql(p: Pred): string {
  const out = render(ruleOf(p), 'eql');
  expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(out.ok).toBe(true);
  return out.query!;
}

/** The condition of a process_creation query without its `event.type == "start" and` prefix. */
function cond(p: Pred): string {
  const q = eql(p);
  const prefix = 'process where host.os.type == "windows" and event.type == "start" and ';
  expect(q.startsWith(prefix)).toBe(true);
  return q.slice(prefix.length);
}

describe('eql operator table', () => {
  const rows: [string, Pred, string][] = [
    ['eq ci', pred('process.name', 'eq', ['cmd.exe']), 'process.name : "cmd.exe"'],
    ['eq cs', pred('process.name', 'eq', ['cmd.exe'], { caseSensitive: true }), 'process.name == "cmd.exe"'],
    ['eq ci list', pred('process.name', 'eq', ['a', 'b']), 'process.name : ("a", "b")'],
    ['eq cs list', pred('process.name', 'eq', ['a', 'b'], { caseSensitive: true }), 'process.name in ("a", "b")'],
    ['eq ci with a literal *', pred('process.name', 'eq', ['a*b']), 'process.name in~ ("a*b")'],
    ['eq null', pred('user.name', 'eq', [null]), '?user.name == null'],
    ['eq number on a keyword field', pred('event.code', 'eq', [1]), 'event.code == "1"'],
    ['eq number', pred('process.pid', 'eq', [4]), 'process.pid == 4'],
    ['eq boolean', pred('process.interactive', 'eq', [true]), 'process.interactive == true'],
    ['contains ci', pred('process.command_line', 'contains', [' /y']), 'process.command_line : "* /y*"'],
    ['contains cs', pred('process.command_line', 'contains', ['/Y'], { caseSensitive: true }), 'process.command_line like "*/Y*"'],
    ['contains all', pred('process.command_line', 'contains', ['a', 'b'], { quantifier: 'all' }), 'process.command_line : "*a*" and process.command_line : "*b*"'],
    ['startswith', pred('process.executable', 'startswith', ['C:\\Temp\\']), 'process.executable : "C:\\\\Temp\\\\*"'],
    ['endswith', pred('process.executable', 'endswith', ['\\cmd.exe']), 'process.executable : "*\\\\cmd.exe"'],
    ['wildcard ? and *', pred('process.name', 'wildcard', ['a?c*.exe']), 'process.name : "a?c*.exe"'],
    ['wildcard with an escaped *', pred('process.name', 'wildcard', ['a\\*b*']), 'process.name regex~ "a\\\\*b.*"'],
    ['contains a literal ?', pred('process.name', 'contains', ['a?b'], { caseSensitive: true }), 'process.name regex ".*a\\\\?b.*"'],
    ['regex', pred('process.command_line', 'regex', ['^a\\d+b$']), 'process.command_line regex~ "a[0-9]+b"'],
    ['regex unanchored cs', pred('process.command_line', 'regex', ['x|y'], { caseSensitive: true }), 'process.command_line regex "(.*x.*)|(.*y.*)"'],
    ['cidr', pred('source.ip', 'cidr', ['10.0.0.0/8', '192.168.0.0/16']), 'cidrMatch(source.ip, "10.0.0.0/8", "192.168.0.0/16")'],
    ['gt', pred('process.pid', 'gt', [100]), 'process.pid > 100'],
    ['le string number', pred('process.pid', 'le', ['7']), 'process.pid <= 7'],
    ['exists', pred('process.parent.name', 'exists', [true]), '?process.parent.name != null'],
    ['not exists', pred('process.parent.name', 'exists', [false]), '?process.parent.name == null'],
    ['odd field name', pred('winlog.event_data.My-Field', 'eq', ['x']), 'winlog.event_data.`My-Field` : "x"'],
    ['keyword segment', pred('x.and', 'eq', ['x']), 'x.`and` : "x"'],
  ];
  for (const [name, p, expected] of rows) {
    it(name, () => {
      expect(cond(p)).toBe(expected);
      parseEql(eql(p));
    });
  }
});

describe('eql hostile values: output re-parses, literals round-trip, meaning holds', () => {
  const ops: { op: PredOp; cs: boolean; pos: (v: string) => string[]; neg: (v: string) => string[] }[] = [
    { op: 'eq', cs: false, pos: (v) => [v, v.toUpperCase(), v.toLowerCase()], neg: (v) => [v + 'x', 'x' + v] },
    { op: 'eq', cs: true, pos: (v) => [v], neg: (v) => [v + 'x', ...(v.toUpperCase() !== v ? [v.toUpperCase()] : [])] },
    { op: 'contains', cs: false, pos: (v) => [v, `X${v}Y`, `x${v.toUpperCase()}y`], neg: (v) => (v.length > 1 ? [v.slice(1)] : []) },
    { op: 'startswith', cs: false, pos: (v) => [v, v + 'tail'], neg: (v) => ['x' + v] },
    { op: 'endswith', cs: true, pos: (v) => [v, 'head' + v], neg: (v) => [v + 'x'] },
  ];
  for (const { op, cs, pos, neg } of ops) {
    for (const v of HOSTILE) {
      it(`${op}${cs ? ' cased' : ''} ${JSON.stringify(v)}`, () => {
        const q = parseEql(eql(pred('process.command_line', op, [v], { caseSensitive: cs })));
        expect(q.category).toBe('process');
        const lits = eqlLiterals(q.where).filter((l) => l !== 'start' && l !== 'windows');
        expect(lits.length).toBe(1);
        if (!/[*?]/.test(v)) {
          const expected = { eq: v, contains: `*${v}*`, startswith: `${v}*`, endswith: `*${v}` }[op as 'eq'];
          expect(lits[0]).toBe(expected);
        }
        for (const s of pos(v)) expect(evalEql(q.where, { 'host.os.type': 'windows', 'event.type': 'start', 'process.command_line': s }), s).toBe(true);
        for (const s of neg(v)) expect(evalEql(q.where, { 'host.os.type': 'windows', 'event.type': 'start', 'process.command_line': s }), s).toBe(false);
        expect(evalEql(q.where, { 'host.os.type': 'windows', 'event.type': 'start' })).toBe(false);
      });
    }
  }
  it('wildcard ? is one character, * any run', () => {
    const q = parseEql(eql(pred('process.name', 'wildcard', ['a?c*'])));
    const ok = (s: string) => evalEql(q.where, { 'host.os.type': 'windows', 'event.type': 'start', 'process.name': s });
    expect([ok('abc'), ok('ABCdef'), ok('ac'), ok('abbc')]).toEqual([true, true, false, false]);
  });
  it('? stays one character when a literal * forces a regex', () => {
    const q = parseEql(eql(pred('process.name', 'wildcard', ['a?c\\*'])));
    const ok = (s: string) => evalEql(q.where, { 'host.os.type': 'windows', 'event.type': 'start', 'process.name': s });
    expect([ok('abc*'), ok('ABC*'), ok('abbc*'), ok('ac*'), ok('abcd')]).toEqual([true, true, false, false, false]);
  });
  it('and/or nesting keeps its meaning', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((f) => pred(`x.${f}`, 'contains', ['1']));
    const expr = or([and([a!, or([b!, pred('x.c', 'contains', ['1', '2'], { quantifier: 'all' })])]), and([not(c!), d!])]);
    const q = parseEql(eql(expr as unknown as Pred));
    for (let m = 0; m < 16; m++) {
      const v = (i: number) => ((m >> i) & 1 ? '12' : '0');
      const ev = { 'host.os.type': 'windows', 'event.type': 'start', 'x.a': v(0), 'x.b': v(1), 'x.c': v(2), 'x.d': v(3) };
      const t = (i: number) => ((m >> i) & 1) === 1;
      expect(evalEql(q.where, ev), String(m)).toBe((t(0) && (t(1) || t(2))) || (!t(2) && t(3)));
    }
  });
  it('a not over a comparison still matches a missing field', () => {
    const out = render(ruleOf({ kind: 'not', arg: pred('user.name', 'eq', ['x']) }), 'eql');
    const q = parseEql(out.query!);
    expect(evalEql(q.where, { 'host.os.type': 'windows', 'event.type': 'start' })).toBe(true);
    expect(evalEql(q.where, { 'host.os.type': 'windows', 'event.type': 'start', 'user.name': 'X' })).toBe(false);
  });
});
