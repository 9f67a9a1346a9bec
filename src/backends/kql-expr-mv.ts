/**
 * A predicate over a multivalue field (a KQL dynamic array: values(), list(), a lookup output
 * with several matching rows, rex max_match). SPL `x=v` holds when ANY value of x equals v, which
 * is also the evaluator's rule (src/evaluator/compile-pred.ts: a list matches when any element
 * matches), whereas a KQL comparison of the array would compare its JSON text. Rendered:
 * - eq: set_has_element (exact equality of an element); case-insensitive on the array's JSON
 *   text lower-cased and parsed back (tolower() leaves every JSON escape meaning the same character);
 * - contains: in the values joined by a character the value lacks, so a match cannot span two;
 * - exists: a non-null, non-empty array;
 * - a wildcard that is a plain value, `*`, or one literal between stars: as eq, exists, contains.
 * Anchored and pattern tests (startswith, wildcard, regex, …) have no exact array form: RB430.
 * A dynamic column is taken to hold a list (values(), list(), split(), a lookup or rex output).
 */
import { diag } from '../diagnostics/index.js';
import { simplifyGlob, type Pred, type Scalar } from '../ir/index.js';
import { kqlNumber, kqlString } from './kql-literal.js';
import type { Resolved } from './kql-mapping.js';
import { at, type KqlCtx } from './kql-scope.js';

/** Separators tried for a joined contains test, the first one the value lacks. */
const SEPARATORS = ['\n', '\u0001', '\u001f', '\uffff'];

/** The predicate over the dynamic column, or undefined after reporting RB430. */
export function renderMvPred(ctx: KqlCtx, p: Pred, col: Resolved): string | undefined {
  const c = col.text;
  const bad = (why: string): undefined => {
    ctx.diags.push(diag('RB430', `kql: ${why} of the multivalue field '${p.field}' (SPL tests each value; KQL holds the values as one array)`, at(ctx, p.origin)));
    return undefined;
  };
  const present = `(isnotnull(${c}) and coalesce(array_length(${c}), 0) != 0)`;
  const parts: string[] = [];
  for (const value of p.values) {
    // A glob that is a plain value or one literal between stars is an equality or a contains test.
    const g = p.op === 'wildcard' && typeof value === 'string' ? simplifyGlob(value) : undefined;
    const op = g?.value === '*' ? 'exists' : (g?.op ?? p.op);
    const v = g && op !== 'exists' ? g.value : value;
    if (op === 'exists') parts.push(v === false ? `not${present}` : present);
    else if (op === 'eq') parts.push(v === null ? `not${present}` : anyEquals(c, v, p.caseSensitive));
    else if (op === 'contains' && typeof v === 'string') {
      if (v === '') { parts.push(present); continue; }
      const sep = SEPARATORS.find((s) => !v.includes(s));
      if (sep === undefined) return bad(`a contains test with a value holding every separator`);
      parts.push(`coalesce(strcat_array(${c}, ${kqlString(sep)}) ${p.caseSensitive ? 'contains_cs' : 'contains'} ${kqlString(v)}, false)`);
    } else return bad(`a ${op} test`);
  }
  if (parts.length === 1) return parts[0];
  return `(${parts.join(p.quantifier === 'all' ? ' and ' : ' or ')})`;
}

/** Whether any element equals the value (a number also as its number, as the evaluator compares them). */
function anyEquals(c: string, v: Exclude<Scalar, null>, caseSensitive: boolean): string {
  const text = String(v);
  const arr = caseSensitive || !/[A-Za-z]/.test(text) ? c : `todynamic(tolower(tostring(${c})))`;
  const tests = [`set_has_element(${arr}, ${kqlString(caseSensitive ? text : text.toLowerCase())})`];
  const n = typeof v === 'number' ? v : /^-?(0|[1-9]\d*)(\.\d+)?$/.test(text) ? Number(text) : undefined;
  if (n !== undefined && kqlNumber(n) !== undefined) tests.push(`set_has_element(${c}, ${kqlNumber(n)})`);
  if (typeof v === 'boolean') tests.push(`set_has_element(${c}, ${v})`);
  return `coalesce(${tests.join(' or ')}, false)`;
}
