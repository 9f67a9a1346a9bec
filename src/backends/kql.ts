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
import { renderCorrelation } from './kql-inputs.js';
import { kqlIdent } from './kql-literal.js';
import { tableFor, type KqlMapping } from './kql-mapping.js';
import { familyNote, fill, flavours, headOperators, onlyGaps, sourceHead } from './kql-source.js';
import { renderStages } from './kql-stages.js';
import { KQL_FUNCTIONS } from './kql-value.js';
import type { Backend, RenderOptions, RenderResult } from './types.js';

const unsupportedFns = Object.keys(FUNCTIONS).filter((f) => !(KQL_FUNCTIONS as readonly string[]).includes(f));

/** What KQL expresses: natively, through an equivalent rewrite, or not at all. */
const CAPABILITIES = capability('native', {
  'op.keyword': 'unsupported', // no exact full-text search over every column
  // Correlation inputs, placeholders and the SPL-only stages are rendered only where listed native.
  'op.placeholder': 'unsupported',
  'query.inputs': 'native', // union of the inputs' heads, each projecting the fields the stages read
  'stage.eventstats': 'rewrite', // as + join kind=leftouter of the summarized rows on the keys
  'stage.mvexpand': 'native', // mv-expand of a dynamic array; a single value stays as it is
  'stage.join': 'rewrite', // join kind=inner|leftouter; with several sub-search rows per key, each key's first max rows in the stats order (sort + row_number); else RB401
  'stage.lookup': 'rewrite', // the caller's table rows inlined as a datatable, lookup kind=leftouter on the (folded) keys; several matching rows as a dynamic array (mv-apply for wildcard rows)
  'stage.sequence': 'unsupported',
  'stage.foreach': 'rewrite', // one extend per matched column, where the columns are known (after summarize or project); else RB401
  'op.wildcard': 'rewrite', // anchored `matches regex`
  'stage.dedup': 'rewrite', // over events: summarize arg_max(time, *) by keys; after a stats: each key's first row in the stats order; else RB401
  'stage.extract': 'rewrite', // extend name = extract(re, group, field); an existing field only where the regex matches
  'extract.multi': 'rewrite', // extract_all(re, group, field) cut to max_match, a dynamic array
  'agg.earliest': 'native', // arg_min over the event time
  'agg.latest': 'native', // arg_max over the event time
  'agg.first': 'unsupported',
  'agg.last': 'unsupported',
  'agg.mode': 'unsupported',
  'agg.median': 'rewrite', // percentile(), an estimate
  'agg.percentile': 'rewrite',
  'agg.list': 'rewrite', // make_list(), in KQL's order
  'fn.urldecode': 'rewrite', // url_decode(), which may differ on '+' and malformed escapes (RB404)
  'fn.mvappend': 'rewrite', // array_concat() of each argument's values; dynamic(null) when none
  'fn.mvdedup': 'rewrite', // set_union() of the array with itself
  'fn.mvfilter': 'rewrite', // iff() over a single value; RB430 over a multivalue (dynamic) field
  'fn.trim': 'rewrite', // trim() with the characters as one escaped regex class
  'fn.ltrim': 'rewrite', // trim_start(), as trim
  'fn.rtrim': 'rewrite', // trim_end(), as trim
  'fn.relative_time': 'rewrite', // epoch-seconds arithmetic, bin() and startof*(); a computed modifier only as sign, count, unit
  'fn.strptime': 'rewrite', // extract() of the evaluator's numeric specifiers; RB430 for any other
  ...Object.fromEntries(unsupportedFns.map((f) => [`fn.${f}` as Feature, 'unsupported' as const])),
});

/** Renders a rule that passed the capability check. */
function renderKql(rule: RuleIR, opts: RenderOptions): RenderResult {
  const list = flavours(opts.dialect, opts.mapping);
  if (!list) return { ok: false, diagnostics: [diag('RB411', `kql has no dialect '${opts.dialect}' (known: unified, defender, sentinel)`, { file: rule.file })] };
  if (rule.query.inputs) return renderCorrelation(rule, opts, list);
  let first: RenderResult | undefined;
  for (const [i, mapping] of list.entries()) {
    const r = renderFlavour(rule, opts, mapping, i > 0);
    if (r.ok || !onlyGaps(r.diagnostics)) return r;
    first ??= r;
    // Report what the closer flavour lacks: Defender's missing columns, or its reason for the
    // rows the rule selects (a source it maps, read by variant) where Sentinel has no table at
    // all; else Sentinel's.
    if (i === list.length - 1) {
      const closer = first.diagnostics.some((d) => d.code === 'RB403') || (!tableFor(mapping, rule.query.source) && !!tableFor(list[0]!, rule.query.source));
      return closer ? first : r;
    }
  }
  return first!;
}

/** One flavour; `fallback` marks a Sentinel query of the unified dialect with its comment line. */
function renderFlavour(rule: RuleIR, opts: RenderOptions, mapping: KqlMapping, fallback: boolean): RenderResult {
  const diagnostics: Diagnostic[] = [];
  const head = sourceHead(mapping, rule.query.source, rule.query.filter, rule.file, diagnostics);
  if (!head) return { ok: false, diagnostics };
  const { ctx, table } = head;
  if (opts.lookupTables) ctx.lookups = opts.lookupTables;
  const stages = renderStages(ctx, rule.query.stages);
  if (hasErrors(diagnostics) || head.filter === undefined) return { ok: false, diagnostics };
  const operators = [...headOperators(head), ...stages];
  return fill(rule, opts, { family: fallback ? familyNote([table.name]) : '', table: kqlIdent(table.name), operators }, { table: table.name, flavour: fallback ? 'sentinel' : mapping.flavour }, diagnostics);
}

export const kqlBackend: Backend = {
  name: 'kql',
  ext: 'kql',
  capabilities: CAPABILITIES,
  render: renderKql,
};
