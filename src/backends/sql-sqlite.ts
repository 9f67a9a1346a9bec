/**
 * SQLite (3.38+ for the built-in JSON functions). Notes that shape the output:
 * - `LIKE` folds ASCII case (and flips with PRAGMA case_sensitive_like), so case-insensitive
 *   matches lower() both sides and case-sensitive ones use `GLOB`, whose only specials are
 *   `*`, `?` and `[` (escaped as `[*]`, `[?]`, `[[]`).
 * - lower() folds ASCII only: a case-insensitive value with non-ASCII letters gets a warning.
 * - Regexes use the `REGEXP` operator, which SQLite turns into a call of the function
 *   `regexp(pattern, text)` that the host registers (sqlite.org/lang_expr.html#regexp): it must
 *   search unanchored with RE2 syntax and inline flags `(?i)`, `(?s)`, `(?m)`, as the IR's regex
 *   does. With better-sqlite3: `db.function('regexp', { deterministic: true }, (p, t) =>
 *   t === null ? null : RE2JS.compile(p).matcher(String(t)).find() ? 1 : 0)` (re2js). Without
 *   one, SQLite fails with "no such function: REGEXP": loudly, never a wrong match. (The sqlite3
 *   shell's regexp extension has no inline flags, so it is not enough.)
 * - `@timestamp` is ISO-8601 UTC text (`2024-01-01T10:00:00.000Z`), which strftime() reads.
 */
import { doubleQuoteIdent, isRe2, parseStrftime, standardString, type SqlDialect } from './sql-dialect.js';

const FMT: Record<string, string> = { Y: '%Y', m: '%m', d: '%d', H: '%H', M: '%M', S: '%S', y: '%Y', j: '%j' };

export const sqlite: SqlDialect = {
  name: 'sqlite',
  str: standardString,
  ident: doubleQuoteIdent,
  types: { text: 'TEXT', timestamp: 'TEXT' },
  jsonText: (col, key) => `json_extract(${col}, ${standardString('$."' + key + '"')})`,
  contains: (x, v) => `instr(${x}, ${v}) > 0`,
  anyJsonValue: (col, cond) => `EXISTS (SELECT 1 FROM json_each(${col}) AS j WHERE ${cond('j.value')})`,
  // Only text that starts with `[` is parsed: a plain value costs one substr() (keyword searches
  // read every value of the JSON column this way).
  eachElement: (x, cond, a) => `(CASE WHEN substr(${x}, 1, 1) = '[' AND json_valid(${x}) AND json_type(${x}) = 'array' THEN EXISTS (SELECT 1 FROM json_each(${x}) AS ${a} WHERE ${cond(`${a}.value`)}) ELSE ${cond(x)} END)`,
  likeCI: (x, pat) => `lower(${x}) LIKE lower(${pat}) ESCAPE '\\'`,
  likeCS: (x, pat) => `${x} GLOB ${pat}`,
  escapeClause: "ESCAPE '\\'",
  globCS: true,
  asciiFoldOnly: true,
  regex: (x, pattern, ci, flags) => {
    if (!isRe2(pattern)) return undefined;
    const inline = (ci ? 'i' : '') + flags;
    return { sql: `(${x} REGEXP ${standardString((inline ? `(?${inline})` : '') + pattern)})` };
  },
  // Guarded: CAST('abc' AS REAL) is 0.0 in SQLite, which would make 'abc' < 5 true.
  ipv4Shape: (x) => `(${x} NOT GLOB '*[^0-9.]*' AND length(${x}) - length(replace(${x}, '.', '')) = 3)`,
  toNumber: (x) => `(CASE WHEN ${x} GLOB '*[0-9]*' AND ${x} NOT GLOB '*[^0-9.eE+-]*' THEN CAST(${x} AS REAL) END)`,
  toText: (x) => `CAST(${x} AS TEXT)`,
  div: (a, b) => `(CAST(${a} AS REAL) / ${b})`,
  // Back to the table's ISO text, so later MIN/MAX and strftime read it like @timestamp.
  timeBucket: (x, n) => `strftime('%Y-%m-%dT%H:%M:%S.000000Z', (CAST(strftime('%s', ${x}) AS INTEGER) / ${n}) * ${n}, 'unixepoch')`,
  // %V (ISO week) needs SQLite 3.46 or later.
  timePart: (x, part) => `CAST(strftime('${{ minute: '%M', hour: '%H', day: '%d', week: '%V', month: '%m', year: '%Y' }[part]}', ${x}) AS INTEGER)`,
  // A JSON array text: SQLite has no array type (ORDER BY inside an aggregate: 3.44+).
  valuesAgg: (x, c) => `json_group_array(DISTINCT ${x} ORDER BY ${x}) FILTER (WHERE ${x} IS NOT NULL${c ? ` AND ${c}` : ''})`,
  // No arg_min: the fixed-width time text (27 characters, see sql-rows.ts) prefixes the value.
  byTime: (x, ts, latest, keep) => `substr(${latest ? 'MAX' : 'MIN'}(CASE WHEN ${keep} THEN ${ts} || CAST(${x} AS TEXT) END), 28)`,
  strftime(x, fmt) {
    const toks = parseStrftime(fmt);
    if ('error' in toks) return toks;
    if (toks.some((t) => 'dir' in t && t.dir === 'y')) return { error: 'SQLite strftime() has no two-digit year (%y)' };
    const f = toks.map((t) => ('lit' in t ? t.lit.replace(/%/g, '%%') : FMT[t.dir]!)).join('');
    return `strftime(${standardString(f)}, ${x})`;
  },
};
