/**
 * PostgreSQL (standard_conforming_strings on, the default since 9.1: only `'` is special in a
 * literal). ILIKE / LIKE with an explicit ESCAPE; regex through `~` / `~*` (POSIX AREs, close to
 * but not exactly ECMAScript: a warning says so); CIDR through inet `<<=`. JSON through jsonb.
 */
import { doubleQuoteIdent, parseStrftime, standardString, type SqlDialect } from './sql-dialect.js';

const FMT: Record<string, string> = { Y: 'YYYY', m: 'MM', d: 'DD', H: 'HH24', M: 'MI', S: 'SS', y: 'YY', j: 'DDD' };

/** ARE embedded options that give ECMAScript's newline behaviour for the IR flags m and s. */
function areMode(flags: string): string {
  const m = flags.includes('m');
  const s = flags.includes('s');
  return m && s ? 'w' : m ? 'n' : s ? 's' : 'p';
}

export const postgres: SqlDialect = {
  name: 'postgres',
  str: standardString,
  ident: doubleQuoteIdent,
  types: { text: 'TEXT', timestamp: 'TIMESTAMP' },
  jsonText: (col, key) => `(CAST(${col} AS jsonb) ->> ${standardString(key)})`,
  contains: (x, v) => `strpos(${x}, ${v}) > 0`,
  anyJsonValue: (col, cond) => `EXISTS (SELECT 1 FROM jsonb_each_text(CAST(${col} AS jsonb)) AS j WHERE ${cond('j.value')})`,
  // `IS JSON ARRAY` needs PostgreSQL 16 or later.
  eachElement: (x, cond, a) => `EXISTS (SELECT 1 FROM jsonb_array_elements_text(CASE WHEN ${x} IS JSON ARRAY THEN CAST(${x} AS jsonb) ELSE jsonb_build_array(${x}) END) AS ${a}(v) WHERE ${cond(`${a}.v`)})`,
  likeCI: (x, pat) => `${x} ILIKE ${pat} ESCAPE '\\'`,
  likeCS: (x, pat) => `${x} LIKE ${pat} ESCAPE '\\'`,
  escapeClause: "ESCAPE '\\'",
  asciiFoldOnly: false,
  regex: (x, pattern, ci, flags) => ({
    sql: `${x} ${ci ? '~*' : '~'} ${standardString(`(?${areMode(flags)})` + pattern)}`,
    approx: 'PostgreSQL regular expressions (POSIX AREs) differ from ECMAScript/RE2 in corner cases (bracket expressions and newlines, escapes such as \\b)',
  }),
  cidr: (x, net) => `CAST(${x} AS inet) <<= CAST(${net} AS inet)`,
  ipv4Shape: (x) => `${x} ~ '^[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}$'`,
  toNumber: (x) => `(CASE WHEN ${x} ~ '^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$' THEN CAST(${x} AS DOUBLE PRECISION) END)`,
  toText: (x) => `CAST(${x} AS TEXT)`,
  div: (a, b) => `(CAST(${a} AS DOUBLE PRECISION) / ${b})`,
  timeBucket: (x, n) => `date_bin(INTERVAL '${n} seconds', ${x}, TIMESTAMP '1970-01-01 00:00:00')`,
  timePart: (x, part) => `CAST(EXTRACT(${part.toUpperCase()} FROM ${x}) AS INTEGER)`,
  valuesAgg: (x, c) => `array_agg(DISTINCT ${x} ORDER BY ${x}) FILTER (WHERE ${x} IS NOT NULL${c ? ` AND ${c}` : ''})`,
  byTime: (x, ts, latest, keep) => `(array_agg(${x} ORDER BY ${ts} ${latest ? 'DESC' : 'ASC'}) FILTER (WHERE ${keep}))[1]`,
  strftime(x, fmt) {
    const toks = parseStrftime(fmt);
    if ('error' in toks) return toks;
    // to_char: literal text goes in double quotes, where `\` escapes `"` and `\`.
    const f = toks.map((t) => ('lit' in t ? '"' + t.lit.replace(/[\\"]/g, (c) => '\\' + c) + '"' : FMT[t.dir]!)).join('');
    return `to_char(${x}, ${standardString(f)})`;
  },
};
