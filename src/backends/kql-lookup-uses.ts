/**
 * Where the later stages read a field that a lookup or rex max_match made multivalued (a KQL
 * dynamic array). SPL treats a multivalue value by each value (a filter holds when any value
 * does, stats by it counts the row under each value, values() of it collects every value),
 * which KQL does not do with an array. Accepted: filter predicates on the field (kql-expr-mv.ts
 * tests each value or refuses), functions of it (kql-value.ts reads a dynamic value as the
 * evaluator reads a multivalue, or refuses; a field computed from it is followed in turn),
 * showing it (table, fields), renaming it, mvexpand, and any stage after the field is
 * overwritten or dropped. A stage that groups, aggregates, orders, dedups or joins by it is
 * reported, so the stage that makes it multivalued can refuse instead of rendering another meaning.
 */
import type { Expr, Stage, ValueExpr } from '../ir/index.js';
import { visitStage, walkExpr } from '../ir/index.js';
import type { Origin } from '../diagnostics/index.js';

/** The first later stage that reads one of the fields in a way that is not array-aware. */
export interface MvUse { field: string; stage: string; origin?: Origin }

/** SPL functions whose result may be a multivalue when an argument is one; the others give one value. */
const MV_RESULT = new Set(['coalesce', 'if', 'case', 'nullif', 'mvappend', 'mvdedup', 'mvfilter', 'mvsort', 'mvindex', 'mvzip', 'mvmap']);

/** Whether the value may be one of the multivalued fields or a multivalue made from them. */
function mayBeMv(e: ValueExpr, live: Set<string>): boolean {
  if (e.kind === 'field') return live.has(e.name);
  if (e.kind === 'call') return MV_RESULT.has(e.fn) && e.args.some((a) => mayBeMv(a, live));
  return false;
}

/** A field compared with one of them (fieldref): kql-expr.ts would read it as one value. Predicates on them test each value. */
const readsExpr = (e: Expr, live: Set<string>): string | undefined => {
  let hit: string | undefined;
  walkExpr(e, (n) => {
    if (n.kind === 'pred' && n.op === 'fieldref') hit ??= n.values.map(String).find((v) => live.has(v));
  });
  return hit;
};

const globMatch = (pattern: string, name: string) => new RegExp('^' + pattern.split('*').map((p) => p.replace(/[\\^$.+?()[\]{}|]/g, '\\$&')).join('.*') + '$', 's').test(name);

/** The first stage of `after` that reads one of `fields` as a single value, or undefined. */
export function firstMvUse(fields: string[], after: Stage[]): MvUse | undefined {
  const live = new Set(fields);
  const among = (names: string[]) => names.find((n) => live.has(n));
  for (const s of after) {
    if (!live.size) return undefined;
    const hit = visitStage<string | undefined>(s, {
      filter: (n) => readsExpr(n.expr, live),
      eval: (n) => {
        // Functions read a multivalue as the evaluator does (kql-value.ts, or RB430 there); what
        // some compute from it may be a multivalue too (coalesce, mvappend), so it is followed.
        for (const a of n.assign) {
          if (mayBeMv(a.expr, live)) live.add(a.field);
          else live.delete(a.field);
        }
        return undefined;
      },
      rename: (n) => {
        for (const { from, to } of n.pairs) {
          const moved = [...live].filter((f) => (from.endsWith('*') && to.endsWith('*') ? f.startsWith(from.slice(0, -1)) : f === from));
          if (!from.endsWith('*')) live.delete(to);
          for (const f of moved) {
            live.delete(f);
            live.add(from.endsWith('*') && to.endsWith('*') ? to.slice(0, -1) + f.slice(from.length - 1) : to);
          }
        }
        return undefined;
      },
      project: (n) => {
        for (const f of [...live]) {
          const named = n.fields.some((p) => globMatch(p, f));
          if (n.mode === 'drop' ? named : !named) live.delete(f);
        }
        return undefined;
      },
      mvexpand: (n) => void live.delete(n.field),
      head: () => undefined,
      dedup: (n) => among(n.fields),
      sort: (n) => among(n.keys.map((k) => k.field)),
      fillnull: (n) => (n.fields.length ? among(n.fields) : [...live][0]),
      extract: (n) => (live.has(n.field) ? n.field : undefined),
      aggregate: (n) => {
        // By it (a row counts under each value in SPL), or an aggregate of it (values() collects each value).
        const hit = among([...n.groupBy.map((g) => g.field), ...n.aggs.flatMap((a) => (a.field ? [a.field] : [])), ...(n.span ? [n.span.field] : [])])
          ?? n.aggs.map((a) => (a.where ? readsExpr(a.where, live) : undefined)).find((h) => h !== undefined);
        // After it only its output columns exist.
        live.clear();
        return hit;
      },
      eventstats: (n) => among([...n.groupBy.map((g) => g.field), ...n.aggs.flatMap((a) => (a.field ? [a.field] : []))]),
      join: (n) => among(n.on),
      lookup: (n) => {
        const key = among(n.keys.map((k) => k.field));
        if (key === undefined) for (const o of n.outputs) live.delete(o.as);
        return key;
      },
      foreach: (n) => [...live].find((f) => n.patterns.some((p) => globMatch(p, f))),
      sequence: (n) => among(n.by),
      spath: (n) => (live.has(n.input) ? n.input : undefined),
      iplocation: (n) => (live.has(n.field) ? n.field : undefined),
    });
    if (hit !== undefined) return { field: hit, stage: s.kind, ...(s.origin ? { origin: s.origin } : {}) };
  }
  return undefined;
}

