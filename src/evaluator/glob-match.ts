/**
 * Glob matching without backtracking blow-up (glob syntax of src/ir/glob.ts). A pattern with
 * only `*` is split into literal chunks matched left to right with indexOf: the leftmost
 * occurrence of each middle chunk is always a correct choice, so the work is linear in the
 * value per chunk. A pattern with `?` goes to re2js (one `?` = one code point).
 */
import { parseGlob, escapeRegex } from '../ir/index.js';
import { compileRegex } from './regex.js';

/** Compiles a glob (already lower-cased when matching is case-insensitive). */
export function compileGlob(pattern: string): (s: string) => boolean {
  const toks = parseGlob(pattern);
  if (toks.some((t) => t.t === 'one')) {
    const src = '^' + toks.map((t) => (t.t === 'lit' ? escapeRegex(t.v) : t.t === 'any' ? '.*' : '.')).join('') + '$';
    const re = compileRegex(src, { caseSensitive: true, flags: 's' });
    if (typeof re === 'string') throw new Error(`internal: glob regex ${src}: ${re}`);
    return (s) => re.test(s);
  }
  if (toks.length === 0) return (s) => s === '';
  const chunks: string[] = [];
  let cur = '';
  for (const t of toks) {
    if (t.t === 'lit') cur += t.v;
    else { chunks.push(cur); cur = ''; }
  }
  chunks.push(cur);
  if (chunks.length === 1) {
    const lit = chunks[0]!;
    return (s) => s === lit;
  }
  const first = chunks[0]!;
  const last = chunks[chunks.length - 1]!;
  const middle = chunks.slice(1, -1).filter((c) => c !== '');
  const minLen = first.length + last.length;
  return (s) => {
    if (s.length < minLen || !s.startsWith(first) || !s.endsWith(last)) return false;
    let at = first.length;
    const end = s.length - last.length;
    for (const c of middle) {
      const i = s.indexOf(c, at);
      if (i < 0 || i + c.length > end) return false;
      at = i + c.length;
    }
    return true;
  };
}
