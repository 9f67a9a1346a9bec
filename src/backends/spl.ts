/**
 * SPL (Splunk Search Processing Language), in one of three shapes chosen by spl-source.ts:
 * - `| tstats summariesonly=true … from datamodel=<Model> where <terms> by <Object>.<field> …`
 *   when the source is a CIM data model, the pipeline starts with an aggregate tstats can
 *   compute and the whole filter is search terms;
 * - `| from datamodel:"<Model>" | search … | where …` for other CIM rules;
 * - a raw search `sourcetype=… source=… EventCode=… <terms> | where …` over Windows event logs.
 * Operators and escaping live in spl-expr.ts / spl-literal.ts, stages in spl-stages.ts, the
 * layout in templates/spl.hbs.
 */
import { diag, hasErrors, type Diagnostic, type Origin } from '../diagnostics/index.js';
import { iplocationFields, walkExpr, walkValue, type Expr, type Query, type RuleIR, type Stage, type ValueExpr } from '../ir/index.js';
import { column } from './capabilities.js';
import { splitFilter } from './spl-expr.js';
import { cimSource, fallbackSource, hintSource, rawSource, splMaps, type SplField, type SplMaps, type SplSource } from './spl-source.js';
import { renderAggregate, renderStage, tstatsAble, type StageCtx } from './spl-stages.js';
import { correlationSearch } from './spl-correlation.js';
import { isTemplateName } from './spl-row-stages.js';
import { compileTemplate } from './template.js';
import type { Backend, RenderOptions, RenderResult } from './types.js';

/** What SPL expresses: nearly everything, natively. */
const CAPABILITIES = column('native', {
  'op.keyword': 'rewrite', // a raw-text term, not a per-field match
  'op.wildcard': 'rewrite', // match() with an anchored PCRE when `?` or a literal `*` is involved
  'fieldref.partial': 'unsupported',
  'time-part': 'unsupported',
  'stage.extract': 'native', // rex field=… "(?<name>…)"
  'op.placeholder': 'rewrite', // [| inputlookup <list> | …] search terms, with a warning
  'query.inputs': 'native', // | multisearch [search … | eval rule_name="…"] …
  'stage.eventstats': 'native',
  'stage.mvexpand': 'native',
  'stage.join': 'native', // | join type=… keys [search …]
  'stage.lookup': 'native',
  'stage.foreach': 'native', // foreach <patterns> [eval …], the template as written
  'stage.spath': 'native', // spath input=…
  'stage.iplocation': 'native',
  // An ordered sequence within a span: transaction is not the same (it groups, never orders steps).
  'stage.sequence': 'unsupported',
});

/** Canonical fields the rule reads before (and in) its first aggregate, with their positions. */
export function fieldsUsed(query: Pick<Query, 'filter' | 'stages'>): { name: string; alias?: string; at?: Origin }[] {
  const out: { name: string; alias?: string; at?: Origin }[] = [];
  const defined = new Set<string>();
  const add = (name: string, at?: Origin, alias?: string) => {
    if (!defined.has(name)) out.push(alias === undefined ? { name, at } : { name, alias, at });
  };
  const value = (v: ValueExpr) => walkValue(v, (n) => n.kind === 'field' && add(n.name, n.origin));
  const expr = (e: Expr) =>
    walkExpr(e, (n) => {
      if (n.kind === 'test') value(n.expr);
      if (n.kind !== 'pred' || n.op === 'keyword') return;
      add(n.field, n.origin);
      if (n.op === 'fieldref') for (const v of n.values) if (typeof v === 'string') add(v, n.origin);
    });
  expr(query.filter);
  for (const s of query.stages) {
    if (s.kind === 'aggregate') {
      for (const k of s.groupBy) add(k.field, s.origin, k.as);
      for (const a of s.aggs) {
        if (a.field !== undefined) add(a.field, s.origin);
        if (a.where) expr(a.where);
      }
      if (s.span) add(s.span.field, s.origin);
      break;
    }
    if (s.kind === 'filter') expr(s.expr);
    else if (s.kind === 'eval') for (const a of s.assign) { value(a.expr); defined.add(a.field); }
    else if (s.kind === 'rename') for (const p of s.pairs) { if (!p.from.includes('*')) add(p.from, s.origin); defined.add(p.to); }
    else if (s.kind === 'project' || s.kind === 'dedup') for (const f of s.fields) add(f, s.origin);
    else if (s.kind === 'sort') for (const k of s.keys) add(k.field, s.origin);
    else if (s.kind === 'fillnull') for (const f of s.fields) add(f, s.origin);
    else if (s.kind === 'extract') add(s.field, s.origin);
    else if (s.kind === 'mvexpand') add(s.field, s.origin);
    else if (s.kind === 'join') for (const f of s.on) add(f, s.origin);
    else if (s.kind === 'lookup') for (const k of s.keys) add(k.field, s.origin);
    else if (s.kind === 'foreach') for (const a of s.assign) walkValue(a.expr, (n) => n.kind === 'field' && !isTemplateName(n.name) && add(n.name, n.origin));
    else if (s.kind === 'spath') add(s.input, s.origin);
    else if (s.kind === 'iplocation') add(s.field, s.origin);
    else if (s.kind === 'eventstats') {
      for (const k of s.groupBy) add(k.field, s.origin);
      for (const a of s.aggs) if (a.field !== undefined) add(a.field, s.origin);
    }
    for (const f of definedBy(s)) defined.add(f);
  }
  return out;
}

