/**
 * Elastic EQL (Elasticsearch "EQL syntax reference"): `<category> where <condition>` with the
 * optional `| head n` pipe. Fields are the IR's canonical ECS names; the category comes from
 * mappings/ecs.json (eql-source.ts), operators and escaping from eql-expr.ts / eql-literal.ts,
 * the layout from templates/eql.hbs. EQL has no aggregation: a summary tail is left out by
 * render() with a warning, anything else that needs one is an error of the capability check.
 */
import { diag, hasErrors, type Diagnostic } from '../diagnostics/index.js';
import type { Expr, LogSource, RuleIR, Sequence } from '../ir/index.js';
import { column, type Feature } from './capabilities.js';
import { renderEql, type EqlCtx } from './eql-expr.js';
import { ecsMapping, eqlSource, type EcsMapping } from './eql-source.js';
import { eqlField, topLevelOps } from './eql-literal.js';
import { EQL_REGEX_REWRITES } from './eql-regex.js';
import { compileTemplate } from './template.js';
import { rewriteRegexes } from '../ir/passes/regex-rewrite.js';
import type { Backend, RenderOptions, RenderResult } from './types.js';

/** What EQL expresses; everything not listed is unsupported. */
const CAPABILITIES = column('unsupported', {
  'op.eq': 'native',
  'op.wildcard': 'native',
  'op.contains': 'rewrite', // `:` with `*v*`
  'op.startswith': 'rewrite',
  'op.endswith': 'rewrite',
  'op.regex': 'rewrite', // a Lucene regex anchored with `.*`; inline flags and anchored lookaheads via the IR pass regex-rewrite
  // op.fieldref stays unsupported: Elasticsearch EQL "Limitations, Comparing fields": comparison
  // operators cannot compare a field to another field, not even through a function.
  'op.cidr': 'native',
  'op.lt': 'native',
  'op.le': 'native',
  'op.gt': 'native',
  'op.ge': 'native',
  'op.exists': 'native',
  'op.keyword': 'rewrite', // matched in `message`, with a warning: EQL cannot search every field
  'value.null': 'native',
  'case-sensitive': 'native',
  'quantifier.all': 'rewrite',
  'regex.flags': 'rewrite', // `s` only; `m` is reported at render
  'stage.filter': 'rewrite', // a filter before any aggregate joins the condition
  'stage.head': 'native',
  'query.inputs': 'native', // only under a sequence (checked at render)
  'stage.sequence': 'native', // sequence by … with maxspan=…
} satisfies Partial<Record<Feature, 'native' | 'rewrite'>>);

/** `<category> where <condition>` parts of one event query: a log source and its filters. */
function eventQuery(ecs: EcsMapping, source: LogSource, filters: Expr[], file: string, diags: Diagnostic[], warned: Set<string>): { category: string; condition: string; ctx: EqlCtx } | undefined {
  const src = eqlSource(source, file, diags, ecs);
  const ctx: EqlCtx = { diags, file, keywordFields: new Set(ecs.keywordFields), warned };
  if (src) ctx.rename = src.rename;
  if (ecs.keywordField) ctx.keywordField = ecs.keywordField;
  const parts: string[] = [];
  for (const f of filters) {
    if (f.kind === 'const' && f.value) continue;
    const rw = rewriteRegexes(f, EQL_REGEX_REWRITES);
    for (const n of rw.notes) diags.push(diag('RB404', `eql: ${n.message}`, n.origin ?? { file }));
    const text = renderEql(ctx, rw.expr);
    if (text !== undefined) parts.push(topLevelOps(text).has('or') ? `(${text})` : text);
  }
  if (!src || hasErrors(diags)) return undefined;
  const conds = [...src.conditions.map((c) => (topLevelOps(c).has('or') ? `(${c})` : c)), ...parts];
  const condition = conds.length === 0 ? 'true' : conds.length === 1 ? unwrap(conds[0]!) : conds.join(' and ');
  return { category: src.category, condition, ctx };
}

/**
 * A correlation whose only stage is an ordered sequence (Sigma temporal_ordered):
 * `sequence [by k] [with maxspan=Ns] [<step 1>] [<step 2>] …`, each step the event query of its
 * input; keys an input names through an alias are joined per step (`[…] by f`).
 */
