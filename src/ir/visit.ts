/** Exhaustive visitors over the IR: a missing `kind` is a compile error. */
import type { Expr, ExprKind, Stage, StageKind, ValueExpr, ValueExprKind } from './nodes.js';

/** One handler per expression kind. */
export type ExprVisitor<R> = { [K in ExprKind]: (node: Extract<Expr, { kind: K }>) => R };
/** One handler per stage kind. */
export type StageVisitor<R> = { [K in StageKind]: (node: Extract<Stage, { kind: K }>) => R };
/** One handler per value-expression kind. */
export type ValueVisitor<R> = { [K in ValueExprKind]: (node: Extract<ValueExpr, { kind: K }>) => R };

export function visitExpr<R>(e: Expr, v: ExprVisitor<R>): R {
  return (v[e.kind] as (n: Expr) => R)(e);
}
export function visitStage<R>(s: Stage, v: StageVisitor<R>): R {
  return (v[s.kind] as (n: Stage) => R)(s);
}
export function visitValue<R>(e: ValueExpr, v: ValueVisitor<R>): R {
  return (v[e.kind] as (n: ValueExpr) => R)(e);
}

/** Calls `fn` on every node of an expression tree, parents first. */
export function walkExpr(e: Expr, fn: (node: Expr) => void): void {
  fn(e);
  if (e.kind === 'and' || e.kind === 'or') for (const a of e.args) walkExpr(a, fn);
  else if (e.kind === 'not') walkExpr(e.arg, fn);
}

/** Calls `fn` on every node of a value expression, parents first. */
export function walkValue(e: ValueExpr, fn: (node: ValueExpr) => void): void {
  fn(e);
  if (e.kind === 'call') for (const a of e.args) walkValue(a, fn);
  else if (e.kind === 'binary') { walkValue(e.left, fn); walkValue(e.right, fn); }
  else if (e.kind === 'unary') walkValue(e.arg, fn);
}
