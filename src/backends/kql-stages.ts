/**
 * Pipeline stages as KQL tabular operators: aggregate → summarize, filter → where, eval →
 * extend, rename → project-rename, project → project / project-away, sort → sort, head → take
 * (or top by time), fillnull → extend with iff/coalesce. Each stage updates the scope that
 * the next one reads.
 */
import { diag } from '../diagnostics/index.js';
import type { Stage } from '../ir/index.js';
import { renamePair, starPatternRegex, visitStage, walkValue, type ValueExpr } from '../ir/index.js';
import { renderExpr } from './kql-expr.js';
import { COLUMN_REF, kqlIdent, kqlNumber, kqlString } from './kql-literal.js';
import { NUMERIC_TYPES, type KqlType, type Resolved } from './kql-mapping.js';
import { at, clashesWithColumn, column, Scope, type KqlCtx } from './kql-scope.js';
import { renderValue } from './kql-value.js';
import { summarize } from './kql-summarize.js';
import { eventstats, mvexpand } from './kql-enrich.js';
import { lookup } from './kql-lookup.js';
import { join, type Place } from './kql-join.js';
import { dedup } from './kql-dedup.js';
import { foreach } from './kql-foreach.js';
import { extract } from './kql-extract.js';

/**
 * Renders one stage as KQL operators (without the leading pipe); null when the stage changes
 * nothing in KQL, undefined after reporting why it cannot be rendered.
 */
