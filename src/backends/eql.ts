/**
 * Elastic EQL (Elasticsearch "EQL syntax reference"): `<category> where <condition>` with the
 * optional `| head n` pipe. Fields are the IR's canonical ECS names; the category comes from
 * mappings/ecs.json (eql-source.ts), operators and escaping from eql-expr.ts / eql-literal.ts,
 * the layout from templates/eql.hbs. EQL has no aggregation: a summary tail is left out by
 * render() with a warning, anything else that needs one is an error of the capability check.
 */
import { diag, hasErrors, type Diagnostic } from '../diagnostics/index.js';
import { loadMapping, type Expr, type RuleIR } from '../ir/index.js';
import { column, type Feature } from './capabilities.js';
import { renderEql, type EqlCtx } from './eql-expr.js';
import { eqlSource, type EcsMapping } from './eql-source.js';
import { topLevelOps } from './eql-literal.js';
import { compileTemplate } from './template.js';
import type { Backend, RenderOptions, RenderResult } from './types.js';

/** What EQL expresses; everything not listed is unsupported. */
const CAPABILITIES = column('unsupported', {
  'op.eq': 'native',
  'op.wildcard': 'native',
  'op.contains': 'rewrite', // `:` with `*v*`
  'op.startswith': 'rewrite',
  'op.endswith': 'rewrite',
  'op.regex': 'rewrite', // translated to a Lucene regex, anchored with `.*`
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
} satisfies Partial<Record<Feature, 'native' | 'rewrite'>>);

function renderRule(rule: RuleIR, opts: RenderOptions): RenderResult {
  const diags: Diagnostic[] = [];
  const src = eqlSource(rule.query.source, rule.file, diags);
  const ecs = loadMapping<EcsMapping>('ecs');
  const ctx: EqlCtx = { diags, file: rule.file, keywordFields: new Set(ecs.keywordFields), warned: new Set() };
  if (src) ctx.rename = src.rename;
  if (ecs.keywordField) ctx.keywordField = ecs.keywordField;
  const filters: Expr[] = [rule.query.filter];
  const pipes: string[] = [];
  for (const s of rule.query.stages) {
    if (s.kind === 'filter' && pipes.length === 0) filters.push(s.expr);
    else if (s.kind === 'head' && Number.isInteger(s.n) && s.n >= 0) pipes.push(`head ${s.n}`);
    else diags.push(diag('RB401', `eql cannot express a ${s.kind} stage here`, s.origin ?? { file: rule.file }));
  }
  const parts: string[] = [];
  for (const f of filters) {
    if (f.kind === 'const' && f.value) continue;
    const text = renderEql(ctx, f);
    if (text !== undefined) parts.push(topLevelOps(text).has('or') ? `(${text})` : text);
  }
  if (!src || hasErrors(diags)) return { ok: false, diagnostics: diags };
  const conds = [...src.conditions.map((c) => (topLevelOps(c).has('or') ? `(${c})` : c)), ...parts];
  const condition = conds.length === 0 ? 'true' : conds.length === 1 ? unwrap(conds[0]!) : conds.join(' and ');
  try {
    const query = compileTemplate('eql').render({ category: src.category, condition, pipes });
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
    if (ch === '`') inField = !inField; // a doubled backtick toggles twice
    if (inField || ch === '`') continue;
    if (inStr) {
      if (ch === '\\') i++;
      else if (ch === '"') inStr = false;
      continue;
    }
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
