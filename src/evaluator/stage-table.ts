/**
 * Table stages that need every row: `eventstats` (per-group aggregates added to each row, the
 * rows kept in their order) and `mvexpand` (one row per element of a list field).
 */
import type { Diagnostic } from '../diagnostics/index.js';
import type { EventStats, MvExpand } from '../ir/index.js';
import { compileAggregate, type Aggregator } from './aggregate.js';
import { own, type Carrier, type CompiledStage } from './stages.js';

/**
 * eventstats: rows group by their group-by values as `aggregate` groups them (a missing value
 * groups as null), each group's aggregates are computed over its rows and written into each of
 * them (SPL eventstats). A list value is one group key as a whole (it is not split per element).
 */
export function compileEventStats(n: EventStats, diags: Diagnostic[]): CompiledStage {
  const make = compileAggregate({ kind: 'aggregate', groupBy: [], aggs: n.aggs }, diags);
  return { kind: 'table', run: (rows) => {
    const groups = new Map<string, { agg: Aggregator; rows: Carrier[] }>();
    for (const c of rows) {
      const id = JSON.stringify(n.groupBy.map((g) => c.f[g.field] ?? null));
      let g = groups.get(id);
      if (!g) groups.set(id, (g = { agg: make(), rows: [] }));
      g.agg.add(c.f);
      g.rows.push(c);
    }
    for (const g of groups.values()) {
      const out = g.agg.finish()[0]!;
      for (const c of g.rows) {
        const f = own(c);
        for (const a of n.aggs) f[a.as] = out[a.as] ?? null;
      }
    }
    return rows;
  } };
}

/** mvexpand: a list field gives one row per element; other rows pass unchanged. */
export function compileMvExpand(n: MvExpand): CompiledStage {
  return { kind: 'table', run: (rows) => rows.flatMap((c) => {
    const v = c.f[n.field];
    if (!Array.isArray(v)) return [c];
    // SPL drops an event whose field has no value at all; an empty list is no value.
    return v.map((x) => {
      const copy: Carrier = { ...c, f: Object.assign(Object.create(null), c.f), shared: false };
      copy.f[n.field] = x;
      return copy;
    });
  }) };
}
