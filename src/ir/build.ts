/** Small constructors for IR nodes, so frontends and tests read like the rules they build. */
import type { And, Expr, Not, Or, Origin, Pred, PredOp, Scalar } from './nodes.js';

/** A predicate; case-insensitive and `any` unless told otherwise. */
export function pred(field: string, op: PredOp, values: Scalar[], opts: Partial<Omit<Pred, 'kind' | 'field' | 'op' | 'values'>> = {}): Pred {
  return { kind: 'pred', field, op, values, caseSensitive: false, quantifier: 'any', ...opts };
}
export function and(args: Expr[], origin?: Origin): And {
  return origin ? { kind: 'and', args, origin } : { kind: 'and', args };
}
export function or(args: Expr[], origin?: Origin): Or {
  return origin ? { kind: 'or', args, origin } : { kind: 'or', args };
}
export function not(arg: Expr, origin?: Origin): Not {
  return origin ? { kind: 'not', arg, origin } : { kind: 'not', arg };
}
export const TRUE: Expr = { kind: 'const', value: true };
export const FALSE: Expr = { kind: 'const', value: false };
