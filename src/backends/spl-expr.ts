/**
 * IR expressions → SPL, in two languages (Splunk Search Reference, "search" and "where"):
 * - search terms: `f="v"` (case-insensitive, `*` wildcard), `f IN (…)`, `f=*`, `NOT`, `OR`,
 *   `f<5`. `NOT f="v"` also matches events without f, as the IR's `not` does. Implicit AND
 *   binds looser than OR in search, so every compound operand is parenthesized.
 * - where expressions (eval language, case-sensitive): `==`, `match()` with an anchored PCRE,
 *   `cidrmatch()`, `isnull()`. A comparison with a null field is not false in where, so under
 *   `NOT` each comparison is guarded by `isnotnull()` to keep "missing ⇒ no match".
 * A filter's top-level conjuncts go to search when they can, the rest to one `| where`.
 */
import { diag, type Diagnostic, type Origin } from '../diagnostics/index.js';
import { visitExpr, type Expr, type Pred, type Scalar } from '../ir/index.js';
import { tokensOf } from './eql-literal.js';
import { bareField, evalField, globToPcre, pcreLiteral, plainText, regexToPcre, searchPattern, splString } from './spl-literal.js';
import type { SplField } from './spl-source.js';
import { renderValue } from './spl-value.js';

/** What the expression renderers need. */
export interface SplCtx {
  diags: Diagnostic[];
  file: string;
  /** The SPL name or expression of a field (canonical before an aggregate, a column after). */
  field(name: string): SplField | undefined;
}

type StrOp = 'eq' | 'wildcard' | 'contains' | 'startswith' | 'endswith';
const STR_OPS = new Set<string>(['eq', 'wildcard', 'contains', 'startswith', 'endswith']);
const CMP: Record<string, string> = { lt: '<', le: '<=', gt: '>', ge: '>=' };

function numeric(v: Scalar): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function group(parts: string[], op: 'AND' | 'OR'): string {
  return parts.length === 1 ? parts[0]! : `(${parts.join(` ${op} `)})`;
}

/** Search-language form of an expression, or undefined when search cannot say it exactly. */
export function searchForm(ctx: SplCtx, e: Expr): string | undefined {
  switch (e.kind) {
    case 'and': case 'or': {
      const parts = e.args.map((a) => searchForm(ctx, a));
      return parts.every((p) => p !== undefined) ? group(parts as string[], e.kind === 'and' ? 'AND' : 'OR') : undefined;
    }
    case 'not': {
      const inner = searchForm(ctx, e.arg);
      return inner === undefined ? undefined : `NOT ${/^[(]/.test(inner) || !/\s/.test(inner) ? inner : `(${inner})`}`;
    }
    case 'const': return undefined;
    case 'test': return undefined;
    case 'pred': return searchPred(ctx, e);
  }
}

function searchPred(ctx: SplCtx, p: Pred): string | undefined {
  if (p.part || p.values.length === 0) return undefined;
  if (p.op === 'keyword') {
    const pats = p.values.map((v) => (typeof v === 'string' ? searchPattern(tokensOf('wildcard', v)) : undefined));
    if (p.caseSensitive || pats.some((x) => x === undefined)) return undefined;
    return group((pats as string[]).map(splString), p.quantifier === 'all' ? 'AND' : 'OR');
  }
  const f = ctx.field(p.field)?.name;
  if (!f || !bareField(f)) return undefined;
  if (p.op === 'placeholder') return placeholderTerm(ctx, p, f);
  const parts: string[] = [];
  for (const v of p.values) {
    let t: string | undefined;
    if (p.op === 'exists') t = v === false ? `NOT ${f}=*` : `${f}=*`;
    else if (p.op in CMP) {
      const n = numeric(v);
      t = n === undefined ? undefined : `${f}${CMP[p.op]}${n}`;
    } else if (STR_OPS.has(p.op)) {
      if (v === null) t = p.op === 'eq' ? `NOT ${f}=*` : undefined;
      else if (typeof v === 'number' && p.op === 'eq') t = `${f}=${v}`;
      else if (p.caseSensitive && typeof v === 'string') t = undefined;
      else {
        const pat = searchPattern(tokensOf(p.op as StrOp, String(v)));
        t = pat === undefined ? undefined : `${f}=${splString(pat)}`;
      }
    }
    if (t === undefined) return undefined;
    parts.push(t);
  }
  if (p.quantifier === 'any' && parts.length > 1 && parts.every((x) => x.startsWith(`${f}="`))) {
    return `${f} IN (${parts.map((x) => x.slice(f.length + 1)).join(', ')})`;
  }
  return group(parts, p.quantifier === 'all' ? 'AND' : 'OR');
}

/**
 * A placeholder (Sigma `|expand`) as a subsearch over the lookup named after the list, whose
 * column `value` holds the entries: each becomes a search term on the field, so entries match
 * as Sigma values do (case-insensitive, `*` a wildcard), with the wildcards of contains,
 * startswith or endswith added around them.
 */
function placeholderTerm(ctx: SplCtx, p: Pred, f: string): string | undefined {
  const name = p.values[0];
  if (typeof name !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name) || p.caseSensitive || p.values.length !== 1) return undefined;
  const op = p.refOp ?? 'eq';
  const expr = { eq: 'value', contains: '"*".value."*"', startswith: 'value."*"', endswith: '"*".value' }[op];
  ctx.diags.push(diag('RB404', `spl reads the placeholder list '${name}' from the lookup ${name} (column value), whose entries match ${f} as search terms`, p.origin ?? { file: ctx.file }));
  return `[| inputlookup ${name} | eval rb_value=${expr} | rename rb_value AS ${f} | fields ${f}]`;
}

