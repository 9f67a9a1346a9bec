/**
 * Fast paths of the Sigma backend's YAML text: the common scalars (one line, printable) and
 * detection blocks (maps of such scalars and lists), written directly instead of through a
 * `yaml` Document per value, which cost most of the backend's time. Each function returns
 * undefined for anything outside its narrow case, and the caller then asks the `yaml`
 * package; where a fast path answers, its text is byte-identical to the package's
 * (test/backends/sigma/fast-yaml.test.ts compares both over the corpus and random values).
 * The rules followed are the package's own (yaml 2.x, stringify/stringifyString.js).
 */
import { Document } from 'yaml';

type Schema = Document['schema'];

/** The schemas output is written for: YAML 1.1 (pySigma's reader) and 1.2 (dates). */
export const SCHEMA_11 = new Document(null, { version: '1.1' }).schema;
export const SCHEMA_12 = new Document(null).schema;

/**
 * Per schema, one regular expression for the scalar tags other than str (their own tests as
 * alternatives): a plain string it matches would read back as another type.
 */
const otherTags = new Map<Schema, RegExp>();
function resolvesToOther(s: string, schema: Schema): boolean {
  let re = otherTags.get(schema);
  if (!re) {
    const tags = [...schema.tags, ...(schema.compat ?? [])].filter((t) => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test);
    if (tags.some((t) => t.test!.flags)) throw new Error('a YAML tag test has flags');
    re = new RegExp(tags.map((t) => `(?:${t.test!.source})`).join('|'));
    otherTags.set(schema, re);
  }
  return re.test(s);
}

/**
 * One printable line: no control characters (the package double-quotes those), no YAML 1.1
 * line breaks (NEL, LS, PS), no BOM, no unpaired surrogates (in `u` mode the range matches
 * only those; an emoji's pair is one character).
 */
