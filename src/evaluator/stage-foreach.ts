/**
 * foreach over a wildcard field list (SPL `foreach a* [eval …]`, Search Reference "foreach",
 * multifield mode): per row, the names matching a pattern are taken first, in code-unit order,
 * then the template's assignments run once per name with `<<FIELD>>`, `<<MATCHSTR>>` and
 * `<<MATCHSEGn>>` replaced in its field names and string values.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import { starPatternRegex, type ForEach, type ValueExpr } from '../ir/index.js';
import { compileValue, type RowValue } from './compile-value.js';
import { Row, isMissing } from './row.js';
import { own, type CompiledStage } from './stages.js';

type Assign = { field: string; v: RowValue };

/** The template with the placeholders of one field filled in. */
function fill<T>(v: T, sub: (s: string) => string): T {
  if (typeof v === 'string') return sub(v) as T;
  if (Array.isArray(v)) return v.map((x) => fill(x, sub)) as T;
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = k === 'kind' || k === 'fn' || k === 'op' || k === 'origin' ? x : fill(x, sub);
  return out as T;
}

/** Compiles a foreach stage: the template once now (for its diagnostics), then once per field name met. */
export function compileForEach(n: ForEach, diags: Diagnostic[]): CompiledStage {
  for (const a of n.assign) compileValue(a.expr, diags);
  const res = n.patterns.map(starPatternRegex);
  const cache = new Map<string, Assign[]>();
  const forField = (name: string, segs: string[]): Assign[] => {
    let c = cache.get(name);
    if (!c) {
      const sub = (s: string) => s.replace(/<<(FIELD|MATCHSTR|MATCHSEG(\d+))>>/g, (m, what: string, k?: string) =>
        what === 'FIELD' ? name : k === undefined ? segs[0] ?? '' : segs[Number(k) - 1] ?? m);
      const scratch: Diagnostic[] = [];
      c = n.assign.map((a) => ({ field: sub(a.field), v: compileValue(fill<ValueExpr>(a.expr, sub), scratch) }));
      cache.set(name, c);
    }
    return c;
  };
  return { kind: 'step', make: () => (c) => {
    const hits: { name: string; segs: string[] }[] = [];
    for (const k of Object.keys(c.f).sort()) {
      if (isMissing(c.f[k])) continue; // a null field is no field in SPL
      for (const re of res) {
        const m = re.exec(k);
        if (m) { hits.push({ name: k, segs: m.slice(1) }); break; }
      }
    }
    for (const h of hits) {
      for (const a of forField(h.name, h.segs)) {
        const v = a.v(new Row(c.f));
        // As eval: a null result leaves the field absent.
        if (v === undefined || v === null) { if (a.field in c.f) delete own(c)[a.field]; }
        else own(c)[a.field] = v;
      }
    }
    return true;
  } };
}
