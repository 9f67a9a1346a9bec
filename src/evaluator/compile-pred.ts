/**
 * Predicates → closures, with the semantics of src/ir/nodes.ts:
 * - case-insensitive comparison lower-cases the rule literal once here and the event value once
 *   per row (Row.lower);
 * - a multi-valued field (a list) matches when any element matches;
 * - quantifier `any`: one value suffices; `all`: every value must match;
 * - `eq null` = the field is missing or null; any other operator never matches a missing field;
 * - tolerance: a number and its decimal or hex string compare equal; literals get the canonical
 *   form events get (GUID braces and hex zero padding dropped, trailing whitespace trimmed).
 */
import { diag, type Diagnostic } from '../diagnostics/index.js';
import { simplifyGlob, type Pred, type Scalar } from '../ir/index.js';
import { canonString, toNumber } from './normalize/values.js';
import { TIME_MS } from './normalize/canonical.js';
import { Row, asString, isMissing } from './row.js';
import { compileGlob } from './glob-match.js';
import { compileRegex } from './regex.js';
import { regexNeeds, requiredLiteral } from './regex-literal.js';
import { compileCidr } from './cidr.js';
import { timePart } from './time-part.js';

/** A compiled boolean test over a row. */
export type RowTest = (row: Row) => boolean;
/** A test of one scalar event value (raw, and lower-cased when the test is case-insensitive). */
type ScalarTest = (raw: unknown, low: string | undefined) => boolean;

const NEVER: RowTest = () => false;

/** The literal a string operand is compared as (canonical, trimmed, lower-cased when case-insensitive). */
export function literal(p: Pred, v: string, op: string): string {
  // Only a whole value is a GUID or a hex number: a part of one (`endswith '…AFE}'`) stays as written.
  let s = op === 'eq' ? canonString(v) : v;
  // Event values are trimmed at the end (normalize/windows.ts), so a literal that must match
  // up to the end is too; a literal of only whitespace is kept (it would match everything).
  if ((op === 'eq' || op === 'endswith') && s.trimEnd()) s = op === 'eq' ? canonString(s.trimEnd()) : s.trimEnd();
  return p.caseSensitive ? s : s.toLowerCase();
}

/** One value of an ordinary operator as a scalar test; a string is an error message. */
function scalarTest(p: Pred, v: Scalar): ScalarTest | string {
  const ci = !p.caseSensitive;
  const str = (raw: unknown, low: string | undefined) => (ci ? low : asString(raw));
  switch (p.op) {
    case 'eq': {
      if (typeof v === 'boolean') return (raw) => raw === v || (typeof raw === 'string' && raw.toLowerCase() === String(v));
      if (typeof v === 'number') return (raw) => toNumber(raw) === v;
      const lit = literal(p, String(v), 'eq');
      const num = toNumber(lit);
      return (raw, low) => str(raw, low) === lit || (num !== undefined && typeof raw === 'number' && raw === num);
    }
    case 'contains': {
      const lit = literal(p, String(v), 'contains');
      return (raw, low) => str(raw, low)?.includes(lit) ?? false;
    }
    case 'startswith': {
      const lit = literal(p, String(v), 'startswith');
      return (raw, low) => str(raw, low)?.startsWith(lit) ?? false;
    }
    case 'endswith': {
      const lit = literal(p, String(v), 'endswith');
      return (raw, low) => str(raw, low)?.endsWith(lit) ?? false;
    }
    case 'wildcard': {
      const g = compileGlob(ci ? String(v).toLowerCase() : String(v));
      return (raw, low) => { const s = str(raw, low); return s !== undefined && g(s); };
    }
    case 'regex': {
      const re = compileRegex(String(v), { caseSensitive: p.caseSensitive, ...(p.flags ? { flags: p.flags } : {}) });
      if (typeof re === 'string') return `RB503:${re}`;
      // A value too short for any match, or without the literal every match contains, is
      // rejected without the automaton (regex-literal.ts).
      const { literal: lit, minLength } = regexNeeds(String(v), p.caseSensitive, p.flags);
      if (lit !== undefined) {
        return (raw, low) => {
          if (low === undefined || !low.includes(lit)) return false;
          const s = asString(raw)!;
          return s.length >= minLength && re.test(s);
        };
      }
      return (raw) => { const s = asString(raw); return s !== undefined && s.length >= minLength && re.test(s); };
    }
    case 'cidr': {
      const m = compileCidr(String(v));
      if (typeof m === 'string') return m;
      return (raw) => { const s = asString(raw); return s !== undefined && m(s); };
    }
    case 'lt': case 'le': case 'gt': case 'ge': {
      const n = toNumber(v);
      if (n === undefined) return `a numeric comparison needs a number, got ${JSON.stringify(v)}`;
      const cmp = p.op;
      return (raw) => {
        const x = toNumber(raw);
        if (x === undefined) return false;
        return cmp === 'lt' ? x < n : cmp === 'le' ? x <= n : cmp === 'gt' ? x > n : x >= n;
      };
    }
    default:
      return `operator ${p.op} is not a scalar comparison`;
  }
}

/** A scalar test applied to a field, element-wise over lists. */
function overField(field: string, t: ScalarTest, needLow: boolean): RowTest {
  return (row) => {
    const v = row.get(field);
    if (v === undefined || v === null) return false;
    if (Array.isArray(v)) {
      const low = needLow ? (row.lower(field) as (string | undefined)[]) : undefined;
      for (let i = 0; i < v.length; i++) if (v[i] !== null && t(v[i], low?.[i])) return true;
      return false;
    }
    return t(v, needLow ? (row.lower(field) as string | undefined) : undefined);
  };
}

