/**
 * Lowers one Sigma detection rule document to the IR: metadata, log source, search
 * identifiers (maps = AND of fields, lists of maps = OR, value lists = OR, scalar lists =
 * keyword search) and the condition over them.
 *
 * Field names: for `product: windows` a field becomes its canonical ECS name through
 * mappings/windows.json (src/ir/fields.ts); for any other product the Sigma field name itself
 * is the canonical name, so the Sigma backend writes it back unchanged.
 */
import { diag, hasErrors, type Diagnostic, type Origin } from '../../diagnostics/index.js';
import { and, not, or } from '../../ir/build.js';
import { windowsToCanonical } from '../../ir/fields.js';
import { normalizeQuery } from '../../ir/passes/normalize.js';
import type { Expr, LogSource, RuleIR, RuleMeta } from '../../ir/nodes.js';
import { stringOrigins, validateDoc, type SourceDoc } from '../../source/index.js';
import type { LoadedRule } from '../types.js';
import { parseCondition, patternMatcher, type CondNode } from './condition-parser.js';
import { keyOrigin, valueOrigin, type SigmaContext, type SigmaRuleDoc } from './model.js';
import { lowerItem, type DetectionItem } from './modifiers.js';
import type { PlaceholderTable } from './placeholders.js';
import { pointer } from '../../source/index.js';

/** Options of the Sigma frontend. */
export interface SigmaOptions {
  /** Values of `|expand` placeholders; without them a placeholder stays a named list. */
  placeholders?: PlaceholderTable;
}

/** The pointer of an entry under the search identifiers' key (`detection` or `filter`). */
function dptr(ctx: SigmaContext, ...segs: (string | number)[]): string {
  return pointer(ctx.root ?? 'detection', ...segs);
}

/** Keys of `detection` that are not search identifiers. */
const RESERVED = new Set(['condition', 'timeframe']);

/** Lowers a Sigma detection rule document; diagnostics are returned, never thrown. */
export function lowerSigmaRule(src: SourceDoc, opts: SigmaOptions = {}): LoadedRule {
  const v = src.value as SigmaRuleDoc;
  const base: LoadedRule = { file: src.file, format: 'sigma', doc: src.index, diagnostics: [] };
  if (typeof v.id === 'string') base.id = v.id;
  if (typeof v.title === 'string') base.title = v.title;
  const diagnostics = validateDoc('sigma-rule', src);
  if (hasErrors(diagnostics)) return { ...base, diagnostics };
  const ls = v.logsource ?? {};
  const ctx: SigmaContext = { src, diagnostics };
  if (opts.placeholders) ctx.placeholders = opts.placeholders;
  if (ls.product !== undefined) ctx.product = String(ls.product);
  if (ls.category !== undefined) ctx.category = String(ls.category);
  const filter = lowerDetection(ctx, v.detection);
  if (!filter || hasErrors(diagnostics)) return { ...base, diagnostics };
  const source: LogSource = { origin: valueOrigin(src, '/logsource') };
  for (const k of ['product', 'category', 'service'] as const) if (ls[k] !== undefined) source[k] = String(ls[k]);
  const query = normalizeQuery({ source, filter, stages: [] });
  const rule: RuleIR = { format: 'sigma', file: src.file, meta: metaOf(v), query };
  return { ...base, rule, diagnostics };
}

/** The metadata of a Sigma rule, correlation or filter document. */
export function metaOf(v: SigmaRuleDoc): RuleMeta {
  const meta: RuleMeta = {
    id: v.id ?? '',
    title: v.title,
    references: list(v.references),
    tags: list(v.tags),
    // A correlation may give falsepositives as one string (sigma-correlation-rules-schema.json).
    falsepositives: list(v.falsepositives),
  };
  for (const k of ['description', 'author', 'date', 'modified', 'status', 'level'] as const) {
    const x = v[k];
    if (x !== undefined && x !== null) meta[k] = String(x);
  }
  return meta;
}

/** A list of strings from a value that may be one string, a list or absent. */
function list(v: unknown): string[] {
  return v === undefined || v === null ? [] : (Array.isArray(v) ? v : [v]).map(String);
}

/** The canonical name of a Sigma field in this rule's log source. */
export function mapField(ctx: SigmaContext, name: string): string {
  return ctx.product === 'windows' ? windowsToCanonical(name, ctx.category).name : name;
}

/** Every search identifier, then the condition(s) over them; undefined when anything failed. */
export function lowerDetection(ctx: SigmaContext, det: SigmaRuleDoc['detection']): Expr | undefined {
  const ids = new Map<string, Expr | null>();
  for (const [name, body] of Object.entries(det)) {
    if (RESERVED.has(name) || (ctx.root === 'filter' && name === 'rules')) continue;
    ids.set(name, lowerSearchId(ctx, name, body) ?? null);
  }
  const conds = Array.isArray(det.condition) ? det.condition : [det.condition];
  const exprs: Expr[] = [];
  let failed = false;
  conds.forEach((text, i) => {
    const ptr = Array.isArray(det.condition) ? dptr(ctx, 'condition', i) : dptr(ctx, 'condition');
    const at = stringOrigins(ctx.src, ptr);
    const parsed = parseCondition(String(text));
    if ('error' in parsed) {
      ctx.diagnostics.push(diag(parsed.error.unsupported ? 'RB350' : 'RB301', `condition: ${parsed.error.message}`, at(parsed.error.at)));
      failed = true;
      return;
    }
    const e = resolve(ctx, parsed.node, ids, at);
    if (e) exprs.push(e);
    else failed = true;
  });
  if (failed || [...ids.values()].includes(null)) return undefined;
  // A list of conditions is their OR (sigma-rules-specification.md, "Condition").
  return exprs.length === 1 ? exprs[0] : or(exprs);
}

