/** Glob parsing (src/ir/glob.ts): tokens of the Sigma wildcard and escape rules, both paths. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeGlob, formatGlob, parseGlob } from '../../src/ir/glob.js';

describe('parseGlob', () => {
  it.each([
    ['', []],
    ['abc', [{ t: 'lit', v: 'abc' }]],
    ['a*b', [{ t: 'lit', v: 'a' }, { t: 'any' }, { t: 'lit', v: 'b' }]],
    ['**?', [{ t: 'any' }, { t: 'one' }]],
    ['a\\*\\?\\\\b', [{ t: 'lit', v: 'a*?\\b' }]],
    ['a\\b\\', [{ t: 'lit', v: 'a\\b\\' }]],
  ])('%j', (pattern, tokens) => {
    expect(parseGlob(pattern)).toEqual(tokens);
  });
  it('any literal escaped reads back as itself, one literal token (or none when empty)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      const toks = parseGlob(escapeGlob(s));
      expect(toks).toEqual(s ? [{ t: 'lit', v: s }] : []);
      expect(formatGlob(toks)).toBe(escapeGlob(s));
    }), { numRuns: 2000 });
  });
  it('a pattern and its formatted tokens parse the same', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '*', '?', '\\', 'é') }), (p) => {
      expect(parseGlob(formatGlob(parseGlob(p)))).toEqual(parseGlob(p));
    }), { numRuns: 2000 });
  });
});
