/**
 * Regex shortcuts never change a result: the literal a regex requires occurs (lower-cased) in
 * every value it matches, and the `.{N,}` test agrees with re2js, on generated patterns and
 * values (fast-check) and on the corpus's own patterns.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { regexNeeds, requiredLiteral } from '../../src/evaluator/regex-literal.js';
import { compileRegex } from '../../src/evaluator/regex.js';
import { compilePred } from '../../src/evaluator/compile-pred.js';
import { Row } from '../../src/evaluator/row.js';
import { pred } from '../../src/ir/index.js';

/** Pattern pieces: literals (with cases RE2 folds to non-ASCII: s/ſ, k/K), escapes, groups, classes, quantifiers. */
const piece = fc.constantFrom(
  'a', 'b', 'S', 's', 'k', 'K', 'x', '\\.', '\\\\', '-', ' ', '.', '\\d', '\\s', '\\w', '[ab]', '[^a]', '[]a]', '(ab|c)', '(?:sk)',
  '*', '?', '+', '{2}', '{0,2}', '{1,}', '*?', '^', '$', 'é', '\\x41', '\\pL', '\\p{Greek}', '(?i)', '|',
);
const valueUnit = fc.constantFrom('a', 'A', 'b', 'B', 's', 'S', 'ſ', 'k', 'K', '\u212a', 'x', 'X', '.', '\\', '-', ' ', '1', 'é', 'É', '\n', 'İ', 'Σ');

describe('required literal of a regex', () => {
  it('occurs in the lower-cased value whenever re2js matches (generated patterns, both case modes)', () => {
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 10 }), fc.array(fc.string({ unit: valueUnit, maxLength: 12 }), { maxLength: 4 }), fc.boolean(), (parts, extra, cs) => {
        const pattern = parts.join('');
        let re: RE2JS;
        try { re = RE2JS.compile(pattern, cs ? 0 : RE2JS.CASE_INSENSITIVE); } catch { return; }
        const lit = requiredLiteral(pattern, cs);
        if (lit === undefined) return;
        // Values built from the pattern's own literal characters, so that matches are common.
        const words = [pattern.replace(/[\\[\]()?*+{}|^$]/g, ''), ...extra, ...extra.map((e) => pattern.replace(/[^a-zA-Z]/g, '') + e)];
        for (const w of words) for (const v of [w, w.toUpperCase(), w.replace(/s/gi, 'ſ'), w.replace(/k/gi, '\u212a')]) {
          if (re.test(v)) expect(v.toLowerCase().includes(lit), `${pattern} ~ ${JSON.stringify(v)} lacks ${lit}`).toBe(true);
        }
      }),
      { numRuns: 4000 },
    );
  });
  it('finds the longest plain run of the top-level concatenation', () => {
    // Case-insensitive: `s` ends a run, so `werfaultsecure.exe` gives its longer part.
    expect(requiredLiteral(String.raw`(?i)\.exe[\"\']?\s+[^\"]{0,64}werfaultsecure\.exe[\"\']?\s+\d{2,10}`, true)).toBe('ecure.exe');
    expect(requiredLiteral('\\.exe[\\"\\\']?\\s+[^\\"]{0,64}werfaultsecure\\.exe', true)).toBe('werfaultsecure.exe');
    expect(requiredLiteral('Invoke-Mimikatz', false)).toBe('invoke-mimikatz');
    expect(requiredLiteral('abcd?e', true)).toBe('abc');
    expect(requiredLiteral('abcd+efg', true)).toBe('abcd');
    expect(requiredLiteral('abcdx{0,3}', true)).toBe('abcd');
  });
  it('gives nothing where a match need not contain a fixed run', () => {
    for (const p of ['abc|def', '(abc)', '[abc]{3}', '\\Qabcdef\\E', 'a{,3}bcd', '.{1000,}', '\\d+x?']) expect(requiredLiteral(p, true), p).toBeUndefined();
    expect(requiredLiteral('ab', true, undefined, 3)).toBeUndefined();
    expect(requiredLiteral('a\\x41bc', true)).toBe('bc');
    expect(requiredLiteral('éabé', true)).toBe('ab');
    expect(requiredLiteral('\\w+`(?:\\w+|-|.)`[\\w+|\\s]', true)).toBe('`');
  });
  it('a case-insensitive run ends at s, which RE2 folds with ſ', () => {
    expect(requiredLiteral('powershell', false)).toBe('power');
    expect(requiredLiteral('powershell', true)).toBe('powershell');
    expect(RE2JS.compile('(?i)powerſhell').test('POWERSHELL')).toBe(true);
  });
  it('a regex predicate with a literal gives the same answers as without the quick reject', () => {
    const p = pred('CommandLine', 'regex', ['(?i)echo.*clip.*&&']);
    const t = compilePred(p, []);
    for (const v of ['ECHO x | CLIP && y', 'echo clip', 'cmd /c echo a|clip&&b', 'ſ', 17]) {
      expect(t(new Row({ CommandLine: v }))).toBe(RE2JS.compile('(?i)echo.*clip.*&&').test(String(v)));
    }
    expect(t(new Row({ CommandLine: ['no', 'echo clip &&'] }))).toBe(true);
    expect(t(new Row({}))).toBe(false);
  });
});

