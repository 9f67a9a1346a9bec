/**
 * KQL for Microsoft Defender XDR advanced hunting (dialect `defender`, the default) and
 * Microsoft Sentinel (dialect `sentinel`: SysmonEvent, SecurityEvent and Event):
 * `Table | where <filter> | <stages>`. Tables and columns come from mappings/<dialect>.json;
 * operators and escaping from the kql-* helpers; the layout from templates/kql.hbs.
 */
import { diag, hasErrors, type Diagnostic } from '../diagnostics/index.js';
import type { RuleIR } from '../ir/index.js';
import { FUNCTIONS } from '../ir/index.js';
import { column as capability, type Feature } from './capabilities.js';
import { renderExpr } from './kql-expr.js';
import { kqlIdent, kqlNumber, kqlString } from './kql-literal.js';
import { kqlMapping, tableFor } from './kql-mapping.js';
import { Scope, type KqlCtx } from './kql-scope.js';
import { renderStage } from './kql-stages.js';
import { KQL_FUNCTIONS } from './kql-value.js';
import { compileTemplate } from './template.js';
import type { Backend, RenderOptions, RenderResult } from './types.js';

const unsupportedFns = Object.keys(FUNCTIONS).filter((f) => !(KQL_FUNCTIONS as readonly string[]).includes(f));

/** What KQL expresses: natively, through an equivalent rewrite, or not at all. */
const CAPABILITIES = capability('native', {
  'op.keyword': 'unsupported', // no exact full-text search over every column
  // Correlation inputs, placeholders and the SPL-only stages are rendered only where listed native.
  'op.placeholder': 'unsupported',
  'query.inputs': 'unsupported',
  'stage.eventstats': 'unsupported',
  'stage.mvexpand': 'unsupported',
  'stage.join': 'unsupported',
  'stage.lookup': 'unsupported',
  'stage.sequence': 'unsupported',
  'op.wildcard': 'rewrite', // anchored `matches regex`
  'stage.dedup': 'rewrite', // where isnotempty(keys) | summarize arg_max(time, *) by keys; before an aggregate only
  'stage.extract': 'rewrite', // extend name = extract(re, group, field)
  'agg.earliest': 'unsupported',
  'agg.latest': 'unsupported',
  'agg.first': 'unsupported',
  'agg.last': 'unsupported',
  'agg.mode': 'unsupported',
  'agg.median': 'rewrite', // percentile(), an estimate
  'agg.percentile': 'rewrite',
  'agg.list': 'rewrite', // make_list(), in KQL's order
  ...Object.fromEntries(unsupportedFns.map((f) => [`fn.${f}` as Feature, 'unsupported' as const])),
});

/** Renders a rule that passed the capability check. */
function renderKql(rule: RuleIR, opts: RenderOptions): RenderResult {
  const mapping = kqlMapping(opts.dialect, opts.mapping);
  if (!mapping) return { ok: false, diagnostics: [diag('RB411', `kql has no dialect '${opts.dialect}' (known: defender, sentinel)`, { file: rule.file })] };
  const src = rule.query.source;
  const srcAt = src.origin ?? { file: rule.file };
  const table = tableFor(mapping, src);
  if (!table) {
    const name = [src.product, src.category, src.service].filter(Boolean).join('/') || JSON.stringify(src.extra ?? {});
    return { ok: false, diagnostics: [diag('RB402', `kql (${mapping.flavour}) has no table for log source '${name}'`, srcAt)] };
  }
  const ctx: KqlCtx = { mapping, scope: new Scope(table), diags: [], file: rule.file, warned: new Set() };
  if (table.entry.exact === false) {
    ctx.diags.push(diag('RB404', `kql (${mapping.flavour}): log source '${src.category ?? src.service}' is read from ${table.name}${table.entry.note ? `: ${table.entry.note}` : ''}`, srcAt));
  }
  const where: string[] = [];
  const actions = table.entry.actionTypes ?? [];
  const actionCol = kqlIdent(mapping.actionColumn ?? 'ActionType');
  // ActionType values are fixed identifiers, compared exactly.
  const selects = [...(actions.length ? [{ column: actionCol, values: actions }] : []), ...(table.entry.select ?? []).map((s) => ({ ...s, column: kqlIdent(s.column) }))];
  for (const { column, values } of selects) {
    const lits = values.map((v) => (typeof v === 'number' ? kqlNumber(v)! : kqlString(v)));
    where.push(lits.length === 1 ? `${column} == ${lits[0]}` : `${column} in (${lits.join(', ')})`);
  }
  const filter = renderExpr(ctx, rule.query.filter);
  if (filter !== undefined && filter !== 'true') where.push(rule.query.filter.kind === 'or' && where.length ? `(${filter})` : filter);
  const operators: string[] = where.length ? [`where ${where.join(' and ')}`] : [];
  let prev: RuleIR['query']['stages'][number] | undefined;
  for (const s of rule.query.stages) {
    ctx.here = s.origin;
    const op = renderStage(ctx, s, prev);
    // After a stage that failed, the columns later stages read are unknown: stop, rather
    // than report errors that only follow from the first.
    if (op === undefined) break;
    if (op) operators.push(...(Array.isArray(op) ? op : [op]));
    prev = s;
  }
  const diagnostics: Diagnostic[] = ctx.diags;
  if (hasErrors(diagnostics) || filter === undefined) return { ok: false, diagnostics };
  try {
    let query = compileTemplate('kql').render({ table: kqlIdent(table.name), operators });
    if (opts.template) query = compileTemplate(opts.template).render({ rule, meta: rule.meta, query, target: 'kql', table: table.name, operators });
    return { ok: true, query, diagnostics };
  } catch (err) {
    return { ok: false, diagnostics: [...diagnostics, diag('RB410', `kql template: ${(err as Error).message}`, { file: rule.file })] };
  }
}

export const kqlBackend: Backend = {
  name: 'kql',
  ext: 'kql',
  capabilities: CAPABILITIES,
  render: renderKql,
};
