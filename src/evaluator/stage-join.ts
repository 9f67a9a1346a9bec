/**
 * The `join` stage (SPL `join type=inner|left f1,f2 [search …]`): the sub-query runs over the
 * same events as the rule, as its own pipeline; when the rule's rows reach the join, each row
 * takes the fields of the first `max` sub-query rows (in the sub-query's output order; SPL's
 * default max=1, max=0 every one) whose `on` fields equal its own, one output row per partner.
 * Values compare exactly
 * (case-sensitive, as SPL join). A row missing an `on` field matches nothing. Inner drops rows
 * without a partner, left keeps them unchanged. On a name clash `overwrite` decides.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import type { Join } from '../ir/index.js';
import { asString, isMissing, type Fields } from './row.js';
import { own, type Carrier, type CompiledStage } from './stages.js';
import type { CompileContext } from './pipeline.js';

/** The join key of a row, or undefined when an `on` field is missing. */
function keyOf(f: Fields, on: string[]): string | undefined {
  const parts: string[] = [];
  for (const x of on) {
    const v = f[x];
    if (isMissing(v)) return undefined;
    parts.push(Array.isArray(v) ? JSON.stringify(v.map((e) => asString(e) ?? null)) : asString(v) ?? JSON.stringify(v));
  }
  return JSON.stringify(parts);
}

export function compileJoin(n: Join, diags: Diagnostic[], ctx: CompileContext): CompiledStage {
  const sub = ctx.subQuery(n.query, diags);
  return { kind: 'table', run: (rows, env) => {
    const max = n.max === undefined ? 1 : n.max <= 0 ? Infinity : n.max;
    const index = new Map<string, Fields[]>();
    for (const s of env.rowsOf(sub)) {
      const k = keyOf(s.f, n.on);
      if (k === undefined) continue;
      const l = index.get(k);
      if (!l) index.set(k, [s.f]);
      else if (l.length < max) l.push(s.f);
    }
    const out: Carrier[] = [];
    for (const c of rows) {
      const k = keyOf(c.f, n.on);
      const hits = k === undefined ? undefined : index.get(k);
      if (!hits) { if (n.type === 'left') out.push(c); continue; }
      hits.forEach((hit, i) => {
        // The last partner may change the row itself; earlier ones get copies.
        const d: Carrier = i === hits.length - 1 ? c : { ...c, f: Object.assign(Object.create(null) as Fields, c.f), shared: false };
        const f = own(d);
        for (const key in hit) if (n.overwrite || isMissing(f[key])) f[key] = hit[key];
        out.push(d);
      });
    }
    return out;
  } };
}
