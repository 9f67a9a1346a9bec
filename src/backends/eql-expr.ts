/**
 * IR expressions → EQL conditions. Operator choice (EQL syntax reference, "Comparison
 * operators", "Pattern comparison keywords", "Lookup operators"):
 * - case-insensitive: `:` (equality and wildcard patterns, value lists), `regex~`;
 * - case-sensitive: `==`, `in`, `like`, `regex`;
 * - a literal `*`/`?` cannot be written in a pattern, so such values go through `regex`/`regex~`;
 * - null and existence use the optional-field form `?f == null` / `?f != null`, which also works
 *   when an index has no mapping for the field.
 * Every operand is parenthesized where precedence could regroup it.
 */
import { diag, type Diagnostic, type Origin } from '../diagnostics/index.js';
import { EVENT_DATA_PREFIX, visitExpr, type Expr, type Pred, type Scalar } from '../ir/index.js';
import { eqlField, eqlPattern, eqlString, tokensOf, topLevelOps, wildcardSafe } from './eql-literal.js';
import { globToLucene, RegexError, regexToLucene } from './eql-regex.js';

/** What the expression renderer needs. */
export interface EqlCtx {
  diags: Diagnostic[];
  file: string;
  /** ECS keyword fields whose numeric values are written as strings. */
  keywordFields: ReadonlySet<string>;
  /** The ECS name of a field as the rule wrote it; `exact: false` warns (RB404) once. */
  rename?: (field: string) => { name: string; exact: boolean };
  /** Where keyword searches look (EQL cannot search every field), with a warning. */
  keywordField?: string;
  /** Warnings already given, so each is given once per rule. */
  warned?: Set<string>;
}

function warnOnce(ctx: EqlCtx, key: string, message: string, at?: Origin): void {
  ctx.warned ??= new Set();
  if (ctx.warned.has(key)) return;
  ctx.warned.add(key);
  ctx.diags.push(diag('RB404', message, at ?? { file: ctx.file }));
}

const STRING_OPS = new Set(['eq', 'wildcard', 'contains', 'startswith', 'endswith']);

/** Renders an expression; undefined when a diagnostic explains why it cannot be. */
export function renderEql(ctx: EqlCtx, e: Expr): string | undefined {
  return visitExpr<string | undefined>(e, {
    and: (n) => join(ctx, n.args, 'and'),
    or: (n) => join(ctx, n.args, 'or'),
    not: (n) => {
      const inner = renderEql(ctx, n.arg);
      return inner === undefined ? undefined : `not (${inner})`;
    },
    const: (n) => (n.value ? 'true' : 'false'),
    test: (n) => fail(ctx, 'eql cannot express a computed condition', n.origin),
    pred: (p) => renderPred(ctx, p),
  });
}

function join(ctx: EqlCtx, args: Expr[], op: 'and' | 'or'): string | undefined {
  const parts = args.map((a) => renderEql(ctx, a));
  if (parts.some((p) => p === undefined)) return undefined;
  // `and` binds tighter than `or`: only an operand joined by the other operator needs parentheses.
  return (parts as string[]).map((p) => ([...topLevelOps(p)].some((o) => o !== op) ? `(${p})` : p)).join(` ${op} `);
}

function fail(ctx: EqlCtx, message: string, at?: Origin, code: 'RB430' | 'RB401' = 'RB401'): undefined {
  ctx.diags.push(diag(code, message, at ?? { file: ctx.file }));
  return undefined;
}

/** One value of a predicate as an EQL literal (strings through eqlString). */
function literal(ctx: EqlCtx, field: string, v: Scalar): string {
  if (typeof v === 'string') return eqlString(v);
  if (typeof v === 'number') return ctx.keywordFields.has(field) ? eqlString(String(v)) : String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return 'null';
}

