/**
 * SPL multivalue and trim functions in KQL (mvappend, mvjoin, mvdedup, trim, ltrim, rtrim),
 * with the semantics of the evaluator (src/evaluator/functions.ts), which is the reference.
 *
 * A multivalue value is a KQL dynamic array (as split(), values() and list() are here). SPL has
 * no empty multivalue: a value with no values is null, so these functions give dynamic(null)
 * where SPL gives null, and never an empty array (array_length() and isnull() then agree with
 * SPL's mvcount() and isnull()). A string null is '' in KQL (as everywhere in this backend), so
 * an empty string counts as no value here, where SPL would keep "" as a value.
 */
import { escapeRegex } from '../ir/index.js';
import { kqlString } from './kql-literal.js';
import { NUMERIC_TYPES } from './kql-mapping.js';
import type { Val } from './kql-value.js';

/** The text of SPL's null (null(), an absent field) as a value here; KQL's isnull() is true of it. */
export const SPL_NULL = 'dynamic(null)';

/** Epoch seconds of a datetime (SPL's _time), any other value as it is. */
export const epoch = (v: Val): Val => (v.type === 'datetime' ? { text: `((${v.text} - datetime(1970-01-01)) / 1s)`, type: 'real' } : v);

const str = (v: Val) => (v.type === 'string' ? v.text : `tostring(${v.text})`);

/** True when the rendered value is a non-empty string or a number literal: one value, never null. */
function isValue(v: Val): boolean {
  return /^'[^']+'$/.test(v.text) || (NUMERIC_TYPES.has(v.type) && /^-?\d+(\.\d+)?$/.test(v.text));
}

/** The values of `v` as a dynamic array: [] for null ('' or null), [v] for a single value. */
export function asArray(v: Val): string {
  if (v.text === SPL_NULL) return 'dynamic([])';
  if (v.type === 'dynamic') return `iff(isnull(${v.text}), dynamic([]), ${v.text})`;
  const e = epoch(v);
  if (isValue(e)) return `pack_array(${e.text})`;
  return `iff(${e.type === 'string' ? `isempty(${e.text})` : `isnull(${e.text})`}, dynamic([]), pack_array(${e.text}))`;
}

/** An array expression as an SPL multivalue: dynamic(null) when it holds no value. */
export function nullIfEmpty(arr: string): string {
  return `iff(array_length(${arr}) == 0, dynamic(null), ${arr})`;
}

/**
 * mvappend(v, …): every value of every argument in order, nulls left out; null when none
 * (evaluator: allValues). One value stays a list of one here: mvcount, mvindex and mvjoin read it
 * as SPL reads the single value.
 */
export function mvappend(args: Val[]): Val {
  const text = args.length === 1 ? asArray(args[0]!) : `array_concat(${args.map(asArray).join(', ')})`;
  return { text: args.some((a) => isValue(epoch(a))) ? text : nullIfEmpty(text), type: 'dynamic' };
}

/**
 * mvjoin(mv, sep): the values joined by sep, null for null; a single value is itself
 * (evaluator: mvjoin). strcat_array() of dynamic(null) is '', this backend's string null.
 */
export function mvjoin(mv: Val, sep: Val): Val {
  if (mv.type === 'dynamic') return { text: `strcat_array(${mv.text}, ${str(sep)})`, type: 'string' };
  return { text: str(epoch(mv)), type: 'string' };
}

/**
 * mvdedup(mv): the values without repeats, in their first order (evaluator: mvdedup, which
 * compares values as strings; KQL compares dynamic values, so 1 and "1" stay two here); a
 * single value is itself.
 */
export function mvdedup(mv: Val): Val {
  if (mv.type !== 'dynamic' || mv.text === SPL_NULL) return mv;
  // set_union(a, a) is the documented way to dedup one array (learn.microsoft.com/kusto/query/
  // set-union-function, "Set from one dynamic array": first occurrences, in order).
  return { text: `iff(array_length(${mv.text}) > 0, set_union(${mv.text}, ${mv.text}), dynamic(null))`, type: 'dynamic' };
}

/**
 * mvfilter(cond) over the single-valued field `v` (the caller refuses a multivalue: KQL has no
 * per-element filter in an expression, mv-apply being a tabular operator), `test` being `cond`
 * rendered with the field read as itself: the value when the condition is true, else null, as
 * the evaluator's perValue() binds a single value. An absent field (dynamic(null)) stays null.
 */
export function mvfilter(v: Val, test: string): Val {
  if (v.text === SPL_NULL) return v;
  const present = v.type === 'string' ? `isnotempty(${v.text})` : `isnotnull(${v.text})`;
  return { text: `iff(${present} and (${test}), ${v.text}, ${v.type === 'string' ? "''" : `${v.type}(null)`})`, type: v.type };
}

/** Default characters of trim/ltrim/rtrim in the evaluator (its trimmer()). */
const TRIM_DEFAULT = ' \t\n\r';

/**
 * trim/ltrim/rtrim(s, chars): the characters of `chars` (a literal; by default space, tab, CR
 * and LF as the evaluator has it) removed from the ends. KQL's trim() takes a regex: the
 * characters go into one escaped character class. The first value of a multivalue is trimmed
 * (evaluator: str()). Returns undefined when `chars` is not a literal string.
 */
export function trim(fn: 'trim' | 'ltrim' | 'rtrim', s: Val, chars: { value: unknown } | undefined): Val | undefined {
  const set = chars === undefined ? TRIM_DEFAULT : chars.value;
  if (typeof set !== 'string') return undefined;
  const text = s.type === 'dynamic' ? `tostring(${s.text}[0])` : str(epoch(s));
  if (set === '') return { text, type: 'string' };
  const re = kqlString('[' + [...new Set(set)].map(escapeRegex).join('') + ']+');
  const kql = fn === 'trim' ? 'trim' : fn === 'ltrim' ? 'trim_start' : 'trim_end';
  return { text: `${kql}(${re}, ${text})`, type: 'string' };
}
