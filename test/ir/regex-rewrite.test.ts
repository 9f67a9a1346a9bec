/**
 * The regex rewrite pass (src/ir/passes/regex-rewrite.ts): the shapes it produces, what it
 * leaves alone, and a differential check per row: the original predicate (RE2, or the JS engine
 * for lookarounds), the rewritten IR in the evaluator and its EQL rendering agree on generated
 * strings.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pred, type Expr, type Pred } from '../../src/ir/index.js';
import { rewriteRegexPred, rewriteRegexes } from '../../src/ir/passes/regex-rewrite.js';
import { evaluated, reference, stringsFor, viaEql } from './regex-oracle.js';

const AT = { file: 'rules/t.yml', line: 7, column: 5 };
const F = 'process.command_line';
const OPTS = { inlineFlags: true, lookaround: true, anchors: true };
const re = (values: string[], opts: Partial<Pred> = {}) => pred(F, 'regex', values, { caseSensitive: true, origin: AT, ...opts });

/** A compact text of a rewritten expression: `/src/` with `i` and flags, and/or/not. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'and': case 'or': return `${e.kind}(${e.args.map(show).join(', ')})`;
    case 'not': return `not(${show(e.arg)})`;
    case 'pred': return e.values.map((v) => `/${String(v)}/${e.caseSensitive ? '' : 'i'}${e.flags ?? ''}`).join(e.quantifier === 'all' ? ' & ' : ' | ');
    default: return e.kind;
  }
}

describe('regex rewrite: shapes', () => {
  const rows: [string, Pred, string][] = [
    ['a leading (?i) is the predicate ignoring case', re(['(?i)ab+c']), '/ab+c/i'],
    ['combined flags', re(['(?is)a.b']), '/a.b/is'],
    ['(?-i) makes a case-insensitive predicate case-sensitive', re(['(?-i)abc'], { caseSensitive: false }), '/abc/'],
    ['(?U) does not change whether there is a match', re(['(?U)a+?']), '/a+?/'],
    ['a whole-pattern group is unwrapped, so its alternatives anchor apart', re(['(^0oa.*|x@y)']), '/^0oa.*|x@y/'],
    ['a whole-pattern scoped flag group', re(['(?i:ab|cd)']), '/ab|cd/i'],
    ['flags then a group, repeatedly', re(['(?i)(?:(?s)(a.b))']), '/a.b/is'],
    ['values of different cases split, any → or', re(['x', '(?i)y']), 'or(/x/, /y/i)'],
    ['… all → and', re(['x', '(?i)y'], { quantifier: 'all' }), 'and(/x/, /y/i)'],
    ['^(?!A)B → B and not A at the start', re(['^(?!foo)\\w+']), 'and(/^\\w+/, not(/^(?:foo)/))'],
    ['lookahead after a fixed prefix', re(['^ab[cd].(?!x|y)z$']), 'and(/^ab[cd].z$/, not(/^ab[cd].(?:x|y)/))'],
    ['positive lookaheads at the start', re(['^(?=.*cmd)(?=.*/c).*']), 'and(/^.*/, /^(?:.*cmd)/, /^(?:.*/c)/)'],
    ['alternatives: each on its own, plain ones kept together', re(['^(?!a)b|c|d']), 'or(and(/^b/, not(/^(?:a)/)), /c|d/)'],
    ['flags carry into every part', re(['(?i)^(?!a)b'], { flags: 's' }), 'and(/^b/is, not(/^(?:a)/is))'],
    ['^ in a first group is distributed', re(['(^|\\\\)cmd\\.exe']), '/^cmd\\.exe|\\\\cmd\\.exe/'],
    ['$ in a last group too, both ends', re(['(?:^|x)a(?P<e>\\s|$)']), '/^a\\s|^a$|xa\\s|xa$/'],
    ['a distributed alternative may then split a lookahead', re(['(^(?!a)|c)b']), 'or(and(/^b/, not(/^(?:a)/)), /cb/)'],
  ];
  for (const [why, p, want] of rows) {
    it(why, () => {
      const out = rewriteRegexPred(p, OPTS);
      expect(show(out.expr)).toBe(want);
      expect(out.expr.origin).toEqual(AT);
    });
  }

  const kept: [string, Pred][] = [
    ['a plain regex (the very same object)', re(['a.*b'])],
    ['an unanchored lookahead', re(['a(?!b)'])],
    ['a quantified atom before the lookahead', re(['^a*(?!b)c'])],
    ['a lookbehind', re(['^(?<=a)b'])],
    ['a lookahead inside a group', re(['^(a(?!b))'])],
    ['a lookahead under flag m (^ matches at every line)', re(['^(?!a)b'], { flags: 'm' })],
    ['a lookahead inside a lookahead', re(['^(?!a(?=b))c'])],
    ['an inline flag other than i, m, s, U', re(['(?x)a b'])],
    ['an inline flag later in the pattern', re(['a(?i)b'])],
    ['a quantified whole group', re(['(ab)+'])],
    ['an unbalanced pattern', re(['(ab'])],
    ['a group with ^ that sets flags', re(['((?i)^|x)a'])],
    ['a scoped flag group with ^', re(['(?i:^|x)a'])],
    ['a quantified group with ^', re(['(^|x)?a'])],
    ['a group with ^ in the middle', re(['a(^|x)b'])],
    ['more than 32 alternatives', re([Array(17).fill('(^|x)a').join('|')])],
    ['a number value', pred(F, 'regex', [42], { caseSensitive: true })],
  ];
  for (const [why, p] of kept) it(`leaves alone: ${why}`, () => expect(rewriteRegexPred(p, OPTS).expr).toBe(p));

  it('with lookaround off, only flags are hoisted', () => {
    expect(rewriteRegexPred(re(['^(?!a)b']), { inlineFlags: true }).expr).toEqual(re(['^(?!a)b']));
    expect(show(rewriteRegexPred(re(['(?i)^(?!a)b']), { inlineFlags: true }).expr)).toBe('/^(?!a)b/i');
  });
  it('a lookaround rewrite notes that it is exact for one value per field, at the predicate', () => {
    const out = rewriteRegexes({ kind: 'not', arg: re(['^(?!a)b']) }, OPTS);
    expect(out.notes.map((n) => [n.origin?.line, n.origin?.column])).toEqual([[7, 5]]);
    expect(show(out.expr)).toBe('not(and(/^b/, not(/^(?:a)/)))');
    expect(rewriteRegexes(re(['(?i)x']), OPTS).notes).toEqual([]);
  });
  it('leaves other operators alone', () => {
    const p = pred(F, 'eq', ['(?i)x']);
    expect(rewriteRegexPred(p, OPTS).expr).toBe(p);
  });
});

