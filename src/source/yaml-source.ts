/**
 * YAML loading that keeps positions: every value of a rule can be traced back to a line and
 * column of its file through a JSON pointer, and a string scalar can map an offset inside its
 * value (an SPL `search:`) back to the file.
 */
import { Document, LineCounter, parseAllDocuments, isAlias, isMap, isSeq, isScalar, isPair, visit, type Node, Scalar } from 'yaml';
import { diag, type Diagnostic, type Origin } from '../diagnostics/index.js';
import { scalarOffsetMap } from './scalar-offsets.js';
import { fastParse } from './fast-yaml.js';

/**
 * Hard limits that keep hostile documents from exhausting memory or time. `maxAliasCount` is
 * the YAML library's guard against "billion laughs" (an alias expanding to aliases); `maxDepth`
 * bounds the nesting of a parsed document, and `maxTextDepth` the nesting seen by a scan of the
 * text before parsing, since the parser itself recurses and overflows the stack near 1000 levels.
 */
export const YAML_LIMITS = { maxBytes: 8 * 1024 * 1024, maxAliasCount: 100, maxDepth: 64, maxTextDepth: 256, maxErrorsPerDoc: 20 };

/** One YAML document of a file, with what is needed to find positions in it. */
export interface SourceDoc {
  file: string;
  text: string;
  /** Index of the document in a multi-document file. */
  index: number;
  /** The plain JS value (null for an empty document). */
  value: unknown;
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Parses every document of a YAML file. Errors come back as diagnostics, never thrown. */
export function loadYaml(file: string, text: string): { docs: SourceDoc[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  if (text.length > YAML_LIMITS.maxBytes) {
    diagnostics.push(diag('RB104', `file is larger than ${YAML_LIMITS.maxBytes} bytes`, { file, line: 1, column: 1 }));
    return { docs: [], diagnostics };
  }
  const lines = new LineCounter();
  const deep = textDepthExceeded(text, YAML_LIMITS.maxTextDepth);
  if (deep !== undefined) {
    const before = text.slice(0, deep);
    const line = before.split('\n').length;
    const column = deep - before.lastIndexOf('\n');
    diagnostics.push(diag('RB104', `document is nested deeper than ${YAML_LIMITS.maxTextDepth} levels`, { file, line, column }));
    return { docs: [], diagnostics };
  }
  const fast = fastOne(file, text);
  if (fast) return { docs: [fast], diagnostics };
  let parsed: Document.Parsed[];
  try {
    parsed = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true }) as Document.Parsed[];
  } catch (e) {
    diagnostics.push(diag('RB102', `YAML: ${(e as Error).message}`, { file, line: 1, column: 1 }));
    return { docs: [], diagnostics };
  }
  if (!Array.isArray(parsed)) parsed = [parsed as unknown as Document.Parsed];
  const docs: SourceDoc[] = [];
  parsed.forEach((doc, index) => {
    let bad = false;
    for (const err of doc.errors.slice(0, YAML_LIMITS.maxErrorsPerDoc)) {
      const pos = lines.linePos(err.pos[0]);
      const code = err.code === 'DUPLICATE_KEY' ? 'RB102' : 'RB102';
      diagnostics.push(diag(code, `YAML: ${firstLine(err.message)}`, { file, line: pos.line, column: pos.col }));
      bad = true;
    }
    if (doc.errors.length > YAML_LIMITS.maxErrorsPerDoc) {
      const pos = lines.linePos(doc.errors[YAML_LIMITS.maxErrorsPerDoc]!.pos[0]);
      diagnostics.push(diag('RB102', `YAML: ${doc.errors.length - YAML_LIMITS.maxErrorsPerDoc} more error(s) in this document`, { file, line: pos.line, column: pos.col }));
    }
    for (const w of doc.warnings.slice(0, YAML_LIMITS.maxErrorsPerDoc)) {
      const pos = lines.linePos(w.pos[0]);
      diagnostics.push(diag('RB105', `YAML: ${firstLine(w.message)}`, { file, line: pos.line, column: pos.col }));
    }
    if (bad) return;
    const docStart = lines.linePos(doc.range?.[0] ?? 0);
    if (nodeDepth(doc.contents as Node | null, 0) > YAML_LIMITS.maxDepth) {
      diagnostics.push(diag('RB104', `document is nested deeper than ${YAML_LIMITS.maxDepth} levels`, { file, line: docStart.line, column: docStart.col }));
      return;
    }
    const badKey = collectionKey(doc, doc.contents as Node | null);
    if (badKey !== undefined) {
      // JavaScript objects have string keys only: a list or map as a key would be stringified
      // into a field name nobody wrote ("[ Image, CommandLine ]").
      const pos = lines.linePos(badKey);
      diagnostics.push(diag('RB102', 'YAML: a mapping key must be a plain value, not a list or a map', { file, line: pos.line, column: pos.col }));
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: YAML_LIMITS.maxAliasCount });
    } catch (e) {
      // The YAML library refuses an alias whose expansion is too large; point at the first alias.
      const at = firstAlias(doc);
      const pos = at === undefined ? docStart : lines.linePos(at);
      diagnostics.push(diag('RB104', `YAML: ${firstLine((e as Error).message)} (aliases expand to more than ${YAML_LIMITS.maxAliasCount} times their nodes)`, { file, line: pos.line, column: pos.col }));
      return;
    }
    docs.push({ file, text, index, value, doc, lines });
  });
  return { docs, diagnostics };
}

/**
 * The one document of a text in the fast reader's subset (fast-yaml.ts), with the nodes,
 * positions and value the `yaml` package gives; undefined for any other text.
 */
