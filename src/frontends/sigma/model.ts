/**
 * The shape of a Sigma rule document as the frontend reads it, and position helpers that turn
 * a JSON pointer (plus an offset inside a map key) into an Origin of the .yml file.
 */
import { isScalar, Scalar } from 'yaml';
import type { Diagnostic, Origin } from '../../diagnostics/index.js';
import { nodeAt, originAt, pointer, type SourceDoc } from '../../source/index.js';
import type { PlaceholderTable } from './placeholders.js';

/** A Sigma detection rule, as YAML gives it (validated against schemas/sigma-rule.schema.json). */
export interface SigmaRuleDoc {
  title: string;
  id?: string;
  name?: string;
  status?: string;
  description?: string;
  author?: string;
  date?: string;
  modified?: string;
  references?: string[];
  tags?: string[];
  falsepositives?: string[];
  level?: string;
  logsource: { product?: string; category?: string; service?: string; definition?: string };
  detection: Record<string, unknown> & { condition: string | string[] };
}

/** What lowering one document needs: its source (for positions) and a place for diagnostics. */
export interface SigmaContext {
  src: SourceDoc;
  product?: string;
  category?: string;
  diagnostics: Diagnostic[];
  /** Values of `|expand` placeholders, when the user gave them. */
  placeholders?: PlaceholderTable;
  /** The key that holds the search identifiers: `detection`, or `filter` in a filter rule. */
  root?: string;
}

/** The position of the value at a pointer. */
export function valueOrigin(src: SourceDoc, ptr: string): Origin {
  return originAt(src, ptr);
}

/**
 * The position of a map key at a pointer, moved `offset` characters into the key's text (to
 * point at one `|modifier`). Exact for keys written on one line; quoted keys skip their quote.
 */
export function keyOrigin(src: SourceDoc, ptr: string, offset = 0): Origin {
  const { key } = nodeAt(src, ptr);
  if (!key || !isScalar(key) || !key.range) return originAt(src, ptr, true);
  const quoted = key.type === Scalar.QUOTE_SINGLE || key.type === Scalar.QUOTE_DOUBLE;
  const pos = src.lines.linePos(key.range[0] + (quoted ? 1 : 0) + offset);
  return { file: src.file, pointer: ptr, line: pos.line, column: pos.col };
}

/** The pointer of a detection entry: /detection/<id>[/<index>][/<key>]. */
export function detectionPointer(...segs: (string | number)[]): string {
  return pointer('detection', ...segs);
}
