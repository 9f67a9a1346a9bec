/**
 * Spark SQL (3.x/4.x). Its string literals treat `\` as an escape character, so the literal
 * helper escapes `\` and `'` with a backslash. Identifiers are quoted with backticks. Spark has
 * no ILIKE before 3.3 and folds with lower(); LIKE is case-sensitive; RLIKE is Java regex, made
 * to read newlines like RE2 with UNIX_LINES (`(?d)`) and Unicode case with `(?iu)`.
 */
import { parseStrftime, type SqlDialect } from './sql-dialect.js';

const FMT: Record<string, string> = { Y: 'yyyy', m: 'MM', d: 'dd', H: 'HH', M: 'mm', S: 'ss', y: 'yy', j: 'DDD' };

/** A Spark string literal: backslash and quote escaped with a backslash. */
export function sparkString(s: string): string | undefined {
  if (s.includes('\u0000')) return undefined;
  return "'" + s.replace(/[\\']/g, (c) => '\\' + c) + "'";
}

export const spark: SqlDialect = {
  name: 'spark',
  str: sparkString,
  ident: (name) => '`' + name.replace(/`/g, '``') + '`',
  types: { text: 'STRING', timestamp: 'TIMESTAMP' },
  // JsonPath bracket notation, so dots in the key do not mean nesting.
  jsonText: (col, key) => `get_json_object(${col}, ${sparkString("$['" + key + "']")})`,
  contains: (x, v) => `instr(${x}, ${v}) > 0`,
  // A higher-order function over the JSON object read as a map of strings (Spark 3.0+).
  anyJsonValue: (col, cond) => `exists(map_values(from_json(${col}, 'map<string,string>')), v -> ${cond('v')})`,
  // from_json is NULL for text that is not a JSON array of strings: the value is then its own element.
  eachElement: (x, cond, a) => `exists(CASE WHEN ${x} RLIKE ${sparkString('^\\s*\\[')} THEN coalesce(from_json(${x}, 'array<string>'), array(${x})) ELSE array(${x}) END, ${a} -> ${cond(a)})`,
  likeCI: (x, pat) => `lower(${x}) LIKE lower(${pat}) ESCAPE '\\\\'`,
  likeCS: (x, pat) => `${x} LIKE ${pat} ESCAPE '\\\\'`,
  escapeClause: "ESCAPE '\\\\'",
  asciiFoldOnly: false,
  regex: (x, pattern, ci, flags) => ({ sql: `${x} RLIKE ${sparkString(`(?d${ci ? 'iu' : ''}${flags})` + pattern)}` }),
  ipv4Shape: (x) => `${x} RLIKE '^[0-9]{1,3}\\\\.[0-9]{1,3}\\\\.[0-9]{1,3}\\\\.[0-9]{1,3}$'`,
  toNumber: (x) => `try_cast(${x} AS DOUBLE)`,
  toText: (x) => `CAST(${x} AS STRING)`,
  div: (a, b) => `(${a} / ${b})`,
  timeBucket: (x, n) => `timestamp_seconds(CAST(floor(unix_seconds(${x}) / ${n}) * ${n} AS BIGINT))`,
  timePart: (x, part) => `${{ minute: 'minute', hour: 'hour', day: 'dayofmonth', week: 'weekofyear', month: 'month', year: 'year' }[part]}(${x})`,
  // collect_set skips NULLs.
  valuesAgg: (x, c) => `array_sort(collect_set(${c ? `CASE WHEN ${c} THEN ${x} END` : x}))`,
  byTime: (x, ts, latest, keep) => `${latest ? 'max_by' : 'min_by'}(${x}, CASE WHEN ${keep} THEN ${ts} END)`,
  strftime(x, fmt) {
    const toks = parseStrftime(fmt);
    if ('error' in toks) return toks;
    // date_format: literal text goes in single quotes, '' is a quote.
    const f = toks.map((t) => ('lit' in t ? "'" + t.lit.replace(/'/g, "''") + "'" : FMT[t.dir]!)).join('');
    return `date_format(${x}, ${sparkString(f)})`;
  },
};
