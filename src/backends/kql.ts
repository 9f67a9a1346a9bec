/**
 * KQL for Microsoft Defender XDR advanced hunting (dialect `defender`) and Microsoft Sentinel
 * (dialect `sentinel`: SysmonEvent, SecurityEvent and Event): `Table | where <filter> | <stages>`.
 * Tables and columns come from mappings/<dialect>.json; operators and escaping from the kql-*
 * helpers; the layout from templates/kql.hbs.
 *
 * Without a dialect (dialect `unified`), a rule reads its Defender XDR table, and when Defender
 * has no table or no column for it, the Sentinel table of the same events (SecurityEvent, Event,
 * SysmonEvent): both families live side by side in a Sentinel workspace with the Defender XDR
 * connector, and in Defender's unified advanced hunting. A query on a Sentinel table starts with
 * a `//` comment line that says so; a query without one reads a Defender XDR table.
 */
import { diag, hasErrors, type Diagnostic } from '../diagnostics/index.js';
import type { RuleIR } from '../ir/index.js';
import { FUNCTIONS } from '../ir/index.js';
import { column as capability, type Feature } from './capabilities.js';
import { renderExpr } from './kql-expr.js';
import { kqlIdent, kqlNumber, kqlString } from './kql-literal.js';
import { eventDataOperators, kqlMapping, tableFor } from './kql-mapping.js';
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

/** Errors that only say a flavour has no table or column for the rule: another flavour may have them. */
const MAPPING_GAPS = new Set(['RB402', 'RB403']);

/** Renders a rule that passed the capability check. */
function renderKql(rule: RuleIR, opts: RenderOptions): RenderResult {
  if (opts.mapping || (opts.dialect !== undefined && opts.dialect !== 'unified')) return renderFlavour(rule, opts, false);
  const defender = renderFlavour(rule, { ...opts, dialect: 'defender' }, false);
  const errors = defender.diagnostics.filter((d) => d.severity === 'error');
  if (defender.ok || !errors.every((d) => MAPPING_GAPS.has(d.code))) return defender;
  const sentinel = renderFlavour(rule, { ...opts, dialect: 'sentinel' }, true);
  if (sentinel.ok) return sentinel;
  // Report what the closer flavour lacks: Defender's missing columns, else Sentinel's.
  return errors.every((d) => d.code === 'RB402') ? sentinel : defender;
}

/** One flavour; `fallback` marks a Sentinel query of the unified dialect with its comment line. */
function renderFlavour(rule: RuleIR, opts: RenderOptions, fallback: boolean): RenderResult {
  const mapping = kqlMapping(opts.dialect, opts.mapping);
  if (!mapping) return { ok: false, diagnostics: [diag('RB411', `kql has no dialect '${opts.dialect}' (known: unified, defender, sentinel)`, { file: rule.file })] };
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
  const stages: string[] = [];
  let prev: RuleIR['query']['stages'][number] | undefined;
  for (const s of rule.query.stages) {
    ctx.here = s.origin;
    const op = renderStage(ctx, s, prev);
    // After a stage that failed, the columns later stages read are unknown: stop, rather
    // than report errors that only follow from the first.
    if (op === undefined) break;
    if (op) stages.push(...(Array.isArray(op) ? op : [op]));
    prev = s;
  }
  const operators: string[] = [];
  if (ctx.eventData && table.eventData) {
    // The source's selection first, so only its events have their XML parsed.
    if (where.length) operators.push(`where ${where.splice(0).join(' and ')}`);
    operators.push(...eventDataOperators(table.eventData));
  }
  if (filter !== undefined && filter !== 'true') where.push(rule.query.filter.kind === 'or' && where.length ? `(${filter})` : filter);
  if (where.length) operators.push(`where ${where.join(' and ')}`);
  operators.push(...stages);
  const diagnostics: Diagnostic[] = ctx.diags;
  if (hasErrors(diagnostics) || filter === undefined) return { ok: false, diagnostics };
  try {
    const family = fallback ? `Microsoft Sentinel table ${table.name}: Defender XDR has no table or column for this rule` : '';
    let query = compileTemplate('kql').render({ family, table: kqlIdent(table.name), operators });
    if (opts.template) query = compileTemplate(opts.template).render({ rule, meta: rule.meta, query, target: 'kql', table: table.name, family: fallback ? 'sentinel' : mapping.flavour, operators });
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
