/**
 * Sigma's `windash` expansion (sigma-appendix-modifiers.md, "String Modifiers"), shared by the
 * Sigma frontend (which expands it) and the Sigma backend (which folds an expansion back).
 */
import type { GlobToken } from './glob.js';

/** The characters `windash` permutes: `-`, `/`, en dash, em dash, horizontal bar. */
export const WINDASH_CHARS = ['-', '/', '–', '—', '―'];

/**
 * Every dash character that starts a word after a non-word character (pySigma's
 * `\B[-/]\b`, widened to the five characters the appendix names) becomes each of the five,
 * in all combinations, in a fixed order.
 */
export function windash(toks: readonly GlobToken[]): GlobToken[][] {
  let variants: GlobToken[][] = [[]];
  for (const t of toks) {
    if (t.t !== 'lit') { variants = variants.map((v) => [...v, t]); continue; }
    const pieces = t.v.split(/(\B[-/–—―]\b)/);
    let texts = [''];
    pieces.forEach((p, i) => {
      texts = i % 2 === 1 ? texts.flatMap((s) => WINDASH_CHARS.map((c) => s + c)) : texts.map((s) => s + p);
    });
    variants = variants.flatMap((v) => texts.map((s) => [...v, { t: 'lit' as const, v: s }]));
  }
  return variants;
}
