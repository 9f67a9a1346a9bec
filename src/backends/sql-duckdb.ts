/**
 * DuckDB. Standard string literals (backslash is not special), ILIKE for case-insensitive
 * patterns, LIKE is case-sensitive, regexp_matches() is RE2 (the IR's regex dialect) with
 * inline flags, lower() folds Unicode. `@timestamp` is TIMESTAMP (UTC).
 */
import { doubleQuoteIdent, isRe2, parseStrftime, standardString, type SqlDialect } from './sql-dialect.js';

export const duckdb: SqlDialect = {
  name: 'duckdb',
  str: standardString,
  ident: doubleQuoteIdent,
  types: { text: 'VARCHAR', timestamp: 'TIMESTAMP' },
  jsonText: (col, key) => `json_extract_string(${col}, ${standardString('$."' + key + '"')})`,
  contains: (x, v) => `contains(${x}, ${v})`,
  anyJsonValue: (col, cond) => `EXISTS (SELECT 1 FROM json_each(${col}) AS j WHERE ${cond(`(j.value ->> '$')`)})`,
  // A list lambda (DuckDB 1.3+ syntax) rather than a correlated subquery, which DuckDB would
  // compute for every row; CASE parses only text that starts with `[`.
  eachElement: (x, cond, a) => `(CASE WHEN starts_with(${x}, '[') AND json_valid(${x}) AND json_type(${x}) = 'ARRAY' THEN len(list_filter(from_json(${x}, '["VARCHAR"]'), lambda ${a}: ${cond(a)})) > 0 ELSE ${cond(x)} END)`,
  likeCI: (x, pat) => `${x} ILIKE ${pat} ESCAPE '\\'`,
  likeCS: (x, pat) => `${x} LIKE ${pat} ESCAPE '\\'`,
  escapeClause: "ESCAPE '\\'",
  asciiFoldOnly: false,
  // A pattern RE2 rejects (lookaround, backreferences) is reported, not sent to fail at run time.
  regex: (x, pattern, ci, flags) => {
    if (!isRe2(pattern)) return undefined;
    const inline = (ci ? 'i' : '') + flags;
    return { sql: `regexp_matches(${x}, ${standardString((inline ? `(?${inline})` : '') + pattern)})` };
  },
  ipv4Shape: (x) => `regexp_full_match(${x}, '[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}')`,
  toNumber: (x) => `TRY_CAST(${x} AS DOUBLE)`,
  toText: (x) => `CAST(${x} AS VARCHAR)`,
  div: (a, b) => `(${a} / ${b})`,
  timeBucket: (x, n) => `time_bucket(to_seconds(${n}), ${x}, TIMESTAMP '1970-01-01 00:00:00')`,
  timePart: (x, part) => `${part}(${x})`,
  valuesAgg: (x, c) => `list_sort(list(DISTINCT ${x}) FILTER (WHERE ${x} IS NOT NULL${c ? ` AND ${c}` : ''}))`,
  byTime: (x, ts, latest, keep) => `${latest ? 'arg_max' : 'arg_min'}(${x}, ${ts}) FILTER (WHERE ${keep})`,
  strftime(x, fmt) {
    const toks = parseStrftime(fmt);
    if ('error' in toks) return toks;
    const f = toks.map((t) => ('lit' in t ? t.lit.replace(/%/g, '%%') : '%' + t.dir)).join('');
    return `strftime(${x}, ${standardString(f)})`;
  },
};
