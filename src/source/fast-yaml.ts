/**
 * A fast reader for the plain shape most rule files have: one document of block maps and
 * sequences (a sequence may sit at its key's indentation), one-line plain or quoted scalars,
 * and literal or folded block scalars. It builds the same nodes (with the same ranges and
 * scalar types) and the same JS value as the `yaml` package, about five times faster; on
 * anything else (flow collections, anchors, tags, multi-line flow scalars, escapes, tabs,
 * duplicate keys, values that resolve to types other than str/int/bool/null, …) it returns
 * undefined and the caller parses with the package. test/source/fast-yaml.test.ts compares
 * both over the corpora and generated documents. Grammar: YAML 1.2.2 (chapter 8, block
 * styles), core schema (10.3).
 */
import { Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';

/** One line of the text: offsets of its start and end (its `\n` or the end of text), and its indentation. */
interface Line { start: number; end: number; indent: number; blank: boolean; comment: boolean }

/** Thrown inside the reader when the text is outside its subset; never escapes fastParse. */
class Decline {}
const DECLINE = new Decline();

/** Characters no accepted text may hold: tabs, CR, BOM, controls, and non-ASCII line breaks. */
const REFUSED = /[\x00-\x09\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]/;
/** Map keys read plain: names of letters, digits and `_ . | / -` and inner spaces. */
const KEY = /^[A-Za-z0-9_][A-Za-z0-9_.|\/ -]*$/;
/** Core-schema scalars (YAML 1.2.2 §10.3.2) that are not strings, as the package resolves them. */
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const TRUE = /^(?:[Tt]rue|TRUE)$/;
const FALSE = /^(?:[Ff]alse|FALSE)$/;
const SMALL_INT = /^(?:0|-?[1-9][0-9]{0,14})$/;
/** Other core-schema scalars (octal, hex, floats, signed or zero-padded ints): left to the package. */
const OTHER = /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/** The result: the document's root node (package node classes) and its JS value. */
export interface FastDoc { contents: Node; value: unknown }

/**
 * A whole document: also where its content ends, after the line break of its last line with
 * content (the package may also count comments that follow; nothing reads this end).
 */
export interface FastDocument extends FastDoc { end: number }

/** Reads a text in the subset, or returns undefined (the caller then uses the `yaml` package). */
export function fastParse(text: string): FastDocument | undefined {
  if (REFUSED.test(text)) return undefined;
  try {
    return new Reader(text).document();
  } catch (e) {
    if (e === DECLINE) return undefined;
    throw e;
  }
}

function decline(): never {
  throw DECLINE;
}

class Reader {
  private readonly lines: Line[] = [];
  /** Index of the next line not yet read. */
  private at = 0;
  /** Where the last node read ends: after its line break, except for an empty value (package ranges). */
  private last = 0;

  constructor(private readonly text: string) {
    for (let start = 0; start <= text.length;) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      let i = start;
      while (i < end && text.charCodeAt(i) === 32) i++;
      const blank = i === end;
      const comment = !blank && text[i] === '#';
      // Directives and document markers start a line at column 0.
      if (i === start && !blank && (text[i] === '%' || text.startsWith('---', i) || text.startsWith('...', i))) decline();
      this.lines.push({ start, end, indent: i - start, blank, comment });
      start = end + 1;
    }
  }

  document(): FastDocument {
    const first = this.next();
    if (first === undefined || this.lines[first]!.indent !== 0) decline();
    const node = this.block(first, 0);
    if (this.next() !== undefined) decline();
    return { ...node, end: this.last };
  }

  /** The index of the next line with content (not blank, not a comment), from `at`. */
  private next(): number | undefined {
    while (this.at < this.lines.length && (this.lines[this.at]!.blank || this.lines[this.at]!.comment)) this.at++;
    return this.at < this.lines.length ? this.at : undefined;
  }

  private isItem(li: number, col: number): boolean {
    const l = this.lines[li]!;
    return l.indent === col && this.text[l.start + col] === '-' && (l.start + col + 1 === l.end || this.text[l.start + col + 1] === ' ');
  }

  /** A map or a sequence whose first line is `li`, at column `col`. */
  private block(li: number, col: number): FastDoc {
    return this.isItem(li, col) ? this.seq(li, col) : this.map(li, col, this.lines[li]!.start + col);
  }

  /** A block map at column `col`; its first key starts at `keyStart` (inside a `- ` line for a map in a sequence). */
  private map(li: number, col: number, keyStart: number): FastDoc {
    const node = new YAMLMap();
    const value: Record<string, unknown> = {};
    let line = li;
    let start = keyStart;
    for (;;) {
      const l = this.lines[line]!;
      const colon = this.text.indexOf(':', start);
      if (colon < 0 || colon >= l.end) decline();
      const k = this.text.slice(start, colon);
      if (!KEY.test(k) || k.endsWith(' ') || NULL.test(k) || TRUE.test(k) || FALSE.test(k) || OTHER.test(k)) decline();
      if (Object.prototype.hasOwnProperty.call(value, k)) decline();
      let p = colon + 1;
      if (p < l.end && this.text[p] !== ' ') decline();
      while (p < l.end && this.text[p] === ' ') p++;
      const key = scalar(k, Scalar.PLAIN, start, colon, colon);
      this.at = line + 1;
      let v: FastDoc;
      if (p === l.end || this.text[p] === '#') {
        // An empty value ends where it starts; its comment, if any, takes the line break too.
        this.last = p === l.end ? p : l.end < this.text.length ? l.end + 1 : l.end;
        const n = this.next();
        if (n !== undefined && this.lines[n]!.indent > col) v = this.block(n, this.lines[n]!.indent);
        else if (n !== undefined && this.isItem(n, col)) v = this.seq(n, col);
        else v = { contents: scalar(null, Scalar.PLAIN, p, p, p), value: null };
      } else v = this.inline(p, l, col);
      node.items.push(new Pair(key, v.contents));
      if (k in value) Object.defineProperty(value, k, { value: v.value, writable: true, enumerable: true, configurable: true });
      else value[k] = v.value;
      const n = this.next();
      if (n === undefined || this.lines[n]!.indent < col) break;
      if (this.lines[n]!.indent > col || this.isItem(n, col)) decline();
      line = n;
      start = this.lines[n]!.start + col;
    }
    node.range = [keyStart, this.endOf(), this.endOf()];
    return { contents: node, value };
  }

  /** A block sequence of `- ` lines at column `col`. */
  private seq(li: number, col: number): FastDoc {
    const node = new YAMLSeq();
    const value: unknown[] = [];
    const first = this.lines[li]!.start + col;
    let line = li;
    for (;;) {
      const l = this.lines[line]!;
      let p = l.start + col + 1;
      while (p < l.end && this.text[p] === ' ') p++;
      if (p === l.end || this.text[p] === '#' || this.text[p] === '-') decline();
      this.at = line + 1;
      let v: FastDoc;
      if (/^[A-Za-z0-9_][A-Za-z0-9_.|\/ -]*:(?: |$)/.test(this.text.slice(p, Math.min(l.end, p + 256)))) v = this.map(line, p - l.start, p);
      else {
        if (this.text[p] === '|' || this.text[p] === '>') decline();
        v = this.inline(p, l, col);
      }
      node.items.push(v.contents);
      value.push(v.value);
      const n = this.next();
      if (n === undefined || this.lines[n]!.indent < col) break;
      if (!this.isItem(n, col)) {
        // A sequence at its key's indentation ends where the map's next key starts.
        if (this.lines[n]!.indent === col) break;
        decline();
      }
      line = n;
    }
    node.range = [first, this.endOf(), this.endOf()];
    return { contents: node, value };
  }

  /** End offset of what was read: the start of the next line with content, else the end of text. */
  private endOf(): number {
    const n = this.next();
    return n === undefined ? this.text.length : this.lines[n]!.start;
  }

  /** A scalar starting at `p` on line `l`, the value of a key or item at column `col`. */
  private inline(p: number, l: Line, col: number): FastDoc {
    const t = this.text;
    const c = t[p]!;
    let out: FastDoc;
    let end: number;
    if (c === "'") {
      let i = p + 1;
      for (;;) {
        i = t.indexOf("'", i);
        if (i < 0 || i >= l.end) decline();
        if (t[i + 1] === "'") i += 2;
        else break;
      }
      end = i + 1;
      const v = t.slice(p + 1, i).replace(/''/g, "'");
      out = { contents: scalar(v, Scalar.QUOTE_SINGLE, p, end, end), value: v };
    } else if (c === '"') {
      const i = t.indexOf('"', p + 1);
      if (i < 0 || i >= l.end) decline();
      const v = t.slice(p + 1, i);
      if (v.includes('\\')) decline();
      end = i + 1;
      out = { contents: scalar(v, Scalar.QUOTE_DOUBLE, p, end, end), value: v };
    } else if (c === '|' || c === '>') {
      return this.blockScalar(p, l, col);
    } else {
      if ('[]{}&*!%@`,'.includes(c) || ((c === '-' || c === '?' || c === ':') && (p + 1 === l.end || t[p + 1] === ' '))) decline();
      // A comment starts at ` #`; searched within the line only.
      const hash = t.slice(p, l.end).indexOf(' #');
      let e = hash < 0 ? l.end : p + hash;
      while (t[e - 1] === ' ') e--;
      const raw = t.slice(p, e);
      if (raw.includes(': ') || raw.endsWith(':')) decline();
      let v: unknown = raw;
      if (NULL.test(raw)) v = null;
      else if (TRUE.test(raw)) v = true;
      else if (FALSE.test(raw)) v = false;
      else if (SMALL_INT.test(raw)) v = Number(raw);
      else if (OTHER.test(raw)) decline();
      end = e;
      out = { contents: scalar(v, Scalar.PLAIN, p, e, e), value: v };
    }
    this.last = l.end < t.length ? l.end + 1 : l.end;
    // After the scalar: spaces, then the end of the line or a comment.
    let q = end;
    while (q < l.end && t[q] === ' ') q++;
    if (q < l.end && !(t[q] === '#' && q > end)) decline();
    // A more indented line next would continue a plain scalar (or be an error): left to the package.
    const n = this.next();
    if (n !== undefined && this.lines[n]!.indent > col) decline();
    return out;
  }

  /**
   * A literal (`|`) or folded (`>`) block scalar with clip or strip chomping and no
   * indentation indicator (YAML 1.2.2 §8.1), whose content is indented past `col`.
   */
  private blockScalar(p: number, l: Line, col: number): FastDoc {
    const li0 = this.lines.indexOf(l);
    const t = this.text;
    const folded = t[p] === '>';
    let q = p + 1;
    const strip = t[q] === '-';
    if (strip) q++;
    const headerEnd = q;
    while (q < l.end && t[q] === ' ') q++;
    if (q < l.end && !(t[q] === '#' && q > headerEnd)) decline();
    // Content: the following lines that are blank or indented past `col`.
    let li = li0 + 1;
    const content: string[] = [];
    let indent = -1;
    let lastText = -1;
    for (; li < this.lines.length; li++) {
      const x = this.lines[li]!;
      if (x.blank) {
        if (x.end > x.start && (indent < 0 || x.end - x.start > indent)) decline();
        content.push('');
        continue;
      }
      if (x.indent <= col) break;
      if (indent < 0) indent = x.indent;
      if (x.indent < indent) decline();
      if (folded && x.indent > indent) decline();
      content.push(t.slice(x.start + indent, x.end));
      lastText = li;
    }
    if (lastText < 0) decline();
    const lines = content.slice(0, content.length - (li - 1 - lastText));
    const last = this.lines[lastText]!;
    const broken = last.end < t.length;
    let v: string;
    if (folded) {
      // Leading empty lines of a folded scalar are kept as line breaks: left to the package.
      if (lines[0] === '') decline();
      v = '';
      for (let i = 0; i < lines.length; i++) {
        if (i === 0) v = lines[0]!;
        else if (lines[i] === '') v += '\n';
        else v += lines[i - 1] === '' ? lines[i] : ' ' + lines[i];
      }
    } else v = lines.join('\n');
    // Clip keeps one final line break, even at the end of a text without one.
    if (!strip) v += '\n';
    // The scalar's range ends after the line break of its last line of text.
    const end = broken ? last.end + 1 : last.end;
    this.at = lastText + 1;
    this.last = end;
    return { contents: scalar(v, folded ? Scalar.BLOCK_FOLDED : Scalar.BLOCK_LITERAL, p, end, end), value: v };
  }
}

function scalar(value: unknown, type: Scalar.Type, start: number, end: number, nodeEnd: number): Scalar {
  const s = new Scalar(value);
  s.type = type;
  s.range = [start, end, nodeEnd];
  return s;
}
