/**
 * The SPL lexer. It runs over the macro-expanded search and gives every token its position in
 * the .yml file. Escapes follow the Splunk search reference ("Quotes and escaping characters"):
 * a backslash escapes `"`, `\` and `|`; before any other character it is a literal backslash
 * (there is no escape for `*`: in the search language an asterisk is always a wildcard).
 */
import { diag, type Diagnostic, type Origin } from '../../diagnostics/index.js';

export type TokenKind = 'word' | 'str' | 'op' | 'lp' | 'rp' | 'comma' | 'pipe' | 'lb' | 'rb' | 'eof';

/** One token: `value` has escapes resolved; `raw` is the text as written. */
export interface Token {
  kind: TokenKind;
  value: string;
  raw: string;
  /** Offset in the expanded search. */
  off: number;
  end: number;
  /** Whitespace (or the start) precedes the token. */
  spaced: boolean;
  at: Origin;
}

const SINGLE: Record<string, TokenKind> = { '(': 'lp', ')': 'rp', ',': 'comma', '|': 'pipe', '[': 'lb', ']': 'rb' };

/** Splits an expanded search into tokens; `at(offset)` gives the file position of an offset. */
export function lex(text: string, at: (offset: number) => Origin): { tokens: Token[]; diagnostics: Diagnostic[] } {
  const tokens: Token[] = [];
  const diagnostics: Diagnostic[] = [];
  let i = 0;
  let spaced = true;
  const push = (kind: TokenKind, value: string, start: number) => {
    tokens.push({ kind, value, raw: text.slice(start, i), off: start, end: i, spaced, at: at(start) });
    spaced = false;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) { i++; spaced = true; continue; }
    const start = i;
    if (c === '"') {
      let v = '';
      i++;
      let closed = false;
      while (i < text.length) {
        const d = text[i]!;
        if (d === '\\' && i + 1 < text.length) {
          const n = text[i + 1]!;
          v += n === '"' || n === '\\' ? n : d + n;
          i += 2;
          continue;
        }
        if (d === '"') { closed = true; i++; break; }
        v += d;
        i++;
      }
      if (!closed) diagnostics.push(diag('RB201', 'the quoted string is not terminated', at(start)));
      push('str', v, start);
      continue;
    }
    if (SINGLE[c]) { i++; push(SINGLE[c]!, c, start); continue; }
    const two = text.slice(i, i + 2);
    if (two === '!=' || two === '<=' || two === '>=' || two === '==') { i += 2; push('op', two, start); continue; }
    if (c === '=' || c === '<' || c === '>') { i++; push('op', c, start); continue; }
    let v = '';
    if (c === "'") {
      // A single-quoted field name of the eval language; kept whole, quotes included.
      const close = text.indexOf("'", i + 1);
      if (close > 0) { v = text.slice(i, close + 1); i = close + 1; push('word', v, start); continue; }
    }
    while (i < text.length) {
      const d = text[i]!;
      if (/\s/.test(d) || d === '"' || SINGLE[d] || d === '=' || d === '<' || d === '>') break;
      if (d === '!' && text[i + 1] === '=') break;
      if (d === '\\' && i + 1 < text.length) {
        const n = text[i + 1]!;
        v += n === '"' || n === '\\' || n === '|' ? n : d + n;
        i += 2;
        continue;
      }
      v += d;
      i++;
    }
    push('word', v, start);
  }
  tokens.push({ kind: 'eof', value: '', raw: '', off: text.length, end: text.length, spaced: true, at: at(text.length) });
  return { tokens, diagnostics };
}