function resolve(ctx: SigmaContext, n: CondNode, ids: Map<string, Expr | null>, at: (o: number) => Origin): Expr | undefined {
  switch (n.k) {
    case 'id': {
      if (!ids.has(n.name)) {
        ctx.diagnostics.push(diag('RB302', `condition names '${n.name}', which is not a search identifier of this rule`, at(n.at), [`defined: ${[...ids.keys()].join(', ') || '(none)'}`]));
        return undefined;
      }
      return ids.get(n.name) ?? undefined;
    }
    case 'of': {
      const test = patternMatcher(n.pattern);
      const names = [...ids.keys()].filter(test);
      if (!names.length) {
        ctx.diagnostics.push(diag('RB306', `'${n.quant === 'all' ? 'all' : '1'} of ${n.pattern}' matches no search identifier`, at(n.at)));
        return undefined;
      }
      const args = names.map((k) => ids.get(k));
      if (args.some((a) => !a)) return undefined;
      return n.quant === 'all' ? and(args as Expr[], at(n.at)) : or(args as Expr[], at(n.at));
    }
    case 'not': {
      const a = resolve(ctx, n.arg, ids, at);
      return a && not(a, at(n.at));
    }
    case 'and':
    case 'or': {
      const args = n.args.map((x) => resolve(ctx, x, ids, at));
      if (args.some((a) => !a)) return undefined;
      return n.k === 'and' ? and(args as Expr[], at(n.at)) : or(args as Expr[], at(n.at));
    }
  }
}

/** One search identifier: a map, a list of maps and/or keywords. */
function lowerSearchId(ctx: SigmaContext, name: string, body: unknown): Expr | undefined {
  const ptr = dptr(ctx, name);
  if (Array.isArray(body)) {
    const keywords: { v: unknown; i: number }[] = [];
    const alts: Expr[] = [];
    let ok = true;
    body.forEach((item, i) => {
      if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
        const e = lowerMap(ctx, item as Record<string, unknown>, dptr(ctx, name, i));
        if (e) alts.push(e);
        else ok = false;
      } else keywords.push({ v: item, i });
    });
    if (keywords.length) {
      const first = valueOrigin(ctx.src, dptr(ctx, name, keywords[0]!.i));
      const item: DetectionItem = {
        field: '',
        mods: [],
        values: keywords.map((k) => k.v),
        keyAt: () => first,
        valueAt: (j) => valueOrigin(ctx.src, dptr(ctx, name, keywords[j]?.i ?? 0)),
      };
      const r = lowerItem(item, (f) => mapField(ctx, f), ctx.placeholders);
      ctx.diagnostics.push(...r.diagnostics);
      if (r.expr) alts.unshift(r.expr);
      else ok = false;
    }
    if (!body.length) {
      ctx.diagnostics.push(diag('RB305', `search identifier '${name}' is an empty list`, keyOrigin(ctx.src, ptr)));
      return undefined;
    }
    if (!ok) return undefined;
    return alts.length === 1 ? alts[0] : or(alts, keyOrigin(ctx.src, ptr));
  }
  if (body !== null && typeof body === 'object') return lowerMap(ctx, body as Record<string, unknown>, ptr);
  ctx.diagnostics.push(diag('RB305', `search identifier '${name}' must be a map or a list`, valueOrigin(ctx.src, ptr)));
  return undefined;
}

/** A map: the AND of its items. */
function lowerMap(ctx: SigmaContext, m: Record<string, unknown>, ptr: string): Expr | undefined {
  const entries = Object.entries(m);
  if (!entries.length) {
    ctx.diagnostics.push(diag('RB305', 'a detection map has no field', valueOrigin(ctx.src, ptr)));
    return undefined;
  }
  const args: Expr[] = [];
  let ok = true;
  for (const [key, value] of entries) {
    const kptr = ptr + '/' + key.replace(/~/g, '~0').replace(/\//g, '~1');
    const parts = key.split('|');
    const mods: { name: string; at: number }[] = [];
    let off = parts[0]!.length + 1;
    for (const p of parts.slice(1)) {
      mods.push({ name: p, at: off });
      off += p.length + 1;
    }
    const list = Array.isArray(value);
    const item: DetectionItem = {
      field: parts[0]!,
      mods,
      values: list ? (value as unknown[]) : [value],
      keyAt: (o = 0) => keyOrigin(ctx.src, kptr, o),
      valueAt: (i) => valueOrigin(ctx.src, list ? `${kptr}/${i}` : kptr),
    };
    const r = lowerItem(item, (f) => mapField(ctx, f), ctx.placeholders);
    ctx.diagnostics.push(...r.diagnostics);
    if (r.expr) args.push(r.expr);
    else ok = false;
  }
  if (!ok) return undefined;
  return args.length === 1 ? args[0] : and(args, valueOrigin(ctx.src, ptr));
}
