/**
 * SPL's value tests match(), like() and cidrmatch() in KQL. The evaluator (the reference)
 * tests each value of a multivalue and is true when one passes; KQL has no per-value test in an
 * expression, so a multivalue (dynamic) argument is refused rather than tested as JSON text.
 */
import { RE2JS } from 're2js';
import { escapeRegex, type ValueExpr } from '../ir/index.js';
import { kqlString } from './kql-literal.js';
import type { Val } from './kql-value.js';
import { SPL_NULL } from './kql-value-mv.js';

const str = (v: Val) => (v.type === 'string' ? v.text : `tostring(${v.text})`);

/** Renders match/like/cidrmatch from the IR arguments and their rendered values, or says why it cannot. */
export function matchCall(fn: 'match' | 'like' | 'cidrmatch', raw: ValueExpr[], vals: Val[]): Val | string {
  const [a, b] = vals as [Val, Val];
  const tested = fn === 'cidrmatch' ? b : a;
  if (tested.text === SPL_NULL) return { text: 'false', type: 'bool' }; // no value passes
  if (tested.type === 'dynamic') return `${fn}() over a multivalue value`;
  if (fn === 'match') {
    // SPL match() is a case-sensitive, unanchored regex search; KQL wants a constant regex.
    const re = raw[1]!;
    if (re.kind !== 'lit' || typeof re.value !== 'string') return 'match() needs a literal regex';
    try {
      RE2JS.compile(re.value);
    } catch (err) {
      return `the regex /${re.value}/ is not valid RE2 syntax (${(err as Error).message})`;
    }
    return { text: `(${str(a)} matches regex ${b.text})`, type: 'bool' };
  }
  if (fn === 'like') {
    // SPL like(): case-sensitive, anchored, `%` any run and `_` one character.
    const pat = raw[1]!;
    if (pat.kind !== 'lit' || typeof pat.value !== 'string') return 'like() needs a literal pattern';
    const re = '(?s)^' + [...pat.value].map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : escapeRegex(ch))).join('') + '$';
    return { text: `(${str(a)} matches regex ${kqlString(re)})`, type: 'bool' };
  }
  const net = raw[0]!;
  if (net.kind !== 'lit' || typeof net.value !== 'string') return 'cidrmatch() needs a literal network';
  const kfn = net.value.includes(':') ? 'ipv6_is_in_range' : 'ipv4_is_in_range';
  return { text: `coalesce(${kfn}(${str(b)}, ${a.text}), false)`, type: 'bool' };
}
