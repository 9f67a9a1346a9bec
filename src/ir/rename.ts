/**
 * The meaning of a rename stage over a list of columns, shared by the evaluator, the normalize
 * pass and the SQL backend: pairs apply one after another, left to right (SPL2 search reference,
 * rename: "Renames are processed in the order that you specify"); the columns one pair matches
 * move at once, and a moved column replaces any column of its new name.
 */

/** A rename pair. */
export interface RenamePair { from: string; to: string }

/** One pair as a name map: a `*` at the end of both names renames every name with that prefix. */
export function renamePair({ from, to }: RenamePair): (name: string) => string | undefined {
  if (from.endsWith('*') && to.endsWith('*')) {
    const pre = from.slice(0, -1);
    const out = to.slice(0, -1);
    return (name) => (name.startsWith(pre) ? out + name.slice(pre.length) : undefined);
  }
  return (name) => (name === from ? to : undefined);
}

/** The columns (name, value) after the pairs; moved columns go last, in their order. */
export function renameColumns<T>(cols: [string, T][], pairs: RenamePair[]): [string, T][] {
  let cur = cols;
  for (const p of pairs) {
    const r = renamePair(p);
    const stay: [string, T][] = [];
    const moves: [string, T][] = [];
    for (const [n, v] of cur) {
      const t = r(n);
      if (t === undefined || t === n) stay.push([n, v]);
      else moves.push([t, v]);
    }
    const out = new Map(stay.filter(([n]) => !moves.some(([t]) => t === n)));
    for (const [t, v] of moves) { out.delete(t); out.set(t, v); }
    cur = [...out];
  }
  return cur;
}
