/**
 * SPL literals. Splunk Search Reference: in quoted strings of search and eval, `\\` is a
 * backslash and `\"` a quote; search `field="v"` compares case-insensitively with `*` as a
 * wildcard that no escape can make literal (Search Manual, "Backslashes": an asterisk cannot be
 * escaped), and there is no one-character wildcard. So a value with a literal `*`, a `?`
 * wildcard, a control character or a case-sensitive comparison is matched with eval's
 * `match()` (PCRE) instead; see spl-expr.ts.
 */
import type { GlobToken } from '../ir/index.js';

/** A double-quoted SPL string (search or eval) whose value is exactly `s`. */
export function splString(s: string): string {
  return '"' + s.replace(/[\\"]/g, '\\$&') + '"';
}

/** True when a string can be written in a quoted SPL string without loss. */
export function plainText(s: string): boolean {
  return !/[\x00-\x1f\x7f\u2028\u2029]/.test(s);
}

/** A field name usable bare in search, stats, by, rename, table. */
export function bareField(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) && !/^(AND|OR|NOT|IN|AS|BY|OVER|WHERE|LIKE)$/i.test(name);
}

/** A field in eval/where: bare, or in single quotes (a `.` is eval's concatenation); undefined when neither is safe. */
export function evalField(name: string): string | undefined {
  if (bareField(name) && !name.includes('.')) return name;
  return /['\\]/.test(name) || !plainText(name) ? undefined : `'${name}'`;
}

/** A field in a command argument list (stats, by, rename, table): bare or double-quoted. */
export function argField(name: string): string | undefined {
  if (bareField(name)) return name;
  return /["\\]/.test(name) || !plainText(name) ? undefined : `"${name}"`;
}

/** Escapes one literal character for PCRE (Splunk's regex engine). */
function pcreChar(ch: string): string {
  const c = ch.codePointAt(0)!;
  if (c < 0x20 || c === 0x7f || c === 0x2028 || c === 0x2029) return `\\x{${c.toString(16)}}`;
  return /^[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e ]$/.test(ch) ? '\\' + ch : ch;
}

/** Escapes a literal string for PCRE. */
export function pcreLiteral(s: string): string {
  let out = '';
  for (const ch of s) out += pcreChar(ch);
  return out;
}

/** An anchored PCRE of glob tokens (`\A…\z`; `.` reaches newlines under the caller's `s`). */
export function globToPcre(tokens: readonly GlobToken[]): string {
  return '\\A' + tokens.map((t) => (t.t === 'lit' ? pcreLiteral(t.v) : t.t === 'any' ? '.*' : '.')).join('') + '\\z';
}

/** The search-language pattern of glob tokens (`*` only), or undefined when none exists. */
export function searchPattern(tokens: readonly GlobToken[]): string | undefined {
  let out = '';
  for (const t of tokens) {
    if (t.t === 'any') out += '*';
    else if (t.t === 'one' || /[*]/.test(t.v) || !plainText(t.v)) return undefined;
    else out += t.v;
  }
  return out;
}

const isControl = (c: string): boolean => c < ' ' || c === '\x7f';
const hexEscape = (c: string): string => `\\x{${c.charCodeAt(0).toString(16).padStart(2, '0')}}`;

/**
 * An IR regex (ECMAScript/RE2 subset) for PCRE: the same syntax except that `$` without the
 * `m` flag is the end of input (PCRE's `$` also matches before a final newline, so it becomes
 * `\z`) and `\uHHHH` is written `\x{HHHH}`.
 */
export function regexToPcre(re: string, flags = ''): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === '\\') {
      const u = /^u(?:([0-9a-fA-F]{4})|\{([0-9a-fA-F]{1,6})\})/.exec(re.slice(i + 1));
      if (u) {
        out += `\\x{${u[1] ?? u[2]}}`;
        i += u[0].length;
      } else if (i + 1 < re.length && isControl(re[i + 1]!)) {
        out += hexEscape(re[i + 1]!); // an escaped control character is the character itself
        i++;
      } else {
        out += re.slice(i, i + 2);
        i++;
      }
      continue;
    }
    // Control characters (a newline, a tab) are written as \x{…}, which PCRE reads the same in
    // and out of a class, so the search string holds no raw control character.
    if (isControl(c)) {
      out += hexEscape(c);
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      out += '[';
      if (re[i + 1] === '^') { out += '^'; i++; }
      if (re[i + 1] === ']') { out += '\\]'; i++; } // a leading `]` is literal (RE2, PCRE)
      continue;
    } else if (c === '$' && !flags.includes('m')) {
      out += '\\z';
      continue;
    }
    out += c;
  }
  return out;
}
