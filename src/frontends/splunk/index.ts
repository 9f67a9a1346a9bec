/**
 * The Splunk frontend: a security_content detection YAML (2024 or 2026 format) with an SPL
 * `search:` → validate → expand macros → lex → parse → lower → normalized IR.
 *
 * A detection that violates its schema is still lowered when its `search` is a string: schema
 * errors are about metadata, and reporting the search's own problems in the same run saves the
 * author a round trip. The rule is returned only when no error diagnostic was found.
 */
import { hasErrors, type Diagnostic, type Origin } from '../../diagnostics/index.js';
import { stringOrigins, validateDoc, type SourceDoc } from '../../source/index.js';
import type { LoadedRule } from '../types.js';
import type { Query } from '../../ir/index.js';
import { expandMacros, type MacroTable } from './macros.js';
import { lex } from './lexer.js';
import { parsePipeline } from './parser.js';
import { lowerPipeline, type LowerHints } from './lower.js';
import { loadLookups, lookupDirsFor } from './lookups.js';
import { productOf, splunkMeta } from './meta.js';

export { loadMacros, expandMacros, type MacroTable, type MacroDef } from './macros.js';
export { lex } from './lexer.js';
export { parsePipeline } from './parser.js';
export { loadLookups, lookupDirsFor, type LookupDef, type LookupTable } from './lookups.js';

/** True for a value that looks like a security_content detection (name, id and search). */
export function isSplunkDetection(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === 'string' && 'id' in v && 'search' in v && !('detection' in v) && !('logsource' in v);
}

/** Options of splunkFromDoc. */
export interface SplunkOptions {
  macros: MacroTable;
  /** Folders of lookup definitions; default: a `lookups/` folder beside or above the rule file. */
  lookups?: string[];
}

/** Lowers one detection document; diagnostics are returned, never thrown. */
export function splunkFromDoc(src: SourceDoc, opts: SplunkOptions): LoadedRule {
  const d = src.value as Record<string, unknown>;
  const diagnostics: Diagnostic[] = validateDoc('splunk-detection', src);
  const out: LoadedRule = { file: src.file, format: 'splunk', doc: src.index, diagnostics };
  if (typeof d.id === 'string') out.id = d.id;
  if (typeof d.name === 'string') out.title = d.name;
  if (typeof d.search !== 'string') return out;
  const lookupDirs = opts.lookups ?? lookupDirsFor(src.file);
  const hints: LowerHints = { lookups: loadLookups(lookupDirs), lookupDirs };
  const product = productOf(Array.isArray(d.data_source) ? d.data_source.map(String) : []);
  if (product) hints.product = product;
  const query = lowerSearchText(d.search, stringOrigins(src, '/search'), opts.macros, hints, diagnostics);
  if (query && !hasErrors(diagnostics)) out.rule = { format: 'splunk', file: src.file, meta: splunkMeta(d), query };
  return out;
}

/** Expands, parses and lowers an SPL search; `at(offset)` is the file position of an offset of `search`. */
export function lowerSearchText(search: string, at: (offset: number) => Origin, macros: MacroTable, hints: LowerHints, diagnostics: Diagnostic[]): Query | undefined {
  const { expanded, diagnostics: mds } = expandMacros(search, macros, at);
  diagnostics.push(...mds);
  if (hasErrors(mds)) return undefined;
  const atExp = (o: number): Origin => {
    const offs = expanded.offs;
    if (o < offs.length) return at(offs[o]!);
    return at(offs.length ? offs[offs.length - 1]! + 1 : 0);
  };
  const { tokens, diagnostics: lds } = lex(expanded.text, atExp);
  diagnostics.push(...lds);
  if (hasErrors(lds)) return undefined;
  const { pipeline, diagnostics: pds, complete } = parsePipeline(tokens, atExp);
  diagnostics.push(...pds);
  if (!complete || hasErrors(pds)) return undefined;
  return lowerPipeline(pipeline, hints, diagnostics, at(0));
}
