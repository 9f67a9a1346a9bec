/**
 * Boolean expressions and predicates as SQL. Meanings follow src/ir/nodes.ts exactly:
 * - case-insensitive comparisons lower() both sides (or ILIKE), case-sensitive ones compare
 *   bytes (`=`, LIKE, SQLite GLOB);
 * - globs: `*` → `%`, `?` → `_`, and `%`, `_`, `\` of literals escaped with an explicit
 *   `ESCAPE '\'` (SQLite GLOB instead brackets `*`, `?`, `[`);
 * - a missing field is NULL; NOT wraps its operand in COALESCE(…, FALSE) so that NOT of a
 *   predicate on a missing field holds, as in two-valued rule logic;
 * - value lists become IN (…), other lists balanced AND/OR trees (never deeper than log n).
 */
import { parseGlob, visitExpr, type Expr, type GlobToken, type Pred, type Scalar } from '../ir/index.js';
import { joinBool, lit, num, report, textOf, type SqlCol, type SqlCtx } from './sql-context.js';
import { renderValue } from './sql-value.js';
import { ipv4Patterns, ipv6Patterns } from './sql-cidr.js';
import { sqlLayout } from './sql-layout.js';

const FALSE_SQL = '(1 = 0)';

/** Renders a boolean expression. */
export function renderExpr(e: Expr, ctx: SqlCtx): string {
  return visitExpr<string>(e, {
    and: (n) => joinBool(n.args.map((a) => renderExpr(a, ctx)), 'AND'),
    or: (n) => joinBool(n.args.map((a) => renderExpr(a, ctx)), 'OR'),
    not: (n) => `NOT COALESCE(${renderExpr(n.arg, ctx)}, FALSE)`,
    const: (n) => (n.value ? '(1 = 1)' : FALSE_SQL),
    test: (n) => `(${renderValue(n.expr, n.origin ? { ...ctx, at: n.origin } : ctx)})`,
    pred: (n) => renderPred(n, ctx),
  });
}

/** The text of a scalar compared as a string (numbers and booleans by their text). */
function scalarText(v: Scalar): string | undefined {
  if (v === null) return undefined;
  return typeof v === 'string' ? v : String(v);
}

