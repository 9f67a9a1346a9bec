/**
 * A literal that every match of a regex contains, found without running it: the longest run of
 * plain characters in the pattern's top-level concatenation. Used as a cheap necessary test
 * (the prefilter's atom, a quick reject before the automaton), never as the test itself.
 *
 * The scan is conservative (RE2 syntax): a top-level `|`, `\Q`, or a `{` that is not a repeat
 * gives no literal; groups, classes, `.`, anchors and escapes such as `\d` end a run; a
 * quantified character leaves the run (`?`, `*`, `{0,…}`) or ends it (`+`, `{n≥1,…}`).
 *
 * The literal is lower-cased and compared with the lower-cased value (Row.lower). That keeps
 * every match when the regex is case-insensitive as long as each character's case-folding
 * partners lower-case to it: true of ASCII except `s`, which RE2 folds with `ſ` (U+017F, whose
 * toLowerCase is itself); so under case-insensitivity `s` ends a run, and non-ASCII always does.
 * Contiguous ASCII characters stay contiguous under toLowerCase (only Σ is context-dependent).
 */


/** Index just past the group opened at `i` (`(`), or -1 when it is not closed. */
function skipGroup(p: string, i: number): number {
  let depth = 0;
  for (let j = i; j < p.length; j++) {
    const c = p[j];
    if (c === '\\') j++;
    else if (c === '[') { j = skipClass(p, j) - 1; if (j < 0) return -1; }
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j + 1;
  }
  return -1;
}

/** Index just past the class opened at `i` (`[`), or -1. A `]` right after `[` or `[^` is literal. */
function skipClass(p: string, i: number): number {
  let j = i + 1;
  if (p[j] === '^') j++;
  if (p[j] === ']') j++;
  for (; j < p.length; j++) {
    if (p[j] === '\\') j++;
    else if (p.startsWith('[:', j)) { const e = p.indexOf(':]', j + 2); if (e < 0) return -1; j = e + 1; }
    else if (p[j] === ']') return j + 1;
  }
  return -1;
}

const REPEAT = /^\{(\d+)(,\d*)?\}/;
const FLAG_GROUP = /^\(\?[a-zA-Z-]*\)/;

/** True when any part of the pattern may compare case-insensitively. */
function mayFoldCase(p: string, caseSensitive: boolean, flags: string | undefined): boolean {
  return !caseSensitive || (flags ?? '').includes('i') || /\(\?[a-zA-Z]*i/.test(p);
}

/** What a regex needs of a value before the automaton runs (see the module comment). */
export interface RegexNeeds {
  /** A lower-cased literal every match contains. */
  literal?: string;
  /**
   * The fewest UTF-16 code units a match spans: each character, class, `.` or escape such as `\d`
   * matches one code point (one or two units); anchors, `\b`, groups and non-ASCII pattern
   * characters count zero, so this never exceeds the truth.
   */
  minLength: number;
}

/** Escapes that match one character (RE2 syntax); any other letter escape counts as zero-width. */
const CONSUMING = new Set('dDsSwWpPxnrtfva01234567'.split(''));

/**
 * The literal (lower-cased) every match of `pattern` contains, or undefined (see the module
 * comment); `min` is the shortest literal worth returning.
 */
export function requiredLiteral(pattern: string, caseSensitive: boolean, flags?: string, min = 1): string | undefined {
  const { literal } = regexNeeds(pattern, caseSensitive, flags);
  return literal !== undefined && literal.length >= min ? literal : undefined;
}

/** The required literal and the least match length of a pattern. */
export function regexNeeds(pattern: string, caseSensitive: boolean, flags?: string): RegexNeeds {
  const none: RegexNeeds = { minLength: 0 };
  const fold = mayFoldCase(pattern, caseSensitive, flags);
  let best = '';
  let run = '';
  /** The last character of `run` is the atom a quantifier would apply to. */
  let lastIsChar = false;
  /** The least length so far, and that of the last atom (what a quantifier multiplies). */
  let length = 0;
  let atom = 0;
  const end = () => { if (run.length > best.length) best = run; run = ''; lastIsChar = false; };
  /** A quantifier was the last thing read (a flag group between two lets RE2 repeat a repeat). */
  let quantified = false;
  const take = (n: number) => { length += n; atom = n; quantified = false; };
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i]!;
    const code = c.charCodeAt(0);
    if (c === '|') return none;
    if (c === '*' || c === '?' || c === '+' || c === '{') {
      if (quantified) return none; // `a+(?i)*` is `(a+)*`: give up rather than reason about it
      quantified = true;
      let least: number;
      let len = 1;
      if (c === '{') {
        const m = REPEAT.exec(pattern.slice(i));
        if (!m) return none;
        least = Number(m[1]);
        len = m[0].length;
      } else least = c === '+' ? 1 : 0;
      if (lastIsChar) {
        if (least === 0) run = run.slice(0, -1);
        end();
      }
      length += (least - 1) * atom;
      atom = 0;
      i += len;
      if (pattern[i] === '?') i++; // non-greedy
      lastIsChar = false;
      continue;
    }
    const flagGroup = c === '(' ? FLAG_GROUP.exec(pattern.slice(i, i + 16)) : null;
    if (flagGroup) {
      // `(?i)` matches nothing: a run goes on across it, and a quantifier after it applies to
      // the atom before it.
      i += flagGroup[0].length;
      continue;
    }
    if (c === '(' || c === '[') {
      const j = c === '(' ? skipGroup(pattern, i) : skipClass(pattern, i);
      if (j < 0) return none;
      end();
      take(c === '[' ? 1 : 0);
      i = j;
      continue;
    }
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === undefined || n === 'Q') return none;
      const nc = n.charCodeAt(0);
      const alnum = (nc >= 48 && nc <= 57) || (nc >= 65 && nc <= 90) || (nc >= 97 && nc <= 122);
      // `\.` and other escaped ASCII punctuation stand for themselves; `\d`, `\x41`, `\pL`… do not.
      if (!alnum && nc < 128) { run += n; lastIsChar = true; }
      else end();
      take((!alnum && nc < 128) || CONSUMING.has(n) ? 1 : 0);
      // An escape with an argument (`\x{…}`, `\p{…}`) ends a run; its braces are skipped here.
      if ((n === 'x' || n === 'p' || n === 'P') && pattern[i + 2] === '{') {
        const e = pattern.indexOf('}', i + 3);
        if (e < 0) return none;
        i = e + 1;
      } else if (n === 'x') i += 4;
      else if (n === 'p' || n === 'P') i += 3;
      else i += 2;
      continue;
    }
    if (c === '.' || c === '^' || c === '$' || code >= 128 || code < 32 || (fold && (c === 's' || c === 'S'))) {
      end();
      take(c === '^' || c === '$' || code >= 128 ? 0 : 1);
      i++;
      continue;
    }
    run += c.toLowerCase();
    lastIsChar = true;
    take(1);
    i++;
  }
  end();
  return { ...(best ? { literal: best } : {}), minLength: Math.max(0, length) };
}
