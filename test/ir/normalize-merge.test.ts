/** Merging predicates in the normalize pass: long value lists, duplicates, order and origins. */
import { describe, expect, it } from 'vitest';
import { and, normalizeExpr, or, pred } from '../../src/ir/index.js';

const at = (line: number) => ({ file: 'r.yml', line, column: 1 });

describe('normalizeExpr merges predicates', () => {
  it('an OR of many one-value predicates becomes one predicate, values in first-seen order without repeats', () => {
    const args = Array.from({ length: 3000 }, (_, i) => pred('f', 'eq', [`v${i % 1000}`], { origin: at(i + 1) }));
    const e = normalizeExpr(or(args));
    expect(e).toMatchObject({ kind: 'pred', field: 'f', quantifier: 'any', origin: at(1) });
    expect(e.kind === 'pred' && e.values).toEqual(Array.from({ length: 1000 }, (_, i) => `v${i}`));
  });
  it('keeps repeats inside the first predicate, adds only new values of later ones, and treats 1 and "1" apart', () => {
    const e = normalizeExpr(or([pred('f', 'eq', ['a', 'a', 1], { quantifier: 'any' }), pred('g', 'eq', ['x']), pred('f', 'eq', ['a', '1', 1])]));
    expect(e).toMatchObject({ kind: 'or', args: [{ field: 'f', values: ['a', 'a', 1, '1'] }, { field: 'g', values: ['x'] }] });
  });
  it('an AND merges into quantifier all; a lone merged repeat stays any', () => {
    expect(normalizeExpr(and([pred('f', 'contains', ['a']), pred('f', 'contains', ['b'])]))).toMatchObject({ kind: 'pred', values: ['a', 'b'], quantifier: 'all' });
    expect(normalizeExpr(and([pred('f', 'contains', ['a']), pred('f', 'contains', ['a'])]))).toMatchObject({ kind: 'pred', values: ['a'], quantifier: 'any' });
  });
});