describe('regex rewrite: differential (original vs rewritten IR in the evaluator vs EQL)', () => {
  const rows: Pred[] = [
    re(['(?i)ab[c-e]+f']),
    re(['(?i)(x\\.io/|x\\.io\\s).+\\..+@.+\\.[a-z]+']),
    re(['(?i)echo.*clip.*&&.*(?:Clip|i`?n`?v)']),
    re(['(^0oa.*|[a-z0-9.]+@[a-z.-]+\\.[a-z]{2,4})']),
    re(['\\w+`x', '(?i)\\$\\{`?e`?n`?v\\}']),
    re(['(?s)a.b', '(?-s)c.d'], { quantifier: 'all' }),
    re(['^(?!cmd)\\w+\\.exe']),
    re(['^C:\\\\(?!Windows\\\\)[^\\\\]+\\\\']),
    re(['^(?=.*-enc)(?=.*hidden).*']),
    re(['^(?!a)b|^c(?=d)|xy']),
    re(['^(?!ab)a.'], { caseSensitive: false, flags: 's' }),
    re(['(^|\\\\)cmd\\.exe(\\s|$)'], { caseSensitive: false }),
    re(['(?:^|[/\\\\])a[^/]*(?:$|\\.b)']),
  ];
  for (const p of rows) {
    it(p.values.join(' , ') + (p.flags ? ` /${p.flags}` : ''), () => {
      const out = rewriteRegexPred(p, OPTS);
      expect(out.expr).not.toBe(p);
      const want = reference(p);
      const got = evaluated(out.expr, F);
      const eql = viaEql(out.expr, F);
      let hits = 0;
      fc.assert(
        fc.property(stringsFor(p.values.join('')), (s) => {
          const w = want(s);
          if (w) hits++;
          expect(got(s), `evaluator on ${JSON.stringify(s)}`).toBe(w);
          expect(eql.test(s), `${eql.query} on ${JSON.stringify(s)}`).toBe(w);
        }),
        { numRuns: 400, seed: 42 },
      );
      expect(hits, 'the generated strings match sometimes').toBeGreaterThan(0);
    });
  }
});

describe('regex rewrite: unchanged trees', () => {
  it('returns an expression without a rewrite as the very same object', () => {
    const e: Expr = { kind: 'and', args: [re(['a']), { kind: 'not', arg: { kind: 'or', args: [pred(F, 'eq', ['x']), re(['b'])] } }] };
    expect(rewriteRegexes(e, OPTS).expr).toBe(e);
  });
  it('copies only the path to a rewrite', () => {
    const keep = pred(F, 'eq', ['x']);
    const e: Expr = { kind: 'and', args: [keep, { kind: 'not', arg: re(['(?i)b']) }] };
    const out = rewriteRegexes(e, OPTS).expr;
    expect(show(out)).toBe('and(/x/i, not(/b/i))');
    expect(out.kind === 'and' && out.args[0]).toBe(keep);
  });
});
