/** Boolean expressions → closures, built once per rule (no eval of rule text). */
import type { Diagnostic } from '../diagnostics/index.js';
import { visitExpr, type Expr } from '../ir/index.js';
import { compilePred, type RowTest } from './compile-pred.js';
import { compileValue } from './compile-value.js';

export type { RowTest };

/** Compiles an expression; problems are pushed onto `diags` (the closure then never matches there). */
export function compileExpr(e: Expr, diags: Diagnostic[]): RowTest {
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
