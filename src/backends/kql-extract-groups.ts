/**
 * Whether a capture group takes part in every match of its regex. KQL's extract() and
 * extract_all() give '' both for a group that matched nothing and for one that did not take
 * part; SPL's rex (and the evaluator) set a field only from a group that took part. So a group
 * is rendered only when every match includes it: it, and each group around it, is not optional
 * (`?`, `*`, `{0,…}`) and no `|` at its level or any level around it offers a way past it.
 */

interface Group { parent: Group | undefined; alt: boolean; optional: boolean; name?: string }

/** Whether the named group is in every match of the pattern (RE2 syntax); false when unsure. */
export function alwaysParticipates(pattern: string, name: string): boolean {
  const root: Group = { parent: undefined, alt: false, optional: false };
  let cur = root;
  let closed: Group | undefined;
  let target: Group | undefined;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    const last = closed;
    closed = undefined;
    if (ch === '\\') { i++; continue; }
    if (ch === '[') {
      // A class: `]` right after `[` or `[^` is literal; escapes skip a character.
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      i = j;
      continue;
    }
    if (ch === '(') {
      const m = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(pattern.slice(i));
      const g: Group = { parent: cur, alt: false, optional: false, ...(m ? { name: m[1] } : {}) };
      if (m?.[1] === name) target = g;
      cur = g;
      continue;
    }
    if (ch === ')') {
      if (!cur.parent) return false;
      closed = cur;
      cur = cur.parent;
      continue;
    }
    if (ch === '|') cur.alt = true;
    // A group right before `?`, `*` or a repetition from zero may match without taking part.
    if (last && (ch === '?' || ch === '*' || (ch === '{' && /^\{(0+(,\d*)?|,\d*)\}/.test(pattern.slice(i))))) last.optional = true;
  }
  if (!target || cur !== root) return false;
  // A `|` inside the group itself still makes it take part; one around it may not.
  if (target.optional) return false;
  for (let g = target.parent; g; g = g.parent) if (g.alt || g.optional) return false;
  return true;
}
