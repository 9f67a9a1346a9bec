/**
 * The literal prefilter never drops a match: the multi-literal search finds exactly what
 * `includes` finds, and every candidate whose filter is true for an event is selected.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { MultiSearch } from '../../src/evaluator/multi-search.js';
import { Prefilter, gateOf } from '../../src/evaluator/prefilter.js';
import { compileExpr } from '../../src/evaluator/compile-expr.js';
import { Row } from '../../src/evaluator/row.js';
import { and, not, or, pred, type Expr, type PredOp } from '../../src/ir/index.js';

const unit = fc.constantFrom('a', 'b', 'c', 'é', '\\', '.', ' ', 'Σ', '\u0000');

describe('multi-literal search', () => {
  it('reports every literal that occurs, exactly when all are ASCII (Aho-Corasick against includes)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit, maxLength: 4 }), { maxLength: 8 }), fc.string({ unit, maxLength: 24 }), (lits, s) => {
        const found = new Set<number>();
        new MultiSearch(lits).scan(s, (i) => found.add(i));
        const want = new Set(lits.map((l, i) => (s.includes(l) ? i : -1)).filter((i) => i >= 0));
        // Of several empty literals one is reported (the prefilter never has empty or equal ones).
        if (lits.filter((l) => l === '').length > 1) for (const [i, l] of lits.entries()) if (l === '' && !found.has(i)) want.delete(i);
        for (const i of want) expect(found.has(i)).toBe(true);
        // Non-ASCII characters share one class: a literal with one may be reported in excess.
        for (const i of found) if (!want.has(i)) expect(/[^\u0000-\u007f]/.test(lits[i]!)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
  it('non-ASCII literals: found where they occur, and at most where other non-ASCII stands', () => {
    const found: number[] = [];
    new MultiSearch(['a\u2013b', 'xé', 'plain']).scan('a\u2014b xé', (i) => found.push(i));
    expect([...new Set(found)].sort()).toEqual([0, 1]);
    const none: number[] = [];
    new MultiSearch(['a\u2013b']).scan('a-b', (i) => none.push(i));
    expect(none).toEqual([]);
  });
  it('finds overlapping and nested literals', () => {
    const found: number[] = [];
    new MultiSearch(['he', 'she', 'hers', 'his', 'e']).scan('ushers', (i) => found.push(i));
    expect([...new Set(found)].sort()).toEqual([0, 1, 2, 4]);
  });
});

describe('rule gates', () => {
  it('derives literals from and/or and gives none for negations, regexes or case-sensitive values', () => {
    expect(gateOf(and([pred('a', 'contains', ['xy']), pred('b', 'endswith', ['\\longer.exe'])]))).toEqual([{ field: 'b', lit: '\\longer.exe' }]);
    expect(gateOf(or([pred('a', 'eq', ['X']), pred('b', 'wildcard', ['*foo?bar*'])]))).toEqual([{ field: 'a', lit: 'x' }, { field: 'b', lit: 'foo' }]);
    expect(gateOf(not(pred('a', 'contains', ['x'])))).toBeUndefined();
    expect(gateOf(pred('a', 'regex', ['x']))).toBeUndefined();
    expect(gateOf(pred('a', 'contains', ['x'], { caseSensitive: true }))).toBeUndefined();
    // A numeric literal also equals a number-valued field, so it gives no literal.
    expect(gateOf(pred('event.code', 'eq', ['4688']))).toBeUndefined();
    expect(gateOf(or([pred('a', 'contains', ['x']), pred('b', 'exists', [true])]))).toBeUndefined();
    expect(gateOf(pred('', 'keyword', ['*Mimi*', 'x?y'], {}))).toEqual([{ field: '\u0000keywords', lit: 'mimi' }, { field: '\u0000keywords', lit: 'x' }]);
  });

  const fieldArb = fc.constantFrom('f', 'g');
  const val = fc.string({ unit: fc.constantFrom('a', 'B', 'c', '*', '?', ' ', '1'), maxLength: 4 });
  const opArb = fc.constantFrom<PredOp>('eq', 'contains', 'startswith', 'endswith', 'wildcard', 'keyword');
  const predArb = fc.record({ f: fieldArb, op: opArb, vs: fc.array(val, { minLength: 1, maxLength: 3 }), all: fc.boolean(), cs: fc.boolean() })
    .map(({ f, op, vs, all, cs }): Expr => pred(op === 'keyword' ? '' : f, op, vs, { quantifier: all ? 'all' : 'any', caseSensitive: cs }));
  const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
    e: fc.oneof({ depthSize: 'small', withCrossShrink: true }, predArb, fc.array(tie('e'), { minLength: 1, maxLength: 3 }).map((a) => and(a)), fc.array(tie('e'), { minLength: 1, maxLength: 3 }).map((a) => or(a)), tie('e').map((a) => not(a))),
  })).e;
  const evArb = fc.record({ f: fc.oneof(val, fc.array(val, { maxLength: 2 }), fc.constant(undefined)), g: fc.oneof(val, fc.constant(undefined)), h: val });

  it('selects every candidate whose filter is true (random filters and events)', () => {
    fc.assert(
      fc.property(fc.array(exprArb, { minLength: 1, maxLength: 6 }), fc.array(evArb, { maxLength: 6 }), (exprs, evs) => {
        const feeds = exprs.map((e) => ({ filter: compileExpr(e, []) }));
        const pre = new Prefilter(feeds);
        for (const raw of evs) {
          const ev: Record<string, unknown> = Object.create(null);
          for (const [k, v] of Object.entries(raw)) if (v !== undefined) ev[k] = v;
          const row = new Row(ev);
          const sel = new Set(pre.select(feeds, row));
          feeds.forEach((f, i) => { if (f.filter(new Row(ev))) expect(sel.has(i)).toBe(true); });
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('skips a candidate whose literal is absent', () => {
    const feeds = [pred('f', 'contains', ['zzz']), pred('f', 'contains', ['abc']), not(pred('f', 'eq', ['q']))].map((e) => ({ filter: compileExpr(e, []) }));
    const pre = new Prefilter(feeds);
    expect(pre.select(feeds, new Row({ f: 'xxABCxx' }))).toEqual([1, 2]);
    expect(pre.select(feeds, new Row({ g: 'zzz' }))).toEqual([2]);
  });
});
