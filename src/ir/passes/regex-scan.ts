/**
 * A structural scanner for the IR's regex syntax (RE2/ECMAScript; Sigma `|re` is "PCRE" of that
 * subset): the top-level alternatives of a pattern and the items of one alternative, each item
 * with what the rewrites of regex-rewrite.ts need to know (its width, whether it is quantified,
 * a group's kind and body). It never interprets a pattern beyond that; a pattern it cannot
 * read (unbalanced, `\Q…\E` quoting) yields undefined, so callers leave it untouched.
 */

/** What one item of an alternative is. */
export type ItemKind =
  | 'char' // matches exactly one character: a literal, `.`, a class, a one-character escape
  | 'anchor' // `^` or `$`
  | 'assert' // another zero-width escape: `\b`, `\B`, `\A`, `\z`
  | 'group' // `(…)`, `(?:…)`, `(?P<n>…)`, `(?<n>…)`, `(?flags:…)`
  | 'look' // `(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`
  | 'flags' // `(?flags)`: changes the flags for the rest of the enclosing group
  | 'other'; // anything else (a back-reference, `\k<n>`, …)

/** One item of an alternative: an atom and its quantifier. */
export interface Item {
  kind: ItemKind;
  /** The item's text as written, quantifier included. */
  text: string;
  /** The quantifier as written (`*`, `{2,3}?`, …); empty when there is none. */
  quant: string;
  /** Groups and lookarounds: the text between the opening syntax and `)`. */
  body?: string;
  /** Groups: the opening syntax (`(`, `(?:`, `(?i:`, `(?P<n>`). Flag items: the flags (`i-s`). */
  open?: string;
  /** Lookarounds: negative (`!`) and behind (`<`). */
  negative?: boolean;
  behind?: boolean;
}

const QUANT = /^(?:[*+?]|\{\d+(?:,\d*)?\})[?+]?/;

/** Reads one escape at `i` (the `\`); returns its end and kind, or undefined when unreadable. */
function escapeAt(s: string, i: number): { end: number; kind: ItemKind } | undefined {
  const n = s[i + 1];
  if (n === undefined || n === 'Q' || n === 'E') return undefined;
  const rest = s.slice(i + 2);
  if (n === 'x' || n === 'u' || n === 'p' || n === 'P') {
    const m = /^\{[^}]*\}/.exec(rest) ?? (n === 'x' ? /^[0-9a-fA-F]{2}/ : n === 'u' ? /^[0-9a-fA-F]{4}/ : /^[A-Za-z]/).exec(rest);
    return m ? { end: i + 2 + m[0].length, kind: 'char' } : undefined;
  }
  if ('bBAz'.includes(n)) return { end: i + 2, kind: 'assert' };
  if (/[1-9k]/.test(n)) return { end: i + 2, kind: 'other' };
  const cp = s.codePointAt(i + 1)!;
  return { end: i + 1 + String.fromCodePoint(cp).length, kind: 'char' };
}

/** The end (index after `]`) of the class opening at `i`, or undefined. */
function classEnd(s: string, i: number): number | undefined {
  let j = i + 1;
  if (s[j] === '^') j++;
  if (s[j] === ']') j++; // a leading `]` is literal (RE2, PCRE)
  while (j < s.length && s[j] !== ']') {
    if (s[j] === '\\') {
      const e = escapeAt(s, j);
      if (!e) return undefined;
      j = e.end;
    } else if (s[j] === '[' && s[j + 1] === ':') {
      const k = s.indexOf(':]', j + 2);
      if (k < 0) return undefined;
      j = k + 2;
    } else j++;
  }
  return j < s.length ? j + 1 : undefined;
}

/** The index after an escape, class or group starting at `j`, j + 1 after any other character; undefined when unreadable. */
function skip(s: string, j: number): number | undefined {
  const c = s[j];
  if (c === '\\') return escapeAt(s, j)?.end;
  if (c === '[') return classEnd(s, j);
  if (c === '(') {
    const e = groupEnd(s, j);
    return e === undefined ? undefined : e + 1;
  }
  return j + 1;
}

