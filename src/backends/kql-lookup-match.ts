/**
 * Which rows of a lookup table one value can match, decided on the table's text alone: Splunk
 * WILDCARD cells (transforms.conf match_type) are patterns where only `*` is special, so a cell
 * is its literal parts between stars, and two rows can match one value when every key's parts
 * intersect.
 */

/** A key cell as its literal parts between stars (one part: a plain value). */
export type StarParts = string[];

/**
 * Calls `visit` with each pair of rows (indexes, a < b) whose keys can all match one value, in
 * order, until it returns true; says whether any pair was found.
 */
export function forOverlaps(rows: StarParts[][], visit: (a: number, b: number) => boolean): boolean {
  let found = false;
  for (let a = 0; a < rows.length; a++) {
    for (let b = a + 1; b < rows.length; b++) {
      if (!rows[a]!.every((p, j) => intersects(p, rows[b]![j]!))) continue;
      found = true;
      if (visit(a, b)) return true;
    }
  }
  return found;
}

/**
 * Whether two star patterns (their literal parts between stars) match a common string. Two
 * literals: when equal. A literal and a pattern: when the pattern matches it. Two patterns with
 * a star each: exactly when their literal prefixes agree (one starts the other) and their
 * suffixes agree, since the string made of the longer prefix, every middle part of both, and
 * the longer suffix matches both.
 */
export function intersects(ps: StarParts, qs: StarParts): boolean {
  if (ps.length === 1 && qs.length === 1) return ps[0] === qs[0];
  if (ps.length === 1) return globMatches(qs, ps[0]!);
  if (qs.length === 1) return globMatches(ps, qs[0]!);
  const [p0, q0, p1, q1] = [ps[0]!, qs[0]!, ps[ps.length - 1]!, qs[qs.length - 1]!];
  return (p0.startsWith(q0) || q0.startsWith(p0)) && (p1.endsWith(q1) || q1.endsWith(p1));
}

/** Whether the parts of a star pattern match the literal: first part a prefix, last a suffix, middles in order. */
function globMatches(parts: StarParts, s: string): boolean {
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) return false;
  let pos = first.length;
  const end = s.length - last.length;
  for (const m of parts.slice(1, -1)) {
    const k = s.indexOf(m, pos);
    if (k < 0 || k + m.length > end) return false;
    pos = k + m.length;
  }
  return true;
}
