/**
 * What differs between SQL dialects, as data plus a few transforms (in the manner of sqlglot's
 * per-dialect tables): literal and identifier quoting, column types, JSON access, case-folding,
 * LIKE/GLOB text, regex and CIDR operators, numeric casts and time formatting. The renderer
 * (sql-expr.ts, sql-stages.ts) only ever talks to a dialect through this interface.
 */
import { RE2JS } from 're2js';

/** A strftime conversion a dialect cannot express. */
export interface FormatError { error: string }

/** One SQL dialect. */
export interface SqlDialect {
  name: 'sqlite' | 'duckdb' | 'postgres' | 'spark';
  /** A string literal; every rule literal goes through here. Returns undefined for text the dialect cannot hold. */
  str(s: string): string | undefined;
  /** A quoted identifier. */
  ident(name: string): string;
  /** Column types of the DDL. */
  types: { text: string; timestamp: string };
  /** The text of a JSON member of `col` (a quoted column) named `key`. */
  jsonText(col: string, key: string): string;
  /**
   * True when `cond` holds for some text value of the JSON object in column `col` (keyword
   * searches); `cond` gets the SQL of one value.
   */
  anyJsonValue(col: string, cond: (value: string) => string): string;
  /**
   * True when `cond` holds for some element of the text `x` of a multi-valued field: a JSON
   * array text (sql-rows.ts stores lists of two or more that way) is read element by element,
   * any other value as itself; NULL has no element. `cond` gets the SQL of one element (it may
   * be called twice: for the list's elements and for a plain value); `alias` names the
   * element's row source (distinct when nested).
   */
  eachElement(x: string, cond: (value: string) => string, alias: string): string;
  /** True when text `x` contains text `v` (both SQL expressions), case-sensitively. */
  contains(x: string, v: string): string;
  /** Case-insensitive LIKE of `x` against a pattern literal (escape char `\`). */
  likeCI(x: string, pat: string): string;
  /** Case-sensitive LIKE; sqlite uses GLOB instead (see sqlite.globCS). */
  likeCS(x: string, pat: string): string;
  /** The `ESCAPE '\'` clause, with the backslash written as the dialect's literal. */
  escapeClause: string;
  /** SQLite only: case-sensitive pattern match through GLOB (its LIKE folds ASCII case). */
  globCS?: boolean;
  /** True when lower()/LIKE fold ASCII letters only (SQLite without ICU). */
  asciiFoldOnly: boolean;
  /** Regex match (unanchored); undefined when the dialect has none. `flags` are the IR's m/s. */
  regex?(x: string, pattern: string, ci: boolean, flags: string): { sql: string; approx?: string } | undefined;
  /** True when `x` has the shape of a dotted-quad IPv4 address (digits and exactly three dots). */
  ipv4Shape(x: string): string;
  /** CIDR containment of `x` in the network literal, or undefined. */
  cidr?(x: string, net: string): string;
  /** `x` (text) as a number, NULL when it is not numeric. */
  toNumber(x: string): string;
  /** `x` as text. */
  toText(x: string): string;
  /** Floating division. */
  div(a: string, b: string): string;
  /** `x` floored to a multiple of `seconds` since the Unix epoch, as a timestamp (SPL `span`). */
  timeBucket(x: string, seconds: number): string;
  /** A part of timestamp `x` as an integer, in UTC; `week` is the ISO 8601 week (Sigma `|week`). */
  timePart(x: string, part: 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year'): string;
  /** SPL values(): the distinct non-null values of `x` (rows where `cond` holds), sorted. */
  valuesAgg(x: string, cond: string | undefined): string;
  /** SPL earliest()/latest(): the non-null `x` (where `keep` holds) of the first/last time `ts`. */
  byTime(x: string, ts: string, latest: boolean, keep: string): string;
  /** Formats timestamp `x` with a strftime pattern. */
  strftime(x: string, fmt: string): string | FormatError;
}

/** Strftime directives every dialect maps (a subset of C strftime, as SPL uses it). */
export const STRFTIME_DIRECTIVES = ['Y', 'm', 'd', 'H', 'M', 'S', 'y', 'j', '%'] as const;

/** A token of a strftime pattern: a literal run or one directive letter. */
export type FmtToken = { lit: string } | { dir: string };

/** Splits a strftime pattern; an unknown directive or a dangling `%` is an error. */
export function parseStrftime(fmt: string): FmtToken[] | FormatError {
  const out: FmtToken[] = [];
  let lit = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c !== '%') {
      lit += c;
      continue;
    }
    const d = fmt[i + 1];
    if (d === undefined) return { error: `strftime pattern ends in a lone '%'` };
    if (!(STRFTIME_DIRECTIVES as readonly string[]).includes(d)) return { error: `strftime directive %${d} is not supported in SQL (supported: ${STRFTIME_DIRECTIVES.map((x) => '%' + x).join(' ')})` };
    i++;
    if (d === '%') lit += '%';
    else {
      if (lit) out.push({ lit });
      lit = '';
      out.push({ dir: d });
    }
  }
  if (lit) out.push({ lit });
  return out;
}

/** Double-quoted identifier with `"` doubled (standard SQL; sqlite, duckdb, postgres). */
export function doubleQuoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** True when RE2 accepts the pattern: the engine of DuckDB's regexp_matches() and of the regexp() a SQLite host registers. */
export function isRe2(pattern: string): boolean {
  try {
    RE2JS.compile(pattern);
    return true;
  } catch {
    return false;
  }
}

/** Standard SQL string literal: only `'` is special, and is doubled. NUL cannot be written. */
export function standardString(s: string): string | undefined {
  if (s.includes('\u0000')) return undefined;
  return "'" + s.replace(/'/g, "''") + "'";
}
