/**
 * Links Sigma meta rules to the rules they name, within one file or across a batch:
 * - filters (sigma-filters-specification.md) are added to each named rule as `AND NOT (filter)`
 *   when the rule's log source has every key the filter's log source sets;
 * - correlations (sigma-correlation-rules-specification.md) become queries over their rules'
 *   events (correlation.ts). With `generate: false` (the default) a referenced rule is only an
 *   input: it keeps its diagnostics but no IR of its own, so it is not converted alone (RB358).
 * Linking starts again from each document's own result, so it may run once per file and again
 * over the whole batch.
 */
import { diag, hasErrors, type Diagnostic } from '../../diagnostics/index.js';
import { and, not } from '../../ir/build.js';
import { normalizeQuery } from '../../ir/passes/normalize.js';
import type { RuleIR } from '../../ir/nodes.js';
import { originAt } from '../../source/index.js';
import type { LoadedRule } from '../types.js';
import { lowerCorrelation, type ResolvedRef } from './correlation.js';
import { lowerDetection, metaOf, type SigmaOptions } from './lower.js';
import type { SigmaContext, SigmaRuleDoc } from './model.js';

type Doc = Record<string, unknown>;

/** Links every Sigma document of `rules`; returns new LoadedRule objects in the same order. */
export function linkSigma(rules: LoadedRule[], opts: SigmaOptions = {}): LoadedRule[] {
  const out = rules.map(reset);
  const entries = out.filter((r) => r.sigma);
  const byRef = new Map<string, LoadedRule[]>();
  const index = (key: unknown, r: LoadedRule) => {
    if (typeof key !== 'string' || !key) return;
    const list = byRef.get(key) ?? [];
    if (!list.includes(r)) list.push(r);
    byRef.set(key, list);
  };
  for (const r of entries) {
    index(r.sigma!.id, r);
    index(r.sigma!.name, r);
  }
  const lookup = (ref: string) => byRef.get(ref)?.[0];
  for (const f of entries) if (f.sigma!.kind === 'filter' && !hasErrors(f.sigma!.own)) applyFilter(f, lookup, opts);
  const inputOnly = new Map<LoadedRule, string>();
  const generated = new Set<LoadedRule>();
  for (const c of entries) {
    if (c.sigma!.kind !== 'correlation' || hasErrors(c.sigma!.own)) continue;
    const targets = linkCorrelation(c, lookup);
    const gen = (c.sigma!.src!.value as Doc).generate === true;
    for (const t of targets) {
      if (gen) generated.add(t);
      else if (!inputOnly.has(t)) inputOnly.set(t, c.title ?? c.id ?? 'untitled');
    }
  }
  for (const [r, title] of inputOnly) {
    if (generated.has(r) || !r.rule) continue;
    delete r.rule;
    r.diagnostics.push(diag('RB358', `used only as an input of the correlation '${title}' (generate: false); not converted on its own`, r.sigma!.at));
  }
  return out;
}

/** A copy of a rule as its document alone gave it (no filter, no correlation). */
function reset(r: LoadedRule): LoadedRule {
  if (!r.sigma) return r;
  const copy: LoadedRule = { ...r, diagnostics: [...r.sigma.own] };
  if (r.sigma.base) copy.rule = r.sigma.base;
  else delete copy.rule;
  return copy;
}