/**
 * The source whose names cover every field: the CIM data model, the Windows channel or the
 * frontend's source hints, else the sourcetype of mappings/splunk.json `sources` (or every
 * event) with the rule's own field names, which warns (RB404) that it may not be exact.
 */
function pickSource(query: Query, file: string, diags: Diagnostic[], maps: SplMaps): SplSource | undefined {
  const src = query.source;
  const at = src.origin ?? { file };
  const used = fieldsUsed(query);
  const cim = cimSource(src, maps);
  const raw = rawSource(src, maps) ?? hintSource(src, maps);
  const fallback = raw ? undefined : fallbackSource(src, maps);
  for (const s of [cim, raw, fallback]) {
    if (!s || !used.every((u) => s.field(u.name, u.alias))) continue;
    if (s.inexact) diags.push(diag('RB404', s.inexact, at));
    const loose = used.find((u) => s.inexactFields?.has(u.name));
    if (loose) diags.push(diag('RB404', `spl matches ${loose.name} by its CIM counterpart ${s.field(loose.name)!.name} in ${s.model}, whose values may differ in form`, loose.at ?? at));
    return s;
  }
  const best = raw ?? cim;
  if (!best) {
    const name = [src.product, src.category, src.service].filter(Boolean).join('/') || JSON.stringify(src.extra ?? {});
    diags.push(diag('RB402', `spl has no data model or source for log source '${name}'`, at));
    return undefined;
  }
  for (const u of used) if (!best.field(u.name, u.alias)) diags.push(diag('RB403', `spl has no field for ${u.name} in ${best.kind === 'cim' ? best.model : `the events of ${best.terms.join(' ')}`}`, u.at ?? { file }));
  return undefined;
}

/** The first search and the pipes of a query (a rule's, or a join's sub-query); undefined after an error. */
export function renderQueryParts(query: Query, file: string, diags: Diagnostic[], maps: SplMaps = splMaps()): { search: string; pipes: string[] } | undefined {
  const defined = new Set<string>();
  let post = false; // after the aggregate, names are the output columns
  const pipes: string[] = [];
  let search: string;
  let i = 0;
  let namer: (n: string, alias?: string) => SplField | undefined;
  const field = (n: string, alias?: string): SplField | undefined => (post || defined.has(n) ? { name: n, expr: n } : namer(n, alias));
  const ctx: StageCtx = { diags, file, field: (n) => field(n), keyField: (n, a) => field(n, a), subquery: (q) => subSearch(q, file, diags, maps) };
  const stages = query.stages;
  if (query.inputs) {
    const union = correlationSearch(query, file, diags, maps);
    if (!union) return undefined;
    namer = union.field;
    search = union.search;
    for (const a of query.inputs.flatMap((x) => x.aliases)) defined.add(a.as);
  } else {
    const src = pickSource(query, file, diags, maps);
    if (!src) return undefined;
    namer = (n, alias) => src.field(n, alias);
    let hasKeyword = false;
    walkExpr(query.filter, (n) => { if (n.kind === 'pred' && n.op === 'keyword') hasKeyword = true; });
    if (hasKeyword) diags.push(diag('RB404', 'spl searches keywords as raw-text terms, not as a match of one field', query.filter.origin ?? { file }));
    if (src.kind === 'cim') {
      // CIM data models fill a missing field with "unknown", so `f=*` holds for every row.
      let nullish: Origin | undefined | false = false;
      walkExpr(query.filter, (n) => {
        if (nullish === false && n.kind === 'pred' && (n.op === 'exists' || (n.op === 'eq' && n.values.includes(null)))) nullish = n.origin;
      });
      if (nullish !== false) diags.push(diag('RB404', `spl: ${src.model} fills missing fields with "unknown", so existence tests may differ from the raw events`, nullish ?? { file }));
    }
    const filter = splitFilter(ctx, query.filter);
    if (!filter) return undefined;
    const first = stages[0];
    if (src.kind === 'cim' && first?.kind === 'aggregate' && tstatsAble(first) && !filter.where && !hasKeyword) {
      const where = filter.search.length ? ` where ${filter.search.join(' ')}` : '';
      const agg = renderAggregate(ctx, first, 'tstats', ` from datamodel=${src.model}${where}`);
      if (!agg) return undefined;
      search = `| tstats summariesonly=true ${agg.cmd.slice('tstats '.length)}`;
      if (agg.pre.length) { diags.push(diag('RB401', 'spl: tstats cannot group by a computed field', first.origin ?? { file })); return undefined; }
      pipes.push(...agg.post);
      post = true;
      i = 1;
    } else if (src.kind === 'cim') {
      search = `| from datamodel:"${src.model}"`;
      if (filter.search.length) pipes.push(`search ${filter.search.join(' ')}`);
      if (filter.where) pipes.push(`where ${filter.where}`);
    } else {
      search = [...src.terms, ...filter.search].join(' ') || '*';
      if (filter.where) pipes.push(`where ${filter.where}`);
    }
  }
  for (; i < stages.length; i++) {
    const s = stages[i]!;
    if (s.kind === 'aggregate') {
      const agg = renderAggregate(ctx, s, 'stats');
      if (!agg) continue;
      pipes.push(...agg.pre, agg.cmd, ...agg.post);
      post = true;
      continue;
    }
    const cmds = renderStage(ctx, s);
    if (cmds) pipes.push(...cmds);
    for (const f of definedBy(s)) defined.add(f);
  }
  return hasErrors(diags) ? undefined : { search, pipes };
}

