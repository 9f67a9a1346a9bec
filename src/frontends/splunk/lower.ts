/**
 * Lowers a parsed SPL pipeline to the IR. The first command (an implicit search, tstats, or
 * `from datamodel`) gives the log source and the filter; later commands become stages. A search
 * or where before any stage narrows the events, so it joins the filter; after a stage it is a
 * filter stage over the rows. Anything without a meaning-preserving lowering is RB250.
 */
import { diag, type Diagnostic, type Origin } from '../../diagnostics/index.js';
import { and, not, pred, normalizeQuery, type Expr, type LogSource, type Query, type Stage } from '../../ir/index.js';
import type { Command, Pipeline, SearchNode } from './ast.js';
import { FieldContext, findDatamodel } from './fields.js';
import { LowerStop, lowerCondition, lowerSearch, lowerValue, unsupported } from './lower-expr.js';
import { aggregate, preEval } from './lower-agg.js';
import { lowerEnrich } from './lower-enrich.js';
import { lowerForeach, makemvEval } from './lower-foreach.js';
import type { LookupTable } from './lookups.js';
import { conjuncts, extractCategory, extractSource } from './sources.js';

/** What the lowering knows about the rule beyond its search. */
export interface LowerHints {
  /** Product named by the rule's data_source (e.g. windows for Sysmon). */
  product?: string;
  /** Lookup definitions the `lookup` command may name. */
  lookups?: LookupTable;
  /** Where the lookup definitions were looked for, for the warning about a missing one. */
  lookupDirs?: string[];
}

/** Lowers a pipeline; returns undefined (with diagnostics) when some part could not be lowered. */
export function lowerPipeline(p: Pipeline, hints: LowerHints, ds: Diagnostic[], at0?: Origin): Query | undefined {
  try {
    return lowerPipelineCtx(p, hints, ds, at0).query;
  } catch (e) {
    if (e instanceof LowerStop) return undefined;
    throw e;
  }
}

/** Lowers a pipeline (a rule's search or a subsearch) and returns the field context at its end; throws LowerStop. */
export function lowerPipelineCtx(p: Pipeline, hints: LowerHints, ds: Diagnostic[], at0?: Origin): { query: Query; ctx: FieldContext } {
  const [first, ...rest] = p.commands;
  if (!first) {
    ds.push(diag('RB202', 'the search is empty', at0));
    throw new LowerStop('empty');
  }
  const { ctx, source, filter, stages } = lowerFirst(first, hints, ds);
  const q: Query = { source, filter, stages };
  for (const cmd of rest) {
    const pending = ctx.pendingBin;
    lowerCommand(cmd, q, ctx, hints);
    // `bin _time span=…` only has a meaning here as the time buckets of a later stats; commands
    // in between may stay only when they neither read nor write _time (so the buckets commute).
    if (pending && cmd.name !== 'bin' && ctx.pendingBin && !commutesWithBin(cmd)) unsupported(ds, '`bin _time` that is not followed by `stats … by _time`', pending.at);
  }
  if (ctx.pendingBin) unsupported(ds, '`bin _time` that is not followed by `stats … by _time`', ctx.pendingBin.at);
  return { query: normalizeQuery(q), ctx };
}

function lowerFirst(cmd: Command, hints: LowerHints, ds: Diagnostic[]): { ctx: FieldContext; source: LogSource; filter: Expr; stages: Stage[] } {
  let base: LogSource = hints.product ? { product: hints.product } : {};
  let terms: SearchNode[] = [];
  let ctx: FieldContext;
  let agg: Command | undefined;
  if (cmd.name === 'search') {
    terms = conjuncts(cmd.expr);
    ctx = new FieldContext(ds, undefined, hints.product);
  } else if (cmd.name === 'tstats' || cmd.name === 'from') {
    const dmName = cmd.name === 'tstats' ? cmd.datamodel?.name : cmd.datamodel;
    const dmAt = cmd.name === 'tstats' ? cmd.datamodel?.at ?? cmd.at : cmd.at;
    ctx = new FieldContext(ds, undefined, hints.product);
    if (dmName) {
      const dm = findDatamodel(dmName);
      if (!dm) {
        ds.push(diag('RB251', `unknown data model '${dmName}' (mappings/cim.json)`, dmAt));
        throw new LowerStop('datamodel');
      }
      ctx.datamodel = { ...dm, prefixed: cmd.name === 'tstats' };
      ctx.category = dm.model.logsource.category;
      base = { ...dm.model.logsource, ...(hints.product && !dm.model.logsource.product ? { product: hints.product } : {}), extra: { datamodel: dm.name }, origin: dmAt };
      ctx.product = base.product;
    }
    if (cmd.name === 'tstats') {
      // `nodename=X` picks a dataset of the data model: the mapped one is accepted, any other is not.
      terms = conjuncts(cmd.where).filter((t) => {
        if (t.kind !== 'cmp' || t.field.toLowerCase() !== 'nodename') return true;
        const obj = ctx.datamodel?.model.object;
        if (t.op !== '=' || !obj || (t.value.value !== obj && !t.value.value.endsWith('.' + obj))) unsupported(ds, `nodename=${t.value.raw} (a data model dataset without a mapping)`, t.at);
        return false;
      });
      agg = cmd;
    }
  } else {
    unsupported(ds, `a search that starts with '${cmd.name === 'other' ? cmd.command : cmd.name}'`, cmd.at);
  }
  const s1 = extractSource(terms, base);
  const s2 = extractCategory(s1.rest, s1.source);
  ctx.product = s2.source.product;
  ctx.category = s2.source.category;
  const filter = and(s2.rest.map((t) => lowerSearch(t, ctx)));
  // A log source with no position of its own (no data model, no source macro) reports at the
  // first command, so a target's "no table for this log source" has a line and column.
  const source = s2.source.origin ? s2.source : { ...s2.source, origin: cmd.at };
  if (agg && agg.name === 'tstats') {
    for (const k of Object.keys(agg.options)) {
      // These only choose which summaries are read, not which rows match.
      if (!['summariesonly', 'allow_old_summaries', 'fillnull_value', 'chunk_size', 'local', 'include_reduced_buckets'].includes(k)) unsupported(ds, `the tstats option '${k}'`, agg.at);
    }
    const stages = [aggregate(agg.aggs, agg.by, agg.span, agg.at, ctx)];
    ctx.afterAggregate = true;
    return { ctx, source, filter, stages };
  }
  return { ctx, source, filter, stages: [] };
}

