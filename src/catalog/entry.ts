/**
 * One rule of the catalog: metadata, body, stages, predicates, indicators and conversions,
 * built from a loaded rule (its IR when it lowered) and the YAML document it came from. A rule
 * that did not lower still gets a page, with its diagnostics instead of indicators.
 */
import YAML from 'yaml';
import type { Diagnostic } from '../diagnostics/index.js';
import type { RuleIR } from '../ir/index.js';
import { render, TARGETS } from '../backends/index.js';
import { extractIndicators, type Indicator } from './indicators.js';
import { correlationStages, sigmaStages, splStages, type StageText } from './stages.js';
import { exprText, stageText } from './predicates.js';
import { tacticsOf, techniquesOf } from './attack.js';

/** What the catalog needs of a loaded rule (the shape of the library's LoadedRule). */
export interface CatalogInput {
  file: string;
  format: 'splunk' | 'sigma';
  /** Index of the YAML document in its file. */
  doc?: number;
  id?: string;
  title?: string;
  rule?: RuleIR;
  diagnostics: Diagnostic[];
  /** The file's text; read from `file` when absent. */
  text?: string;
}

/** A rule converted to one target: the query, or the diagnostics of the refusal. */
export interface Conversion {
  target: string;
  ok: boolean;
  query?: string;
  diagnostics: Diagnostic[];
}

/** The log source of a rule, with a label for filters and charts. */
export interface LogSourceInfo {
  product?: string;
  category?: string;
  service?: string;
  datamodel?: string;
  /** Source hints beyond the taxonomy (`sourcetype=…`, `macro=…`). */
  hints?: string[];
  label: string;
}

/** Everything a rule page and catalog.json show about one rule. */
export interface CatalogEntry {
  page: string;
  id: string;
  title: string;
  format: 'splunk' | 'sigma';
  file: string;
  lowered: boolean;
  status: string;
  level: string;
  author: string;
  description: string;
  date: string;
  modified: string;
  references: string[];
  techniques: string[];
  tactics: string[];
  logsource: LogSourceInfo;
  dataSources: string[];
  groupBy: string[];
  body: string;
  stages: StageText[];
  /** The IR filter and pipeline as text. */
  predicates: string[];
  indicators: Indicator[];
  conversions: Conversion[];
  diagnostics: Diagnostic[];
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}
function strList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x) => typeof x === 'string' || typeof x === 'number').map(String) : typeof v === 'string' ? [v] : [];
}

/** The YAML document of a rule: its parsed value and its source text. */
export function ruleDocument(text: string, index = 0): { value: Record<string, unknown>; body: string } {
  try {
    const docs = YAML.parseAllDocuments(text, { prettyErrors: false });
    const list = Array.isArray(docs) ? docs : [docs];
    const d = list[index] ?? list[0];
    if (!d) return { value: {}, body: text };
    const value = d.toJS({ maxAliasCount: 100 }) as unknown;
    const range = d.contents?.range;
    const body = range && list.length > 1 ? text.slice(range[0], range[2]).trimEnd() : text.trimEnd();
    return { value: value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}, body };
  } catch {
    return { value: {}, body: text };
  }
}