function sequenceQuery(ecs: EcsMapping, rule: RuleIR, seq: Sequence, diags: Diagnostic[]): string | undefined {
  const at = seq.origin ?? { file: rule.file };
  const warned = new Set<string>();
  const steps: { text: string; by: string[] }[] = [];
  for (const name of seq.steps) {
    const inp = rule.query.inputs!.find((i) => i.name === name);
    if (!inp) {
      diags.push(diag('RB430', `eql: sequence step '${name}' names no input of the correlation`, at));
      return undefined;
    }
    const q = eventQuery(ecs, inp.source, [inp.filter], rule.file, diags, warned);
    if (!q) return undefined;
    const by = seq.by.map((k) => eqlField(q.ctx.rename?.(inp.aliases.find((a) => a.as === k)?.field ?? k).name ?? k));
    steps.push({ text: `[${q.category} where ${q.condition}]`, by });
  }
  if (!Number.isInteger(seq.maxspan) || seq.maxspan < 0) {
    diags.push(diag('RB430', `eql: maxspan must be a whole number of seconds, not ${seq.maxspan}`, at));
    return undefined;
  }
  const shared = steps.every((s) => s.by.join() === steps[0]!.by.join());
  const head = ['sequence'];
  if (shared && seq.by.length) head.push(`by ${steps[0]!.by.join(', ')}`);
  if (seq.maxspan > 0) head.push(`with maxspan=${seq.maxspan}s`);
  const body = steps.map((s) => (!shared && s.by.length ? `  ${s.text} by ${s.by.join(', ')}` : `  ${s.text}`));
  return [head.join(' '), ...body].join('\n');
}

function renderRule(rule: RuleIR, opts: RenderOptions): RenderResult {
  const diags: Diagnostic[] = [];
  let ecs: EcsMapping;
  try {
    ecs = ecsMapping(opts.mapping);
  } catch (err) {
    return { ok: false, diagnostics: [diag('RB413', `eql: mapping file ${opts.mapping}: ${(err as Error).message}`, { file: rule.file })] };
  }
  if (rule.query.inputs) {
    const [seq, ...rest] = rule.query.stages;
    if (seq?.kind !== 'sequence' || rest.length) {
      diags.push(diag('RB401', 'eql expresses a correlation only as an ordered sequence (EQL has no aggregation)', (seq ?? rule.query.inputs[0])?.origin ?? { file: rule.file }));
      return { ok: false, diagnostics: diags };
    }
    const query = sequenceQuery(ecs, rule, seq, diags);
    return query === undefined || hasErrors(diags) ? { ok: false, diagnostics: diags } : { ok: true, query, diagnostics: diags };
  }
  const filters: Expr[] = [rule.query.filter];
  const pipes: string[] = [];
  for (const s of rule.query.stages) {
    if (s.kind === 'filter' && pipes.length === 0) filters.push(s.expr);
    else if (s.kind === 'head' && Number.isInteger(s.n) && s.n >= 0) pipes.push(`head ${s.n}`);
    else diags.push(diag('RB401', `eql cannot express a ${s.kind} stage here`, s.origin ?? { file: rule.file }));
  }
  const q = eventQuery(ecs, rule.query.source, filters, rule.file, diags, new Set());
  if (!q || hasErrors(diags)) return { ok: false, diagnostics: diags };
  try {
    const query = compileTemplate('eql').render({ category: q.category, condition: q.condition, pipes });
    return { ok: true, query, diagnostics: diags };
  } catch (err) {
    return { ok: false, diagnostics: [...diags, diag('RB410', `eql template: ${(err as Error).message}`, { file: rule.file })] };
  }
}

/** Drops one pair of parentheses around a lone condition when they enclose all of it. */
function unwrap(c: string): string {
  if (!c.startsWith('(') || !c.endsWith(')')) return c;
  let depth = 0;
  let inStr = false;
  let inField = false;
  for (let i = 0; i < c.length; i++) {
    const ch = c[i];
    // A string is scanned first: a backtick inside "…" is text, not the start of a field name.
    if (inStr) {
      if (ch === '\\') i++;
      else if (ch === '"') inStr = false;
      continue;
    }
    if (ch === '`') inField = !inField; // a doubled backtick toggles twice
    if (inField || ch === '`') continue;
    if (ch === '"') inStr = true;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0 && i < c.length - 1) return c;
  }
  return c.slice(1, -1);
}

export const eqlBackend: Backend = {
  name: 'eql',
  ext: 'eql',
  capabilities: CAPABILITIES,
  render: renderRule,
};
