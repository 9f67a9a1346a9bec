/**
 * Glob patterns as the IR stores them (Sigma specification, "Wildcards" and "Escaping"):
 * `*` matches any run of characters, `?` exactly one; `\*`, `\?` and `\\` are the literal
 * characters; a `\` before any other character (or at the end) is a literal backslash.
 */

/** A token of a parsed glob. */
export type GlobToken = { t: 'lit'; v: string } | { t: 'any' } | { t: 'one' };

const SPECIAL = /[\\*?]/;

/** Splits a glob into literal runs and wildcards. */
export function parseGlob(pattern: string): GlobToken[] {
  // Most values reach the backends as plain literals (normalization turned their wildcards into
  // operators): one native scan finds that no character needs the loop below.
  if (!SPECIAL.test(pattern)) return pattern ? [{ t: 'lit', v: pattern }] : [];
  const out: GlobToken[] = [];
  let lit = '';
  const flush = () => {
    if (lit) out.push({ t: 'lit', v: lit });
    lit = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === '*' || n === '?' || n === '\\') {
        lit += n;
        i++;
      } else lit += '\\';
    } else if (c === '*') {
      flush();
      if (out[out.length - 1]?.t !== 'any') out.push({ t: 'any' });
    } else if (c === '?') {
      flush();
      out.push({ t: 'one' });
    } else lit += c;
  }
  flush();
  return out;
}

/** Escapes a literal string so that it reads back from parseGlob unchanged. */
export function escapeGlob(literal: string): string {
  return literal.replace(/[\\*?]/g, (c) => '\\' + c);
}

/** Writes tokens back as a glob string. */
export function formatGlob(tokens: readonly GlobToken[]): string {
  return tokens.map((t) => (t.t === 'lit' ? escapeGlob(t.v) : t.t === 'any' ? '*' : '?')).join('');
}

/** True when the pattern has at least one unescaped `*` or `?`. */
export function hasWildcard(pattern: string): boolean {
  return parseGlob(pattern).some((t) => t.t !== 'lit');
}

/**
 * The simplest operator that means the same as a glob: `abc` → eq, `abc*` → startswith,
 * `*abc` → endswith, `*abc*` → contains (each with the literal), else wildcard.
 */
export function simplifyGlob(pattern: string): { op: 'eq' | 'startswith' | 'endswith' | 'contains' | 'wildcard'; value: string } {
  const toks = parseGlob(pattern);
  const lits = toks.filter((t) => t.t === 'lit');
  const wild = toks.filter((t) => t.t !== 'lit');
  if (wild.length === 0) return { op: 'eq', value: lits.map((t) => (t as { v: string }).v).join('') };
  if (wild.some((t) => t.t === 'one') || lits.length > 1) return { op: 'wildcard', value: pattern };
  const lit = lits.length ? (lits[0] as { v: string }).v : '';
  const first = toks[0]!.t;
  const last = toks[toks.length - 1]!.t;
  if (lits.length === 0) return { op: 'wildcard', value: '*' };
  if (toks.length === 2 && first === 'lit' && last === 'any') return { op: 'startswith', value: lit };
  if (toks.length === 2 && first === 'any' && last === 'lit') return { op: 'endswith', value: lit };
  if (toks.length === 3 && first === 'any' && last === 'any') return { op: 'contains', value: lit };
  return { op: 'wildcard', value: pattern };
}

/** Escapes a string for use inside a RegExp (ECMAScript and RE2 syntax alike). */
export function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** An anchored regex source equivalent to the glob (`.` must match newlines: use the `s` flag). */
export function globToRegex(pattern: string): string {
  return '^' + parseGlob(pattern).map((t) => (t.t === 'lit' ? escapeRegex(t.v) : t.t === 'any' ? '.*' : '.')).join('') + '$';
}

/**
 * A field-name pattern where only `*` is special (SPL foreach, rename, fields) as an anchored
 * regex whose groups capture what each `*` matched.
 */
export function starPatternRegex(pattern: string): RegExp {
  return new RegExp('^' + pattern.split('*').map(escapeRegex).join('(.*)') + '$', 's');
}
