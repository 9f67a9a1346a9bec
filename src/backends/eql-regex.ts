/**
 * Lucene regular expressions for EQL `regex`/`regex~` (Elasticsearch "Regular expression
 * syntax"): always anchored at both ends, `.` matches any character (newlines too), `\` before a
 * character makes it literal, and `# @ & ~ < > "` are operators. We write every non-alphanumeric
 * ASCII literal escaped and never escape a letter or digit (Lucene 9 gives `\d`, `\w`, … a
 * meaning).
 *
 * The IR's regexes are the ECMAScript/RE2 subset, unanchored (nodes.ts). The translation keeps
 * their meaning or reports why it cannot: lookaround, backreferences, `\b`, inline flags and
 * anchors inside groups have no Lucene form. The IR pass regex-rewrite (EQL_REGEX_REWRITES) runs
 * first and removes exactly what it can of those: leading inline flags, anchored lookaheads, and
 * `^` / `$` in a first or last group.
 */
import type { GlobToken } from '../ir/index.js';
import type { RegexRewriteOptions } from '../ir/passes/regex-rewrite.js';

/**
 * The IR regex rewrites EQL needs first (src/ir/passes/regex-rewrite.ts): Lucene has no inline
 * flags, no lookarounds and anchors only at the ends of the pattern.
 */
export const EQL_REGEX_REWRITES: RegexRewriteOptions = { inlineFlags: true, lookaround: true, anchors: true };

/** Escapes one literal character for a Lucene regex. */
function lit(ch: string): string {
  return /^[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]$/.test(ch) ? '\\' + ch : ch;
}

/** Escapes a literal string for a Lucene regex. */
export function luceneLiteral(s: string): string {
  let out = '';
  for (const ch of s) out += lit(ch);
  return out;
}

/** An anchored Lucene regex equivalent to glob tokens (`*` any run, `?` one character). */
export function globToLucene(tokens: readonly GlobToken[]): string {
  return tokens.map((t) => (t.t === 'lit' ? luceneLiteral(t.v) : t.t === 'any' ? '.*' : '.')).join('');
}

const WORD = '0-9A-Za-z_';
const SPACE = ' \t\n\r\f\v';

class Translator {
  i = 0;
  constructor(readonly src: string, readonly dotAll: boolean, readonly ci: boolean) {}

  fail(what: string): never {
    throw new RegexError(`${what} at offset ${this.i} of the regex has no Lucene equivalent`);
  }

  /** Alternatives at `depth`; at depth 0 each branch gets its own anchoring. */
  alt(depth: number): string {
    const branches: string[] = [];
    for (;;) {
      branches.push(this.seq(depth));
      if (this.src[this.i] !== '|') break;
      this.i++;
    }
    if (depth > 0) return branches.join('|');
    return branches.length === 1 ? branches[0]! : branches.map((b) => `(${b})`).join('|');
  }

