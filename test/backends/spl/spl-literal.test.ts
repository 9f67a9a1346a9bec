import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { regexToPcre, splString } from '../../../src/backends/spl-literal.js';
import { pred } from '../../../src/ir/index.js';
import { pcreToJs } from '../../helpers/spl-parse.js';
import { ruleOf } from '../eql/helpers.js';

describe('rule regex → PCRE', () => {
  const rows: [string, string, string][] = [
    ['a$', '', 'a\\z'],
    ['a$', 'm', 'a$'],
    ['[$]x\\$', '', '[$]x\\$'],
    ['\\u00e9|\\u{1F642}', '', '\\x{00e9}|\\x{1F642}'],
    ['[]a]', '', '[\\]a]'],
    ['[^]a]', '', '[^\\]a]'],
  ];
  for (const [re, flags, out] of rows) it(`${re} /${flags}`, () => expect(regexToPcre(re, flags)).toBe(out));
  it('`$` no longer matches before a final newline', () => {
    expect(pcreToJs(regexToPcre('a$')).test('a\n')).toBe(false);
    expect(new RegExp('a$').test('a\n')).toBe(false);
  });
  it('strings escape only backslash and quote', () => expect(splString('a\\"b\\')).toBe('"a\\\\\\"b\\\\"'));
});

describe('user templates', () => {
  for (const target of ['eql', 'spl']) {
    it(`${target} wraps the query in a user template`, () => {
      const out = render(ruleOf(pred('process.name', 'eq', ['{{x}}'])), target, { template: resolve(__dirname, `../../fixtures/${target}/wrap.hbs`) });
      expect(out.ok).toBe(true);
      expect(out.query!.split('\n')[0]).toBe(`# t (${target})`);
      expect(out.query).toContain('"{{x}}"');
    });
  }
});