function commutesWithBin(cmd: Command): boolean {
  if (!['eval', 'rename', 'search', 'where', 'fillnull', 'rex', 'regex'].includes(cmd.name)) return false;
  if (cmd.name === 'fillnull' && cmd.fields.length === 0) return false;
  if (cmd.name === 'rename' && cmd.pairs.some((p) => p.to.includes('*'))) return false;
  return !JSON.stringify(cmd, (k, v) => (k === 'at' ? undefined : v)).includes('_time');
}

/** Default format of `convert ctime()` (Splunk Search Reference, convert). */
const CTIME_DEFAULT = '%m/%d/%Y %H:%M:%S';

function addFilter(q: Query, e: Expr, at: Origin): void {
  if (e.kind === 'const' && e.value) return;
  if (q.stages.length === 0) q.filter = and([q.filter, e]);
  else q.stages.push({ kind: 'filter', expr: flatten(e), origin: at });
}

/**
 * `a OR b OR c` parses as a left-leaning chain; one n-ary node means the same and keeps a long
 * where (30 LIKEs) shallow for every consumer. (The rule's own filter is normalized as a whole.)
 */
function flatten(e: Expr): Expr {
  if (e.kind === 'not') return { ...e, arg: flatten(e.arg) };
  if (e.kind !== 'and' && e.kind !== 'or') return e;
  const args = e.args.map(flatten).flatMap((a) => (a.kind === e.kind ? a.args : [a]));
  return { ...e, args };
}

