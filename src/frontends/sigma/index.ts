/**
 * The Sigma frontend: recognizes Sigma documents and lowers each detection rule to the IR.
 * Correlation and filter documents, and the Sigma 1.0 multi-document `action:` collections,
 * are recognized and validated but reported as not lowerable yet (RB350), never dropped.
 */
import { diag, hasErrors } from '../../diagnostics/index.js';
import { originAt, validateDoc, type SourceDoc } from '../../source/index.js';
import type { LoadedRule } from '../types.js';
import { lowerSigmaRule } from './lower.js';

export { lowerSigmaRule } from './lower.js';
export { parseCondition, type CondNode } from './condition-parser.js';
export { lowerItem, windash, base64offset, type DetectionItem } from './modifiers.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** True for a Sigma rule (title + detection), correlation, filter, or an `action:` document. */
export function isSigmaDoc(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (typeof value.action === 'string' && ['global', 'reset', 'repeat'].includes(value.action)) return true;
  return 'title' in value && (isObject(value.detection) || isObject(value.correlation) || isObject(value.filter));
}

/** Lowers every Sigma document of one file, one LoadedRule per document. */
export function sigmaFromDocs(docs: SourceDoc[]): LoadedRule[] {
  return docs.map((src) => {
    const v = src.value as Record<string, unknown>;
    const base: LoadedRule = { file: src.file, format: 'sigma', doc: src.index, diagnostics: [] };
    if (typeof v.id === 'string') base.id = v.id;
    if (typeof v.title === 'string') base.title = v.title;
    if (typeof v.action === 'string') {
      return { ...base, diagnostics: [diag('RB350', `multi-document Sigma collections ('action: ${v.action}') are not supported; write each rule as its own document`, originAt(src, '/action'))] };
    }
    if (isObject(v.correlation) || isObject(v.filter)) {
      const kind = isObject(v.correlation) ? 'correlation' : 'filter';
      const ds = validateDoc(kind === 'correlation' ? 'sigma-correlation' : 'sigma-filter', src);
      if (!hasErrors(ds)) ds.push(diag('RB350', `Sigma ${kind} rules are not supported yet`, originAt(src, '/' + kind, true)));
      return { ...base, diagnostics: ds };
    }
    return lowerSigmaRule(src);
  });
}
