/**
 * YAML text helpers of the Sigma backend: scalars and blocks produced by the `yaml` package
 * (so no rule text can break the document), the detection block, and the metadata context.
 */
import { Document, parseDocument, stringify, visit, Scalar } from 'yaml';
import { diag, type Diagnostic } from '../diagnostics/index.js';
import type { RuleMeta } from '../ir/index.js';
import type { Detection } from './sigma-detection.js';
import { fastBlock, fastDetectionBlock, literalBlockText, scalarText, SCHEMA_11, SCHEMA_12 } from './sigma-fast-yaml.js';

/**
 * YAML 1.1 quoting: pySigma reads rules with a YAML 1.1 parser, where a plain `yes`, `on` or
 * `0x17` is not a string. Dates stay plain (YAML 1.2) as SigmaHQ writes them.
 */
export const YAML_OPTS = { lineWidth: 0, singleQuote: true, version: '1.1' } as const;
export const DATE_OPTS = { lineWidth: 0, singleQuote: true } as const;
const BLOCK_OPTS = { ...YAML_OPTS, indent: 4, indentSeq: true } as const;
/** NEL, LS, PS (line breaks in YAML 1.1 only) and the BOM. */
const YAML11_BREAK = /[\u0085\u2028\u2029\ufeff]/;
/** Sigma statuses, and the Splunk security_content statuses that mean the same. */
const STATUS: Record<string, string> = {
  stable: 'stable', test: 'test', experimental: 'experimental', deprecated: 'deprecated', unsupported: 'unsupported',
  production: 'stable', validation: 'test',
};
const LEVELS = new Set(['informational', 'low', 'medium', 'high', 'critical']);
const TAG = /^[a-z0-9_-]+\.[a-z0-9._-]+$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A scalar as the YAML text after `key: ` for a key at column 0 (quoted only when it must
 * be; a multi-line value becomes a block scalar indented under the key).
 */
export function scalar(v: string, opts: object = YAML_OPTS): string {
  // NEL, LS and PS are line breaks in YAML 1.1 but not in 1.2, and `yaml` may leave them in a
  // plain scalar that no parser reads back (`description: ?<U+2028>` failed to parse): such a
  // value is written double-quoted with JSON escapes, which both versions read the same way.
  if (YAML11_BREAK.test(v)) return escapeBreaks(JSON.stringify(v));
  const fast = opts === YAML_OPTS ? scalarText(v, SCHEMA_11) ?? literalBlockText(v) : opts === DATE_OPTS ? scalarText(v, SCHEMA_12) : undefined;
  return fast ?? yamlScalar(v, opts);
}

/** `scalar` written by the `yaml` package alone (what its fast path must equal). */
export function yamlScalar(v: string, opts: object = YAML_OPTS): string {
  return stringify({ k: v }, opts).slice(3).trimEnd();
}

/** A value as a YAML block indented by four spaces under its key. */
export function block(v: unknown): string {
  return fastBlock(v) ?? yamlBlock(v);
}

/** `block` written by the `yaml` package alone. */
export function yamlBlock(v: unknown): string {
  const text = YAML11_BREAK.test(JSON.stringify(v) ?? '') ? breakSafeYaml(v) : stringify(v, BLOCK_OPTS);
  return text.trimEnd().split('\n').map((l) => '    ' + l).join('\n');
}

/**
 * A block whose strings hold NEL, LS, PS or a BOM: a YAML 1.1 reader (pySigma's) folds a raw
 * NEL/LS/PS inside a quoted scalar into a space, so those strings (keys too) are written
 * double-quoted, where the characters can be escaped, and the escapes are put in.
 */