function logSourceOf(rule: RuleIR | undefined, doc: Record<string, unknown>): LogSourceInfo {
  const src = rule?.query.source ?? (doc['logsource'] as Record<string, unknown> | undefined) ?? {};
  const s = src as { product?: unknown; category?: unknown; service?: unknown; extra?: Record<string, string> };
  const info: LogSourceInfo = { label: '' };
  if (str(s.product)) info.product = str(s.product);
  if (str(s.category)) info.category = str(s.category);
  if (str(s.service)) info.service = str(s.service);
  const dm = s.extra?.['datamodel'];
  if (dm) info.datamodel = dm;
  info.label = [info.product, info.category ?? info.service].filter(Boolean).join('/');
  if (info.category && info.service) info.label += `/${info.service}`;
  if (!info.category && !info.service) {
    // No taxonomy entry: label by the SPL source hint the frontend kept (data model, sourcetype, …).
    const extra = s.extra ?? {};
    const key = ['datamodel', 'sourcetype', 'source', 'index', ...Object.keys(extra).sort()].find((k) => extra[k]);
    if (key) info.label = [info.product, `${key}=${extra[key]}`].filter(Boolean).join('/');
  }
  const search = str(doc['search']);
  if (!info.label && !rule && search) {
    // The rule did not lower: name its source from the search text, for the filters and chart.
    const dm = /datamodel\s*[=:]?\s*"?([A-Za-z_][\w.]*)/.exec(search)?.[1];
    const macro = [...search.matchAll(/`([A-Za-z_]\w*)/g)].map((m) => m[1]!).find((m) => !m.startsWith('security_content_') && !m.endsWith('_filter'));
    if (dm) info.label = `datamodel=${dm}`;
    else if (macro) info.label = `macro=${macro}`;
  }
  if (!info.label) info.label = 'unspecified';
  info.hints = Object.entries(s.extra ?? {}).filter(([k]) => k !== 'datamodel').map(([k, v]) => `${k}=${v}`);
  return info;
}

/** Builds one entry (without corpus counts, which need the whole catalog). */
export function buildEntry(input: CatalogInput, page: string, text: string, opts: { convert?: boolean } = {}): CatalogEntry {
  const { value: doc, body } = ruleDocument(text, input.doc ?? 0);
  const rule = input.rule;
  const meta = rule?.meta;
  const tags = meta?.tags ?? strList(doc['tags']);
  const docTags = (doc['tags'] && typeof doc['tags'] === 'object' && !Array.isArray(doc['tags']) ? doc['tags'] : {}) as Record<string, unknown>;
  const attackIds = [...strList(doc['mitre_attack_id']), ...strList(docTags['mitre_attack_id'])];
  const agg = rule?.query.stages.find((s) => s.kind === 'aggregate');
  const search = str(doc['search']);
  const stages = input.format === 'splunk' ? (search ? splStages(search) : []) : [...sigmaStages(doc), ...correlationStages(doc)];
  const predicates = rule ? [`filter ${exprText(rule.query.filter)}`, ...rule.query.stages.map(stageText)] : [];
  const conversions: Conversion[] = [];
  if (rule && opts.convert !== false) {
    for (const target of TARGETS) {
      try {
        const r = render(rule, target);
        conversions.push({ target, ok: r.ok, ...(r.query !== undefined ? { query: r.query } : {}), diagnostics: r.diagnostics });
      } catch (e) {
        // A backend bug must not stop the catalog; the page says the target failed.
        conversions.push({ target, ok: false, diagnostics: [{ code: 'RB410', severity: 'error', stage: 'render', message: `internal error while rendering: ${(e as Error).message}`, file: input.file }] });
      }
    }
  }
  return {
    page,
    id: meta?.id ?? input.id ?? str(doc['id']),
    title: meta?.title ?? input.title ?? (str(doc['title']) || str(doc['name']) || input.file),
    format: input.format,
    file: input.file,
    lowered: !!rule,
    status: meta?.status ?? str(doc['status']),
    level: meta?.level ?? (str(doc['level']) || str(doc['severity'])),
    author: meta?.author ?? str(doc['author']),
    description: meta?.description ?? str(doc['description']),
    date: meta?.date ?? (str(doc['date']) || str(doc['creation_date'])),
    modified: meta?.modified ?? (str(doc['modified']) || str(doc['modification_date'])),
    references: meta?.references ?? strList(doc['references']),
    techniques: techniquesOf(tags, attackIds),
    tactics: tacticsOf(tags),
    logsource: logSourceOf(rule, doc),
    dataSources: meta?.dataSources ?? strList(doc['data_source']),
    groupBy: agg && agg.kind === 'aggregate' ? [...new Set(agg.groupBy.map((g) => g.as))].sort((a, b) => a.localeCompare(b)) : [],
    body,
    stages,
    predicates,
    indicators: rule ? extractIndicators(rule) : [],
    conversions,
    diagnostics: input.diagnostics,
  };
}