function combine(tests: RowTest[], quant: 'any' | 'all'): RowTest {
  if (tests.length === 0) return NEVER;
  if (tests.length === 1) return tests[0]!;
  return quant === 'any' ? (r) => tests.some((t) => t(r)) : (r) => tests.every((t) => t(r));
}

function fieldref(p: Pred): RowTest {
  const ci = !p.caseSensitive;
  const op = p.refOp ?? 'eq';
  const tests = p.values.map((other): RowTest => (row) => {
    const a = row.get(p.field);
    const b = row.get(String(other));
    if (isMissing(a) || isMissing(b)) return false;
    const as = (Array.isArray(a) ? a : [a]);
    const bs = (Array.isArray(b) ? b : [b]);
    for (const x of as) for (const y of bs) {
      if (op === 'eq' && typeof x === 'number' && typeof y === 'number') { if (x === y) return true; continue; }
      let sx = asString(x), sy = asString(y);
      if (sx === undefined || sy === undefined) continue;
      if (ci) { sx = sx.toLowerCase(); sy = sy.toLowerCase(); }
      if (op === 'eq' ? sx === sy : op === 'contains' ? sx.includes(sy) : op === 'startswith' ? sx.startsWith(sy) : sx.endsWith(sy)) return true;
    }
    return false;
  });
  return combine(tests, p.quantifier);
}

function keyword(p: Pred): RowTest {
  const ci = !p.caseSensitive;
  const tests = p.values.map((v): RowTest => {
    const pat = ci ? String(v).toLowerCase() : String(v);
    const simple = simplifyGlob(pat);
    if (simple.op === 'contains' && !simple.value.includes('\u0000')) {
      // `*lit*` in any value = lit in the NUL-joined values (lit has no NUL, so it cannot span two).
      const lit = simple.value;
      return (row) => row.joined(ci, TIME_MS).includes(lit);
    }
    const g = compileGlob(pat);
    return (row) => {
      for (const s of row.values(ci, TIME_MS)) if (g(s)) return true;
      return false;
    };
  });
  return combine(tests, p.quantifier);
}

function partPred(p: Pred, diags: Diagnostic[]): RowTest {
  const part = p.part!;
  const tests: RowTest[] = [];
  for (const v of p.values) {
    const n = toNumber(v);
    if (n === undefined || !['eq', 'lt', 'le', 'gt', 'ge'].includes(p.op)) {
      diags.push(diag('RB504', `the evaluator compares a timestamp's ${part} with numbers only (op ${p.op}, value ${JSON.stringify(v)})`, p.origin));
      return NEVER;
    }
    const op = p.op;
    tests.push((row) => {
      const raw = row.get(p.field);
      for (const x of Array.isArray(raw) ? raw : [raw]) {
        const t = timePart(x, part);
        if (t === undefined) continue;
        if (op === 'eq' ? t === n : op === 'lt' ? t < n : op === 'le' ? t <= n : op === 'gt' ? t > n : t >= n) return true;
      }
      return false;
    });
  }
  return combine(tests, p.quantifier);
}

/** Compiles one predicate; errors (bad regex RB503, other RB504) go to `diags`. */
export function compilePred(p: Pred, diags: Diagnostic[]): RowTest {
  if (p.part) return partPred(p, diags);
  switch (p.op) {
    case 'exists': {
      const want = p.values[0] !== false;
      return (row) => isMissing(row.get(p.field)) !== want;
    }
    case 'fieldref':
      return fieldref(p);
    case 'keyword':
      return keyword(p);
    case 'placeholder':
      diags.push(diag('RB504', `the placeholder list '${String(p.values[0])}' is not resolved`, p.origin));
      return NEVER;
    default:
  }
  const ci = !p.caseSensitive;
  const tests: RowTest[] = [];
  // Case-insensitive string equality against many values: one Set lookup.
  const setVals = p.op === 'eq' && ci && p.quantifier === 'any' ? p.values.filter((v): v is string => typeof v === 'string') : [];
  if (setVals.length > 1) {
    const set = new Set(setVals.map((v) => literal(p, v, 'eq')));
    const nums = [...set].map((s) => toNumber(s)).filter((n): n is number => n !== undefined);
    tests.push(overField(p.field, (raw, low) => (low !== undefined && set.has(low)) || (typeof raw === 'number' && nums.includes(raw)), true));
  }
  const scalars: ScalarTest[] = [];
  for (const v of p.values) {
    if (setVals.length > 1 && typeof v === 'string') continue;
    if (v === null) {
      if (p.op === 'eq') tests.push((row) => isMissing(row.get(p.field)));
      else {
        diags.push(diag('RB504', `a null value is only meaningful with eq (op ${p.op})`, p.origin));
        return NEVER;
      }
      continue;
    }
    const t = scalarTest(p, v);
    if (typeof t === 'string') {
      if (t.startsWith('RB503:')) diags.push(diag('RB503', `regex ${JSON.stringify(v)} is not supported by the linear-time engine: ${t.slice(6)}`, p.origin));
      else diags.push(diag('RB504', t, p.origin));
      return NEVER;
    }
    scalars.push(t);
  }
  const needLow = (ci && ['eq', 'contains', 'startswith', 'endswith', 'wildcard'].includes(p.op))
    || (p.op === 'regex' && p.values.some((v) => requiredLiteral(String(v), p.caseSensitive, p.flags) !== undefined));
  if (p.quantifier === 'any' && scalars.length > 1) {
    // One pass over the field's value(s) tries every literal (any element, any value).
    tests.push(overField(p.field, (raw, low) => { for (const t of scalars) if (t(raw, low)) return true; return false; }, needLow));
  } else for (const t of scalars) tests.push(overField(p.field, t, needLow));
  return combine(tests, p.quantifier);
}
