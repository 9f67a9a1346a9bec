/**
 * Regex predicates rewritten for engines that lack some of the IR's regex syntax (nodes.ts: the
 * RE2/ECMAScript subset, unanchored; Sigma `|re` with sub-modifiers `i`, `m`, `s`). Each rewrite
 * is an identity of matching, so a backend calls this pass and renders the result as usual:
 *
 * 1. Inline flags at the start of the pattern, `(?i)`, `(?s)`, `(?m)`, `(?-i)`, … apply to the
 *    whole pattern (RE2 syntax and PCRE: a flag group holds to the end of the enclosing group, `|`
 *    included), so they are the predicate's `caseSensitive` / `flags`. `U` (ungreedy) changes
 *    which text a match covers, never whether there is one, so it is dropped.
 * 2. A group spanning the whole pattern, `(X)`, `(?:X)`, `(?P<n>X)`, `(?flags:X)`, matches what X
 *    matches (captures do not change whether there is a match): it is unwrapped (with its flags
 *    hoisted as in 1). This brings `(^a|b)` to `^a|b`, whose alternatives anchor separately.
 * 3. Lookarounds (`lookaround: true`), where a fixed position makes them boolean structure. An
 *    unanchored search for X|Y matches iff X or Y does, so each top-level alternative is taken
 *    alone. An alternative `^ c1 … ck L R` without flag `m` can match only at offset 0; when every
 *    item before its last lookaround is a lookaround or an unquantified one-character atom
 *    (literal, `.`, class, one-character escape), each lookaround L sits at one offset n fixed by
 *    the pattern, whichever characters the atoms matched. Writing P for the atoms before L:
 *      match(^ P … R) ⟺ P matches s[0..n) ∧ R matches at n ∧ (L holds at n), and
 *      search(^ P (?:A)) ⟺ P matches s[0..n) ∧ A matches at n,
 *    so `(?=A)` is the conjunct search(^P(?:A)) and `(?!A)` the conjunct ¬search(^P(?:A)) (the
 *    main conjunct search(^ P … R), lookarounds removed, already requires P). Lookarounds inside
 *    groups, lookbehinds, unanchored or multi-line alternatives are left as they are, for the
 *    backend to refuse. The `not` is taken over the field as a whole: for a list-valued field
 *    (matched element by element) the rewrite is exact only when one element is present, which
 *    the returned notes say.
 * 4. Anchors inside a first or last group (`anchors: true`): concatenation distributes over
 *    alternation, (A|B)R ≡ AR|BR and R(A|B) ≡ RA|RB, so `(^|\\)cmd\.exe(\s|$)` becomes four
 *    alternatives whose `^` / `$` stand at their ends, where an engine anchored at both ends
 *    (Lucene) can express them. Not done when the group sets flags (they would then reach R) or
 *    when the alternatives would pass 32.
 */
import type { Expr, Origin, Pred } from '../nodes.js';
import { and, not, or } from '../build.js';
import { visitExpr } from '../visit.js';
import { hasLookaround, scanItems, splitAlternatives, type Item } from './regex-scan.js';

/** Which rewrites a target needs. */
export interface RegexRewriteOptions {
  /** Leading inline flags and whole-pattern groups into the predicate (Lucene has no inline flags). */
  inlineFlags?: boolean;
  /** Lookarounds into and/not of regexes (Lucene, RE2). */
  lookaround?: boolean;
  /** `^` / `$` inside a first / last group distributed to the ends of alternatives (Lucene). */
  anchors?: boolean;
}

/** A rewritten expression and what the caller should tell the user about it. */
export interface RegexRewrite {
  expr: Expr;
  /** Rewrites exact only under a condition (a single-valued field), with where they apply. */
  notes: { message: string; origin?: Origin }[];
}

/** One regex with its case and flags (`m`, `s`, sorted; `i` folded into `cs`). */
interface Re { source: string; cs: boolean; flags: string }

const LEADING_FLAGS = /^\(\?([imsU]*(?:-[imsU]*)?)\)/;

