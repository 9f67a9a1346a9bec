/**
 * Lowering of the commands that add to rows rather than filter them: join on a subsearch,
 * lookup, eventstats, mvexpand, spath (with a path an eval, without one a SpathAll stage) and
 * iplocation (Splunk Search Reference, each command's description).
 */
import { diag, type Origin } from '../../diagnostics/index.js';
import { iplocationFields, type IpLocation, type Join, type Lookup, type Query, type SpathAll, type Stage, type ValueExpr } from '../../ir/index.js';
import type { Command, Pipeline } from './ast.js';
import type { FieldContext } from './fields.js';
import { unsupported } from './lower-expr.js';
import { lowerAgg } from './lower-agg.js';
import type { LookupTable } from './lookups.js';

/** Lowers a subsearch to a query and its field context at the end. */
export type SubLowering = (p: Pipeline, at: Origin) => { query: Query; ctx: FieldContext };

/** What lowerEnrich needs from the rule beyond the command. */
export interface EnrichHints {
  lookups?: LookupTable;
  lookupDirs?: string[];
}

type EnrichCommand = Extract<Command, { name: 'join' | 'lookup' | 'eventstats' | 'mvexpand' | 'spath' | 'iplocation' }>;

/** Lowers one of the enrichment commands to its stage, or reports why it cannot. */
export function lowerEnrich(cmd: EnrichCommand, q: Query, ctx: FieldContext, hints: EnrichHints, sub: SubLowering): Stage {
  const ds = ctx.ds;
  switch (cmd.name) {
    case 'join': return lowerJoin(cmd, ctx, sub);
    case 'lookup': return lowerLookup(cmd, q, ctx, hints);
    case 'eventstats': {
      const bad = Object.keys(cmd.options)[0];
      if (bad) unsupported(ds, `the eventstats option '${bad}'`, cmd.at);
      const wild = cmd.by.find((b) => b.field.includes('*'));
      if (wild) unsupported(ds, `the wildcard group-by field '${wild.field}'`, wild.at);
      const aggs = cmd.aggs.map((a) => lowerAgg(a, ctx));
      const groupBy = cmd.by.map((b) => ({ field: ctx.canonical(b.field, b.at), as: b.field }));
      for (const a of aggs) ctx.defined.add(a.as);
      return { kind: 'eventstats', groupBy, aggs, origin: cmd.at };
    }
    case 'mvexpand': {
      const bad = Object.keys(cmd.options)[0];
      if (bad) unsupported(ds, `the mvexpand option '${bad}'`, cmd.at);
      return { kind: 'mvexpand', field: ctx.canonical(cmd.field, cmd.at), origin: cmd.at };
    }
    case 'spath': return lowerSpath(cmd, ctx);
    case 'iplocation': return lowerIplocation(cmd, ctx);
  }
}

/**
 * `iplocation [prefix=p] [allfields=B] field` (Search Reference, iplocation): the location
 * fields, named with the prefix, are known here, so later commands read them as written.
 * `lang` changes the language of the values, which the IR does not carry: refused.
 */
function lowerIplocation(cmd: Extract<Command, { name: 'iplocation' }>, ctx: FieldContext): IpLocation {
  const bad = Object.keys(cmd.options).find((k) => k !== 'prefix' && k !== 'allfields');
  if (bad) unsupported(ctx.ds, `the iplocation option '${bad}'`, cmd.at);
  const all = cmd.options.allfields;
  if (all !== undefined && !/^(true|t|1|false|f|0)$/i.test(all)) unsupported(ctx.ds, `iplocation allfields=${all}`, cmd.at);
  const n: IpLocation = { kind: 'iplocation', field: ctx.canonical(cmd.field, cmd.fieldAt), prefix: cmd.options.prefix ?? '', allFields: all !== undefined && TRUE.test(all), origin: cmd.at };
  for (const f of iplocationFields(n)) ctx.defined.add(f);
  return n;
}


/**
 * `spath [input=f] [output=o] path=p` is `eval o = coalesce(spath(f, "p"), o)`: the command
 * writes the output only when the path holds a value (Search Reference, spath; input defaults
 * to _raw, output to the path). Without a path it makes one field per path of the input, a set
 * of columns no IR names; `{N}` indexes and XML attributes (`{@a}`) are refused too, since
 * their numbering differs between JSON and XML.
 */