const BRACED_GUID = /^\{([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\}$/;
const PADDED_HEX = /^(0[xX])0+([0-9A-Fa-f]+)$/;

/**
 * An equality literal in the form the events table holds values (sql-rows.ts loads canonical
 * events: GUIDs without braces, hex without zero padding, no trailing whitespace), as the
 * evaluator's literals get it; otherwise `{…}` or `0x000001fc` in a rule could never match.
 */
function canonEqText(s: string): string {
  const t = s.trimEnd() ? s.trimEnd() : s;
  return t.replace(BRACED_GUID, '$1').replace(PADDED_HEX, '$1$2');
}

function asNumber(v: Scalar): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

/**
 * A value without letters that have case (digits, punctuation, most CJK) compares the same with
 * or without case folding, so it takes the simpler case-sensitive form (`=` / GLOB / LIKE).
 */
function caseless(s: string): boolean {
  // ASCII letters always differ in case; plain ASCII without them never does.
  if (/[A-Za-z]/.test(s)) return false;
  if (!NON_ASCII.test(s)) return true;
  return s.toLowerCase() === s.toUpperCase();
}

const NON_ASCII = /[^\x00-\x7f]/;

/** SQLite folds ASCII only: say so when a case-insensitive value has other cased letters. */
function warnFold(p: Pred, ctx: SqlCtx, s: string): void {
  if (!ctx.d.asciiFoldOnly || p.caseSensitive || !NON_ASCII.test(s)) return;
  if ([...s].some((c) => c.charCodeAt(0) > 127 && c.toLowerCase() !== c.toUpperCase())) {
    report(ctx, 'RB404', `sqlite folds ASCII letters only: '${s}' matches non-ASCII letters in this exact case`, p.origin);
  }
}

function renderPred(p: Pred, ctx: SqlCtx): string {
  if (p.op === 'keyword') return renderKeyword(p, ctx);
  const col = ctx.resolve(p.field, p.origin);
  if (!col) return FALSE_SQL;
  if (p.part) return renderPart(p, col, ctx);
  if (col.type === 'list') {
    report(ctx, 'RB401', `sql cannot match on the multi-value column '${p.field}' (values())`, p.origin);
    return FALSE_SQL;
  }
  if (col.multi && p.op !== 'exists') return renderEach(p, col, ctx);
  return renderOne(p, col, ctx);
}

/**
 * A predicate on a field that may hold a list: holds when some element matches, per value
 * (the evaluator's overField under its quantifier: with `all`, every value must match some
 * element, not necessarily the same one). `eq null` reads the whole value (missing or NULL).
 * Negation needs nothing more: NOT over "some element matches" is the evaluator's `not`.
 */
function renderEach(p: Pred, col: SqlCol, ctx: SqlCtx): string {
  const before = ctx.diags.length;
  const el = (q: Pred) => ctx.d.eachElement(col.sql, (v) => renderOne(q, { sql: v, type: 'text' }, ctx), 'rb_e');
  const isNull = p.op === 'eq' && p.values.some((v) => v === null);
  const values = isNull ? p.values.filter((v) => v !== null) : p.values;
  const parts = isNull ? [`${col.sql} IS NULL`] : [];
  if (values.length && p.quantifier === 'all') parts.push(...values.map((v) => el({ ...p, values: [v] })));
  else if (values.length) parts.push(el({ ...p, values }));
  dedupeDiags(ctx, before);
  return parts.length ? joinBool(parts, p.quantifier === 'all' ? 'AND' : 'OR') : FALSE_SQL;
}

/** A predicate on one value of a field. */
function renderOne(p: Pred, col: SqlCol, ctx: SqlCtx): string {
  if (p.op === 'keyword') return renderKeyword(p, ctx);
  const combine = (parts: string[]) => joinBool(parts, p.quantifier === 'all' ? 'AND' : 'OR');
  switch (p.op) {
    case 'exists':
      return p.values[0] === false ? `${col.sql} IS NULL` : `${col.sql} IS NOT NULL`;
    case 'eq':
      return renderEq(p, col, ctx);
    case 'contains':
    case 'startswith':
    case 'endswith':
    case 'wildcard':
      return combine(p.values.map((v) => renderPattern(p, col, v, ctx)));
    case 'regex':
      return combine(p.values.map((v) => renderRegex(p, col, v, ctx)));
    case 'cidr':
      if (!ctx.d.cidr) report(ctx, 'RB404', `sql (${ctx.d.name}) matches IP networks on the address text: only canonical spellings match (IPv4 without leading zeros or ::ffff:, IPv6 as in sql-cidr.ts)`, p.origin);
      return combine(p.values.map((v) => (ctx.d.cidr ? ctx.d.cidr(textOf(ctx, col), lit(ctx, String(v), p.origin)) : renderCidrText(p, textOf(ctx, col), String(v), ctx))));
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge': {
      const sym = { lt: '<', le: '<=', gt: '>', ge: '>=' }[p.op];
      const x = col.type === 'number' ? col.sql : ctx.d.toNumber(textOf(ctx, col));
      return combine(p.values.map((v) => {
        const n = asNumber(v);
        if (n === undefined) {
          report(ctx, 'RB401', `sql compares numbers only; '${String(v)}' is not a number`, p.origin);
          return FALSE_SQL;
        }
        return `${x} ${sym} ${num(ctx, n, p.origin)}`;
      }));
    }
    case 'fieldref':
      return combine(p.values.map((v) => {
        if (p.refOp && p.refOp !== 'eq') {
          report(ctx, 'RB401', `sql cannot express fieldref ${p.refOp}`, p.origin);
          return FALSE_SQL;
        }
        const other = ctx.resolve(String(v), p.origin);
        if (!other) return FALSE_SQL;
        const a = textOf(ctx, col);
        const cmp = (b: string) => (p.caseSensitive ? `${a} = ${b}` : `lower(${a}) = lower(${b})`);
        // Either side may be a list: the evaluator compares every pair of elements.
        return other.multi ? ctx.d.eachElement(other.sql, cmp, 'rb_f') : cmp(textOf(ctx, other));
      }));
    case 'placeholder':
      return renderPlaceholder(p, col, ctx);
  }
}

/** Sigma `|hour` and friends: the part of a timestamp column compared as a number. */
function renderPart(p: Pred, col: SqlCol, ctx: SqlCtx): string {
  const cmp: Record<string, string> = { eq: '=', lt: '<', le: '<=', gt: '>', ge: '>=' };
  if (col.type !== 'timestamp' || !cmp[p.op]) {
    report(ctx, 'RB401', `sql compares a part (${p.part}) of a timestamp column only, with eq/lt/le/gt/ge (here ${p.field}, ${p.op})`, p.origin);
    return FALSE_SQL;
  }
  const x = ctx.d.timePart(col.sql, p.part!);
  return joinBool(p.values.map((v) => {
    const n = asNumber(v);
    if (n === undefined) {
      report(ctx, 'RB401', `sql compares a timestamp's ${p.part} with numbers only; '${String(v)}' is not one`, p.origin);
      return FALSE_SQL;
    }
    return `${x} ${cmp[p.op]} ${num(ctx, n, p.origin)}`;
  }), p.quantifier === 'all' ? 'AND' : 'OR');
}

function renderEq(p: Pred, col: SqlCol, ctx: SqlCtx): string {
  const parts: string[] = [];
  const values = p.values.filter((v) => v !== null);
  if (values.length < p.values.length) parts.push(`${col.sql} IS NULL`);
  if (col.type === 'number' && values.every((v) => asNumber(v) !== undefined)) {
    const nums = values.map((v) => num(ctx, asNumber(v)!, p.origin));
    if (p.quantifier === 'all') parts.push(...nums.map((n) => `${col.sql} = ${n}`));
    else if (nums.length) parts.push(nums.length === 1 ? `${col.sql} = ${nums[0]}` : `${col.sql} IN (${nums.join(', ')})`);
  } else if (values.length) {
    const x = textOf(ctx, col);
    const texts = values.map((v) => canonEqText(scalarText(v)!));
    for (const t of texts) warnFold(p, ctx, t);
    const cs = p.caseSensitive || texts.every(caseless);
    const l = (t: string) => (cs ? lit(ctx, t, p.origin) : `lower(${lit(ctx, t, p.origin)})`);
    const lhs = cs ? x : `lower(${x})`;
    if (p.quantifier === 'all') parts.push(...texts.map((t) => `${lhs} = ${l(t)}`));
    else parts.push(texts.length === 1 ? `${lhs} = ${l(texts[0]!)}` : `${lhs} IN (${texts.map(l).join(', ')})`);
  }
  return joinBool(parts, p.quantifier === 'all' ? 'AND' : 'OR');
}

/** LIKE pattern text: `%`, `_` and `\` of literals escaped with `\`. */
const LIKE_SPECIAL = /[\\%_]/;

function likePattern(toks: GlobToken[]): string {
  return toks.map((t) => (t.t === 'any' ? '%' : t.t === 'one' ? '_' : LIKE_SPECIAL.test(t.v) ? t.v.replace(/[\\%_]/g, (c) => '\\' + c) : t.v)).join('');
}

/** SQLite GLOB pattern text: `*`, `?` and `[` of literals in brackets (GLOB has no escape char). */
function globPattern(toks: GlobToken[]): string {
  return toks.map((t) => (t.t === 'any' ? '*' : t.t === 'one' ? '?' : t.v.replace(/[*?[]/g, (c) => `[${c}]`))).join('');
}

function renderPattern(p: Pred, col: SqlCol, v: Scalar, ctx: SqlCtx): string {
  const s = scalarText(v);
  if (s === undefined) {
    report(ctx, 'RB401', `sql cannot match null with ${p.op}`, p.origin);
    return FALSE_SQL;
  }
  warnFold(p, ctx, s);
  const L: GlobToken = { t: 'lit', v: s };
  const toks: GlobToken[] =
    p.op === 'contains' ? [{ t: 'any' }, L, { t: 'any' }]
      : p.op === 'startswith' ? [L, { t: 'any' }]
        : p.op === 'endswith' ? [{ t: 'any' }, L]
          : parseGlob(s);
  const x = textOf(ctx, col);
  const cs = p.caseSensitive || caseless(s);
  if (cs && ctx.d.globCS) return `${x} GLOB ${lit(ctx, globPattern(toks), p.origin)}`;
  const pat = lit(ctx, likePattern(toks), p.origin);
  return cs ? ctx.d.likeCS(x, pat) : ctx.d.likeCI(x, pat);
}

function renderCidrText(p: Pred, x: string, net: string, ctx: SqlCtx): string {
  const v6 = net.includes(':');
  const pats = v6 ? ipv6Patterns(net) : ipv4Patterns(net);
  if ('error' in pats) {
    report(ctx, 'RB401', `sql (${ctx.d.name}) cannot express op.cidr: ${pats.error}`, p.origin);
    return FALSE_SQL;
  }
  // IPv6 hex digits may be written in either case: compare lower(x) with the lower-case patterns.
  const lx = v6 ? `lower(${x})` : x;
  const alts = pats.like.map((l) => `${lx} LIKE ${lit(ctx, l, p.origin)}`);
  if (pats.exact.length) alts.push(pats.exact.length === 1 ? `${lx} = ${lit(ctx, pats.exact[0]!, p.origin)}` : `${lx} IN (${pats.exact.map((e) => lit(ctx, e, p.origin)).join(', ')})`);
  return v6 ? joinBool(alts, 'OR') : `(${ctx.d.ipv4Shape(x)} AND ${joinBool(alts, 'OR')})`;
}

function renderRegex(p: Pred, col: SqlCol, v: Scalar, ctx: SqlCtx): string {
  const flags = p.flags ?? '';
  if (!ctx.d.regex) {
    report(ctx, 'RB401', `sql (${ctx.d.name}) cannot express op.regex`, p.origin);
    return FALSE_SQL;
  }
  if (/[^ms]/.test(flags)) {
    report(ctx, 'RB401', `sql cannot express regex flags '${flags}'`, p.origin);
    return FALSE_SQL;
  }
  if (typeof v !== 'string') {
    report(ctx, 'RB401', 'sql: a regex must be a string', p.origin);
    return FALSE_SQL;
  }
  if (v.includes('\u0000')) return lit(ctx, v, p.origin);
  const out = ctx.d.regex(textOf(ctx, col), v, !p.caseSensitive, flags);
  if (!out) {
    report(ctx, 'RB401', `sql (${ctx.d.name}) cannot run the regex /${v}/: its engine (RE2) has no lookaround or backreferences`, p.origin);
    return FALSE_SQL;
  }
  if (out.approx) report(ctx, 'RB404', out.approx, p.origin);
  return out.sql;
}

/**
 * A keyword (value-only) search: the glob matches some field of the event, i.e. one of the text
 * columns or one value (one element of a list) of the JSON column (the time and the logsource.*
 * tags are not searched).
 */
function renderKeyword(p: Pred, ctx: SqlCtx): string {
  const kc = ctx.keywordColumns;
  if (!kc) {
    report(ctx, 'RB401', 'sql searches keywords in the events table only, before any stage', p.origin);
    return FALSE_SQL;
  }
  const glob: Pred = { ...p, op: 'wildcard' };
  const before = ctx.diags.length;
  const out = joinBool(p.values.map((v) => {
    const inCols = kc.columns.map((c) => renderPattern(glob, c, v, ctx));
    // A JSON value may be a list (MULTI_VALUED, as JSON array text): its elements are searched.
    const inJson = ctx.d.anyJsonValue(kc.json, (x) => ctx.d.eachElement(x, (y) => renderPattern(glob, { sql: y, type: 'text' }, v, ctx), 'rb_k'));
    return joinBool([...inCols, inJson], 'OR');
  }), p.quantifier === 'all' ? 'AND' : 'OR');
  // One warning per value, not one per column searched.
  dedupeDiags(ctx, before);
  return out;
}

/** Drops repeats among the diagnostics added since `before` (a predicate rendered more than once). */
function dedupeDiags(ctx: SqlCtx, before: number): void {
  const seen = new Set<string>();
  const added = ctx.diags.splice(before).filter((x) => !seen.has(x.message) && seen.add(x.message));
  ctx.diags.push(...added);
}

/**
 * A Sigma placeholder: the field compares (refOp, default eq) to some entry of the named list,
 * read from the placeholder table at run time (see sql-layout.ts). Entries are literal strings.
 */
function renderPlaceholder(p: Pred, col: SqlCol, ctx: SqlCtx): string {
  const { placeholderTable } = sqlLayout();
  const d = ctx.d;
  const ci = !p.caseSensitive;
  if (ci && d.asciiFoldOnly) report(ctx, 'RB404', `sqlite folds ASCII letters only: entries of the placeholder list '${String(p.values[0])}' match non-ASCII letters in their exact case`, p.origin);
  const fold = (x: string) => (ci ? `lower(${x})` : x);
  const x = fold(textOf(ctx, col));
  const v = fold(`${d.ident('p')}.${d.ident('value')}`);
  const cmp = {
    eq: `${x} = ${v}`,
    contains: d.contains(x, v),
    startswith: `substr(${x}, 1, length(${v})) = ${v}`,
    endswith: `(length(${x}) >= length(${v}) AND substr(${x}, length(${x}) - length(${v}) + 1) = ${v})`,
  }[p.refOp ?? 'eq'];
  return `EXISTS (SELECT 1 FROM ${d.ident(placeholderTable)} AS ${d.ident('p')} WHERE ${d.ident('p')}.${d.ident('list')} = ${lit(ctx, String(p.values[0]), p.origin)} AND ${cmp})`;
}