describe('least match length of a regex', () => {
  const unit = fc.constantFrom('a', 'b', 'k', '\u212a', 'ſ', ' ', '1', '\n', '\ud83d\ude00', 'é');
  it('no match of a generated pattern is shorter (UTF-16 units), in both case modes', () => {
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 10 }), fc.array(fc.string({ unit, maxLength: 10 }), { maxLength: 4 }), fc.boolean(), (parts, extra, cs) => {
        const pattern = parts.join('');
        let re: RE2JS;
        try { re = RE2JS.compile(pattern, cs ? 0 : RE2JS.CASE_INSENSITIVE); } catch { return; }
        const { minLength } = regexNeeds(pattern, cs);
        const plain = pattern.replace(/[\\[\]()?*+{}|^$]/g, '');
        for (const w of [plain, plain.toUpperCase(), plain.slice(1), ...extra, ...extra.map((e) => plain + e)]) {
          const m = re.matcher(w);
          for (let from = 0; m.find(from); from = m.start() + 1) {
            expect(m.end() - m.start(), `${pattern} matched ${JSON.stringify(m.group())}`).toBeGreaterThanOrEqual(minLength);
            if (m.start() >= w.length) break;
          }
        }
      }),
      { numRuns: 4000 },
    );
  });
  it('counts characters, classes and repeats; anchors, groups and word boundaries are zero', () => {
    expect(regexNeeds(String.raw`\s[a-fA-F0-9]{64}\s[a-fA-F0-9]{16}`, true).minLength).toBe(82);
    expect(regexNeeds(String.raw`^ab?c*d+\b(xyz){3}$`, true).minLength).toBe(2);
    expect(regexNeeds('a(?i)*bc', true).minLength).toBe(2);
    expect(regexNeeds('abc|de', true).minLength).toBe(0);
    // A flag group between two quantifiers repeats the repeat: `(a+)*` may match nothing.
    expect(regexNeeds('a+(?i)*?', true)).toEqual({ minLength: 0 });
  });
});

describe('the .{N,} shortcut', () => {
  const unit = fc.constantFrom('a', '\n', '\r', '\ud83d\ude00', '\ud800', '\udc00', '\u2028', 'é');
  it('agrees with re2js on runs of code points (with and without dot-all)', () => {
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 14 }), fc.integer({ min: 1, max: 6 }), fc.boolean(), fc.boolean(), (s, n, exact, dotAll) => {
        const pattern = exact ? `.{${n}}` : `.{${n},}`;
        const fast = compileRegex(pattern, { caseSensitive: true, ...(dotAll ? { flags: 's' } : {}) });
        if (typeof fast === 'string') throw new Error(fast);
        expect(fast.test(s)).toBe(RE2JS.compile(pattern, dotAll ? RE2JS.DOTALL : 0).test(s));
      }),
      { numRuns: 4000 },
    );
  });
  it('keeps exec and the other operations on the automaton', () => {
    const re = compileRegex('.{3,}', { caseSensitive: true });
    if (typeof re === 'string') throw new Error(re);
    expect(re.exec('ab\ncdef')?.['0']).toBe('cdef');
  });
});
