/** Property tests: the glob matcher agrees with the glob's regex; the XML reader never throws. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { globToRegex } from '../../src/ir/index.js';
import { compileGlob } from '../../src/evaluator/glob-match.js';
import { parseXml } from '../../src/evaluator/readers/xml.js';
import { parseWinEventXml } from '../../src/evaluator/readers/xml-winevent.js';

const alphabet = fc.constantFrom('a', 'b', '*', '?', '\\', '.', 'x');
const text = fc.string({ unit: fc.constantFrom('a', 'b', '*', '?', '\\', '.', '\n'), maxLength: 12 });

describe('glob matcher', () => {
  it('matches exactly when the anchored regex of the glob matches (small alphabet, any pattern)', () => {
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 8 }), text, (pattern, s) => {
        // The reference uses the JS engine on tiny inputs only (no risk there); `u` makes `.` a code point.
        const ref = new RegExp(globToRegex(pattern), 'su').test(s);
        expect(compileGlob(pattern)(s)).toBe(ref);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('XML reader', () => {
  it('returns an element or an error message for any input, never throws', () => {
    const piece = fc.constantFrom('<Event>', '</Event>', '<System>', '</System>', '<EventID>', '</EventID>', '1', '&amp;', '&#x41;', '&bogus;', "<Data Name='a'>", '</Data>', '<x/>', '<!--c-->', '<![CDATA[<]]>', '<!DOCTYPE x>', "'", '"', '<', '>', '=');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (parts) => {
        const s = parts.join('');
        const r = parseXml(s);
        expect(typeof r === 'string' || r.name.length > 0).toBe(true);
        const w = parseWinEventXml(s);
        expect(typeof w === 'string' || typeof w === 'object').toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
  it('decodes entities and character references in text and attributes', () => {
    const r = parseWinEventXml("<Event><System><EventID>1</EventID></System><EventData><Data Name='a&amp;b'>x &lt;&#65;&#x42;&gt; &quot;&apos;</Data></EventData></Event>");
    expect(r).toMatchObject({ EventID: '1', 'a&b': 'x <AB> "\'' });
  });
});

describe('XML reader: malformed tags', () => {
  it('an attribute without a value is an error, not a read past the tag', () => {
    expect(parseXml("<Event b><c d='1'/></Event>")).toMatch(/attribute without value/);
    expect(parseXml("<Event a = 'x' b=\"y\"><c/></Event>")).toMatchObject({ name: 'Event', attrs: { a: 'x', b: 'y' } });
  });
});