export function renderStage(ctx: KqlCtx, s: Stage, prev: Stage | undefined, place?: Place): string | string[] | null | undefined {
  const fail = (why: string): undefined => {
    ctx.diags.push(diag('RB401', `kql cannot express ${why}`, at(ctx, s.origin)));
    return undefined;
  };
  return visitStage<string | string[] | null | undefined>(s, {
    aggregate: (n) => summarize(ctx, n),
    eventstats: (n) => eventstats(ctx, n),
    mvexpand: (n) => mvexpand(ctx, n),
    join: (n) => join(ctx, n, renderStages, place),
    lookup: (n) => lookup(ctx, n, place?.after),
    sequence: () => fail('sequence'),
    foreach: (n) => foreach(ctx, n),
    spath: () => fail('spath'),
    iplocation: () => fail('iplocation'),
    filter: (n) => {
      const e = renderExpr(ctx, n.expr);
      // A filter that keeps every row (a site filter macro left as `search *`) needs no operator.
      return e === undefined ? undefined : e === 'true' ? null : `where ${e}`;
    },
    eval: (n) => {
      // SPL evaluates the assignments of one eval in order, each seeing the ones before it; a
      // KQL extend reads the columns as they were before it, so an assignment that reads a field
      // assigned earlier in this eval (or assigns one again) starts a new extend.
      const ops: string[] = [];
      let parts: string[] = [];
      const assigned = new Set<string>();
      for (const a of n.assign) {
        if (parts.length && (assigned.has(a.field) || readsAny(a.expr, assigned))) {
          ops.push(`extend ${parts.join(', ')}`);
          parts = [];
          assigned.clear();
        }
        if (clashesWithColumn(ctx, a.field)) return fail(`an eval into '${a.field}', which is a column of ${ctx.scope.table!.name} under another field`);
        if (isNoOp(ctx, a.field, a.expr)) {
          ctx.diags.push(diag('RB431', `kql: '${a.field}' is computed from a field that does not exist here, so it stays absent (as in the source); the assignment is left out`, at(ctx, a.expr.origin ?? n.origin)));
          continue;
        }
        const before = ctx.diags.length;
        const v = renderValue(ctx, a.expr);
        if (!v) return undefined;
        if (ctx.diags.length > before && ctx.diags.slice(before).some((d) => d.severity === 'error')) return undefined;
        parts.push(`${kqlIdent(a.field)} = ${v.text}`);
        assigned.add(a.field);
        ctx.scope.define(a.field, v.type);
      }
      if (parts.length) ops.push(`extend ${parts.join(', ')}`);
      return ops.length ? ops : null;
    },
    rename: (n) => {
      // Pairs apply one after another (the evaluator's rename): each renders its own operators,
      // so a name one pair frees can be taken by the next (`parent_process* as orig_parent_process*,
      // process* as parent_process*`), which one project-rename would declare twice.
      const ops: string[] = [];
      for (const { from, to } of n.pairs) {
        const parts: string[] = [];
        const computed: string[] = [];
        const away: string[] = [];
        const sources = new Set<string>();
        const moves: [string, string, Resolved][] = [];
        const target = renamePair({ from, to });
        const pairs = from.endsWith('*') && to.endsWith('*')
          ? ctx.scope.names().flatMap((f) => { const t = target(f); return t === undefined ? [] : [[f, t] as const]; })
          : [[from, to] as const];
        // The fields one wildcard pair matches move at once: none of them is a target's old value.
        for (const [f, t] of pairs) if (f !== t && ctx.scope.resolve(f)) sources.add(f);
        for (const [f, t] of pairs) {
          const r = ctx.scope.resolve(f);
          if (!r || f === t) continue; // renaming a field that does not exist changes nothing
          if (!r.exact) column(ctx, f, n.origin); // the new name carries the rewrite's caveat (RB404), said once here
          // A field read through an expression (EventData, a rewrite) is computed under its new
          // name: the old name then reads nothing, as after SPL's rename.
          const isComputed = r.text !== kqlIdent(f) && !COLUMN_REF.test(r.text);
          // SPL rename overwrites a field of the target name; KQL needs it dropped first.
          const old = ctx.scope.resolve(t);
          // (A computed value extended onto the old column's own name replaces it in place.)
          if (old && !sources.has(t) && COLUMN_REF.test(old.text)) {
            if (!(isComputed && old.text === kqlIdent(t))) away.push(old.text);
          }
          // A name that is a column of the table but no field in scope (Sentinel's SysmonEvent
          // has `Image`): dropping it could change what other fields read, so say so instead.
          else if (!old && ctx.scope.table && Object.hasOwn(ctx.scope.table.columns, t)) return fail(`a rename onto '${t}', which is a column of ${ctx.scope.table.name} under another field`);
          (isComputed ? computed : parts).push(`${kqlIdent(t)} = ${r.text}`);
          moves.push([f, t, r]);
        }
        for (const [f] of moves) ctx.scope.remove(f);
        for (const [, t, r] of moves) ctx.scope.define(t, r.type, r.standIn);
        if (computed.length) ops.push(`extend ${computed.join(', ')}`);
        if (away.length) ops.push(`project-away ${[...new Set(away)].join(', ')}`);
        if (parts.length) ops.push(`project-rename ${parts.join(', ')}`);
      }
      return ops.length ? ops : null;
    },
    project: (n) => {
      // SPL `fields`/`table` patterns (`req_*`) name every field they match; KQL's own wildcards
      // would match the table's column names, not the rule's fields, so a pattern is expanded
      // here, and only where the columns are known (after an aggregate or a table).
      const fields = expandPatterns(ctx, n.fields);
      if (!fields) return fail(`the field pattern ${n.fields.filter((f) => f.includes('*')).map((f) => `'${f}'`).join(', ')} over the table's fields: the fields it matches in the events are not known here`);
      if (!fields.length && n.mode === 'keep') return fail(`'${n.fields.join(' ')}', which names no column here`);
      if (n.mode === 'drop') {
        const cols = fields.map((f) => ctx.scope.resolve(f)).filter((r) => r && COLUMN_REF.test(r.text)).map((r) => r!.text);
        for (const f of fields) ctx.scope.remove(f);
        return cols.length ? `project-away ${[...new Set(cols)].join(', ')}` : null;
      }
      const parts: string[] = [];
      const next: [string, KqlType, boolean?][] = [];
      // A field named twice is one column (SPL `table x x`); KQL rejects a column declared twice.
      for (const f of new Set(fields)) {
        const r = ctx.scope.resolve(f);
        if (!r) {
          ctx.diags.push(diag('RB405', `kql: '${f}' has no column here; it is shown as an empty string, as Splunk shows a missing field`, at(ctx, n.origin)));
          parts.push(`${kqlIdent(f)} = ''`);
          next.push([f, 'string', true]);
          continue;
        }
        parts.push(r.text === kqlIdent(f) ? r.text : `${kqlIdent(f)} = ${r.text}`);
        next.push([f, r.type, r.standIn]);
      }
      ctx.scope = Scope.of(next);
      return `project ${parts.join(', ')}`;
    },
    sort: (n) => {
      const keys: string[] = [];
      for (const k of n.keys) {
        const r = column(ctx, k.field, n.origin);
        if (!r) return undefined;
        keys.push(`${r.text} ${k.desc ? 'desc' : 'asc'}`);
      }
      return `sort by ${keys.join(', ')}`;
    },
    head: (n) => {
      if (prev?.kind === 'sort') return `take ${n.n}`;
      // Splunk returns events newest first, so head n before any sort is the n latest events.
      const time = ctx.scope.resolve('@timestamp');
      if (time && time.type === 'datetime') return `top ${n.n} by ${time.text} desc`;
      return fail(`head ${n.n} here: KQL take returns any ${n.n} rows, not the first ones in the source's order`);
    },
    fillnull: (n) => {
      const fields = n.fields.length ? n.fields : ctx.scope.table ? [] : ctx.scope.names();
      if (!fields.length) return fail('fillnull without a field list before an aggregate');
      const parts: string[] = [];
      for (const f of fields) {
        const r = ctx.scope.resolve(f);
        const v = n.value;
        if (!r) {
          parts.push(`${kqlIdent(f)} = ${typeof v === 'number' ? kqlNumber(v) : kqlString(String(v ?? ''))}`);
          ctx.scope.define(f, typeof v === 'number' ? 'real' : 'string');
          continue;
        }
        if (r.type === 'string') parts.push(`${kqlIdent(f)} = iff(isempty(${r.text}), ${kqlString(String(v ?? ''))}, ${r.text})`);
        else if (typeof v === 'number' && NUMERIC_TYPES.has(r.type)) parts.push(`${kqlIdent(f)} = coalesce(${r.text}, ${kqlNumber(v)})`);
        else {
          parts.push(`${kqlIdent(f)} = iff(isnull(${r.text}), ${kqlString(String(v ?? ''))}, tostring(${r.text}))`);
          ctx.scope.define(f, 'string');
          continue;
        }
        ctx.scope.define(f, r.type);
      }
      return `extend ${parts.join(', ')}`;
    },
    dedup: (n) => dedup(ctx, n, place?.before ?? []),
    extract: (n) => extract(ctx, n, place?.after),
  });
}

