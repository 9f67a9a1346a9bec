/** KQL's sort and row numbering replayed over plain rows, for the table tests of "first" rows. */

type Row = Record<string, unknown>;

/** KQL's ascending order with nulls (a missing string: '') first; `time` columns by instant. */
export function kqlCompare(a: unknown, b: unknown, time: boolean): number {
  const na = a === null || a === undefined || a === '', nb = b === null || b === undefined || b === '';
  if (na || nb) return na === nb ? 0 : na ? -1 : 1;
  if (time) return Date.parse(String(a)) - Date.parse(String(b));
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** `sort by c1 asc, c2 asc, …` over rows whose columns are named by `col`. */
export function kqlSort(rows: Row[], by: string[], col: (k: string) => string, time: (c: string) => boolean): Row[] {
  return [...rows].sort((a, b) => {
    for (const k of by) {
      const c = col(k);
      const d = kqlCompare(a[c], b[c], time(c));
      if (d) return d;
    }
    return 0;
  });
}
