/**
 * Corpus counts: for each indicator key, how many rules of the catalog contain it, by source
 * format. A rule counts once per key however often it repeats the value.
 */

/** Rules that contain one indicator, by source format. */
export interface KeyCount {
  total: number;
  bySource: Record<string, number>;
}

/** A rule's contribution to the counts: its source format and its distinct indicator keys. */
export interface CountInput {
  format: string;
  keys: ReadonlySet<string>;
}

/** Counts, for every key, the rules containing it. */
export function countIndicators(rules: Iterable<CountInput>): Map<string, KeyCount> {
  const counts = new Map<string, KeyCount>();
  for (const r of rules) {
    for (const k of r.keys) {
      let c = counts.get(k);
      if (!c) counts.set(k, (c = { total: 0, bySource: {} }));
      c.total++;
      c.bySource[r.format] = (c.bySource[r.format] ?? 0) + 1;
    }
  }
  return counts;
}

/** The count of OTHER rules with a key, for a rule of `format` that contains it itself. */
export function othersCount(counts: ReadonlyMap<string, KeyCount>, key: string, format: string): KeyCount {
  const c = counts.get(key);
  if (!c) return { total: 0, bySource: {} };
  const bySource: Record<string, number> = {};
  for (const [src, n] of Object.entries(c.bySource)) {
    const m = src === format ? n - 1 : n;
    if (m > 0) bySource[src] = m;
  }
  return { total: Math.max(0, c.total - 1), bySource };
}

/** `corpus 10 (sigma 5, splunk 4)`, sources by count then name; '' when no other rule has it. */
export function formatCount(c: KeyCount): string {
  if (c.total === 0) return '';
  const parts = Object.entries(c.bySource)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([s, n]) => `${s} ${n}`);
  return `corpus ${c.total} (${parts.join(', ')})`;
}