const ONE_LINE = /^[^\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]+$/u;
/** What a plain scalar cannot be (stringifyString.js `plainString`). */
const NOT_PLAIN = /^[\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|:[ \t]|[\t ]#|[\t :]$/;
/**
 * A value ending in white space (Unicode's too, such as U+3000) is left to the package path,
 * whose callers trim the text's end (sigma-yaml.ts `scalar`, `block`).
 */
const TRAILING_SPACE = /\s$/;
/** Document markers, which the package writes differently by indentation: left to it. */
const MARKER = /^(?:---|\.\.\.)/;

/**
 * A map value's text as the package writes it with `singleQuote: true` and no line width:
 * plain when it can be, else single-quoted when it holds no `'` (a value with `'` and no `"`
 * would be double-quoted). A value that would read back as another type (`yes`, `0x1f`, `<<`)
 * is left to the package, which decides per tag how to quote it.
 */
export function scalarText(v: string, schema: Schema): string | undefined {
  if (!ONE_LINE.test(v) || TRAILING_SPACE.test(v) || MARKER.test(v) || resolvesToOther(v, schema)) return undefined;
  if (!NOT_PLAIN.test(v)) return v;
  return v.includes("'") ? undefined : `'${v}'`;
}

/** Lines of printable text (no tabs, no CR) that start and end with a visible character. */
const LINES = /^[^\x00-\x20\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff][^\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]*\n[^\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]*[^\x00-\x20\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]$/;

/** One line of printable text (no tabs) that starts and ends with a visible character. */
const VISIBLE_LINE = /^[^\x00-\x20\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff](?:[^\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]*[^\x00-\x20\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff])?$/;

/**
 * A multi-line value of a top-level key as the package writes it: a literal block, its lines
 * indented by two spaces (blank lines stay empty), with the strip indicator (`|-`) or, for a
 * value ending in one line break, the clip one (`|`).
 */
export function literalBlockText(v: string): string | undefined {
  if (TRAILING_SPACE.test(v.endsWith('\n') ? v.slice(0, -1) : v)) return undefined;
  if (LINES.test(v)) return '|-\n  ' + v.replace(/\n+/g, '$&  ');
  const body = v.endsWith('\n') ? v.slice(0, -1) : undefined;
  if (body !== undefined && (LINES.test(body) || VISIBLE_LINE.test(body))) return '|\n  ' + body.replace(/\n+/g, '$&  ');
  return undefined;
}

/** A one-line value single-quoted (the package's `singleQuotedString`), when it is one printable line. */
function singleQuoted(v: string): string | undefined {
  return v === '' ? "''" : ONE_LINE.test(v) ? `'${v.replace(/'/g, "''")}'` : undefined;
}

/** A map key written plain: only names of letters, digits and `_ . | -` that read back as strings. */
const KEY = /^[A-Za-z_][A-Za-z0-9_.|-]*$/;
function keyText(k: string): string | undefined {
  if (KEY.test(k)) return resolvesToOther(k, SCHEMA_11) ? undefined : k;
  // A keyword list's modifiers (`'|all'`): `|` starts a block scalar, so the key is quoted.
  return MODS_KEY.test(k) ? `'${k}'` : undefined;
}

const MODS_KEY = /^(?:\|[a-z]+)+$/;

/** A detection value (single-quoted strings, integers, null) or undefined. */
function leafText(v: unknown): string | undefined {
  // The package makes `<<` a merge key, not a string scalar, so it is not quoted.
  if (typeof v === 'string') return v === '<<' ? undefined : singleQuoted(v);
  if (v === null) return 'null';
  if (typeof v === 'number' && Number.isSafeInteger(v) && !Object.is(v, -0)) return String(v);
  return undefined;
}

/** Lines of a non-empty map at `indent` (its first line led by `first`); values are leaves, maps or lists. */
function mapLines(m: Record<string, unknown>, indent: string, first: string, out: string[]): boolean {
  let lead = first;
  const keys = Object.keys(m);
  if (!keys.length) return false;
  for (const k of keys) {
    const kt = keyText(k);
    if (kt === undefined) return false;
    const v = m[k];
    if (Array.isArray(v)) {
      out.push(`${lead}${kt}:`);
      if (!seqLines(v, indent + '    ', out)) return false;
    } else if (v !== null && typeof v === 'object') {
      out.push(`${lead}${kt}:`);
      if (!mapLines(v as Record<string, unknown>, indent + '    ', indent + '    ', out)) return false;
    } else {
      const t = leafText(v);
      if (t === undefined) return false;
      out.push(`${lead}${kt}: ${t}`);
    }
    lead = indent;
  }
  return true;
}

/** Lines of a non-empty list at `indent`: leaves, or maps whose first pair shares the `- ` line. */
function seqLines(items: unknown[], indent: string, out: string[]): boolean {
  if (!items.length) return false;
  for (const it of items) {
    if (it !== null && typeof it === 'object' && !Array.isArray(it)) {
      if (!mapLines(it as Record<string, unknown>, indent + '  ', `${indent}- `, out)) return false;
    } else {
      const t = leafText(it);
      if (t === undefined) return false;
      out.push(`${indent}- ${t}`);
    }
  }
  return true;
}

/**
 * The detection block (search identifiers, string values single-quoted) indented by four
 * spaces, as `yaml` writes it with indent 4 and indented sequences; undefined outside the
 * common case (empty lists or maps, keys to quote, floats, booleans, multi-line values).
 */
export function fastDetectionBlock(obj: Record<string, unknown>): string | undefined {
  const out: string[] = [];
  return mapLines(obj, '    ', '    ', out) ? out.join('\n') : undefined;
}

/** A non-empty list of strings, or a map of string values with plain keys, as a block indented by four spaces. */
export function fastBlock(v: unknown): string | undefined {
  const out: string[] = [];
  if (Array.isArray(v)) {
    if (!v.length) return undefined;
    for (const s of v) {
      const t = typeof s === 'string' ? scalarText(s, SCHEMA_11) : undefined;
      if (t === undefined) return undefined;
      out.push(`    - ${t}`);
    }
    return out.join('\n');
  }
  if (v === null || typeof v !== 'object') return undefined;
  const keys = Object.keys(v);
  if (!keys.length) return undefined;
  for (const k of keys) {
    const s = (v as Record<string, unknown>)[k];
    const kt = keyText(k);
    const t = typeof s === 'string' ? scalarText(s, SCHEMA_11) : undefined;
    if (kt === undefined || t === undefined) return undefined;
    out.push(`    ${kt}: ${t}`);
  }
  return out.join('\n');
}
