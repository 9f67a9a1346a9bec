/**
 * SPL `foreach <patterns> [eval …]` (IR stage `foreach`) as explicit KQL extends. SPL runs the
 * template once per field of the row whose name matches a pattern, the names taken before the
 * first run in code-unit order, a null field being no field (Search Reference "foreach",
 * multifield mode; the evaluator's src/evaluator/stage-foreach.ts is the reference semantics).
 * KQL has no per-row field set, so the names are expanded once, against the columns known at
 * this point of the pipeline. That is exact only where those columns are the row's whole field
 * set: after a summarize or a project (a closed scope). Before one, the source's fields that no
 * mapping names could match too, so the stage stays refused (RB401). Each run is guarded by its
 * column being present, since SPL skips a row's null fields.
 */
import { diag } from '../diagnostics/index.js';
import { INPUT_FIELD, starPatternRegex, visitValue, type ForEach, type ValueExpr } from '../ir/index.js';
import { kqlIdent } from './kql-literal.js';
import { NUMERIC_TYPES, type KqlType, type Resolved } from './kql-mapping.js';
import { at, type KqlCtx } from './kql-scope.js';
import { renderValue, type Val } from './kql-value.js';

/** The template's placeholders (nodes.ts ForEach): the name, the first `*`'s match, the n-th `*`'s match. */
const PLACEHOLDER = /<<(FIELD|MATCHSTR|MATCHSEG(\d+))>>/g;

/** The template with one field's placeholders filled into its field names and string values (as the evaluator does). */
function fill(e: ValueExpr, sub: (s: string) => string): ValueExpr {
  const f = (x: ValueExpr): ValueExpr => fill(x, sub);
  return visitValue<ValueExpr>(e, {
    field: (n) => ({ ...n, name: sub(n.name) }),
    lit: (n) => (typeof n.value === 'string' ? { ...n, value: sub(n.value) } : n),
    call: (n) => ({ ...n, args: n.args.map(f) }),
    binary: (n) => ({ ...n, left: f(n.left), right: f(n.right) }),
    unary: (n) => ({ ...n, arg: f(n.arg) }),
  });
}

/** A column of a closed scope that holds a value in this row: SPL's foreach skips a null field. */
function present(c: Resolved): string {
  if (c.type === 'string') return `isnotempty(${c.text})`;
  // A multivalue field with no value is no field either (an empty make_set()).
  if (c.type === 'dynamic') return `(isnotnull(${c.text}) and coalesce(array_length(${c.text}), 1) != 0)`;
  return `isnotnull(${c.text})`;
}

/** The typed null KQL writes for a column that a skipped run leaves as it was (absent). */
function nullOf(t: KqlType): string {
  return t === 'string' ? "''" : `${t}(null)`;
}

const str = (x: Val): string => (x.type === 'string' ? x.text : `tostring(${x.text})`);

/** One template assignment for one field: its target and value expression, placeholders filled. */
interface Step { hit: number; field: string; expr: ValueExpr }

/**
 * Renders a foreach stage as one extend per assignment of each run, in SPL's order, so each
 * sees the ones before it (as SPL's eval does); null when no column matches; undefined after an error.
 */
export function foreach(ctx: KqlCtx, s: ForEach): string[] | null | undefined {
  const names = ctx.scope.names();
  // A correlation's union projects only the fields its stages name: not the row's whole field set either.
  if (ctx.scope.table || names.includes(INPUT_FIELD)) {
    ctx.diags.push(diag('RB401', `kql cannot express foreach ${s.patterns.join(' ')} here: before a stats or table fixes the columns, the source's fields that match are not all known`, at(ctx, s.origin)));
    return undefined;
  }
  const res = s.patterns.map(starPatternRegex);
  const hits: { name: string; segs: string[] }[] = [];
  for (const name of [...names].sort()) {
    const m = res.map((re) => re.exec(name)).find((x) => x);
    if (m) hits.push({ name, segs: m.slice(1) });
  }
  const steps: Step[] = hits.flatMap(({ name, segs }, hit) => {
    const sub = (t: string): string => t.replace(PLACEHOLDER, (m, what: string, k?: string) => (what === 'FIELD' ? name : k === undefined ? segs[0] ?? '' : segs[Number(k) - 1] ?? m));
    return s.assign.map((a) => ({ hit, field: sub(a.field), expr: fill(a.expr, sub) }));
  });
  // SPL decides which fields are present before the first run. When a run writes a matched
  // field before its own run reads it, that decision is taken up front into temporary columns.
  const written = new Set<string>();
  let stale = false;
  for (const st of steps) {
    if (written.has(hits[st.hit]!.name)) stale = true;
    written.add(st.field);
  }
  const taken = new Set([...names, ...steps.map((st) => st.field)]);
  const temp = (i: number): string => {
    let n = `rb_foreach_${i}`;
    while (taken.has(n)) n += '_';
    return n;
  };
  const guards = hits.map((h, i) => (stale ? kqlIdent(temp(i)) : present(ctx.scope.resolve(h.name)!)));
  const out: string[] = stale ? [`extend ${hits.map((h, i) => `${guards[i]} = ${present(ctx.scope.resolve(h.name)!)}`).join(', ')}`] : [];
  for (const st of steps) {
    const v = renderValue(ctx, st.expr);
    if (!v) return undefined;
    // A skipped run leaves the target as it was: its column, or absent (a typed null).
    const old = ctx.scope.resolve(st.field);
    const keep: Val = old ? { text: old.text, type: old.type } : { text: nullOf(v.type), type: v.type };
    const same = keep.type === v.type || (NUMERIC_TYPES.has(keep.type) && NUMERIC_TYPES.has(v.type));
    const type: KqlType = keep.type === v.type ? v.type : same ? 'real' : 'string';
    out.push(`extend ${kqlIdent(st.field)} = iff(${guards[st.hit]}, ${same ? v.text : str(v)}, ${same ? keep.text : str(keep)})`);
    ctx.scope.define(st.field, type);
  }
  if (stale) out.push(`project-away ${hits.map((_, i) => guards[i]).join(', ')}`);
  return out.length ? out : null;
}
