/**
 * The prefilter scans values lower-cased by the automaton's tables (MultiSearch.scanFolded)
 * rather than lower-cased strings: it must find exactly what a scan of `s.toLowerCase()` finds,
 * for every code point; and scanning a flat record's raw values one by one (scanRawValues) finds
 * what a scan of their NUL-joined lower-cased haystack (rawHaystack) finds.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { MultiSearch } from '../../src/evaluator/multi-search.js';
import { rawHaystack, scanRawValues } from '../../src/evaluator/raw-keywords.js';

const found = (f: (cb: (i: number) => void) => void): number[] => {
  const out = new Set<number>();
  f((i) => out.add(i));
  return [...out].sort((a, b) => a - b);
};

describe('folded scanning', () => {
  it('equals a scan of the lower-cased string, for every code point', () => {
    // One literal per lower-case ASCII character, one and two non-ASCII characters, and the
    // two-unit lower case of U+0130: any difference in the classes stepped through shows.
    const ascii = Array.from({ length: 128 }, (_, c) => `x${String.fromCharCode(c).toLowerCase()}y`);
    const lits = [...ascii, 'x\u00e9y', 'x\u00e9\u00e9y', 'xi\u0307y', 'i\u0307'];
    const m = new MultiSearch(lits);
    // Also a set of ASCII literals only (its quick check admits only the two characters above 127
    // that lower-case to ASCII) and a set too large for a quick check.
    const others = [new MultiSearch(ascii), new MultiSearch([...ascii, ...Array.from({ length: 200 }, (_, i) => `q${i}z`)])];
    const diffs: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const s = `x${String.fromCodePoint(cp)}y`;
      for (const ms of [m, ...others]) {
        const a = found((cb) => ms.scanFolded(s, cb)).join();
        const b = found((cb) => ms.scan(s.toLowerCase(), cb)).join();
        if (a !== b) diffs.push(`U+${cp.toString(16)}: ${a} ≠ ${b}`);
      }
    }
    expect(diffs).toEqual([]);
    // The two characters whose lower case is ASCII are found as such.
    const words = (s: string) => [...new Set(found((cb) => m.scanFolded(s, cb)).map((i) => lits[i]))].sort();
    expect(words('X\u212AY')).toEqual(['xky']);
    expect(words('X\u0130Y')).toEqual(['i\u0307', 'xi\u0307y']);
  });

  it('equals a scan of the lower-cased string on generated text', () => {
    const alphabet = fc.constantFrom(...'aAbBkKiIsS\u0130\u212A\u03a3\u03c3\u00c9\u00e9 \\:.-'.split(''), '\u{1F600}', '\u0307');
    const text = fc.array(alphabet, { maxLength: 24 }).map((a) => a.join(''));
    fc.assert(fc.property(fc.array(text, { minLength: 1, maxLength: 6 }), text, (lits, s) => {
      const m = new MultiSearch(lits.map((l) => l.toLowerCase()));
      expect(found((cb) => m.scanFolded(s, cb))).toEqual(found((cb) => m.scan(s.toLowerCase(), cb)));
    }), { numRuns: 2000 });
  });

  it('scanning raw values one by one equals scanning their joined haystack', () => {
    const leaf = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('Mimikatz', 'SEKURLSA::', 'A\u0130B', 'x\u212Ay'), fc.integer(), fc.boolean(), fc.constant(null));
    const value = fc.oneof(leaf, fc.array(leaf, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 3 }), leaf, { maxKeys: 2 }));
    const lits = ['mimikatz', 'sekurlsa::', 'ai\u0307b', 'xky', 'true', '1', '{"'];
    const m = new MultiSearch(lits);
    fc.assert(fc.property(fc.dictionary(fc.string({ maxLength: 4 }), value, { maxKeys: 6 }), (rec) => {
      expect(found((cb) => scanRawValues(rec, m, cb))).toEqual(found((cb) => m.scan(rawHaystack(rec), cb)));
    }), { numRuns: 1000 });
    expect(found((cb) => scanRawValues({ a: 'x SekurLSA:: y', b: ['MIMI', 'KATZ'], c: { d: 'X\u212AY' } }, m, cb))).toEqual([1, 3, 6]);
  });
});