/** Fields a non-aggregate stage creates, named as written from then on. */
function definedBy(s: Stage): string[] {
  switch (s.kind) {
    case 'eval': return s.assign.map((a) => a.field);
    case 'rename': return s.pairs.map((p) => p.to);
    case 'extract': return s.names;
    case 'eventstats': return s.aggs.map((a) => a.as);
    case 'lookup': return s.outputs.map((o) => o.as);
    case 'foreach': return s.assign.map((a) => a.field).filter((f) => !isTemplateName(f));
    case 'iplocation': return iplocationFields(s);
    case 'join': return s.query.stages.flatMap((t) => (t.kind === 'aggregate' ? [...t.groupBy.map((k) => k.as), ...t.aggs.map((a) => a.as)] : definedBy(t)));
    default: return [];
  }
}

/** A join's sub-query as the text inside `[…]`: its own search, on one line. */
function subSearch(q: Query, file: string, diags: Diagnostic[], maps: SplMaps): string | undefined {
  const parts = renderQueryParts(q, file, diags, maps);
  if (!parts) return undefined;
  const head = parts.search.startsWith('|') ? parts.search : `search ${parts.search}`;
  return [head, ...parts.pipes].join(' | ');
}

/** The mappings of a render: the bundled ones, or a user's file (`--mapping`, .json) merged over them. */
function userMaps<T>(path: string | undefined, load: (p?: string) => T, file: string, diags: Diagnostic[], target: string): T | undefined {
  if (path !== undefined && !path.endsWith('.json')) {
    diags.push(diag('RB413', `${target}: a mapping file is a .json file, not '${path}'`, { file }));
    return undefined;
  }
  try {
    return load(path);
  } catch (err) {
    diags.push(diag('RB413', `${target}: mapping file ${path}: ${(err as Error).message}`, { file }));
    return undefined;
  }
}

function renderRule(rule: RuleIR, opts: RenderOptions): RenderResult {
  const diags: Diagnostic[] = [];
  const maps = userMaps(opts.mapping, splMaps, rule.file, diags, 'spl');
  if (!maps) return { ok: false, diagnostics: diags };
  const parts = renderQueryParts(rule.query, rule.file, diags, maps);
  if (!parts) return { ok: false, diagnostics: diags };
  try {
    const query = compileTemplate('spl').render(parts);
    return { ok: true, query, diagnostics: diags };
  } catch (err) {
    return { ok: false, diagnostics: [...diags, diag('RB410', `spl template: ${(err as Error).message}`, { file: rule.file })] };
  }
}

export const splBackend: Backend = {
  name: 'spl',
  ext: 'spl',
  capabilities: CAPABILITIES,
  render: renderRule,
};