function setFlags(re: Re, spec: string): Re {
  const [on = '', off = ''] = spec.split('-');
  let { cs, flags } = re;
  for (const f of on) if (f === 'i') cs = false; else if (f !== 'U' && !flags.includes(f)) flags += f;
  for (const f of off) if (f === 'i') cs = true; else flags = flags.replace(f, '');
  return { ...re, cs, flags: [...flags].sort().join('') };
}

/** Rewrites 1 and 2, repeated while one applies. */
function hoistFlags(re: Re): Re {
  for (;;) {
    const lead = LEADING_FLAGS.exec(re.source);
    if (lead && lead[1] !== '' && lead[1] !== '-') {
      re = setFlags({ ...re, source: re.source.slice(lead[0].length) }, lead[1]!);
      continue;
    }
    const alts = splitAlternatives(re.source);
    const items = alts?.length === 1 ? scanItems(alts[0]!) : undefined;
    const g = items?.length === 1 ? items[0]! : undefined;
    if (g?.kind !== 'group' || g.quant !== '') return re;
    const scoped = /^\(\?([A-Za-z]*(?:-[A-Za-z]*)?):$/.exec(g.open!);
    if (scoped && !/^[imsU]*(?:-[imsU]*)?$/.test(scoped[1]!)) return re;
    re = { ...re, source: g.body! };
    if (scoped?.[1]) re = setFlags(re, scoped[1]);
  }
}

const MAX_ALTERNATIVES = 32;

/** Rewrite 4, repeated while it applies; the source unchanged when it does not. */
function distributeAnchors(source: string): string {
  let alts = splitAlternatives(source);
  if (!alts) return source;
  let changed = false;
  for (let again = true; again && alts.length <= MAX_ALTERNATIVES; ) {
    again = false;
    const next: string[] = [];
    for (const alt of alts) {
      const items = scanItems(alt);
      const spread = items ? spreadEnd(items, 0, (b) => b[0]?.text === '^') ?? spreadEnd(items, items.length - 1, (b) => b[b.length - 1]?.text === '$') : undefined;
      if (spread) next.push(...spread);
      else next.push(alt);
      again ||= spread !== undefined;
    }
    if (next.length > MAX_ALTERNATIVES) return changed ? alts.join('|') : source;
    changed ||= again;
    alts = next;
  }
  return changed ? alts.join('|') : source;
}

/** The alternatives of items[at] (an unquantified group without flag items) each put in its place, when one passes `anchored`. */
function spreadEnd(items: Item[], at: number, anchored: (body: Item[]) => boolean): string[] | undefined {
  const g = items[at];
  if (g?.kind !== 'group' || g.quant !== '' || /^\(\?[A-Za-z-]+:$/.test(g.open!)) return undefined;
  const body = splitAlternatives(g.body!)?.map((b) => ({ b, items: scanItems(b) }));
  if (!body || body.some((x) => !x.items || x.items.some((it) => it.kind === 'flags')) || !body.some((x) => anchored(x.items!))) return undefined;
  const before = items.slice(0, at).map((it) => it.text).join('');
  const after = items.slice(at + 1).map((it) => it.text).join('');
  return body.map((x) => before + x.b + after);
}

/** Rewrite 3 over one regex; undefined when it does not apply. */
function splitLookarounds(re: Re, mk: (r: Re) => Pred, origin?: Origin): Expr | undefined {
  if (re.flags.includes('m')) return undefined;
  const alts = splitAlternatives(re.source);
  if (!alts) return undefined;
  const plain: string[] = [];
  const structured: Expr[] = [];
  for (const alt of alts) {
    const items = scanItems(alt);
    if (!items) return undefined;
    const last = items.map((it) => it.kind).lastIndexOf('look');
    if (last < 0) {
      if (items.some((it) => it.body !== undefined && hasLookaround(it.body))) return undefined;
      plain.push(alt);
      continue;
    }
    if (items[0]!.text !== '^') return undefined;
    let main = '^';
    const conj: Expr[] = [];
    for (let i = 1; i < items.length; i++) {
      const it = items[i]!;
      if (it.body !== undefined && hasLookaround(it.body)) return undefined;
      if (it.kind === 'look') {
        if (it.behind || it.quant !== '') return undefined;
        const test = mk({ ...re, source: `${main}(?:${it.body})` });
        conj.push(it.negative ? not(test, test.origin) : test);
      } else if (i < last && !(it.kind === 'char' && it.quant === '')) return undefined;
      else main += it.text;
    }
    structured.push(and([mk({ ...re, source: main }), ...conj], origin));
  }
  if (plain.length) structured.push(mk({ ...re, source: plain.join('|') }));
  return structured.length === 1 ? structured[0]! : or(structured, origin);
}

/** Rewrites one predicate; returns it unchanged (the same object) when nothing applies. */
export function rewriteRegexPred(p: Pred, opts: RegexRewriteOptions): RegexRewrite {
  if (p.op !== 'regex') return { expr: p, notes: [] };
  const base = setFlags({ source: '', cs: p.caseSensitive, flags: '' }, p.flags ?? '');
  const key = (r: Re) => `${r.cs}/${r.flags}`;
  const mk = (r: Re): Pred => {
    const out: Pred = { ...p, values: [r.source], caseSensitive: r.cs, quantifier: 'any' };
    if (r.flags) out.flags = r.flags; else delete out.flags;
    return out;
  };
  const groups = new Map<string, { re: Re; values: string[] }>();
  const exprs: Expr[] = [];
  const notes: RegexRewrite['notes'] = [];
  let changed = false;
  for (const v of p.values) {
    let re: Re = { ...base, source: String(v) };
    if (opts.inlineFlags) re = hoistFlags(re);
    if (opts.anchors) re = { ...re, source: distributeAnchors(re.source) };
    const split = opts.lookaround && hasLookaround(re.source) ? splitLookarounds(re, mk, p.origin) : undefined;
    if (split) {
      exprs.push(split);
      notes.push({ message: `a lookaround of a regex on ${p.field} is rewritten as and/not of regexes: exact when the field holds one value, not for every element of a list`, ...(p.origin ? { origin: p.origin } : {}) });
    } else {
      const g = groups.get(key(re)) ?? { re, values: [] };
      g.values.push(re.source);
      groups.set(key(re), g);
    }
    changed ||= split !== undefined || re.source !== String(v) || key(re) !== key(base);
  }
  if (!changed) return { expr: p, notes: [] };
  const preds = [...groups.values()].map((g) => ({ ...mk(g.re), values: g.values, quantifier: p.quantifier }));
  const all = [...preds, ...exprs];
  if (all.length === 1) return { expr: all[0]!, notes };
  return { expr: p.quantifier === 'all' ? and(all, p.origin) : or(all, p.origin), notes };
}

/** Rewrites every regex predicate of an expression (see the module comment). */
export function rewriteRegexes(e: Expr, opts: RegexRewriteOptions): RegexRewrite {
  const notes: RegexRewrite['notes'] = [];
  // Unchanged subtrees are returned as they are (no copy): most rules hold no regex.
  const all = (args: Expr[]): Expr[] | undefined => {
    const out = args.map(go);
    return out.every((a, i) => a === args[i]) ? undefined : out;
  };
  const go = (x: Expr): Expr =>
    visitExpr<Expr>(x, {
      and: (n) => { const args = all(n.args); return args ? { ...n, args } : n; },
      or: (n) => { const args = all(n.args); return args ? { ...n, args } : n; },
      not: (n) => { const arg = go(n.arg); return arg === n.arg ? n : { ...n, arg }; },
      const: (n) => n,
      test: (n) => n,
      pred: (n) => {
        const r = rewriteRegexPred(n, opts);
        notes.push(...r.notes);
        return r.expr;
      },
    });
  return { expr: go(e), notes };
}
