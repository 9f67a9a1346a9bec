/**
 * The lexical helpers: every string survives kqlString as Kusto.Language reads it back; names
 * that are not plain identifiers are bracketed; globs become anchored regexes with `?` as one
 * character; strftime patterns become format_datetime calls.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { globRegex, kqlIdent, kqlString } from '../../../src/backends/kql-literal.js';
import { strftimeToKql } from '../../../src/backends/kql-time.js';
import { parseGlob } from '../../../src/ir/index.js';
import { KUSTO_SKIP, kustoErrors, kustoStringValue } from '../../helpers/kusto.js';

/** Reference glob matcher (dynamic programming over code points), independent of regexes. */
function globMatches(pattern: string, s: string, caseSensitive: boolean): boolean {
  const fold = (x: string) => (caseSensitive ? x : x.toLowerCase());
  const toks = parseGlob(pattern).flatMap((t) => (t.t === 'lit' ? [...t.v].map((c) => ({ t: 'ch' as const, c })) : [t]));
  const chars = [...s];
  let row = new Array<boolean>(chars.length + 1).fill(false);
  row[0] = true;
  for (const t of toks) {
    const next = new Array<boolean>(chars.length + 1).fill(false);
    for (let i = 0; i <= chars.length; i++) {
      if (t.t === 'any') next[i] = row[i]! || (i > 0 && next[i - 1]!);
      else if (i > 0 && row[i - 1]) next[i] = t.t === 'one' || fold(chars[i - 1]!) === fold((t as { c: string }).c);
    }
    row = next;
  }
  return row[chars.length]!;
}

describe('kqlString', () => {
  it('writes quotes, backslashes and control characters as escapes', () => {
    expect(kqlString("it's \\ \"q\"\n\t\r")).toBe("'it\\'s \\\\ \"q\"\\n\\t\\r'");
    expect(kqlString('é😀')).toBe("'\\u00e9\\ud83d\\ude00'");
  });
  it.skipIf(!!KUSTO_SKIP)('reads back as the same string in Kusto.Language, for any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => kustoStringValue(kqlString(s)) === s), { numRuns: 500 });
  });
});

describe('kqlIdent', () => {
  it('keeps plain names and brackets the rest', () => {
    expect(kqlIdent('FileName')).toBe('FileName');
    expect(kqlIdent('count')).toBe("['count']");
    expect(kqlIdent('Search Name')).toBe("['Search Name']");
    expect(kqlIdent("a'b")).toBe("['a\\'b']");
    expect(kqlIdent('process.name')).toBe("['process.name']");
  });
  it.skipIf(!!KUSTO_SKIP)('names columns Kusto.Language accepts', () => {
    for (const n of ['count', 'Search Name', "a'b", 'process.name', 'user', 'by', 'ÿ', '1st', "x'] = 1 | take 1 //", 'tab\there', 'back\\slash']) {
      expect(kustoErrors(`DeviceProcessEvents | extend ${kqlIdent(n)} = 1 | project ${kqlIdent(n)}`)).toEqual([]);
    }
  });
});

describe('globRegex', () => {
  it('anchors, folds case and keeps ? as one character', () => {
    expect(globRegex('a?b*', false)).toBe('(?is)^a.b.*$');
    expect(globRegex('a?b*', true)).toBe('(?s)^a.b.*$');
  });
  it('matches exactly what the glob matches (RE2, as KQL matches regex)', () => {
    const alpha = fc.constantFrom('a', 'B', 'b', '.', '*', '?', '\\', '\n', 'é', '(', '[');
    const text = fc.constantFrom('a', 'A', 'b', 'B', '.', '*', '?', '\\', '\n', 'é', 'É', '(', '[', 'x');
    fc.assert(
      fc.property(fc.array(alpha, { maxLength: 6 }), fc.array(text, { maxLength: 7 }), fc.boolean(), (p, s, cs) => {
        const pattern = p.join('');
        const str = s.join('');
        return RE2JS.compile(globRegex(pattern, cs)).matcher(str).find() === globMatches(pattern, str, cs);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('strftimeToKql', () => {
  const f = (fmt: string) => strftimeToKql('t', fmt);
  it('keeps delimiters in one format and splits other literals out', () => {
    expect(f('%Y-%m-%d %H:%M:%S')).toEqual({ text: "format_datetime(t, 'yyyy-MM-dd HH:mm:ss')" });
    expect(f('%Y-%m-%dT%H:%M:%S')).toEqual({ text: "strcat(format_datetime(t, 'yyyy-MM-dd'), 'T', format_datetime(t, 'HH:mm:ss'))" });
    expect(f('%m/%d/%Y %H:%M:%S')).toEqual({ text: "format_datetime(t, 'MM/dd/yyyy HH:mm:ss')" });
    expect(f('at %H h')).toEqual({ text: "strcat('at ', format_datetime(t, 'HH'), ' h')" });
    expect(f('%F %T')).toEqual({ text: "format_datetime(t, 'yyyy-MM-dd HH:mm:ss')" });
    expect(f('100%%')).toEqual({ text: "'100%'" });
  });
  it('names the specifier it cannot write', () => {
    expect(f('%Y %j')).toEqual({ unsupported: '%j' });
    expect(f('%b')).toEqual({ unsupported: '%b' });
  });
  it.skipIf(!!KUSTO_SKIP)('is valid KQL', () => {
    const q = `DeviceProcessEvents | extend s = ${(strftimeToKql('Timestamp', '%Y-%m-%dT%H:%M:%S.%3N') as { text: string }).text}`;
    expect(kustoErrors(q)).toEqual([]);
  });
});
if (KUSTO_SKIP) it.skip(KUSTO_SKIP, () => {});
