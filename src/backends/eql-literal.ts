/**
 * EQL literals (Elasticsearch "EQL syntax reference", sections Strings, Escape a field name,
 * Wildcards). Every rule value reaches the query through `eqlString`, every field through
 * `eqlField`.
 *
 * Wildcard patterns (`:`, `like`, `like~`) have NO escape: Elasticsearch turns `*` and `?` into
 * wildcards whatever precedes them and keeps `\` literal (elastic/elasticsearch#65237: "Is
 * there an escape sequence for a literal asterisk? No"). A literal `*` or `?` is therefore
 * matched through a Lucene regex (`regex`, `regex~`) instead; see eql-regex.ts.
 */
import { parseGlob, type GlobToken } from '../ir/index.js';

/** A double-quoted EQL string whose value is exactly `s`. */
export function eqlString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f || c === 0x2028 || c === 0x2029) out += `\\u{${c.toString(16).padStart(2, '0')}}`;
    else out += ch;
  }
  return out + '"';
}

/** Words of the EQL grammar that cannot be bare field-name segments. */
const KEYWORDS = new Set([
  'and', 'any', 'by', 'false', 'in', 'join', 'like', 'maxspan', 'not', 'null', 'of', 'or', 'regex',
  'sample', 'sequence', 'true', 'until', 'where', 'with', 'runs', 'missing',
]);

/** A field name: dotted segments, each bare when it is an identifier, else in backticks. */
export function eqlField(name: string, optional = false): string {
  const segs = name.split('.').map((s) => (/^[A-Za-z_@][A-Za-z0-9_@]*$/.test(s) && !KEYWORDS.has(s.toLowerCase()) ? s : '`' + s.replace(/`/g, '``') + '`'));
  return (optional ? '?' : '') + segs.join('.');
}

/** True when a literal can stand inside a `:`/`like` pattern (it has no `*` or `?`). */
export function wildcardSafe(literal: string): boolean {
  return !/[*?]/.test(literal);
}

/** The EQL wildcard pattern of glob tokens, or undefined when a literal holds `*` or `?`. */
export function eqlPattern(tokens: readonly GlobToken[]): string | undefined {
  let out = '';
  for (const t of tokens) {
    if (t.t === 'any') out += '*';
    else if (t.t === 'one') out += '?';
    else if (!wildcardSafe(t.v)) return undefined;
    else out += t.v;
  }
  return out;
}

/** Glob tokens of an IR string operator applied to a literal value. */
export function tokensOf(op: 'eq' | 'contains' | 'startswith' | 'endswith' | 'wildcard', value: string): GlobToken[] {
  if (op === 'wildcard') return parseGlob(value);
  const lit: GlobToken[] = value === '' ? [] : [{ t: 'lit', v: value }];
  if (op === 'contains') return [{ t: 'any' }, ...lit, { t: 'any' }];
  if (op === 'startswith') return [...lit, { t: 'any' }];
  if (op === 'endswith') return [{ t: 'any' }, ...lit];
  return lit;
}

/** The boolean operators (`and`, `or`) that join a condition's text at its top level. */
export function topLevelOps(text: string): Set<'and' | 'or'> {
  const ops = new Set<'and' | 'or'>();
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '`') {
      for (i++; i < text.length && text[i] !== '`'; i++);
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && c === ' ') {
      if (text.startsWith(' and ', i)) ops.add('and');
      else if (text.startsWith(' or ', i)) ops.add('or');
    }
  }
  return ops;
}
