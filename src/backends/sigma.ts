/**
 * Sigma rules (sigma-rules-specification.md) from the IR: metadata, logsource, detection
 * (named search identifiers and a condition) through templates/sigma.hbs. Every YAML scalar
 * and block is produced by the `yaml` package (or its byte-identical fast path,
 * sigma-fast-yaml.ts), so no rule text can break the document's structure. The output is
 * checked against schemas/sigma-rule.schema.json (correlations against
 * sigma-correlation.schema.json) before it is returned. A correlation comes out as one
 * multi-document text: the correlation rule, then the rules it correlates.
 */
import { parse } from 'yaml';
import { diag, hasErrors, type Diagnostic } from '../diagnostics/index.js';
import { summaryTailStart, type Expr, type LogSource, type RuleIR } from '../ir/index.js';
import { validateValue } from '../source/index.js';
import { column } from './capabilities.js';
import { correlationSection } from './sigma-correlation.js';
import { buildDetection } from './sigma-detection.js';
import { block, detectionText, detectionValue, metaContext, metaFields, metaValue, scalar, UUID, type MetaFields } from './sigma-yaml.js';
import { compileTemplate } from './template.js';
import type { Backend, RenderOptions, RenderResult } from './types.js';

/**
 * Sigma expresses every predicate operator, placeholders (`|expand`), and the pipelines of
 * correlation rules: inputs with an aggregate (count, dc, sum, avg, percentile, median) in time
 * buckets and a condition, or a sequence. Those stage rows are `rewrite`: other pipelines are
 * refused when rendered (RB401).
 */
const CAPABILITIES = column('unsupported', {
  'op.eq': 'native', 'op.wildcard': 'native', 'op.contains': 'native', 'op.startswith': 'native',
  'op.endswith': 'native', 'op.regex': 'native', 'op.cidr': 'native', 'op.lt': 'native', 'op.le': 'native',
  'op.gt': 'native', 'op.ge': 'native', 'op.exists': 'native', 'op.fieldref': 'native', 'op.keyword': 'native',
  'value.null': 'native', // `field: null`
  'case-sensitive': 'native', // `|cased`
  'quantifier.all': 'native', // `|all`
  'regex.flags': 'native', // `|re|m`, `|re|s`
  'time-part': 'native', // `|hour` … `|year`
  'fieldref.partial': 'native', // `|fieldref|startswith`
  'op.placeholder': 'native', // `|expand: '%name%'`
  'query.inputs': 'native', // a correlation rule's `rules:`
  'stage.sequence': 'native', // temporal_ordered
  'stage.aggregate': 'rewrite', 'stage.filter': 'rewrite', 'aggregate.span': 'rewrite', 'aggregate.having': 'rewrite',
  'agg.count': 'rewrite', 'agg.dc': 'rewrite', 'agg.sum': 'rewrite', 'agg.avg': 'rewrite', 'agg.percentile': 'rewrite', 'agg.median': 'rewrite',
});

/** Nulls for the template keys a document does not use (the template runs in strict mode). */
const EMPTY = { name: null, correlation: null, logsource: null, detection: null, condition: null };

/** A detection rule document: its text, and the value the text reads back as. */
export interface RuleDocument { text: string; value: Record<string, unknown> }

/** One detection rule document; undefined (with diagnostics) when Sigma cannot say the filter. */
export function ruleDocument(fields: MetaFields, source: LogSource, filter: Expr, file: string, ds: Diagnostic[]): RuleDocument | undefined {
  if (!source.product && !source.category && !source.service) {
    ds.push(diag('RB402', 'sigma needs a log source (product, category or service); the rule has none', source.origin ?? { file }));
    return undefined;
  }
  const det = buildDetection(filter, source, file);
  ds.push(...det.diagnostics);
  if (hasErrors(det.diagnostics)) return undefined;
  const logsource: Record<string, string> = {};
  for (const k of ['category', 'product', 'service'] as const) if (source[k]) logsource[k] = source[k]!;
  const detection = detectionValue(det);
  const text = compileTemplate('sigma').render({ ...EMPTY, ...metaContext(fields), logsource: block(logsource), detection: detectionText(detection), condition: scalar(det.condition) });
  // The schema checks the value the text reads back as, without parsing the text again; that
  // the text does read back as this value is tested (test/backends/sigma/round-trip.test.ts).
  const value = { ...metaValue(fields), logsource, detection: { ...detection, condition: det.condition } };
  const errors = validateValue('sigma-rule', value);
  if (errors.length) {
    ds.push(diag('RB410', `sigma output violates the Sigma rule schema: ${errors[0]!.instancePath} ${errors[0]!.message}`, { file }));
    return undefined;
  }
  return { text, value };
}

