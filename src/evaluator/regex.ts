/**
 * Rule regexes run on re2js (linear time, RE2 syntax), never on the backtracking JS engine, so
 * a hostile pattern such as `(a+)+$` cannot stall evaluation. Patterns RE2 rejects (lookaround,
 * backreferences) are reported, never approximated.
 */
import { RE2JS } from 're2js';

/** A compiled linear-time regex. */
export interface LinearRegex {
  test(s: string): boolean;
  /** Named (and numbered) groups of the first match, or undefined when nothing matches. */
  exec(s: string): Record<string, string | null> | undefined;
  /** The named groups of each successive match, at most `max` of them (0: every one). */
  execAll(s: string, max: number): Record<string, string | null>[];
  replaceAll(s: string, replacement: string): string;
}

/** JS named groups `(?<n>…)` written the RE2 way `(?P<n>…)`; other syntax is passed through. */
function toRe2Syntax(p: string): string {
  return p.replace(/(^|[^\\])\(\?<(?![=!])/g, '$1(?P<');
}

/** `.{N,}` or `.{N}` alone, unanchored: "some run of N characters". */
const LONG_RUN = /^\.\{([1-9][0-9]{0,5})(,?)\}$/;

/**
 * The test of `.{N,}` / `.{N}` without a match: true when `s` has N consecutive code points
 * other than `\n` (RE2's `.` without the `s` flag; with it, any N code points). A surrogate
 * pair is one code point and a lone surrogate one more, as re2js counts them. Sigma uses this
 * pattern to find very long command lines, where the automaton walks kilobytes per event.
 */
function longRun(n: number, dotAll: boolean): (s: string) => boolean {
  return (s) => {
    if (s.length < n) return false;
    let run = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 10 && !dotAll) { run = 0; continue; }
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
      if (++run >= n) return true;
    }
    return false;
  };
}

/** Compiles a pattern with IR flags (`m`, `s`; `i` or caseSensitive=false); a string is the error. */
export function compileRegex(pattern: string, opts: { caseSensitive: boolean; flags?: string }): LinearRegex | string {
  const lr = LONG_RUN.exec(pattern);
  const fast = lr ? longRun(Number(lr[1]), opts.flags?.includes('s') ?? false) : undefined;
  let f = 0;
  if (!opts.caseSensitive || opts.flags?.includes('i')) f |= RE2JS.CASE_INSENSITIVE;
  if (opts.flags?.includes('m')) f |= RE2JS.MULTILINE;
  if (opts.flags?.includes('s')) f |= RE2JS.DOTALL;
  let re: RE2JS;
  try {
    re = RE2JS.compile(toRe2Syntax(pattern), f);
  } catch (e) {
    return (e as Error).message;
  }
  return {
    test: fast ?? ((s) => re.test(s)),
    exec: (s) => {
      const m = re.matcher(s);
      if (!m.find()) return undefined;
      const out: Record<string, string | null> = {};
      for (let i = 0; i <= m.groupCount(); i++) out[String(i)] = m.group(i);
      for (const name of Object.keys(re.namedGroups())) out[name] = m.group(name);
      return out;
    },
    execAll: (s, max) => {
      const m = re.matcher(s);
      const names = Object.keys(re.namedGroups());
      const all: Record<string, string | null>[] = [];
      while ((max === 0 || all.length < max) && m.find()) {
        const out: Record<string, string | null> = {};
        for (const name of names) out[name] = m.group(name);
        all.push(out);
      }
      return all;
    },
    replaceAll: (s: string, r: string) => re.matcher(s).replaceAll(r.replace(/\\(\d)/g, '$$$1')),
  };
}