function lowerCommand(cmd: Command, q: Query, ctx: FieldContext, hints: LowerHints): void {
  const ds = ctx.ds;
  switch (cmd.name) {
    case 'search':
      if (cmd.expr) addFilter(q, lowerSearch(cmd.expr, ctx), cmd.at);
      return;
    case 'where':
      addFilter(q, lowerCondition(cmd.expr, ctx), cmd.at);
      return;
    case 'stats': {
      const span = cmd.span ?? (ctx.pendingBin && cmd.by.some((b) => b.field === '_time') ? ctx.pendingBin.span : undefined);
      ctx.pendingBin = undefined;
      const pre = preEval(cmd.aggs, ctx, cmd.by.map((b) => b.field));
      if (pre.assign.length) q.stages.push({ kind: 'eval', assign: pre.assign, origin: cmd.at });
      q.stages.push(aggregate(pre.aggs, cmd.by, span, cmd.at, ctx));
      ctx.afterAggregate = true;
      return;
    }
    case 'bin':
      if (cmd.field !== '_time' || cmd.as || !cmd.span || Object.keys(cmd.options).length) unsupported(ds, `bin ${cmd.field} (only \`bin _time span=…\` before stats is lowered)`, cmd.at);
      ctx.pendingBin = { span: cmd.span, at: cmd.at };
      return;
    case 'regex': {
      // The regex command is case-sensitive PCRE, unanchored; `!=` keeps the events that do not match.
      const p = pred(ctx.canonical(cmd.field, cmd.at), 'regex', [cmd.pattern], { caseSensitive: true, origin: cmd.at });
      addFilter(q, cmd.negate ? not(p, cmd.at) : p, cmd.at);
      return;
    }
    case 'eval': {
      const assign = cmd.assign.map((a) => ({ field: a.field, expr: lowerValue(a.expr, ctx) }));
      for (const a of cmd.assign) ctx.defined.add(a.field);
      q.stages.push({ kind: 'eval', assign, origin: cmd.at });
      return;
    }
    case 'rename': {
      const pairs = cmd.pairs.map((p) => ({ from: p.from.includes('*') ? p.from : ctx.canonical(p.from, cmd.at), to: p.to }));
      for (const p of cmd.pairs) if (!p.to.includes('*')) ctx.defined.add(p.to);
      q.stages.push({ kind: 'rename', pairs, origin: cmd.at });
      return;
    }
    case 'table':
    case 'fields':
      q.stages.push({ kind: 'project', fields: cmd.fields.map((f) => (f.includes('*') ? f : ctx.canonical(f, cmd.at))), mode: cmd.mode, origin: cmd.at });
      return;
    case 'convert': {
      const assign = cmd.conversions.map((c) => {
        if (c.fn !== 'ctime') unsupported(ds, `convert ${c.fn}()`, c.at);
        const field = ctx.canonical(c.field, c.at);
        return { field: c.as ?? field, expr: { kind: 'call' as const, fn: 'strftime', args: [{ kind: 'field' as const, name: field }, { kind: 'lit' as const, value: cmd.timeformat ?? CTIME_DEFAULT }] } };
      });
      for (const c of cmd.conversions) if (c.as) ctx.defined.add(c.as);
      q.stages.push({ kind: 'eval', assign, origin: cmd.at });
      return;
    }
    case 'dedup': {
      const bad = Object.keys(cmd.options).filter((k) => !(k === 'limit' && cmd.options[k] === '1') && !(k === 'keepempty' && cmd.options[k] === 'false') && !(k === 'consecutive' && cmd.options[k] === 'false'));
      if (bad.length) unsupported(ds, `dedup option '${bad[0]}'`, cmd.at);
      q.stages.push({ kind: 'dedup', fields: cmd.fields.map((f) => ctx.canonical(f, cmd.at)), origin: cmd.at });
      return;
    }
    case 'sort': {
      const fn = cmd.keys.find((k) => k.fn && k.fn !== 'auto');
      if (fn) unsupported(ds, `sort by ${fn.fn}(${fn.field})`, cmd.at);
      q.stages.push({ kind: 'sort', keys: cmd.keys.map((k) => ({ field: ctx.canonical(k.field, cmd.at), desc: k.desc })), origin: cmd.at });
      if (cmd.limit) q.stages.push({ kind: 'head', n: cmd.limit, origin: cmd.at });
      return;
    }
    case 'head':
      q.stages.push({ kind: 'head', n: cmd.n, origin: cmd.at });
      return;
    case 'fillnull': {
      const num = /^-?\d+(\.\d+)?$/.test(cmd.value) ? Number(cmd.value) : cmd.value;
      q.stages.push({ kind: 'fillnull', fields: cmd.fields.map((f) => ctx.canonical(f, cmd.at)), value: num, origin: cmd.at });
      return;
    }
    case 'rex': {
      const bad = Object.keys(cmd.options).filter((k) => k !== 'field' && !(k === 'max_match' && /^\d+$/.test(cmd.options[k]!)));
      if (bad.length) unsupported(ds, `rex option '${bad[0]}'`, cmd.at);
      // max_match=N keeps up to N matches (0: all), every name a multivalue field; 1 is the default.
      const max = cmd.options.max_match !== undefined && cmd.options.max_match !== '1' ? Number(cmd.options.max_match) : undefined;
      const names = [...cmd.pattern.matchAll(/\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]!);
      const field = ctx.canonical(cmd.field, cmd.at);
      for (const n of names) ctx.defined.add(n);
      q.stages.push({ kind: 'extract', field, pattern: cmd.pattern.replace(/\(\?P</g, '(?<'), names, ...(max !== undefined ? { max } : {}), origin: cmd.at });
      return;
    }
    case 'tstats':
    case 'from':
      unsupported(ds, `'${cmd.name}' after the first command`, cmd.at);
      return;
    case 'foreach': {
      if (cmd.template || cmd.bare) {
        q.stages.push(lowerForeach(cmd, ctx, (c, scratch) => lowerCommand(c, scratch, ctx, hints)));
        return;
      }
      // A literal field list expands the template once per field (parser); eval is what it holds.
      if (!cmd.fields.length) unsupported(ds, 'foreach without a field list', cmd.at);
      const opt = Object.keys(cmd.options)[0];
      if (opt) unsupported(ds, `the foreach option '${opt}'`, cmd.at);
      const other = cmd.expanded.find((c) => c.name !== 'eval');
      if (other) unsupported(ds, `a foreach template with '${other.name === 'other' ? other.command : other.name}' (only eval is lowered)`, cmd.at);
      for (const c of cmd.expanded) lowerCommand(c, q, ctx, hints);
      return;
    }
    case 'join':
    case 'lookup':
    case 'eventstats':
    case 'mvexpand':
    case 'spath':
    case 'iplocation':
      q.stages.push(lowerEnrich(cmd, q, ctx, hints, (p, at) => lowerPipelineCtx(p, hints, ds, at)));
      return;
    case 'makemv':
      lowerCommand(makemvEval(cmd, ctx), q, ctx, hints);
      return;
    case 'other':
      unsupported(ds, `the '${cmd.command}' command`, cmd.at);
  }
}
