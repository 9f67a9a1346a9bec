/**
 * KQL lexical helpers: every rule value reaches the query through `kqlString`, every name
 * through `kqlIdent`. KQL string literals (learn.microsoft.com/kusto/query/scalar-data-types/string):
 * a regular '…' literal takes `\\`, `\'`, `\n`, `\r`, `\t` and `\uXXXX` escapes; a verbatim `@'…'`
 * literal cannot hold a `'` or a newline, so one quoting is used for all: the regular literal
 * with every character outside printable ASCII written as a \u escape.
 */
import { escapeRegex, parseGlob } from '../ir/index.js';

const PLAIN = /^[\x20-\x26\x28-\x5b\x5d-\x7e]*$/;

/** A KQL string literal holding exactly `s`. */
export function kqlString(s: string): string {
  // Most values are printable ASCII without a quote or backslash: nothing to escape.
  if (PLAIN.test(s)) return "'" + s + "'";
  let out = "'";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c <= 0xffff) out += '\\u' + c.toString(16).padStart(4, '0');
    else {
      // Astral characters as their UTF-16 surrogate pair, each a \u escape.
      for (const unit of [ch.charCodeAt(0), ch.charCodeAt(1)]) out += '\\u' + unit.toString(16).padStart(4, '0');
    }
  }
  return out + "'";
}

/** KQL keywords that cannot name a column without brackets. */
const KEYWORDS = new Set([
  'and', 'or', 'not', 'by', 'on', 'in', 'as', 'of', 'with', 'to', 'step', 'from', 'let', 'set', 'where', 'project', 'extend',
  'summarize', 'sort', 'order', 'take', 'limit', 'top', 'count', 'distinct', 'join', 'union', 'range', 'print', 'true', 'false',
  'null', 'contains', 'has', 'between', 'like', 'matches', 'regex', 'asc', 'desc', 'nulls', 'first', 'last', 'kind', 'typeof',
  'datatable', 'dynamic', 'bool', 'boolean', 'datetime', 'date', 'guid', 'int', 'long', 'real', 'double', 'string', 'time', 'timespan', 'decimal',
  'database', 'cluster', 'table', 'materialize', 'evaluate', 'invoke', 'parse', 'render', 'search', 'find', 'facet', 'fork', 'mv-expand',
]);

/** A column reference as kqlIdent writes it (bare or `['…']`), not a computed expression. */
export const COLUMN_REF = /^[A-Za-z_][A-Za-z0-9_]*$|^\['/;

/** A column name as KQL reads it: bare when it is a plain identifier, else `['…']`. */
export function kqlIdent(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !KEYWORDS.has(name.toLowerCase())) return name;
  return '[' + kqlString(name) + ']';
}

/** A numeric literal KQL reads back as the same number; undefined for NaN/Infinity. */
export function kqlNumber(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  if (Number.isInteger(n)) return Number.isSafeInteger(n) ? String(n) : `real(${n.toExponential()})`;
  return `real(${String(n)})`;
}

/**
 * A regex (RE2 syntax, as `matches regex` uses) equivalent to the IR glob: anchored at both
 * ends, `*` any run and `?` one character, including newlines (the `s` flag), case folded
 * unless the predicate is case-sensitive.
 */
export function globRegex(pattern: string, caseSensitive: boolean): string {
  const body = parseGlob(pattern).map((t) => (t.t === 'lit' ? escapeRegex(t.v) : t.t === 'any' ? '.*' : '.')).join('');
  return (caseSensitive ? '(?s)' : '(?is)') + '^' + body + '$';
}
