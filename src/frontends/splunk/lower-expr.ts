/**
 * Search-language and eval-language expressions to IR expressions.
 * - search / tstats `where`: `field=value` is case-insensitive and `*` in the value is a
 *   wildcard (`?` is a literal: SPL has no one-character wildcard); `field!=value` is "the
 *   field exists and differs", unlike `NOT field=value` which also holds where it is missing
 *   (Splunk Search Reference, "Difference between NOT and !=").
 * - where / eval: comparisons, match() and like() are case-sensitive; like() uses `%` and `_`.
 */
import { diag, type Diagnostic, type Origin } from '../../diagnostics/index.js';
import { and, escapeGlob, not, or, pred, FUNCTIONS, type BinaryOp, type Expr, type Scalar, type ValueExpr } from '../../ir/index.js';
import type { EvalNode, SearchNode } from './ast.js';
import type { FieldContext } from './fields.js';
import type { Token } from './lexer.js';

/** Thrown to abandon an expression that has no meaning-preserving lowering (after RB250/RB253). */
export class LowerStop extends Error {}

/** Reports RB250 naming the construct and abandons the expression. */
export function unsupported(ds: Diagnostic[], what: string, at: Origin): never {
  ds.push(diag('RB250', `cannot lower ${what}`, at));
  throw new LowerStop(what);
}

const TIME_MODIFIERS = new Set(['earliest', 'latest', 'starttime', 'endtime', 'starthoursago', 'endhoursago', 'startdaysago', 'enddaysago', 'startminutesago', 'endminutesago', 'timeformat']);

/** A search-language value as a glob: every `*` is a wildcard, everything else literal. */
export function searchGlob(value: string): { glob: string; wild: boolean } {
  const parts = value.split('*');
  return { glob: parts.map(escapeGlob).join('*'), wild: parts.length > 1 };
}

function numeric(s: string): number | undefined {
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : undefined;
}

/** Lowers a search-language expression. */
export function lowerSearch(n: SearchNode, ctx: FieldContext): Expr {
  const ds = ctx.ds;
  switch (n.kind) {
    case 'and': return and(n.args.map((a) => lowerSearch(a, ctx)), n.at);
    case 'or': return or(n.args.map((a) => lowerSearch(a, ctx)), n.at);
    case 'not': return not(lowerSearch(n.arg, ctx), n.at);
    case 'subsearch':
      return unsupported(ds, 'a subsearch', n.at);
    case 'term':
      if (n.value.value === '*') return { kind: 'const', value: true, origin: n.at };
      if (/^(and|or|not)$/i.test(n.value.raw)) unsupported(ds, `the search term '${n.value.raw}': Splunk reads a boolean operator only in upper case (AND, OR, NOT), so this is a word to find in the raw event`, n.at);
      return unsupported(ds, `the bare search term '${n.value.raw}' (Splunk matches it against the indexed segments of the raw event)`, n.at);
    case 'in': {
      const field = ctx.canonical(n.field, n.at);
      return valuesPred(field, n.values, n.at);
    }
    case 'cmp': {
      if (TIME_MODIFIERS.has(n.field.toLowerCase())) unsupported(ds, `the time modifier '${n.field}'`, n.at);
      const field = ctx.canonical(n.field, n.at);
      const v = n.value;
      if (n.op === '=' || n.op === '!=') {
        const p = v.value === '*' ? pred(field, 'exists', [true], { origin: n.at }) : valuesPred(field, [v], n.at);
        if (n.op === '=') return p;
        if (v.value === '*') return not(p, n.at);
        return and([pred(field, 'exists', [true], { origin: n.at }), not(p, n.at)], n.at);
      }
      const num = numeric(v.value);
      if (num === undefined) unsupported(ds, `'${n.field}${n.op}${v.raw}' (a non-numeric ordering comparison)`, n.at);
      const op = ({ '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' } as const)[n.op];
      return pred(field, op, [num], { origin: n.at });
    }
  }
}

function valuesPred(field: string, values: Token[], at: Origin): Expr {
  const globs = values.map((t) => searchGlob(t.value));
  if (globs.some((g) => g.wild)) return pred(field, 'wildcard', globs.map((g) => g.glob), { origin: at });
  return pred(field, 'eq', values.map((t) => t.value), { origin: at });
}