/** Adds a filter document to each rule it names. */
function applyFilter(f: LoadedRule, lookup: (ref: string) => LoadedRule | undefined, opts: SigmaOptions): void {
  const src = f.sigma!.src!;
  const v = src.value as Doc & { logsource?: Record<string, unknown>; filter: Record<string, unknown> };
  const ls = v.logsource ?? {};
  const ctx: SigmaContext = { src, diagnostics: f.diagnostics, root: 'filter' };
  if (opts.placeholders) ctx.placeholders = opts.placeholders;
  if (ls.product !== undefined) ctx.product = String(ls.product);
  if (ls.category !== undefined) ctx.category = String(ls.category);
  const names = Array.isArray(v.filter.rules) ? v.filter.rules.map(String) : [String(v.filter.rules)];
  const expr = lowerDetection(ctx, v.filter as SigmaRuleDoc['detection']);
  if (!expr) return;
  let applied = 0;
  names.forEach((ref, i) => {
    const at = originAt(src, Array.isArray(v.filter.rules) ? `/filter/rules/${i}` : '/filter/rules');
    const t = lookup(ref);
    if (!t) return f.diagnostics.push(diag('RB351', `filter names rule '${ref}', which is not loaded (give its file in the same batch)`, at));
    if (t.sigma!.kind !== 'rule') return f.diagnostics.push(diag('RB350', `filter names '${ref}', a ${t.sigma!.kind} rule; filters apply to detection rules`, at));
    if (!t.rule) return; // the rule failed on its own and says why
    const src2 = t.rule.query.source;
    const differs = (['product', 'category', 'service'] as const).filter((k) => ls[k] !== undefined && String(ls[k]) !== src2[k]);
    if (differs.length) return f.diagnostics.push(diag('RB359', `filter log source differs from rule '${ref}' in ${differs.map((k) => `${k} (${String(ls[k])} vs ${src2[k] ?? 'none'})`).join(', ')}; not applied`, at));
    t.rule = { ...t.rule, query: normalizeQuery({ ...t.rule.query, filter: and([t.rule.query.filter, not(expr, originAt(src, '/filter/condition'))]) }) };
    // Said at the rule's own title, so it prints with the rule's file.
    t.diagnostics.push(diag('RB360', `filter '${f.title ?? f.id ?? 'untitled'}' (${src.file}:${at.line ?? 0}) applied: the rule no longer matches what it excludes`, t.sigma!.at));
    applied++;
  });
  if (applied) f.diagnostics.push(diag('RB360', `filter applied to ${applied} rule(s)`, originAt(src, '/filter')));
}

/** Lowers one correlation; returns the detection rules it references (resolved or not). */
function linkCorrelation(c: LoadedRule, lookup: (ref: string) => LoadedRule | undefined): LoadedRule[] {
  const src = c.sigma!.src!;
  const v = src.value as Doc & { correlation: { rules: string[] } };
  const ds: Diagnostic[] = c.diagnostics;
  const refs: ResolvedRef[] = [];
  const targets: LoadedRule[] = [];
  v.correlation.rules.forEach((ref0, i) => {
    const ref = String(ref0);
    const at = originAt(src, `/correlation/rules/${i}`);
    const t = lookup(ref);
    if (!t) return ds.push(diag('RB351', `correlation names rule '${ref}', which is not loaded (put it in this file or give its file in the same batch)`, at));
    if (t.sigma!.kind === 'filter') return ds.push(diag('RB350', `correlation names '${ref}', a filter rule`, at));
    if (t.sigma!.kind === 'correlation') {
      if (reaches(t, c, lookup, new Set())) return ds.push(diag('RB355', `correlation '${ref}' leads back to this correlation (a cycle)`, at));
      return ds.push(diag('RB350', `correlation names '${ref}', another correlation: chained correlations cannot be lowered (an input is one rule's events)`, at));
    }
    targets.push(t);
    const base = t.rule;
    if (!base) return ds.push(diag('RB351', `correlation names rule '${ref}', which did not lower (see its diagnostics)`, at));
    const id = t.sigma!.id;
    refs.push({ name: t.sigma!.name ?? id ?? ref, ...(id ? { id } : {}), rule: base });
  });
  if (hasErrors(ds)) return targets;
  const query = lowerCorrelation(src, refs, ds);
  if (query && !hasErrors(ds)) {
    const rule: RuleIR = { format: 'sigma', file: src.file, meta: metaOf(v as unknown as SigmaRuleDoc), query: normalizeQuery(query) };
    c.rule = rule;
  }
  return targets;
}

/** True when correlation `from` references `to`, directly or through other correlations. */
function reaches(from: LoadedRule, to: LoadedRule, lookup: (ref: string) => LoadedRule | undefined, seen: Set<LoadedRule>): boolean {
  if (from === to) return true;
  if (seen.has(from) || from.sigma?.kind !== 'correlation') return false;
  seen.add(from);
  const rules = ((from.sigma.src?.value as Doc | undefined)?.correlation as { rules?: unknown[] } | undefined)?.rules ?? [];
  return rules.some((r) => {
    const t = lookup(String(r));
    return !!t && reaches(t, to, lookup, seen);
  });
}
