/** Boolean expressions → closures, built once per rule (no eval of rule text). */
import type { Diagnostic } from '../diagnostics/index.js';
import { visitExpr, type Expr } from '../ir/index.js';
import { compilePred, type RowTest } from './compile-pred.js';
import { compileValue } from './compile-value.js';

export type { RowTest };

/** The expression each compiled test came from, for the literal prefilter (prefilter.ts). */
const SOURCES = new WeakMap<RowTest, Expr>();

/** The expression a test returned by compileExpr was compiled from. */
export function sourceOf(t: RowTest): Expr | undefined {
  return SOURCES.get(t);
}

/** Compiles an expression; problems are pushed onto `diags` (the closure then never matches there). */
export function compileExpr(e: Expr, diags: Diagnostic[]): RowTest {
  let t = compileNode(e, diags);
  // A shared closure (the constant never-test) gets its own wrapper, so that it names one source.
  if (SOURCES.has(t)) { const inner = t; t = (row) => inner(row); }
  SOURCES.set(t, e);
  return t;
}

function compileNode(e: Expr, diags: Diagnostic[]): RowTest {
  return visitExpr<RowTest>(e, {
    and: (n) => {
      const parts = n.args.map((a) => compileExpr(a, diags));
      return (row) => { for (const p of parts) if (!p(row)) return false; return true; };
    },
    or: (n) => {
      const parts = n.args.map((a) => compileExpr(a, diags));
      return (row) => { for (const p of parts) if (p(row)) return true; return false; };
    },
    not: (n) => {
      const a = compileExpr(n.arg, diags);
      return (row) => !a(row);
    },
    const: (n) => (n.value ? () => true : () => false),
    // SPL where: only a true result keeps the row (null and false drop it).
    test: (n) => {
      const v = compileValue(n.expr, diags);
      return (row) => v(row) === true;
    },
    pred: (n) => compilePred(n, diags),
  });
}
