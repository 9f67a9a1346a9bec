/**
 * Reads a rule file of any supported format: each YAML document is recognized by its keys and
 * handed to its frontend. Multi-document Sigma files go to the Sigma frontend together, since a
 * correlation may name a rule of the same file; `linkRules` links Sigma correlations and
 * filters again across the files of a batch.
 */
import { diag } from '../diagnostics/index.js';
import { loadYaml, type SourceDoc } from '../source/index.js';
import type { LoadedRule } from './types.js';
import { isSplunkDetection, splunkFromDoc, type MacroTable } from './splunk/index.js';
import { isSigmaDoc, linkSigma, sigmaFromDocs, type PlaceholderTable } from './sigma/index.js';

export { readPlaceholders, type PlaceholderTable } from './sigma/index.js';

/** Options of the frontends. */
export interface LoadOptions {
  /** Macros for SPL searches (security_content layout). */
  macros?: MacroTable;
  /** Values of Sigma `|expand` placeholders (see readPlaceholders); without them placeholders stay named lists. */
  placeholders?: PlaceholderTable;
  /** Folders of Splunk lookup definitions; default: a `lookups/` folder beside or above each rule. */
  lookups?: string[];
}

/**
 * Links Sigma correlations and filters to rules of any file of the batch (each file was
 * linked alone when read). Rules of other formats pass through unchanged.
 */
export function linkRules(rules: LoadedRule[], opts: LoadOptions = {}): LoadedRule[] {
  return linkSigma(rules, opts.placeholders ? { placeholders: opts.placeholders } : {});
}

/** Every rule of one file's text. Never throws for the file's content. */
export function loadRuleText(file: string, text: string, opts: LoadOptions = {}): LoadedRule[] {
  const { docs, diagnostics } = loadYaml(file, text);
  const out: LoadedRule[] = [];
  const sigmaDocs: SourceDoc[] = [];
  for (const src of docs) {
    if (src.value === null || src.value === undefined) continue;
    if (isSplunkDetection(src.value)) out.push({ ...splunkFromDoc(src, { macros: opts.macros ?? new Map(), ...(opts.lookups ? { lookups: opts.lookups } : {}) }), text });
    else if (isSigmaDoc(src.value)) sigmaDocs.push(src);
    else {
      const at = { file, line: src.lines.linePos((src.doc.contents?.range?.[0]) ?? 0).line, column: 1 };
      out.push({ file, format: 'sigma', doc: src.index, diagnostics: [diag('RB103', 'not a Splunk detection (name, id, search) nor a Sigma rule (title, logsource, detection), correlation or filter', at)], text });
    }
  }
  if (sigmaDocs.length) out.push(...sigmaFromDocs(sigmaDocs, opts.placeholders ? { placeholders: opts.placeholders } : {}).map((r) => ({ ...r, text })));
  // The file's own errors (a broken document beside good ones) are an entry of their own, so a
  // rule that lowered never carries an error; warnings go with the first rule.
  if (!diagnostics.length) return out;
  if (!out.length) return [{ file, format: guessFormat(file, text), doc: 0, diagnostics, text }];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const rest = diagnostics.filter((d) => d.severity !== 'error');
  if (rest.length) {
    out[0]!.diagnostics.unshift(...rest);
    // Kept for linking again across a batch, which starts from the document's own diagnostics.
    if (out[0]!.sigma) out[0]!.sigma.own = [...rest, ...out[0]!.sigma.own];
  }
  if (errors.length) out.unshift({ file, format: guessFormat(file, text), doc: 0, diagnostics: errors, text });
  return out;
}

function guessFormat(file: string, text: string): 'splunk' | 'sigma' {
  return /^\s*search\s*:/m.test(text) && !/^\s*detection\s*:/m.test(text) ? 'splunk' : 'sigma';
}