/** Metadata of a correlation's input rule: a title, and the name (or id) the correlation uses. */
function inputMeta(title: string, name: string): MetaFields {
  const byId = UUID.test(name);
  return {
    title: `${title}: ${name}`.slice(0, 256), id: byId ? name.toLowerCase() : null, name: byId ? null : name, status: null, description: null,
    references: null, author: null, date: null, modified: null, tags: null, falsepositives: null, level: null,
  };
}

/**
 * A correlation as one multi-document YAML text: the correlation first, then each input as a
 * rule of its own (only the correlation carries status, level and the other metadata, as the
 * specification's "Correlation rules" section asks).
 */
function renderCorrelation(rule: RuleIR, ds: Diagnostic[]): string | undefined {
  const section = correlationSection(rule, ds);
  if (!section || hasErrors(ds)) return undefined;
  const meta = metaContext(metaFields(rule.meta, ds, rule.file));
  const head = compileTemplate('sigma').render({ ...EMPTY, ...meta, correlation: block(section) });
  const doc = parse(head) as { correlation: Record<string, unknown> };
  // value_median is newer than the bundled schema; it is checked as the other one-field metrics.
  const checked = doc.correlation.type === 'value_median' ? { ...doc, correlation: { ...doc.correlation, type: 'value_avg' } } : doc;
  const errors = validateValue('sigma-correlation', checked);
  if (errors.length) {
    ds.push(diag('RB410', `sigma output violates the Sigma correlation schema: ${errors[0]!.instancePath} ${errors[0]!.message}`, { file: rule.file }));
    return undefined;
  }
  const docs = [head];
  for (const input of rule.query.inputs ?? []) {
    const doc = ruleDocument(inputMeta(rule.meta.title || 'Untitled', input.name), input.source, input.filter, rule.file, ds);
    if (doc === undefined) return undefined;
    docs.push(doc.text);
  }
  return docs.map((d) => (d.endsWith('\n') ? d : d + '\n')).join('---\n');
}

/** Renders a rule that passed the capability check. */
function renderSigma(rule: RuleIR, opts: RenderOptions): RenderResult {
  const diagnostics: Diagnostic[] = [];
  let query: string | undefined;
  const stages = rule.query.stages;
  if (rule.query.inputs) query = renderCorrelation(rule, diagnostics);
  else {
    if (stages.length) {
      // Stages that only present the matches (no filtering) are left out, as for every target
      // (src/backends/index.ts); anything else exists in Sigma only as a correlation over rules.
      if (summaryTailStart(stages) !== 0) {
        const s = stages[0]!;
        return { ok: false, diagnostics: [diag('RB401', `sigma expresses pipeline stages (${stages.map((x) => x.kind).join(', ')}) only as a correlation over rules; this rule has none`, s.origin ?? { file: rule.file })] };
      }
      diagnostics.push(diag('RB404', `sigma renders the matching events only; the summary stages (${stages.map((x) => x.kind).join(', ')}) are left to the SIEM's alert grouping`, stages[0]!.origin ?? { file: rule.file }));
    }
    query = ruleDocument(metaFields(rule.meta, diagnostics, rule.file), rule.query.source, rule.query.filter, rule.file, diagnostics)?.text;
  }
  if (query === undefined || hasErrors(diagnostics)) return { ok: false, diagnostics };
  try {
    if (opts.template) query = compileTemplate(opts.template).render({ rule, meta: rule.meta, query, target: 'sigma' });
    return { ok: true, query, diagnostics };
  } catch (err) {
    return { ok: false, diagnostics: [...diagnostics, diag('RB410', `sigma template: ${(err as Error).message}`, { file: rule.file })] };
  }
}

export const sigmaBackend: Backend = {
  name: 'sigma',
  ext: 'sigma.yml',
  capabilities: CAPABILITIES,
  render: renderSigma,
};
