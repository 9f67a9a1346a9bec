/**
 * Boolean expressions in KQL. String operators follow learn.microsoft.com/kusto/query/datatypes-string-operators:
 * `=~`, `in~`, `contains`, `startswith`, `endswith` fold case; `==`, `in`, `*_cs` do not. `has` is
 * term-based, so it never stands for a substring match here. Globs and regexes use
 * `matches regex` (RE2, unanchored), with `(?i)` when case folds.
 */
import { RE2JS } from 're2js';
import { diag } from '../diagnostics/index.js';
import type { Expr, Pred, Scalar, TimePart } from '../ir/index.js';
import { parseGlob, visitExpr } from '../ir/index.js';
import { globRegex, kqlNumber, kqlString } from './kql-literal.js';
import { NUMERIC_TYPES, type Resolved } from './kql-mapping.js';
import { at, compared, missingHere, type KqlCtx } from './kql-scope.js';
import { renderTest } from './kql-value.js';
import { renderMvPred } from './kql-expr-mv.js';


/** Renders a boolean expression, or undefined after reporting why it cannot be. */
export function renderExpr(ctx: KqlCtx, e: Expr): string | undefined {
  return visitExpr<string | undefined>(e, {
    and: (n) => junction(ctx, n.args, 'and'),
    or: (n) => junction(ctx, n.args, 'or'),
    not: (n) => {
      ctx.negated = (ctx.negated ?? 0) + 1;
      const inner = renderExpr(ctx, n.arg);
      ctx.negated--;
      return inner === undefined ? undefined : `not(${inner})`;
    },
    const: (n) => (n.value ? 'true' : 'false'),
    test: (n) => {
      // Only a true result keeps the row (SPL where); under a not, null must count as false.
      const t = renderTest(ctx, n.expr);
      return t === undefined ? undefined : twoValued(ctx, t);
    },
    pred: (n) => renderPred(ctx, n),
  });
}

function junction(ctx: KqlCtx, args: Expr[], op: 'and' | 'or'): string | undefined {
  const parts = args.map((a) => {
    const s = renderExpr(ctx, a);
    return s !== undefined && s !== 'true' && (a.kind === 'and' || a.kind === 'or') ? `(${s})` : s;
  });
  if (parts.some((p) => p === undefined)) return undefined;
  // A condition the table implies (rendered `true`) is dropped from an and, and decides an or.
  if (op === 'or' && parts.includes('true')) return 'true';
  const kept = parts.filter((p) => p !== 'true') as string[];
  return kept.length ? balanced(kept, op) : 'true';
}

/** Largest run joined flat; longer ones nest in halves, since Kusto bounds the syntax depth of a query. */
const FLAT = 16;

/**
 * `a or b or …` as KQL parses it nests one level per operand, and a long value list (Sigma rules
 * have hundreds) exceeds the depth Kusto analyses (KS245). Parenthesized halves keep the depth
 * logarithmic with the same meaning.
 */
export function balanced(parts: string[], op: 'and' | 'or'): string {
  if (parts.length <= FLAT) return parts.join(` ${op} `);
  const mid = Math.ceil(parts.length / 2);
  return `(${balanced(parts.slice(0, mid), op)}) ${op} (${balanced(parts.slice(mid), op)})`;
}

/** Joins per-value conditions by the predicate's quantifier. */
function combine(parts: string[], p: Pred): string {
  if (parts.length === 1) return parts[0]!;
  return '(' + balanced(parts, p.quantifier === 'all' ? 'and' : 'or') + ')';
}

/**
 * A comparison that is null when its input is null (`x > 3`, ipv4_is_in_range on a non-address),
 * made false instead. Only needed under a `not`: `where` drops null rows, but not(null) is null too,
 * so `not x > 3` would drop the events without x, which Sigma and SPL keep
 * (learn.microsoft.com/kusto/query/scalar-data-types/null-values).
 */
function twoValued(ctx: KqlCtx, cond: string): string {
  return ctx.negated ? `coalesce(${cond}, false)` : cond;
}

function bad(ctx: KqlCtx, p: Pred, why: string): undefined {
  ctx.diags.push(diag('RB430', `kql: ${why}`, at(ctx, p.origin)));
  return undefined;
}

/** A value as the text a string comparison needs. */
function asText(v: Scalar): string {
  return v === null ? '' : String(v);
}

/** A number the value stands for, when it is one (a JS number, or a string in canonical decimal form). */
function asNumber(v: Scalar): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^-?(0|[1-9]\d*)(\.\d+)?$/.test(v)) return Number(v);
  return undefined;
}

/** Per regex: whether it matches '' (or RE2's reason to reject it); a rule renders once per flavour tried. */
const EMPTY_MATCH = new Map<string, boolean | string>();

function emptyMatch(re: string): boolean | string {
  let r = EMPTY_MATCH.get(re);
  if (r === undefined) {
    try {
      r = RE2JS.compile(re).matcher('').find();
    } catch (err) {
      r = (err as Error).message;
    }
    if (EMPTY_MATCH.size >= 10_000) EMPTY_MATCH.clear();
    EMPTY_MATCH.set(re, r);
  }
  return r;
}

