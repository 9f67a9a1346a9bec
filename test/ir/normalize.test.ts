/** The normalize pass: globs to their simplest operator, merged values, one canonical quantifier. */
import { describe, expect, it } from 'vitest';
import { and, normalizeExpr, or, pred } from '../../src/ir/index.js';

describe('normalizeExpr', () => {
  const table: [string, string, string, string][] = [
    ['abc', 'eq', 'abc', 'no wildcard'],
    ['abc*', 'startswith', 'abc', 'trailing *'],
    ['*abc', 'endswith', 'abc', 'leading *'],
    ['* /y*', 'contains', ' /y', 'both ends'],
    ['a?c', 'wildcard', 'a?c', '? stays a one-character wildcard'],
    ['a*c', 'wildcard', 'a*c', 'mid-string * stays anchored'],
    ['\\*abc', 'eq', '*abc', 'escaped * is literal'],
  ];
  for (const [glob, op, value, why] of table) {
    it(`${JSON.stringify(glob)} → ${op} (${why})`, () => {
      expect(normalizeExpr(pred('f', 'wildcard', [glob]))).toMatchObject({ kind: 'pred', op, values: [value] });
    });
  }
  it('merges an OR of one field and operator into one multi-value predicate', () => {
    const e = normalizeExpr(or([pred('f', 'eq', ['a']), pred('f', 'eq', ['b']), pred('g', 'eq', ['c'])]));
    expect(e).toMatchObject({ kind: 'or', args: [{ field: 'f', values: ['a', 'b'], quantifier: 'any' }, { field: 'g' }] });
  });
  it('gives a single value the quantifier any after splitting an all-list by operator', () => {
    const e = normalizeExpr(or([pred('x', 'eq', ['1']), pred('f', 'wildcard', ['*a*', 'b*'], { quantifier: 'all' })]));
    expect(e).toMatchObject({ kind: 'or', args: [{}, { kind: 'and', args: [{ op: 'contains', quantifier: 'any' }, { op: 'startswith', quantifier: 'any' }] }] });
  });
  it('folds constants', () => {
    expect(normalizeExpr(and([{ kind: 'const', value: true }, pred('f', 'eq', ['a'])]))).toMatchObject({ kind: 'pred', field: 'f' });
    expect(normalizeExpr(or([{ kind: 'const', value: true }, pred('f', 'eq', ['a'])]))).toEqual({ kind: 'const', value: true });
  });
});