const CMP_OPS: Record<string, 'eq' | 'lt' | 'le' | 'gt' | 'ge'> = { '=': 'eq', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' };
const FLIP: Record<string, string> = { '=': '=', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** Lowers a where/eval boolean expression: predicates where they exist, else a `test`. */
export function lowerCondition(n: EvalNode, ctx: FieldContext): Expr {
  if (n.kind === 'binary' && (n.op === 'and' || n.op === 'or')) {
    const args = [lowerCondition(n.left, ctx), lowerCondition(n.right, ctx)];
    return n.op === 'and' ? and(args, n.at) : or(args, n.at);
  }
  if (n.kind === 'unary' && n.op === 'not') return not(lowerCondition(n.arg, ctx), n.at);
  if (n.kind === 'binary' && FLIP[n.op]) {
    let { left, right } = n;
    let op = n.op;
    if (left.kind !== 'field' && right.kind === 'field') { [left, right] = [right, left]; op = FLIP[op]!; }
    if (left.kind === 'field' && (right.kind === 'str' || right.kind === 'num' || right.kind === 'field')) {
      const field = ctx.canonical(left.name, left.at);
      let p: Expr;
      if (right.kind === 'field') {
        if (op !== '=' && op !== '!=') return test(n, ctx);
        p = pred(field, 'fieldref', [ctx.canonical(right.name, right.at)], { caseSensitive: true, origin: n.at });
      } else if (op === '=' || op === '!=') p = pred(field, 'eq', [right.value], { caseSensitive: true, origin: n.at });
      else if (right.kind === 'num') p = pred(field, CMP_OPS[op]!, [right.value], { origin: n.at });
      else return test(n, ctx);
      if (op !== '!=') return p;
      // a != b is null, so false, where either side is null: both fields must exist.
      const exists = [pred(field, 'exists', [true], { origin: n.at })];
      if (right.kind === 'field') exists.push(pred(ctx.canonical(right.name, right.at), 'exists', [true], { origin: n.at }));
      return and([...exists, not(p, n.at)], n.at);
    }
  }
  if (n.kind === 'call') {
    const [a, b] = n.args;
    if ((n.fn === 'like' || n.fn === 'match') && a?.kind === 'field' && b?.kind === 'str' && n.args.length === 2) {
      const field = ctx.canonical(a.name, a.at);
      if (n.fn === 'match') return pred(field, 'regex', [b.value], { caseSensitive: true, origin: n.at });
      return pred(field, 'wildcard', [likeToGlob(b.value)], { caseSensitive: true, origin: n.at });
    }
    if ((n.fn === 'isnull' || n.fn === 'isnotnull') && a?.kind === 'field' && n.args.length === 1) {
      return pred(ctx.canonical(a.name, a.at), 'exists', [n.fn === 'isnotnull'], { origin: n.at });
    }
    if (n.fn === 'cidrmatch' && a?.kind === 'str' && b?.kind === 'field' && n.args.length === 2) {
      return pred(ctx.canonical(b.name, b.at), 'cidr', [a.value], { origin: n.at });
    }
    if (n.fn === 'searchmatch') unsupported(ctx.ds, 'searchmatch()', n.at);
  }
  return test(n, ctx);
}

function test(n: EvalNode, ctx: FieldContext): Expr {
  return { kind: 'test', expr: lowerValue(n, ctx), origin: n.at };
}

/** SPL like(): `%` any run, `_` one character; every other character literal. */
export function likeToGlob(pattern: string): string {
  let out = '';
  for (const ch of pattern) out += ch === '%' ? '*' : ch === '_' ? '?' : escapeGlob(ch);
  return out;
}

const FN_ALIASES: Record<string, string> = {};
const BINARY: Record<string, BinaryOp> = { '+': '+', '-': '-', '*': '*', '/': '/', '%': '%', '.': '.', '=': '=', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=', and: 'and', or: 'or' };

/** Lowers an eval-language value. Unknown functions are RB253. */
export function lowerValue(n: EvalNode, ctx: FieldContext): ValueExpr {
  switch (n.kind) {
    case 'field': return { kind: 'field', name: ctx.canonical(n.name, n.at), origin: n.at };
    case 'str': return { kind: 'lit', value: n.value, origin: n.at };
    case 'num': return { kind: 'lit', value: n.value as Scalar, origin: n.at };
    case 'unary': return { kind: 'unary', op: n.op, arg: lowerValue(n.arg, ctx), origin: n.at };
    case 'binary': {
      const op = BINARY[n.op];
      if (!op) unsupported(ctx.ds, `the operator '${n.op}'`, n.at);
      return { kind: 'binary', op, left: lowerValue(n.left, ctx), right: lowerValue(n.right, ctx), origin: n.at };
    }
    case 'call': {
      if (n.fn === 'null' && n.args.length === 0) return { kind: 'lit', value: null, origin: n.at };
      if ((n.fn === 'true' || n.fn === 'false') && n.args.length === 0) return { kind: 'lit', value: n.fn === 'true', origin: n.at };
      if (n.fn === 'pow' && n.args.length === 2) return pow(n, ctx);
      if (n.fn === 'mvfilter') return mvfilter(n, ctx);
      if (n.fn === 'mvmap') return mvmap(n, ctx);
      const fn = FN_ALIASES[n.fn] ?? n.fn;
      const def = (FUNCTIONS as Record<string, { min: number; max: number }>)[fn];
      if (!def) {
        ctx.ds.push(diag('RB253', `unknown or unsupported eval function '${n.fn}()'`, n.at));
        throw new LowerStop(n.fn);
      }
      if (n.args.length < def.min || n.args.length > def.max) unsupported(ctx.ds, `${n.fn}() with ${n.args.length} argument(s)`, n.at);
      return { kind: 'call', fn, args: n.args.map((a) => lowerValue(a, ctx)), origin: n.at };
    }
  }
}

/** The distinct field names an eval expression reads. */
function fieldsOf(n: EvalNode, out = new Set<string>()): Set<string> {
  if (n.kind === 'field') out.add(n.name);
  else if (n.kind === 'call') for (const a of n.args) fieldsOf(a, out);
  else if (n.kind === 'binary') { fieldsOf(n.left, out); fieldsOf(n.right, out); }
  else if (n.kind === 'unary') fieldsOf(n.arg, out);
  return out;
}

/**
 * mvfilter(cond): the condition names exactly one field, whose values it filters (Search
 * Reference, multivalue eval functions); the IR names that field as its first argument.
 */
function mvfilter(n: Extract<EvalNode, { kind: 'call' }>, ctx: FieldContext): ValueExpr {
  if (n.args.length !== 1) unsupported(ctx.ds, `mvfilter() with ${n.args.length} argument(s)`, n.at);
  const names = [...fieldsOf(n.args[0]!)];
  if (names.length !== 1) unsupported(ctx.ds, `mvfilter() over ${names.length} fields (its condition must name exactly one)`, n.at);
  const field = ctx.canonical(names[0]!, n.at);
  return { kind: 'call', fn: 'mvfilter', args: [{ kind: 'lit', value: field, origin: n.at }, lowerValue(n.args[0]!, ctx)], origin: n.at };
}

/**
 * mvmap(field, expr) (Search Reference, multivalue eval functions): the first argument names the
 * field whose values `expr` reads one at a time; the IR names it as a literal, as for mvfilter.
 */
function mvmap(n: Extract<EvalNode, { kind: 'call' }>, ctx: FieldContext): ValueExpr {
  const [f, e] = n.args;
  if (n.args.length !== 2 || f?.kind !== 'field') unsupported(ctx.ds, 'mvmap() whose first argument is not a field name', n.at);
  const field = ctx.canonical(f.name, n.at);
  return { kind: 'call', fn: 'mvmap', args: [{ kind: 'lit', value: field, origin: n.at }, lowerValue(e!, ctx)], origin: n.at };
}

/**
 * pow(x, y) has no IR function: two number literals fold to their value, and a small whole
 * exponent of a computed base is a product (`x*x*x`), the same number; anything else is RB253.
 */
function pow(n: Extract<EvalNode, { kind: 'call' }>, ctx: FieldContext): ValueExpr {
  const [b, e] = n.args as [EvalNode, EvalNode];
  if (b.kind === 'num' && e.kind === 'num' && Number.isFinite(b.value ** e.value)) return { kind: 'lit', value: b.value ** e.value, origin: n.at };
  if (e.kind === 'num' && Number.isInteger(e.value) && e.value >= 1 && e.value <= 4) {
    const base = lowerValue(b, ctx);
    let out: ValueExpr = base;
    for (let i = 1; i < e.value; i++) out = { kind: 'binary', op: '*', left: out, right: base, origin: n.at };
    return out;
  }
  ctx.ds.push(diag('RB253', `unknown or unsupported eval function 'pow()' (only a literal exponent from 1 to 4, or two literals, is lowered)`, n.at));
  throw new LowerStop('pow');
}
