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
import { INPUT_FIELD, starPatternRegex, visitValue, walkValue, type ForEach, type ValueExpr } from '../ir/index.js';
import { kqlIdent } from './kql-literal.js';
import { NUMERIC_TYPES, type KqlType, type Resolved } from './kql-mapping.js';
import { at, column, type KqlCtx } from './kql-scope.js';
import { renderValue, type Val } from './kql-value.js';
import { asArray } from './kql-value-mv.js';

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
    const g = groupAppend(ctx, s, names);
    if (g === undefined || Array.isArray(g)) return g;
    const why = g || 'before a stats or table fixes the columns, the source\'s fields that match are not all known';
    ctx.diags.push(diag('RB401', `kql cannot express foreach ${s.patterns.join(' ')} here: ${why}`, at(ctx, s.origin)));
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

/** Whether a value is `mvappend(acc, '<<FIELD>>')`: the accumulator, then the matched field. */
function appends(e: ValueExpr, acc: string): boolean {
  return e.kind === 'call' && e.fn === 'mvappend' && e.args.length === 2 && e.args[0]!.kind === 'field' && e.args[0]!.name === acc && e.args[1]!.kind === 'field' && e.args[1]!.name === '<<FIELD>>';
}

/**
 * A foreach over a field group of the source (mapping `groups`, e.g. auditd EXECVE's `a*`: its
 * arguments and argc) whose template only appends each matched field to accumulators,
 * `F = mvappend(F, '<<FIELD>>')` or `F = if(C, mvappend(F, '<<FIELD>>'), F)` with C the same in
 * every run: one append of the group's values in SPL's order of their names (code-unit order, so
 * a10 before a2). Otherwise why not (the caller refuses the stage): '' when the source has no such group.
 */
function groupAppend(ctx: KqlCtx, s: ForEach, names: string[]): string[] | undefined | string {
  const groups = ctx.scope.table?.groups;
  const g = groups && s.patterns.length === 1 && Object.hasOwn(groups, s.patterns[0]!) ? groups[s.patterns[0]!]! : undefined;
  if (!g) return '';
  const shape = `the source's ${s.patterns[0]} fields are read only as one list appended to accumulators, each assigned once (F = mvappend(F, '<<FIELD>>'), or that under an if() whose condition is the same in every run)`;
  const re = starPatternRegex(s.patterns[0]!);
  const named = [...(g.named ?? [])].sort();
  // A named field sorts before or after every numbered name (prefix + digits), or the order is not one append.
  const digit = (n: string) => n.startsWith(g.prefix) && /^[0-9]/.test(n.slice(g.prefix.length));
  const after = (n: string) => (n.startsWith(g.prefix) ? n.charCodeAt(g.prefix.length) > 57 : n > g.prefix);
  // Every field of the row the pattern matches must be the group's: a computed column would be one more run.
  const extra = names.filter((n) => re.test(n) && !named.includes(n)).sort();
  if (extra.length) return `${extra.join(', ')} ${extra.length > 1 ? 'match' : 'matches'} ${s.patterns[0]} too, besides the source's ${s.patterns[0]} fields`;
  if (named.some((n) => !re.test(n) || !ctx.scope.resolve(n) || digit(n))) return `the mapping's ${s.patterns[0]} group names a field that is not readable here or whose place among the numbered ones is unknown`;
  // A numbered field renamed or dropped earlier is no longer in the row (probed up to 256 arguments).
  const gone = Array.from({ length: 256 }, (_, i) => g.prefix + i).find((n) => !ctx.scope.resolve(n));
  if (gone) return `${gone} was renamed or removed before it, so the source's ${s.patterns[0]} fields are not the whole list`;
  const targets = new Set(s.assign.map((a) => a.field));
  // Two appends to one accumulator interleave per field in SPL (a0, a0, a1, a1…), not one list after the other.
  if (targets.size < s.assign.length) return shape;
  const conds: (ValueExpr | undefined)[] = [];
  for (const a of s.assign) {
    if (a.field.includes('<<') || re.test(a.field)) return shape;
    const e = a.expr;
    const cond = appends(e, a.field) ? undefined : e.kind === 'call' && e.fn === 'if' && e.args.length === 3 && appends(e.args[1]!, a.field) && e.args[2]!.kind === 'field' && e.args[2]!.name === a.field ? e.args[0]! : null;
    if (cond === null) return shape;
    // The condition must read the same in every run: no placeholder, accumulator or group field.
    let varies = false;
    if (cond) walkValue(cond, (v) => {
      if ((v.kind === 'field' && (targets.has(v.name) || re.test(v.name) || v.name.includes('<<'))) || (v.kind === 'lit' && typeof v.value === 'string' && v.value.includes('<<'))) varies = true;
    });
    if (varies) return shape;
    conds.push(cond);
  }
  // The group's caveat (how its values are read), once, at the foreach.
  if (g.exact === false && !ctx.warned.has(s.patterns[0]!)) {
    ctx.warned.add(s.patterns[0]!);
    ctx.diags.push(diag('RB404', `kql (${ctx.mapping.flavour}): the fields ${s.patterns[0]} are read as ${g.numbered}${g.named?.length ? ` and ${g.named.join(', ')}` : ''}${g.note ? `: ${g.note}` : ''}`, at(ctx, s.origin)));
  }
  const taken = new Set([...names, ...targets]);
  const temp = (n: string): string => {
    while (taken.has(n)) n += '_';
    taken.add(n);
    return n;
  };
  const [list, i, v, k] = [temp('rb_group'), temp('rb_i'), temp('rb_v'), temp('rb_k')];
  // make_list keeps the order of sorted input (learn.microsoft.com/kusto/query/make-list-aggregate-function);
  // the index as a string sorts as the names prefix + index do.
  const out = [`mv-apply with_itemindex=${i} ${v} = ${g.numbered} to typeof(string) on (extend ${k} = tostring(${i}) | order by ${k} asc | summarize ${list} = make_list(${v}))`];
  const val = (n: string): string => {
    const r = column(ctx, n, s.origin)!;
    return asArray({ text: r.text, type: r.type });
  };
  // The named fields before and after the numbered ones; a null one is no field (SPL skips it).
  if (named.length) out.push(`extend ${list} = array_concat(${[...named.filter((n) => !after(n)).map(val), list, ...named.filter(after).map(val)].join(', ')})`);
  for (const [j, a] of s.assign.entries()) {
    const acc = ctx.scope.resolve(a.field);
    const old = asArray(acc ? { text: acc.text, type: acc.type } : { text: 'dynamic(null)', type: 'dynamic' });
    const f = kqlIdent(a.field);
    let grown = `array_concat(${old}, ${list})`;
    const cond = conds[j];
    if (cond) {
      const c = renderValue(ctx, cond);
      if (!c) return undefined;
      if (c.type !== 'bool') {
        ctx.diags.push(diag('RB430', 'kql: if() whose condition is not a boolean expression', at(ctx, cond.origin ?? s.origin)));
        return undefined;
      }
      // A run that does not append leaves the accumulator as it was: the same values, as a list.
      grown = `iff(${c.text}, ${grown}, ${old})`;
    }
    // SPL has no empty multivalue: no values is null (as kql-value-mv's mvappend has it).
    out.push(`extend ${f} = ${grown}`, `extend ${f} = iff(array_length(${f}) == 0, dynamic(null), ${f})`);
    ctx.scope.define(a.field, 'dynamic');
  }
  out.push(`project-away ${list}`);
  return out;
}