function lowerSpath(cmd: Extract<Command, { name: 'spath' }>, ctx: FieldContext): Stage {
  const ds = ctx.ds;
  if (cmd.path === undefined) return lowerSpathAll(cmd, ctx);
  const bad = Object.keys(cmd.options).find((k) => k !== 'input' && k !== 'output');
  if (bad) unsupported(ds, `the spath option '${bad}'`, cmd.at);
  const path = cmd.path.replace(/^"(.*)"$/, '$1');
  if (!/^[^{}]*(\{\})*(\.[^{}.]*(\{\})*)*$/.test(path)) unsupported(ds, `spath path=${path} (only keys and {} steps are lowered; an index or an XML attribute is not)`, cmd.at);
  const input = ctx.canonical(cmd.options.input ?? '_raw', cmd.at);
  const out = cmd.options.output ?? path;
  const prev: ValueExpr = { kind: 'field', name: ctx.canonical(out, cmd.at), origin: cmd.at };
  const call: ValueExpr = { kind: 'call', fn: 'spath', args: [{ kind: 'field', name: input, origin: cmd.at }, { kind: 'lit', value: path, origin: cmd.at }], origin: cmd.at };
  ctx.defined.add(out);
  return { kind: 'eval', assign: [{ field: out, expr: { kind: 'call', fn: 'coalesce', args: [call, prev], origin: cmd.at } }], origin: cmd.at };
}

/**
 * `spath [input=f]` without a path: every path of the document becomes a field (SpathAll).
 * Which names appear depends on the row, so the names later commands read must be the IR's
 * names as written (FieldContext.keepsNames); in a mapped source they are not.
 */
function lowerSpathAll(cmd: Extract<Command, { name: 'spath' }>, ctx: FieldContext): SpathAll {
  const bad = Object.keys(cmd.options).find((k) => k !== 'input');
  if (bad) unsupported(ctx.ds, `the spath option '${bad}' without a path`, cmd.at);
  if (!ctx.keepsNames()) unsupported(ctx.ds, 'spath without a path here (the fields it makes keep the document\'s names, which later commands of this source read under mapped names)', cmd.at);
  return { kind: 'spath', input: ctx.canonical(cmd.options.input ?? '_raw', cmd.at), origin: cmd.at };
}

const TRUE = /^(true|t|1)$/i;

/**
 * `join [type=inner|left|outer] [max=N] [overwrite=B] f … [subsearch]`: the subsearch is its own
 * query; `outer` is `left`; max=0 means every matching row (Search Reference, join).
 */
function lowerJoin(cmd: Extract<Command, { name: 'join' }>, ctx: FieldContext, sub: SubLowering): Join {
  const ds = ctx.ds;
  let type: Join['type'] = 'inner';
  let max = 1;
  let overwrite = true;
  for (const [k, v] of Object.entries(cmd.options)) {
    if (k === 'type' && /^(inner|left|outer)$/i.test(v)) type = v.toLowerCase() === 'inner' ? 'inner' : 'left';
    else if (k === 'max' && /^\d+$/.test(v)) max = Number(v);
    else if (k === 'overwrite') overwrite = TRUE.test(v);
    else unsupported(ds, `the join option '${k}=${v}'`, cmd.at);
  }
  if (!cmd.fields.length) unsupported(ds, 'join without a field list (it joins on every field the two sides share)', cmd.at);
  const r = sub(cmd.sub, cmd.at);
  const query = r.query;
  const on: string[] = [];
  const copies: { field: string; expr: { kind: 'field'; name: string } }[] = [];
  for (const f of cmd.fields) {
    const main = ctx.canonical(f.field, f.at);
    const inner = r.ctx.canonical(f.field, f.at);
    // The two sides may name the key differently (a raw field here, a column there): the subquery copies it.
    if (main !== inner) copies.push({ field: main, expr: { kind: 'field', name: inner } });
    on.push(main);
  }
  if (copies.length) query.stages.push({ kind: 'eval', assign: copies, origin: cmd.at });
  for (const c of columnsOf(query) ?? []) ctx.defined.add(c);
  return { kind: 'join', type, on, query, overwrite, ...(max !== 1 ? { max } : {}), origin: cmd.at };
}