/** Functions that can turn a null argument into a value; any other call (or operator) yields null from null. */
const NULL_SAFE = new Set(['coalesce', 'if', 'case', 'isnull', 'isnotnull', 'now']);

/**
 * True when an assignment is a no-op in the source: the target does not exist and the value is
 * computed, through null-propagating functions only, from a field that does not exist either
 * (SPL security_content_ctime(firstTime) after a tstats that computed only count).
 */
function isNoOp(ctx: KqlCtx, target: string, e: ValueExpr): boolean {
  if (ctx.scope.resolve(target)) return false;
  let missing = false;
  let safe = false;
  walkValue(e, (v) => {
    if (v.kind === 'field' && !ctx.scope.resolve(v.name)) missing = true;
    if (v.kind === 'call' && NULL_SAFE.has(v.fn)) safe = true;
  });
  return missing && !safe;
}

/** Renders a pipeline of stages as KQL operators, in order. */
export function renderStages(ctx: KqlCtx, stages: Stage[]): string[] {
  const out: string[] = [];
  let prev: Stage | undefined;
  for (const [i, s] of stages.entries()) {
    ctx.here = s.origin;
    const op = renderStage(ctx, s, prev, { before: stages.slice(0, i), after: stages.slice(i + 1) });
    // After a stage that failed, the columns later stages read are unknown: stop, rather
    // than report errors that only follow from the first.
    if (op === undefined) break;
    if (op) out.push(...(Array.isArray(op) ? op : [op]));
    prev = s;
  }
  return out;
}

/**
 * Field names with each `*` pattern replaced by the known columns it matches (in scope order);
 * undefined when a pattern meets a table, whose fields in the events are not all known.
 */
function expandPatterns(ctx: KqlCtx, fields: string[]): string[] | undefined {
  if (!fields.some((f) => f.includes('*'))) return fields;
  if (ctx.scope.table) return undefined;
  const names = ctx.scope.names();
  return fields.flatMap((f) => {
    if (!f.includes('*')) return [f];
    const re = starPatternRegex(f);
    return names.filter((x) => re.test(x));
  });
}

/** True when the value reads one of the fields. */
function readsAny(e: ValueExpr, fields: Set<string>): boolean {
  let hit = false;
  walkValue(e, (v) => { if (v.kind === 'field' && fields.has(v.name)) hit = true; });
  return hit;
}
