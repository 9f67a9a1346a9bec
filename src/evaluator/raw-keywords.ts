/**
 * Keyword atoms of the prefilter checked on a flat Windows record's raw values, before (and
 * without) the canonical event's NUL-joined haystack: the canonical event has more values than
 * the record (copies under ECS names, derived fields), so its haystack costs more to build.
 *
 * Soundness. Every canonical string value of a flat record (normalize/windows.ts) is one of:
 *  (a) a substring of a raw value written as a string (trimmed, GUID braces dropped, a copy,
 *      a basename or one hash of a list), or of JSON.stringify of a raw object;
 *  (b) a zero-padding-free hex number `0x…`, (c) a number as written by String(), (d) an ISO
 *      timestamp — all made of the characters SPECIAL (lower-cased);
 *  (e) `domain\name` of two raw values; (f) a word of a value map of windows-security.json.
 * So an ASCII literal that occurs in a lower-cased canonical value also occurs in the lower-cased
 * raw haystack when it has a character outside SPECIAL, no `\`, and is no part of a value word
 * (ASCII: lower-casing maps each of its characters alike wherever it stands; only Σ depends on
 * its neighbours). For a keyword literal we take its longest part with these properties: any
 * part of a necessary literal is itself necessary. A literal without such a part keeps the canonical
 * haystack for its whole candidate list (prefilter.ts).
 */
import { windowsIndex } from './normalize/categories.js';

/** Characters of hex numbers, decimal numbers and ISO timestamps, lower-cased. */
const SPECIAL = /^[0-9a-fx.e+\-:tz]*$/;

let words: string[] | undefined;

/** The lower-cased words of the value maps (SID → IntegrityLevel word, …). */
function valueWords(): string[] {
  if (words) return words;
  const out = new Set<string>();
  for (const byId of windowsIndex().security.values()) {
    for (const ev of byId.values()) for (const t of Object.values(ev.values ?? {})) for (const w of Object.values(t.map)) out.add(w.toLowerCase());
  }
  return (words = [...out]);
}

/** The longest part of a lower-cased keyword literal that the raw haystack reveals, or undefined. */
export function rawKeywordLiteral(lit: string): string | undefined {
  let best: string | undefined;
  for (const part of lit.split(/[\\\u0080-\uffff]/)) {
    if (!part || SPECIAL.test(part) || valueWords().some((w) => w.includes(part))) continue;
    if (!best || part.length > best.length) best = part;
  }
  return best;
}

/** Each raw value as text: strings, numbers and booleans as written, list elements, objects as JSON. */
function eachText(v: unknown, visit: (s: string) => void): void {
  if (typeof v === 'string') visit(v);
  else if (typeof v === 'number' || typeof v === 'boolean') visit(String(v));
  else if (Array.isArray(v)) for (const x of v) eachText(x, visit);
  else if (v !== null && typeof v === 'object') visit(JSON.stringify(v));
}

/** Every raw value of a flat record (list elements, objects as JSON), lower-cased and NUL-joined. */
export function rawHaystack(rec: Record<string, unknown>): string {
  const parts: string[] = [];
  const push = (s: string): void => void parts.push(s);
  for (const k in rec) eachText(rec[k], push);
  return parts.join('\u0000').toLowerCase();
}

/** A scanner of lower-cased text (MultiSearch.scanFolded). */
interface FoldedScanner { scanFolded(s: string, found: (i: number) => void): void }

/**
 * Scans the raw haystack of a record without making it: each value as `rawHaystack` writes it,
 * lower-cased by the scanner. The same literals are found, since a literal holds no NUL (the
 * separator, which no literal's automaton steps on: every value starts from the root).
 */
export function scanRawValues(rec: Record<string, unknown>, search: FoldedScanner, found: (i: number) => void): void {
  const scan = (s: string): void => search.scanFolded(s, found);
  for (const k in rec) eachText(rec[k], scan);
}