function breakSafeYaml(v: unknown): string {
  const doc = new Document(v, BLOCK_OPTS);
  visit(doc, {
    Scalar(_k, node) {
      if (typeof node.value === 'string' && YAML11_BREAK.test(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return escapeBreaks(doc.toString(BLOCK_OPTS));
}

/** Escapes NEL, LS, PS and the BOM; only for text where each sits in a double-quoted scalar. */
function escapeBreaks(text: string): string {
  return text.replace(/[\u0085\u2028\u2029\ufeff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** The detection's search identifiers as a value (what detectionText writes). */
export function detectionValue(d: Detection): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  const asObject = (items: { key: string; value: unknown }[]) => {
    const o: Record<string, unknown> = {};
    // A field named __proto__ must stay a key, not set the prototype.
    for (const it of items) {
      if (it.key === '__proto__') Object.defineProperty(o, it.key, { value: it.value, enumerable: true, writable: true, configurable: true });
      else o[it.key] = it.value;
    }
    return o;
  };
  d.sels.forEach((s, i) => {
    const name = d.names[i]!;
    if (s.k === 'map') obj[name] = asObject(s.items);
    else if (s.k === 'maps') obj[name] = s.maps.map(asObject);
    else obj[name] = s.mods ? { [s.mods]: s.values } : s.values;
  });
  return obj;
}

/**
 * A detection value as YAML text indented by four spaces, string values single-quoted as
 * SigmaHQ writes them (the fast path, else the `yaml` package).
 */
export function detectionText(obj: Record<string, unknown>): string {
  return fastDetectionBlock(obj) ?? yamlDetectionText(obj);
}

/** `detectionText` written by the `yaml` package alone. */
export function yamlDetectionText(obj: Record<string, unknown>): string {
  const doc = parseDocument('{}', { version: '1.1' });
  doc.contents = doc.createNode(obj) as typeof doc.contents;
  visit(doc, {
    Scalar(key, node) {
      if (typeof node.value !== 'string') return;
      if (YAML11_BREAK.test(node.value)) node.type = Scalar.QUOTE_DOUBLE;
      else if (key !== 'key') node.type = Scalar.QUOTE_SINGLE;
    },
  });
  return escapeBreaks(doc.toString(BLOCK_OPTS)).trimEnd().split('\n').map((l) => '    ' + l).join('\n');
}

function dateOf(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const m = /^(\d{4})[-/](\d{2})[-/](\d{2})/.exec(s);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

/** The metadata a Sigma document holds: strings and lists of strings, by key (absent: null). */
export type MetaFields = Record<'title' | 'id' | 'name' | 'status' | 'description' | 'references' | 'author' | 'date' | 'modified' | 'tags' | 'falsepositives' | 'level', string | string[] | null>;

/** The rule's metadata as Sigma values; warns where a value has no Sigma form. */
export function metaFields(meta: RuleMeta, ds: Diagnostic[], file: string): MetaFields {
  const warn = (msg: string) => ds.push(diag('RB404', msg, { file }));
  const status = meta.status ? STATUS[meta.status.toLowerCase()] : undefined;
  if (meta.status && !status) warn(`status '${meta.status}' has no Sigma equivalent; left out`);
  const level = meta.level && LEVELS.has(meta.level.toLowerCase()) ? meta.level.toLowerCase() : undefined;
  if (meta.level && !level) warn(`level '${meta.level}' is not a Sigma level; left out`);
  const tags = [...new Set(meta.tags.map((t) => t.toLowerCase().replace(/\s+/g, '_')))];
  const badTags = tags.filter((t) => !TAG.test(t));
  if (badTags.length) warn(`tags ${badTags.join(', ')} are not Sigma tags (namespace.name); left out`);
  if (meta.id && !UUID.test(meta.id)) warn(`id '${meta.id}' is not a UUID as Sigma requires; left out`);
  const fps = meta.falsepositives.filter((f) => f.trim().length >= 2);
  return {
    title: meta.title || 'Untitled',
    id: meta.id && UUID.test(meta.id) ? meta.id.toLowerCase() : null,
    name: null,
    status: status ?? null,
    description: meta.description || null,
    references: meta.references.length ? [...new Set(meta.references)] : null,
    author: meta.author || null,
    date: dateOf(meta.date) ?? null,
    modified: dateOf(meta.modified) ?? null,
    tags: tags.length > badTags.length ? tags.filter((t) => TAG.test(t)) : null,
    falsepositives: fps.length ? [...new Set(fps)] : null,
    level: level ?? null,
  };
}

/** Template context for metadata: each value as YAML text (lists as blocks; dates plain, YAML 1.2). */
export function metaContext(fields: MetaFields): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(fields)) {
    out[k] = v === null ? null : Array.isArray(v) ? block(v) : scalar(v, k === 'date' || k === 'modified' ? DATE_OPTS : YAML_OPTS);
  }
  return out;
}

/** The metadata as the plain value a parser reads back from the document (null keys left out). */
export function metaValue(fields: MetaFields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== null) out[k] = v;
  return out;
}
