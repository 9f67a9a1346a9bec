/**
 * Computed values (eval, where) as SQL. Only the functions listed in FN are rendered; the
 * capability column declares the others unsupported, and an arity the SQL form cannot take is
 * an error here. strftime formats a timestamp column value (`@timestamp` or an aggregate of it).
 */
import { visitValue, type Call, type ValueExpr } from '../ir/index.js';
import { lit, num, report, type SqlCtx } from './sql-context.js';

/** Functions the SQL target renders: name → arity check and SQL. */
const FN: Record<string, { arity: number[]; sql: (a: string[], ctx: SqlCtx, c: Call) => string }> = {
  lower: { arity: [1], sql: ([x]) => `lower(${x})` },
  upper: { arity: [1], sql: ([x]) => `upper(${x})` },
  len: { arity: [1], sql: ([x]) => `length(${x})` },
  coalesce: { arity: [], sql: (a) => `COALESCE(${a.join(', ')})` },
  if: { arity: [3], sql: ([c, a, b]) => `(CASE WHEN ${c} THEN ${a} ELSE ${b} END)` },
  isnull: { arity: [1], sql: ([x]) => `(${x} IS NULL)` },
  isnotnull: { arity: [1], sql: ([x]) => `(${x} IS NOT NULL)` },
  abs: { arity: [1], sql: ([x]) => `abs(${x})` },
  trim: { arity: [1], sql: ([x]) => `trim(${x})` },
  ltrim: { arity: [1], sql: ([x]) => `ltrim(${x})` },
  rtrim: { arity: [1], sql: ([x]) => `rtrim(${x})` },
  // case(c1, v1, c2, v2, …): the first value whose condition holds, else NULL.
  case: {
    arity: [],
    sql: (a, ctx, c) => {
      if (a.length % 2) {
        report(ctx, 'RB401', 'sql: case() takes condition/value pairs', c.origin);
        return 'NULL';
      }
      const whens: string[] = [];
      for (let i = 0; i < a.length; i += 2) whens.push(`WHEN ${a[i]} THEN ${a[i + 1]}`);
      return `(CASE ${whens.join(' ')} END)`;
    },
  },
  // match(x, regex): SPL's case-sensitive, unanchored regex test.
  match: {
    arity: [2],
    sql: ([x], ctx, c) => {
      const re = c.args[1]!;
      const out = re.kind === 'lit' && typeof re.value === 'string' && !re.value.includes('\u0000') && ctx.d.regex ? ctx.d.regex(ctx.d.toText(x!), re.value, false, '') : undefined;
      if (!out) {
        report(ctx, 'RB401', `sql (${ctx.d.name}) cannot express match() here (a literal regex that RE2 runs is needed)`, c.origin);
        return 'NULL';
      }
      if (out.approx) report(ctx, 'RB404', out.approx, c.origin);
      return `(${out.sql})`;
    },
  },
  round: { arity: [1], sql: ([x]) => `round(${x})` },
  tostring: { arity: [1], sql: ([x], ctx) => ctx.d.toText(x!) },
  tonumber: { arity: [1], sql: ([x], ctx) => ctx.d.toNumber(ctx.d.toText(x!)) },
  strftime: {
    arity: [2],
    sql: ([x], ctx, c) => {
      const f = c.args[1]!;
      if (f.kind !== 'lit' || typeof f.value !== 'string') {
        report(ctx, 'RB401', 'sql: the strftime format must be a string literal', c.origin);
        return 'NULL';
      }
      const out = ctx.d.strftime(x!, f.value);
      if (typeof out === 'string') return out;
      report(ctx, 'RB401', `sql (${ctx.d.name}): ${out.error}`, c.origin);
      return 'NULL';
    },
  },
};

const BINARY: Record<string, string> = { '+': '+', '-': '-', '*': '*', '%': '%', '.': '||', '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=', and: 'AND', or: 'OR' };

/** Renders a value expression. */
export function renderValue(v: ValueExpr, ctx: SqlCtx): string {
  return visitValue<string>(v, {
    field: (n) => {
      const c = ctx.resolve(n.name, n.origin);
      return c ? c.sql : 'NULL';
    },
    lit: (n) =>
      n.value === null ? 'NULL'
        : typeof n.value === 'string' ? lit(ctx, n.value, n.origin)
          : typeof n.value === 'number' ? num(ctx, n.value, n.origin)
            : n.value ? 'TRUE' : 'FALSE',
    call: (n) => {
      const f = FN[n.fn];
      if (!f || (f.arity.length && !f.arity.includes(n.args.length))) {
        report(ctx, 'RB401', `sql cannot express ${n.fn}() with ${n.args.length} argument(s)`, n.origin);
        return 'NULL';
      }
      return f.sql(n.args.map((a) => renderValue(a, ctx)), ctx, n);
    },
    binary: (n) => {
      const a = renderValue(n.left, ctx);
      const b = renderValue(n.right, ctx);
      if (n.op === '/') return ctx.d.div(a, b);
      if (n.op === '.') return `(${textOrSelf(n.left, a, ctx)} || ${textOrSelf(n.right, b, ctx)})`;
      return `(${a} ${BINARY[n.op]} ${b})`;
    },
    unary: (n) => (n.op === 'not' ? `(NOT ${renderValue(n.arg, ctx)})` : `(-${renderValue(n.arg, ctx)})`),
  });
}

/** Concatenation operands as text (a number or a timestamp does not concatenate in every dialect). */
function textOrSelf(v: ValueExpr, sql: string, ctx: SqlCtx): string {
  return v.kind === 'lit' && typeof v.value === 'string' ? sql : ctx.d.toText(sql);
}