function fastOne(file: string, text: string): SourceDoc | undefined {
  const fast = fastParse(text);
  if (!fast || nodeDepth(fast.contents, 0) > YAML_LIMITS.maxDepth) return undefined;
  const lines = new LineCounter();
  // The package's parser reports the start of every line, the first one included.
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  const doc = new Document() as Document.Parsed;
  doc.contents = fast.contents as Document.Parsed['contents'];
  doc.range = [fast.contents.range![0], fast.end, text.length];
  return { file, text, index: 0, value: fast.value, doc, lines };
}

/** Offset of the first alias (`*name`) of a document, if any. */
function firstAlias(doc: Document.Parsed): number | undefined {
  let at: number | undefined;
  visit(doc, {
    Alias(_k, node) {
      at = node.range?.[0];
      return visit.BREAK;
    },
  });
  return at;
}

/**
 * A linear scan of the text for nesting deeper than `limit` before the parser sees it: block
 * nesting by indentation (and `- ` entries on one line), flow nesting by `[` and `{` outside
 * quotes and comments. It may over-count (a block scalar's indented text), so its limit is well
 * above any real rule; the exact depth is checked on the parsed document. Returns the offset
 * where the limit is passed, or undefined.
 */
export function textDepthExceeded(text: string, limit: number): number | undefined {
  const stack: number[] = [];
  let flow = 0;
  let offset = 0;
  for (const line of text.split('\n')) {
    let i = 0;
    while (line[i] === ' ') i++;
    if (i < line.length && line[i] !== '#') {
      while (stack.length && stack[stack.length - 1]! >= i) stack.pop();
      stack.push(i);
      while ((line[i] === '-' || line[i] === '?') && line[i + 1] === ' ') {
        i += 2;
        while (line[i] === ' ') i++;
        stack.push(i);
      }
      if (stack.length + flow > limit) return offset + i;
    }
    let quote = '';
    for (let j = i; j < line.length; j++) {
      const c = line[j]!;
      if (quote) {
        if (c === '\\' && quote === '"') j++;
        else if (c === quote) quote = '';
        continue;
      }
      const prev = j === 0 ? ' ' : line[j - 1]!;
      if ((c === '"' || c === "'") && ' [{,:'.includes(prev)) quote = c;
      else if (c === '#' && (prev === ' ' || prev === '\t')) break;
      else if (c === '[' || c === '{') {
        if (++flow + stack.length > limit) return offset + j;
      } else if ((c === ']' || c === '}') && flow > 0) flow--;
    }
    offset += line.length + 1;
  }
  return undefined;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

function nodeDepth(node: Node | null | undefined, depth: number): number {
  if (depth > YAML_LIMITS.maxDepth) return depth;
  if (isMap(node) || isSeq(node)) {
    let max = depth + 1;
    for (const item of node.items as unknown[]) {
      const child = isPair(item) ? (item.value as Node | null) : (item as Node | null);
      max = Math.max(max, nodeDepth(child, depth + 1));
      if (max > YAML_LIMITS.maxDepth) return max;
    }
    return max;
  }
  return depth;
}

/** Offset of the first mapping key that is a collection (or an alias of one), if any. */
function collectionKey(doc: Document.Parsed, node: Node | null | undefined): number | undefined {
  if (!isMap(node) && !isSeq(node)) return undefined;
  for (const item of node.items as unknown[]) {
    if (isPair(item)) {
      const key = item.key as Node | null;
      const target = isAlias(key) ? key.resolve(doc) : key;
      if (target !== null && target !== undefined && !isScalar(target)) return key?.range?.[0] ?? node.range?.[0] ?? 0;
      const inner = collectionKey(doc, item.value as Node | null);
      if (inner !== undefined) return inner;
    } else {
      const inner = collectionKey(doc, item as Node | null);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(s: string | number): string {
  return String(s).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Joins segments into a JSON pointer. */
export function pointer(...segments: (string | number)[]): string {
  return segments.map((s) => '/' + pointerSegment(s)).join('');
}

/** Finds the YAML node at a JSON pointer; for a map key it returns the value node. */
export function nodeAt(src: SourceDoc, ptr: string): { node: Node | null; key: Node | null } {
  const segs = ptr === '' ? [] : ptr.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: Node | null = src.doc.contents as Node | null;
  let key: Node | null = null;
  for (const seg of segs) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === seg);
      if (!pair) return { node, key };
      key = pair.key as Node;
      node = (pair.value as Node | null) ?? key;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)] as Node | undefined;
      if (!item) return { node, key };
      key = null;
      node = item;
    } else {
      break;
    }
  }
  return { node, key };
}

/** The 1-based position of the value at a JSON pointer (or of the deepest existing parent). */
export function originAt(src: SourceDoc, ptr: string, useKey = false): Origin {
  const { node, key } = nodeAt(src, ptr);
  const target = useKey && key ? key : node;
  const offset = target?.range?.[0] ?? 0;
  const pos = src.lines.linePos(offset);
  return { file: src.file, pointer: ptr, line: pos.line, column: pos.col };
}

/**
 * For the string scalar at `ptr`, a function from an offset inside its decoded value to a
 * position in the file. SPL errors inside a `search:` string point into the .yml this way.
 */
export function stringOrigins(src: SourceDoc, ptr: string): (offset: number) => Origin {
  const { node } = nodeAt(src, ptr);
  const base = originAt(src, ptr);
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return () => base;
  const map = scalarOffsetMap(src.text, node as Scalar<string>);
  return (offset: number) => {
    if (!map) return base;
    const i = Math.max(0, Math.min(offset, map.length - 1));
    const pos = src.lines.linePos(map[i] ?? node.range![0]);
    return { file: src.file, pointer: ptr, line: pos.line, column: pos.col };
  };
}