function renderPred(ctx: EqlCtx, p: Pred): string | undefined {
  if (p.op === 'keyword' && ctx.keywordField) {
    warnOnce(ctx, 'keyword', `eql cannot search every field: keywords are matched in ${ctx.keywordField}`, p.origin);
    return renderPred({ ...ctx, keywordField: undefined }, { ...p, op: 'wildcard', field: ctx.keywordField });
  }
  if (ctx.rename && p.op !== 'keyword') {
    const r = ctx.rename(p.field);
    if (!r.exact) warnOnce(ctx, `field:${p.field}`, `eql matches ${p.field} as ${r.name}, whose values may differ in form`, p.origin);
    if (p.op === 'fieldref') p = { ...p, values: p.values.map((v) => (typeof v === 'string' ? ctx.rename!(v).name : v)) };
    p = { ...p, field: r.name };
  }
  if (p.values.length === 0) return fail(ctx, `eql: predicate on ${p.field} has no value`, p.origin, 'RB430');
  if (p.part) return fail(ctx, 'eql cannot compare a part of a timestamp', p.origin);
  const f = eqlField(p.field);
  const glue = p.quantifier === 'all' ? ' and ' : ' or ';
  // Values of different kinds (strings, numbers, null) are rendered one group at a time.
  const groups = groupValues(p);
  if (groups.length > 1) {
    const parts = groups.map((vs) => renderPred(ctx, { ...p, values: vs }));
    if (parts.some((x) => x === undefined)) return undefined;
    return parts.map((x) => `(${x})`).join(glue);
  }
  switch (p.op) {
    case 'exists':
      return p.values[0] === false ? `${eqlField(p.field, true)} == null` : `${eqlField(p.field, true)} != null`;
    case 'lt': case 'le': case 'gt': case 'ge': {
      const sym = { lt: '<', le: '<=', gt: '>', ge: '>=' }[p.op];
      const nums = p.values.map((v) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined));
      if (nums.some((n) => n === undefined)) return fail(ctx, `eql: ${p.op} on ${p.field} needs a numeric bound`, p.origin, 'RB430');
      return nums.map((n) => `${f} ${sym} ${n}`).join(glue);
    }
    case 'cidr': {
      const nets = p.values.map((v) => String(v));
      if (nets.some((n) => !/^[0-9A-Fa-f:.]+\/\d{1,3}$/.test(n))) return fail(ctx, `eql: '${nets.join(', ')}' is not a CIDR network`, p.origin, 'RB430');
      if (p.quantifier === 'all') return nets.map((n) => `cidrMatch(${f}, ${eqlString(n)})`).join(' and ');
      return `cidrMatch(${f}, ${nets.map(eqlString).join(', ')})`;
    }
    case 'regex': {
      const pats: string[] = [];
      const ci = !p.caseSensitive || (p.flags ?? '').includes('i');
      for (const v of p.values) {
        try {
          pats.push(regexToLucene(String(v), p.flags, ci));
        } catch (err) {
          if (err instanceof RegexError) return fail(ctx, `eql: ${err.message}`, p.origin, 'RB430');
          throw err;
        }
      }
      return listOp(f, ci ? 'regex~' : 'regex', pats.map(eqlString), p.quantifier);
    }
    case 'fieldref':
      return fail(ctx, 'eql cannot compare a field to another field (Elasticsearch EQL limitation "Comparing fields")', p.origin);
    case 'keyword':
      return fail(ctx, 'eql cannot search a value in every field', p.origin);
    default:
      break;
  }
  if (!STRING_OPS.has(p.op)) return fail(ctx, `eql: unknown operator ${p.op}`, p.origin);
  const v0 = p.values[0];
  if (v0 === null) return `${eqlField(p.field, true)} == null`; // eq null: null or missing
  if (typeof v0 !== 'string') {
    // numbers and booleans: equality only (a number in a pattern is its decimal text). Winlogbeat
    // maps every winlog.event_data field as a keyword (`Initiated: "true"`, `LogonType: "3"`), so
    // there a number or boolean compares as its text; `== true` / `== 3` would be a type error.
    if (p.op !== 'eq' || p.field.startsWith(EVENT_DATA_PREFIX)) return stringPred({ ...p, values: p.values.map(String) }, f);
    const lits = p.values.map((v) => literal(ctx, p.field, v));
    if (lits.length === 1) return `${f} == ${lits[0]}`;
    return p.quantifier === 'all' ? lits.map((l) => `${f} == ${l}`).join(' and ') : `${f} in (${lits.join(', ')})`;
  }
  return stringPred(p, f);
}

/** eq/wildcard/contains/startswith/endswith over string values. */
function stringPred(p: Pred, f: string): string {
  const op = p.op as 'eq' | 'wildcard' | 'contains' | 'startswith' | 'endswith';
  const values = p.values.map(String);
  if (op === 'eq') {
    const lits = values.map(eqlString);
    if (p.caseSensitive) return lits.length === 1 ? `${f} == ${lits[0]}` : p.quantifier === 'all' ? lits.map((l) => `${f} == ${l}`).join(' and ') : `${f} in (${lits.join(', ')})`;
    // `:` would read * and ? as wildcards; `in~` compares exactly, ignoring case.
    if (values.every(wildcardSafe)) return listOp(f, ':', lits, p.quantifier);
    return p.quantifier === 'all' ? lits.map((l) => `${f} in~ (${l})`).join(' and ') : `${f} in~ (${lits.join(', ')})`;
  }
  const toks = values.map((v) => tokensOf(op, v));
  const pats = toks.map(eqlPattern);
  if (pats.every((x) => x !== undefined)) return listOp(f, p.caseSensitive ? 'like' : ':', (pats as string[]).map(eqlString), p.quantifier);
  // Some literal holds * or ?: each value becomes its own pattern or regex comparison.
  const parts = toks.map((t, i) => {
    const pat = pats[i];
    if (pat !== undefined) return `${f} ${p.caseSensitive ? 'like' : ':'} ${eqlString(pat)}`;
    return `${f} ${p.caseSensitive ? 'regex' : 'regex~'} ${eqlString(globToLucene(t))}`;
  });
  return parts.join(p.quantifier === 'all' ? ' and ' : ' or ');
}

/** `f op "a"`, `f op ("a", "b")` for any; one comparison per value joined by and for all. */
function listOp(f: string, op: string, lits: string[], quantifier: 'any' | 'all'): string {
  if (lits.length === 1) return `${f} ${op} ${lits[0]}`;
  if (quantifier === 'all') return lits.map((l) => `${f} ${op} ${l}`).join(' and ');
  return `${f} ${op} (${lits.join(', ')})`;
}

/** Splits values into groups of one kind: strings, numbers/booleans, null. */
function groupValues(p: Pred): Scalar[][] {
  if (p.op === 'exists' || p.op === 'cidr' || p.op === 'regex' || ['lt', 'le', 'gt', 'ge'].includes(p.op)) return [p.values];
  const kinds = new Map<string, Scalar[]>();
  for (const v of p.values) {
    const k = v === null ? 'null' : typeof v === 'string' ? 'string' : 'other';
    const list = kinds.get(k) ?? [];
    list.push(v);
    kinds.set(k, list);
  }
  return [...kinds.values()];
}
