/**
 * Normalization, done once here so that no backend repeats it:
 * - and/or flattened, constants folded, double negation removed;
 * - glob patterns reduced to the simplest operator that means the same (`*x*` → contains x);
 * - OR of predicates that differ only in their values merged into one multi-value predicate;
 * - a prefix rename right after an aggregate (`drop_dm_object_name`) folded into its aliases;
 * - the sub-query of a join normalized as a query of its own.
 */
import type { Expr, Pred, Query, Stage, Aggregate, Rename } from '../nodes.js';
import { simplifyGlob } from '../glob.js';
import { renameColumns } from '../rename.js';

/** Returns a normalized copy of a query. */
export function normalizeQuery(q: Query): Query {
  const out: Query = { source: q.source, filter: normalizeExpr(q.filter), stages: normalizeStages(q.stages) };
  if (q.inputs) out.inputs = q.inputs.map((i) => ({ ...i, filter: normalizeExpr(i.filter) }));
  return out;
}

/** Returns a normalized copy of an expression. */
export function normalizeExpr(e: Expr): Expr {
  switch (e.kind) {
    case 'pred':
      return normalizePred(e);
    case 'const':
    case 'test':
      return e;
    case 'not': {
      const arg = normalizeExpr(e.arg);
      if (arg.kind === 'not') return arg.arg;
      if (arg.kind === 'const') return { kind: 'const', value: !arg.value, ...(e.origin ? { origin: e.origin } : {}) };
      return { ...e, arg };
    }
    case 'and':
    case 'or': {
      const unit = e.kind === 'and'; // the identity constant: true for and, false for or
      const args: Expr[] = [];
      for (const a0 of e.args) {
        const a = normalizeExpr(a0);
        if (a.kind === e.kind) args.push(...a.args);
        else if (a.kind === 'const') {
          if (a.value !== unit) return { kind: 'const', value: !unit, ...(e.origin ? { origin: e.origin } : {}) };
        } else args.push(a);
      }
      const merged = mergePreds(args, e.kind);
      if (merged.length === 0) return { kind: 'const', value: unit };
      if (merged.length === 1) return merged[0]!;
      return { ...e, args: merged };
    }
  }
}

/** A wildcard predicate becomes eq/startswith/endswith/contains where the pattern allows. */
function normalizePred(p: Pred): Expr {
  if (p.op !== 'wildcard') return p;
  const groups = new Map<string, (string | number | boolean | null)[]>();
  for (const v of p.values) {
    const s = typeof v === 'string' ? simplifyGlob(v) : { op: 'eq' as const, value: v };
    const list = groups.get(s.op) ?? [];
    list.push(s.value);
    groups.set(s.op, list);
  }
  // A single value has one canonical quantifier, `any`, whichever list it was split from.
  const preds: Pred[] = [...groups].map(([op, values]) => ({ ...p, op: op as Pred['op'], values, quantifier: values.length === 1 ? 'any' : p.quantifier }));
  if (preds.length === 1) return preds[0]!;
  return p.quantifier === 'all'
    ? { kind: 'and', args: preds, ...(p.origin ? { origin: p.origin } : {}) }
    : { kind: 'or', args: preds, ...(p.origin ? { origin: p.origin } : {}) };
}

function predKey(p: Pred): string {
  return JSON.stringify([p.field, p.op, p.caseSensitive, p.flags ?? '', p.refOp ?? '', p.part ?? '']);
}

/**
 * Inside an OR, `f op a OR f op b` is `f op (a, b)` with quantifier any; inside an AND, the
 * same with quantifier all. The first predicate's origin is kept. A `placeholder` predicate
 * names one list (values[0]), so two of them are never merged.
 */
function mergePreds(args: Expr[], kind: 'and' | 'or'): Expr[] {
  const quant = kind === 'or' ? 'any' : 'all';
  const out: Expr[] = [];
  // Per key: where its predicate is, and its values so far (a set, so a long OR of values merges in linear time).
  const merging = new Map<string, { at: number; values: Pred['values']; seen: Set<Pred['values'][number]>; merged: boolean }>();
  for (const a of args) {
    if (a.kind === 'pred' && (a.quantifier === quant || a.values.length === 1) && a.op !== 'exists' && a.op !== 'keyword' && a.op !== 'placeholder') {
      const key = predKey(a);
      const m = merging.get(key);
      if (m) {
        for (const v of a.values) if (!m.seen.has(v)) { m.seen.add(v); m.values.push(v); }
        m.merged = true;
        continue;
      }
      merging.set(key, { at: out.length, values: [...a.values], seen: new Set(a.values), merged: false });
      out.push(a.values.length > 1 ? a : { ...a, quantifier: a.values.length === 1 ? 'any' : a.quantifier });
      continue;
    }
    out.push(a);
  }
  for (const m of merging.values()) {
    if (!m.merged) continue;
    const prev = out[m.at] as Pred;
    out[m.at] = { ...prev, values: m.values, quantifier: m.values.length > 1 ? quant : prev.quantifier };
  }
  return out.map((e) => (e.kind === 'pred' && e.values.length === 1 && e.quantifier === 'all' ? { ...e, quantifier: 'any' } : e));
}

/** Folds `rename P.* AS *` after an aggregate into the aggregate's output names. */
export function normalizeStages(stages: Stage[]): Stage[] {
  const out: Stage[] = [];
  for (const s of stages) {
    const prev = out[out.length - 1];
    if (s.kind === 'rename' && prev?.kind === 'aggregate') {
      const rest = foldRename(prev, s);
      out[out.length - 1] = rest.agg;
      if (rest.rename.pairs.length) out.push(rest.rename);
      continue;
    }
    out.push(s.kind === 'join' ? { ...s, query: normalizeQuery(s.query) } : s);
  }
  return out;
}

/**
 * Renames the aggregate's output columns as the rename stage would: pairs apply left to right and
 * a renamed column replaces one of the same name (SPL2 search reference, rename), so after
 * `values(x) AS x … BY P.x | rename P.* AS *` the group key x wins and the aggregate is gone.
 * A rename that would drop a group-by or span column is left as a stage.
 */
function foldRename(agg: Aggregate, r: Rename): { agg: Aggregate; rename: Rename } {
  type Col = { kind: 'group' | 'span' | 'agg'; i: number };
  const cur = renameColumns<Col>([
    ...agg.groupBy.map((g, i): [string, Col] => [g.as, { kind: 'group', i }]),
    ...(agg.span ? [[agg.span.as, { kind: 'span', i: 0 }] as [string, Col]] : []),
    ...agg.aggs.map((a, i): [string, Col] => [a.as, { kind: 'agg', i }]),
  ], r.pairs);
  const nameOf = (kind: Col['kind'], i: number) => cur.find(([, c]) => c.kind === kind && c.i === i)?.[0];
  const groupBy = agg.groupBy.map((g, i) => ({ ...g, as: nameOf('group', i)! }));
  const spanAs = agg.span && nameOf('span', 0);
  if (groupBy.some((g) => g.as === undefined) || (agg.span && spanAs === undefined)) return { agg, rename: r };
  const aggs = agg.aggs.flatMap((a, i) => { const as = nameOf('agg', i); return as === undefined ? [] : [{ ...a, as }]; });
  const next: Aggregate = { ...agg, groupBy, aggs };
  if (agg.span) next.span = { ...agg.span, as: spanAs! };
  return { agg: next, rename: { ...r, pairs: [] } };
}
