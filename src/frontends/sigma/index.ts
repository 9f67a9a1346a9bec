/**
 * The Sigma frontend: recognizes Sigma documents, lowers each detection rule to the IR, and
 * links correlation and filter documents to the rules they name (src/frontends/sigma/link.ts).
 * The Sigma 1.0 multi-document `action:` collections are reported (RB350), never dropped.
 */
import { diag, hasErrors } from '../../diagnostics/index.js';
import { originAt, validateDoc, type SourceDoc } from '../../source/index.js';
import type { LoadedRule } from '../types.js';
import { lowerSigmaRule, type SigmaOptions } from './lower.js';
import { linkSigma } from './link.js';

export { lowerSigmaRule, type SigmaOptions } from './lower.js';
export { linkSigma } from './link.js';
export { parseCondition, type CondNode } from './condition-parser.js';
export { lowerItem, windash, base64offset, type DetectionItem } from './modifiers.js';
export { readPlaceholders, placeholdersFrom, type PlaceholderTable } from './placeholders.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** True for a Sigma rule (title + detection), correlation, filter, or an `action:` document. */
export function isSigmaDoc(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (typeof value.action === 'string' && ['global', 'reset', 'repeat'].includes(value.action)) return true;
  return 'title' in value && (isObject(value.detection) || isObject(value.correlation) || isObject(value.filter));
}

/**
 * Validates a correlation document. `value_median` (a metric type newer than the bundled
 * schema) is checked as the other single-field metrics are.
 */
function validateCorrelation(src: SourceDoc) {
  const v = src.value as { correlation: Record<string, unknown> };
  if (v.correlation.type !== 'value_median') return validateDoc('sigma-correlation', src);
  return validateDoc('sigma-correlation', { ...src, value: { ...v, correlation: { ...v.correlation, type: 'value_avg' } } });
}

/** Reads every Sigma document of one file, one LoadedRule per document, not yet linked. */
export function sigmaDocs(docs: SourceDoc[], opts: SigmaOptions = {}): LoadedRule[] {
  return docs.map((src) => {
    const v = src.value as Record<string, unknown>;
    const base: LoadedRule = { file: src.file, format: 'sigma', doc: src.index, diagnostics: [] };
    if (typeof v.id === 'string') base.id = v.id;
    if (typeof v.title === 'string') base.title = v.title;
    const ids = { ...(typeof v.id === 'string' ? { id: v.id } : {}), ...(typeof v.name === 'string' ? { name: v.name } : {}), at: originAt(src, '/title') };
    if (typeof v.action === 'string') {
      return { ...base, diagnostics: [diag('RB350', `multi-document Sigma collections ('action: ${v.action}') are not supported; write each rule as its own document`, originAt(src, '/action'))] };
    }
    if (isObject(v.correlation) || isObject(v.filter)) {
      const kind = isObject(v.correlation) ? 'correlation' : 'filter';
      const ds = kind === 'correlation' ? validateCorrelation(src) : validateDoc('sigma-filter', src);
      return { ...base, diagnostics: [...ds], sigma: { kind, src, ...ids, own: ds } };
    }
    const r = lowerSigmaRule(src, opts);
    return { ...r, sigma: { kind: 'rule', ...ids, own: r.diagnostics, ...(r.rule ? { base: r.rule } : {}) } };
  });
}

/** Lowers every Sigma document of one file and links its correlations and filters. */
export function sigmaFromDocs(docs: SourceDoc[], opts: SigmaOptions = {}): LoadedRule[] {
  return linkSigma(sigmaDocs(docs, opts), opts);
}