/** `lookup table col [AS field] … OUTPUT col [AS field] …` with the table's definition. */
function lowerLookup(cmd: Extract<Command, { name: 'lookup' }>, q: Query, ctx: FieldContext, hints: EnrichHints): Lookup {
  const ds = ctx.ds;
  for (const [k, v] of Object.entries(cmd.options)) {
    // local= and update= choose where and when the table is read, not what it yields.
    if (k !== 'local' && k !== 'update') unsupported(ds, `the lookup option '${k}=${v}'`, cmd.at);
  }
  const name = cmd.table.name;
  const def = hints.lookups?.get(name);
  if (!def) ds.push(diag('RB255', `lookup table '${name}' is not defined in ${hints.lookupDirs?.length ? hints.lookupDirs.join(', ') : 'any lookups/ folder'}; matched as Splunk does by default (exact, case-sensitive)`, cmd.table.at));
  if (def?.otherMatch.length) unsupported(ds, `lookup '${name}' with the match type ${def.otherMatch.join(', ')}`, cmd.table.at);
  if (cmd.outputMode === 'OUTPUTNEW') {
    // OUTPUTNEW writes only fields a row lacks: the same as OUTPUT when the rows' columns are known
    // (after an aggregate) and include none of the outputs.
    const cols = ctx.afterAggregate ? columnsOf(q) : undefined;
    if (!cols || cmd.outputs.some((o) => cols.includes(o.as))) unsupported(ds, `lookup … OUTPUTNEW (it writes only fields a row does not have yet)`, cmd.at);
  }
  const keyCols = new Set(cmd.keys.map((k) => k.column));
  let outputs = cmd.outputs;
  if (!cmd.outputMode) {
    // Without OUTPUT every column of the table but the matched ones is written.
    if (!def?.columns) unsupported(ds, `lookup '${name}' without OUTPUT (the table's columns are unknown)`, cmd.at);
    outputs = def.columns.filter((c) => !keyCols.has(c)).map((c) => ({ column: c, as: c }));
  }
  const keys = cmd.keys.map((k) => ({ field: ctx.canonical(k.field, cmd.at), column: k.column }));
  for (const o of outputs) ctx.defined.add(o.as);
  // The definition's match_type (WILDCARD) and default_match go with the table's name.
  return { kind: 'lookup', table: name, keys, outputs: outputs.map((o) => ({ column: o.column, as: o.as })), caseSensitive: def?.caseSensitive ?? true, origin: cmd.at };
}

/** The columns a query's rows end with, when its stages fix them (after an aggregate); else undefined. */
export function columnsOf(q: Query): string[] | undefined {
  let cols: Set<string> | undefined;
  for (const s of q.stages) {
    switch (s.kind) {
      case 'aggregate':
        cols = new Set([...s.groupBy.map((g) => g.as), ...s.aggs.map((a) => a.as), ...(s.span ? [s.span.as] : [])]);
        break;
      case 'eval': for (const a of s.assign) cols?.add(a.field); break;
      case 'eventstats': for (const a of s.aggs) cols?.add(a.as); break;
      case 'extract': for (const n of s.names) cols?.add(n); break;
      case 'lookup': for (const o of s.outputs) cols?.add(o.as); break;
      case 'rename':
        if (cols) cols = renamed(cols, s.pairs);
        break;
      case 'project':
        if (s.mode === 'keep' && !s.fields.some((f) => f.includes('*'))) cols = new Set(s.fields.filter((f) => !cols || cols.has(f)));
        break;
      default:
        break;
    }
  }
  return cols ? [...cols] : undefined;
}

/** Columns after a rename; a prefix rename (`Processes.* AS *`) renames every column it matches. */
function renamed(cols: Set<string>, pairs: { from: string; to: string }[]): Set<string> | undefined {
  const out = new Set(cols);
  for (const { from, to } of pairs) {
    const star = from.indexOf('*');
    if (star < 0) {
      if (out.delete(from)) out.add(to);
      continue;
    }
    if (star !== from.length - 1 || !to.endsWith('*') || to.indexOf('*') !== to.length - 1) return undefined;
    const pre = from.slice(0, -1);
    for (const c of [...out]) if (c.startsWith(pre)) { out.delete(c); out.add(to.slice(0, -1) + c.slice(pre.length)); }
  }
  return out;
}