function fail(ctx: SplCtx, message: string, at?: Origin, code: 'RB401' | 'RB403' | 'RB430' = 'RB401'): undefined {
  ctx.diags.push(diag(code, message, at ?? { file: ctx.file }));
  return undefined;
}

/** Where-expression form; undefined after pushing a diagnostic. */
export function whereForm(ctx: SplCtx, e: Expr, negated = false): string | undefined {
  return visitExpr<string | undefined>(e, {
    and: (n) => joinWhere(ctx, n.args, 'AND', negated),
    or: (n) => joinWhere(ctx, n.args, 'OR', negated),
    not: (n) => {
      const inner = whereForm(ctx, n.arg, !negated);
      return inner === undefined ? undefined : `NOT (${inner})`;
    },
    const: (n) => (n.value ? 'true()' : 'false()'),
    test: (n) => renderValue(ctx, n.expr),
    pred: (p) => wherePred(ctx, p, negated),
  });
}

function joinWhere(ctx: SplCtx, args: Expr[], op: 'AND' | 'OR', negated: boolean): string | undefined {
  const parts = args.map((a) => whereForm(ctx, a, negated));
  return parts.every((p) => p !== undefined) ? `(${parts.join(` ${op} `)})` : undefined;
}

function wherePred(ctx: SplCtx, p: Pred, negated: boolean): string | undefined {
  if (p.values.length === 0) return fail(ctx, `spl: predicate on ${p.field} has no value`, p.origin, 'RB430');
  if (p.op === 'keyword') return fail(ctx, 'spl can search a keyword only in search terms, not inside a where expression', p.origin);
  if (p.op === 'placeholder') return fail(ctx, 'spl matches a placeholder list only in search terms (a plain field, compared ignoring case), not inside a where expression', p.origin);
  const sf = ctx.field(p.field);
  if (!sf) return fail(ctx, `spl has no field for ${p.field}`, p.origin, 'RB403');
  const F = sf.name !== undefined ? evalField(sf.name) : sf.expr;
  if (F === undefined) return fail(ctx, `spl cannot quote the field name '${sf.name}'`, p.origin, 'RB430');
  const guard = (cmp: string) => (negated ? `(isnotnull(${F}) AND ${cmp})` : cmp);
  const parts: string[] = [];
  for (const v of p.values) {
    let t: string | undefined;
    switch (p.op) {
      case 'exists': t = v === false ? `isnull(${F})` : `isnotnull(${F})`; break;
      case 'lt': case 'le': case 'gt': case 'ge': {
        const n = numeric(v);
        if (n === undefined) return fail(ctx, `spl: ${p.op} on ${p.field} needs a numeric bound`, p.origin, 'RB430');
        t = guard(`${F}${CMP[p.op]}${n}`);
        break;
      }
      case 'cidr':
        if (typeof v !== 'string' || !/^[0-9A-Fa-f:.]+\/\d{1,3}$/.test(v)) return fail(ctx, `spl: '${String(v)}' is not a CIDR network`, p.origin, 'RB430');
        t = guard(`cidrmatch(${splString(v)}, ${F})`);
        break;
      case 'regex': {
        const flags = (p.caseSensitive ? '' : 'i') + (p.flags ?? '').replace(/[^ms]/g, '');
        t = guard(`match(${F}, ${splString((flags ? `(?${flags})` : '') + regexToPcre(String(v), p.flags))})`);
        break;
      }
      case 'fieldref': {
        if (p.refOp && p.refOp !== 'eq') return fail(ctx, 'spl cannot compare a field to part of another field', p.origin);
        const g = typeof v === 'string' ? ctx.field(v) : undefined;
        const G = g && (g.name !== undefined ? evalField(g.name) : g.expr);
        if (!G) return fail(ctx, `spl has no field for ${String(v)}`, p.origin, 'RB403');
        t = guard(p.caseSensitive ? `${F}==${G}` : `lower(${F})==lower(${G})`);
        break;
      }
      default: {
        if (!STR_OPS.has(p.op)) return fail(ctx, `spl: unknown operator ${p.op}`, p.origin);
        if (v === null) {
          if (p.op !== 'eq') return fail(ctx, `spl: ${p.op} with a null value`, p.origin, 'RB430');
          t = `isnull(${F})`;
        } else if (typeof v === 'number' && p.op === 'eq') t = guard(`${F}==${v}`);
        else if (p.op === 'eq' && p.caseSensitive && plainText(String(v))) t = guard(`${F}==${splString(String(v))}`);
        else {
          const toks = tokensOf(p.op as StrOp, String(v));
          const flags = (p.caseSensitive ? '' : 'i') + 's';
          t = guard(`match(${F}, ${splString(`(?${flags})${p.op === 'eq' ? `\\A${pcreLiteral(String(v))}\\z` : globToPcre(toks)}`)})`);
        }
      }
    }
    parts.push(t);
  }
  return group(parts, p.quantifier === 'all' ? 'AND' : 'OR');
}

/** A filter as search terms plus an optional where expression (top-level conjuncts split). */
export function splitFilter(ctx: SplCtx, e: Expr): { search: string[]; where?: string } | undefined {
  if (e.kind === 'const') return e.value ? { search: [] } : { search: [], where: 'false()' };
  const conj = e.kind === 'and' ? e.args : [e];
  const search: string[] = [];
  const rest: Expr[] = [];
  for (const c of conj) {
    const s = searchForm(ctx, c);
    if (s !== undefined) search.push(s);
    else rest.push(c);
  }
  if (!rest.length) return { search };
  const where = whereForm(ctx, rest.length === 1 ? rest[0]! : { kind: 'and', args: rest });
  return where === undefined ? undefined : { search, where };
}