/** Renders one predicate. */
export function renderPred(ctx: KqlCtx, p: Pred): string | undefined {
  if (p.op === 'keyword') return bad(ctx, p, 'a value-only (keyword) search has no exact KQL form');
  if (p.field === 'event.code' && !ctx.scope.resolve(p.field)) return eventCode(ctx, p);
  const missing = [p.field, ...(p.op === 'fieldref' ? p.values.map(asText) : [])].find((f) => missingHere(ctx, f) === 'absent');
  if (missing !== undefined) {
    // The row holds exactly the known columns here: the field is null, as SPL reads it; a
    // predicate on a missing field is false, a test of its absence true (the evaluator's pred).
    ctx.diags.push(diag('RB432', `kql: field '${missing}' is not a column of the rows here (SPL reads it as null), so the condition on it is ${p.op === 'exists' && missing === p.field ? 'its test of presence' : 'false'}`, at(ctx, p.origin)));
    return p.op === 'exists' && missing === p.field ? combine(p.values.map((v) => String(v === false)), p) : 'false';
  }
  const col = compared(ctx, p.field, p.origin, 'field');
  if (!col) return undefined;
  if (p.part) return timePart(ctx, p, col);
  if (col.type === 'dynamic') return renderMvPred(ctx, p, col);
  const isStr = col.type === 'string';
  const text = isStr ? col.text : `tostring(${col.text})`;
  const cs = p.caseSensitive ? '_cs' : '';
  switch (p.op) {
    case 'eq':
      return eq(ctx, p, col);
    case 'contains':
    case 'startswith':
    case 'endswith':
      return combine(p.values.map((v) => (asText(v) === '' ? present(col) : `${text} ${p.op}${cs} ${kqlString(asText(v))}`)), p);
    case 'wildcard':
      return combine(p.values.map((v) => (matchesAnything(asText(v)) ? present(col) : `${text} matches regex ${kqlString(globRegex(asText(v), p.caseSensitive))}`)), p);
    case 'regex': {
      if (p.flags && !/^[ms]*$/.test(p.flags)) return bad(ctx, p, `regex flags '${p.flags}' are not supported`);
      const flags = (p.caseSensitive ? '' : 'i') + (p.flags ?? '');
      const out: string[] = [];
      for (const v of p.values) {
        const re = asText(v);
        const matchesEmpty = emptyMatch(re);
        if (typeof matchesEmpty === 'string') return bad(ctx, p, `the regex /${re}/ is not valid RE2 syntax, which KQL matches with (${matchesEmpty})`);
        const cond = `${text} matches regex ${kqlString((flags ? `(?${flags})` : '') + re)}`;
        // A regex that matches '' would match an absent field, which KQL reads as ''.
        out.push(matchesEmpty ? `(${present(col)} and ${cond})` : cond);
      }
      return combine(out, p);
    }
    case 'cidr':
      return cidr(ctx, p, text);
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      return compare(ctx, p, col);
    case 'exists': {
      const fn = (want: boolean) => (isStr ? (want ? 'isnotempty' : 'isempty') : want ? 'isnotnull' : 'isnull');
      return combine(p.values.map((v) => `${fn(v !== false)}(${col.text})`), p);
    }
    case 'fieldref': {
      const out: string[] = [];
      for (const v of p.values) {
        const other = compared(ctx, asText(v), p.origin, 'field');
        if (!other) return undefined;
        const rhs = other.type === 'string' ? other.text : `tostring(${other.text})`;
        const op = p.refOp ?? 'eq';
        if (op === 'eq') out.push(`${text} ${p.caseSensitive ? '==' : '=~'} ${rhs}`);
        else out.push(`${text} ${op}${cs} ${rhs}`);
      }
      return combine(out, p);
    }
  }
}

/**
 * A pattern that matches every string (`*`, or a contains/startswith/endswith of '') matches
 * every event that has the field. KQL keeps an absent string as '', which such a pattern would
 * match too, so it is rendered as a presence test (SPL `field=*`).
 */
function present(col: Resolved): string {
  return col.type === 'string' ? `isnotempty(${col.text})` : `isnotnull(${col.text})`;
}

function matchesAnything(glob: string): boolean {
  const toks = parseGlob(glob);
  return toks.length > 0 && toks.every((t) => t.t === 'any');
}

/**
 * Equality. A null value means "null or missing": KQL strings are never null (an absent value
 * is the empty string), so strings test isempty() and other types isnull().
 */