/** The index of the `)` closing the group opening at `i`, or undefined. */
function groupEnd(s: string, i: number): number | undefined {
  let j: number | undefined = i + 1;
  while (j !== undefined && j < s.length) {
    if (s[j] === ')') return j;
    j = skip(s, j);
  }
  return undefined;
}

/** A group's item (without quantifier) from its opening `(` at `i` to its `)` at `end`. */
function groupItem(s: string, i: number, end: number): Item {
  const text = s.slice(i, end + 1);
  const look = /^\((\?<?)([=!])/.exec(text);
  if (look) return { kind: 'look', text, quant: '', body: s.slice(i + look[0].length, end), negative: look[2] === '!', behind: look[1] === '?<' };
  const flags = /^\(\?([A-Za-z]*(?:-[A-Za-z]*)?)\)$/.exec(text);
  if (flags && flags[1] !== '' && flags[1] !== '-') return { kind: 'flags', text, quant: '', open: flags[1]! };
  const open = /^\((?:\?(?::|P?<[A-Za-z_][A-Za-z0-9_]*>|[A-Za-z]*(?:-[A-Za-z]*)?:))?/.exec(text)![0];
  if (open === '(' && text[1] === '?') return { kind: 'other', text, quant: '' };
  return { kind: 'group', text, quant: '', open, body: s.slice(i + open.length, end) };
}

/** The top-level alternatives of a pattern (one when it has no top-level `|`), or undefined. */
export function splitAlternatives(s: string): string[] | undefined {
  const out: string[] = [];
  let start = 0;
  let j = 0;
  while (j < s.length) {
    if (s[j] === '|') {
      out.push(s.slice(start, j));
      start = ++j;
      continue;
    }
    if (s[j] === ')') return undefined;
    const next = skip(s, j);
    if (next === undefined) return undefined;
    j = next;
  }
  out.push(s.slice(start));
  return out;
}

/** The items of one alternative (no top-level `|` inside), or undefined when unreadable. */
export function scanItems(s: string): Item[] | undefined {
  const items: Item[] = [];
  let j = 0;
  while (j < s.length) {
    const c = s[j]!;
    let item: Item;
    if (c === '|' || c === ')') return undefined;
    if (c === '\\') {
      const e = escapeAt(s, j);
      if (!e) return undefined;
      item = { kind: e.kind, text: s.slice(j, e.end), quant: '' };
      j = e.end;
    } else if (c === '[') {
      const e = classEnd(s, j);
      if (e === undefined) return undefined;
      item = { kind: 'char', text: s.slice(j, e), quant: '' };
      j = e;
    } else if (c === '(') {
      const e = groupEnd(s, j);
      if (e === undefined) return undefined;
      item = groupItem(s, j, e);
      j = e + 1;
    } else if (c === '^' || c === '$') {
      item = { kind: 'anchor', text: c, quant: '' };
      j++;
    } else {
      const ch = String.fromCodePoint(s.codePointAt(j)!);
      if (QUANT.test(s.slice(j)) && c !== '{') return undefined; // a quantifier with nothing to repeat
      item = { kind: 'char', text: ch, quant: '' };
      j += ch.length;
    }
    const q = QUANT.exec(s.slice(j));
    if (q) {
      item.quant = q[0];
      item.text += q[0];
      j += q[0].length;
    }
    items.push(item);
  }
  return items;
}

/** True when the pattern holds a lookaround anywhere, nested ones included. */
export function hasLookaround(s: string): boolean {
  const alts = splitAlternatives(s);
  if (!alts) return /\(\?<?[=!]/.test(s);
  return alts.some((a) => {
    const items = scanItems(a);
    if (!items) return /\(\?<?[=!]/.test(a);
    return items.some((it) => it.kind === 'look' || (it.body !== undefined && hasLookaround(it.body)));
  });
}