  seq(depth: number): string {
    const atoms: string[] = [];
    let start = false;
    let end = false;
    const s = this.src;
    while (this.i < s.length && s[this.i] !== '|' && !(s[this.i] === ')' && depth > 0)) {
      const c = s[this.i]!;
      if (end) this.fail('text after `$`');
      if (c === '^') {
        if (depth > 0 || atoms.length || start) this.fail('`^` inside the pattern');
        start = true;
        this.i++;
      } else if (c === '$') {
        const n = s[this.i + 1];
        if (depth > 0 || (n !== undefined && n !== '|')) this.fail('`$` inside the pattern');
        end = true;
        this.i++;
      } else if (c === ')') this.fail('an unbalanced `)`');
      else if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(s.slice(this.i)))) {
        if (!atoms.length) this.fail('a quantifier with nothing to repeat');
        let q = c;
        if (c === '{') q = /^\{\d+(,\d*)?\}/.exec(s.slice(this.i))![0];
        this.i += q.length;
        if (s[this.i] === '?') this.i++; // lazy: same set of matches
        atoms[atoms.length - 1] += q;
      } else if (c === '(') atoms.push(this.group(depth));
      else if (c === '[') atoms.push(this.cls());
      else if (c === '.') {
        atoms.push(this.dotAll ? '.' : '[^\n]');
        this.i++;
      } else if (c === '\\') atoms.push(this.escape(false));
      else {
        const ch = String.fromCodePoint(s.codePointAt(this.i)!);
        atoms.push(lit(ch));
        this.i += ch.length;
      }
    }
    const body = atoms.join('');
    return depth > 0 ? body : (start ? '' : '.*') + body + (end ? '' : '.*');
  }

  group(depth: number): string {
    const s = this.src;
    this.i++;
    if (s[this.i] === '?') {
      const m = /^\?(?::|P?<[A-Za-z_][A-Za-z0-9_]*>)/.exec(s.slice(this.i));
      if (!m) this.fail('a lookaround or inline flag group');
      this.i += m[0].length;
    }
    const inner = this.alt(depth + 1);
    if (s[this.i] !== ')') this.fail('an unterminated group');
    this.i++;
    return `(${inner})`;
  }

  /** One escape outside (inClass false) or inside a character class. */
  escape(inClass: boolean): string {
    const s = this.src;
    const n = s[this.i + 1];
    if (n === undefined) this.fail('a trailing `\\`');
    this.i += 2;
    const cls = (set: string) => (inClass ? set : `[${set}]`);
    switch (n) {
      case 'd': return cls('0-9');
      case 'w': return cls(WORD);
      case 's': return cls(SPACE);
      case 'D': case 'W': case 'S':
        if (inClass) this.fail(`\\${n} inside a class`);
        return `[^${n === 'D' ? '0-9' : n === 'W' ? WORD : SPACE}]`;
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case 'f': return '\f';
      case 'v': return '\v';
      case 'x': case 'u': {
        const m = n === 'x' ? /^[0-9a-fA-F]{2}/.exec(s.slice(this.i)) : /^(?:[0-9a-fA-F]{4}|\{[0-9a-fA-F]{1,6}\})/.exec(s.slice(this.i));
        if (!m) this.fail(`a malformed \\${n} escape`);
        this.i += m[0].length;
        return lit(String.fromCodePoint(parseInt(m[0].replace(/[{}]/g, ''), 16)));
      }
      default: {
        if (/[A-Za-z0-9]/.test(n)) { this.i -= 2; this.fail(`the escape \\${n}`); }
        const ch = String.fromCodePoint(s.codePointAt(this.i - 1)!);
        this.i += ch.length - 1;
        return lit(ch);
      }
    }
  }

  cls(): string {
    const s = this.src;
    this.i++;
    let out = '[';
    if (s[this.i] === '^') { out += '^'; this.i++; }
    if (s[this.i] === ']') this.fail('an empty or `]`-first class');
    let n = 0;
    let prev: number | undefined; // the code point of the previous member when it is one character
    const ranges: [number, number][] = [];
    while (this.i < s.length && s[this.i] !== ']') {
      const c = s[this.i]!;
      if (c === '[' && s[this.i + 1] === ':') this.fail('a POSIX class');
      if (c === '-' && n > 0 && s[this.i + 1] !== ']') {
        this.i++;
        const hi = this.member();
        if (prev === undefined || hi.cp === undefined) this.fail('a class range whose end is not one character');
        ranges.push([prev, hi.cp]);
        out += '-' + hi.text;
        prev = undefined;
        continue;
      }
      const m = this.member();
      out += m.text;
      prev = m.cp;
      n++;
    }
    if (s[this.i] !== ']') this.fail('an unterminated class');
    this.i++;
    return out + (this.ci ? foldRanges(ranges) : '') + ']';
  }

  /** One member of a class (a character or an escape) and the code point of a lone character. */
  member(): { text: string; cp?: number } {
    const s = this.src;
    let text: string;
    if (s[this.i] === '\\') text = this.escape(true);
    else {
      const ch = String.fromCodePoint(s.codePointAt(this.i)!);
      this.i += ch.length;
      text = lit(ch);
    }
    const chars = [...text];
    if (chars.length === 1) return { text, cp: text.codePointAt(0)! };
    if (chars.length === 2 && chars[0] === '\\') return { text, cp: chars[1]!.codePointAt(0)! };
    return { text };
  }
}

/**
 * The other-case ranges of the ASCII letters in class ranges. Elasticsearch's case-insensitive
 * regex (`regex~`) folds single characters but not ranges ("Regular expression syntax": with
 * case_insensitive, `[a-c]` still does not match `B`; apache/lucene#14378), while the IR's `(?i)`
 * / caseSensitive false folds both (RE2), so `[a-c]` is written `[a-cA-C]`.
 */
function foldRanges(ranges: [number, number][]): string {
  let out = '';
  for (const [lo, hi] of ranges) {
    for (const [from, to, shift] of [[0x61, 0x7a, -32], [0x41, 0x5a, 32]] as const) {
      const a = Math.max(lo, from);
      const b = Math.min(hi, to);
      if (a <= b) out += String.fromCharCode(a + shift) + (b > a ? '-' + String.fromCharCode(b + shift) : '');
    }
  }
  return out;
}

/** Why a regex has no Lucene form. */
export class RegexError extends Error {}

/**
 * The Lucene form of an IR regex (unanchored ECMAScript/RE2 subset); throws RegexError. With
 * `caseInsensitive` the result is meant for `regex~` (class ranges are folded explicitly).
 */
export function regexToLucene(source: string, flags = '', caseInsensitive = false): string {
  if (flags.includes('m')) throw new RegexError('multi-line anchors (flag m) have no Lucene equivalent');
  const t = new Translator(source, flags.includes('s'), caseInsensitive || flags.includes('i'));
  const out = t.alt(0);
  if (t.i < source.length) t.fail('an unbalanced `)`');
  return out;
}