function eq(ctx: KqlCtx, p: Pred, col: Resolved): string | undefined {
  const isStr = col.type === 'string';
  const parts: string[] = [];
  const strings: string[] = [];
  const numbers: string[] = [];
  for (const v of p.values) {
    if (v === null) parts.push(isStr ? `isempty(${col.text})` : `isnull(${col.text})`);
    else if (NUMERIC_TYPES.has(col.type) && asNumber(v) !== undefined) numbers.push(kqlNumber(asNumber(v)!)!);
    else if (col.type === 'bool' && /^(true|false)$/i.test(String(v))) numbers.push(String(v).toLowerCase());
    else strings.push(asText(v));
  }
  const all = p.quantifier === 'all';
  const text = isStr ? col.text : `tostring(${col.text})`;
  if (numbers.length === 1 || (all && numbers.length)) parts.push(...numbers.map((n) => `${col.text} == ${n}`));
  else if (numbers.length) parts.push(`${col.text} in (${numbers.join(', ')})`);
  const [eqOp, inOp] = p.caseSensitive ? ['==', 'in'] : ['=~', 'in~'];
  if (strings.length === 1 || (all && strings.length)) parts.push(...strings.map((s) => `${text} ${eqOp} ${kqlString(s)}`));
  else if (strings.length) parts.push(`${text} ${inOp} (${strings.map(kqlString).join(', ')})`);
  return combine(parts, p);
}

function compare(ctx: KqlCtx, p: Pred, col: Resolved): string | undefined {
  const sym = { lt: '<', le: '<=', gt: '>', ge: '>=' }[p.op as 'lt' | 'le' | 'gt' | 'ge'];
  const lhs = NUMERIC_TYPES.has(col.type) ? col.text : col.type === 'string' ? `todouble(${col.text})` : undefined;
  if (!lhs) return bad(ctx, p, `field '${p.field}' is a ${col.type} column; it cannot be compared with a number`);
  return numberComparisons(ctx, p, lhs, sym);
}

/** `lhs sym n` for each value of the predicate, each a number, combined by its quantifier. */
function numberComparisons(ctx: KqlCtx, p: Pred, lhs: string, sym: string): string | undefined {
  const out: string[] = [];
  for (const v of p.values) {
    const n = asNumber(v);
    if (n === undefined) return bad(ctx, p, `'${asText(v)}' is not a number`);
    out.push(twoValued(ctx, `${lhs} ${sym} ${kqlNumber(n)!}`));
  }
  return combine(out, p);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
const IPV6 = /^[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*(\/(12[0-8]|1[01]\d|[1-9]?\d))?$/;

/** CIDR: ipv4_is_in_range / ipv6_is_in_range, which return false for an address of the other family. */
function cidr(ctx: KqlCtx, p: Pred, text: string): string | undefined {
  const out: string[] = [];
  for (const v of p.values) {
    const net = asText(v);
    if (IPV4.test(net)) out.push(twoValued(ctx, `ipv4_is_in_range(${text}, ${kqlString(net)})`));
    else if (IPV6.test(net)) out.push(twoValued(ctx, `ipv6_is_in_range(${text}, ${kqlString(net)})`));
    else return bad(ctx, p, `'${net}' is not an IPv4 or IPv6 network`);
  }
  return combine(out, p);
}

/** KQL datetime_part names of the IR's time parts; `week` is left out (ISO weeks differ from Sigma's). */
const PARTS: Partial<Record<TimePart, string>> = { minute: 'minute', hour: 'hour', day: 'day', month: 'month', year: 'year' };

function timePart(ctx: KqlCtx, p: Pred, col: Resolved): string | undefined {
  const part = PARTS[p.part!];
  if (!part) return bad(ctx, p, `the time part '${p.part}' has no exact KQL form`);
  if (col.type !== 'datetime') return bad(ctx, p, `field '${p.field}' is not a datetime column`);
  const lhs = `datetime_part(${kqlString(part)}, ${col.text})`;
  const sym = { eq: '==', lt: '<', le: '<=', gt: '>', ge: '>=' }[p.op as 'eq'];
  if (!sym) return bad(ctx, p, `operator '${p.op}' on a time part`);
  return numberComparisons(ctx, p, lhs, sym);
}

/**
 * `event.code` has no column: the table (with its ActionType filter) already selects the
 * source's events, so equality with one of the ids it selects is true; anything else is RB403.
 */
function eventCode(ctx: KqlCtx, p: Pred): string | undefined {
  const codes = ctx.scope.table?.entry.eventCodes ?? [];
  const ok = p.op === 'eq' && p.values.length > 0 && (p.quantifier === 'any' || p.values.length === 1) && p.values.every((v) => codes.includes(asNumber(v) ?? NaN));
  if (!ok) {
    const where = ctx.scope.table ? `table ${ctx.scope.table.name}` : 'the columns at this point of the pipeline';
    ctx.diags.push(diag('RB403', `kql (${ctx.mapping.flavour}): ${where} has no column for field 'event.code'; only equality with ${codes.join(', ') || 'no event id'} is implied by the table`, at(ctx, p.origin)));
    return undefined;
  }
  ctx.diags.push(diag('RB404', `kql (${ctx.mapping.flavour}): the event id condition is implied by table ${ctx.scope.table!.name} and rendered as true`, at(ctx, p.origin)));
  return 'true';
}
