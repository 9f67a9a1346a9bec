/**
 * The functions a `call` value expression may name, with their arity. Frontends map their
 * language's functions to these names; backends and the evaluator implement them (or report
 * the ones they cannot through the capability table).
 */
export const FUNCTIONS = {
  /** strftime(time, format): format an epoch time with a strftime pattern (SPL ctime/strftime). */
  strftime: { min: 2, max: 2 },
  strptime: { min: 2, max: 2 },
  lower: { min: 1, max: 1 },
  upper: { min: 1, max: 1 },
  len: { min: 1, max: 1 },
  substr: { min: 2, max: 3 },
  replace: { min: 3, max: 3 },
  trim: { min: 1, max: 2 },
  ltrim: { min: 1, max: 2 },
  rtrim: { min: 1, max: 2 },
  coalesce: { min: 1, max: Infinity },
  if: { min: 3, max: 3 },
  case: { min: 2, max: Infinity },
  isnull: { min: 1, max: 1 },
  isnotnull: { min: 1, max: 1 },
  match: { min: 2, max: 2 },
  like: { min: 2, max: 2 },
  cidrmatch: { min: 2, max: 2 },
  split: { min: 2, max: 2 },
  mvcount: { min: 1, max: 1 },
  mvindex: { min: 2, max: 3 },
  mvjoin: { min: 2, max: 2 },
  tonumber: { min: 1, max: 2 },
  tostring: { min: 1, max: 2 },
  round: { min: 1, max: 2 },
  abs: { min: 1, max: 1 },
  now: { min: 0, max: 0 },
  relative_time: { min: 2, max: 2 },
  urldecode: { min: 1, max: 1 },
  /** spath(input, path): the value(s) at a JSON path (`a.b{}.c`, `{}` every array element). */
  spath: { min: 2, max: 2 },
  /** mvfind(mv, regex): the 0-based index of the first value the regex matches, else null. */
  mvfind: { min: 2, max: 2 },
  /** mvappend(v, …): every value of every argument, in order, as one list. */
  mvappend: { min: 1, max: Infinity },
  /**
   * mvfilter(name, cond): the values of the field `name` (a literal string) for which `cond`,
   * evaluated with `name` bound to each value in turn, is true; null when none is. SPL writes
   * mvfilter(cond), whose condition names exactly one field.
   */
  mvfilter: { min: 2, max: 2 },
  /**
   * mvmap(name, expr): `expr` evaluated with the field `name` (a literal string) bound to each
   * value in turn; the non-null results in order, null when none is (SPL mvmap(field, expr)).
   */
  mvmap: { min: 2, max: 2 },
  /** mvdedup(mv):  the values without repeats, in their first order. */
  mvdedup: { min: 1, max: 1 },
  /** min/max(v, …): over every value of every argument; numbers sort before strings. */
  min: { min: 1, max: Infinity },
  max: { min: 1, max: Infinity },
} as const;

export type FunctionName = keyof typeof FUNCTIONS;
