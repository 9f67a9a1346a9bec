/**
 * Value expressions (SPL eval/where) → closures. Arithmetic and comparisons follow SPL eval:
 * null in, null out; `+` adds numbers and concatenates otherwise; `=`/`!=` and `<`… compare
 * numerically when both sides are numbers, else as case-sensitive strings.
 */
import { diag, type Diagnostic } from '../diagnostics/index.js';
import { FUNCTIONS, visitValue, type BinaryOp, type ValueExpr } from '../ir/index.js';
import { asString, isMissing, type Row } from './row.js';
import { toNumber } from './normalize/values.js';
import { IMPLS, type Arg } from './functions.js';

/** A compiled value expression. */
export type RowValue = (row: Row) => unknown;

function compare(op: BinaryOp, a: unknown, b: unknown): boolean | null {
  if (isMissing(a) || isMissing(b)) return null;
  const na = toNumber(a), nb = toNumber(b);
  const both = na !== undefined && nb !== undefined;
  const x: number | string = both ? na! : asString(a) ?? '';
  const y: number | string = both ? nb! : asString(b) ?? '';
  switch (op) {
    case '=': return x === y;
    case '!=': return x !== y;
    case '<': return x < y;
    case '<=': return x <= y;
    case '>': return x > y;
    default: return x >= y;
  }
}

function arith(op: BinaryOp, a: unknown, b: unknown): unknown {
  if (isMissing(a) || isMissing(b)) return null;
  const na = toNumber(a), nb = toNumber(b);
  if (op === '.' || (op === '+' && (na === undefined || nb === undefined))) return (asString(a) ?? '') + (asString(b) ?? '');
  if (na === undefined || nb === undefined) return null;
  switch (op) {
    case '+': return na + nb;
    case '-': return na - nb;
    case '*': return na * nb;
    case '/': return nb === 0 ? null : na / nb;
    default: return nb === 0 ? null : na % nb;
  }
}

/** Compiles a value expression; unsupported calls report RB504 (bad regex RB503) and yield null. */
export function compileValue(e: ValueExpr, diags: Diagnostic[]): RowValue {
  return visitValue<RowValue>(e, {
    field: (n) => (row) => row.get(n.name) ?? null,
    lit: (n) => () => n.value,
    unary: (n) => {
      const a = compileValue(n.arg, diags);
      return n.op === 'not' ? (row) => { const v = a(row); return v === null || v === undefined ? null : v !== true; } : (row) => { const v = toNumber(a(row)); return v === undefined ? null : -v; };
    },
    binary: (n) => {
      const l = compileValue(n.left, diags), r = compileValue(n.right, diags);
      const op = n.op;
      if (op === 'and') return (row) => l(row) === true && r(row) === true;
      if (op === 'or') return (row) => l(row) === true || r(row) === true;
      if (op === '=' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=') return (row) => compare(op, l(row), r(row));
      return (row) => arith(op, l(row), r(row));
    },
    call: (n) => {
      const def = (FUNCTIONS as Record<string, { min: number; max: number }>)[n.fn];
      const impl = (IMPLS as Record<string, (typeof IMPLS)[keyof typeof IMPLS]>)[n.fn];
      if (!def || !impl) {
        diags.push(diag('RB504', `the evaluator has no function ${n.fn}()`, n.origin));
        return () => null;
      }
      if (n.args.length < def.min || n.args.length > def.max) {
        diags.push(diag('RB504', `${n.fn}() takes ${def.min}..${def.max} arguments, got ${n.args.length}`, n.origin));
        return () => null;
      }
      const args: Arg[] = n.args.map((a) => ({ get: compileValue(a, diags), isLit: a.kind === 'lit', ...(a.kind === 'lit' ? { lit: a.value } : {}) }));
      const f = impl(args);
      if (typeof f === 'string') {
        diags.push(f.startsWith('RB503:') ? diag('RB503', `${n.fn}(): regex not supported by the linear-time engine: ${f.slice(6)}`, n.origin) : diag('RB504', f, n.origin));
        return () => null;
      }
      return f;
    },
  });
}
