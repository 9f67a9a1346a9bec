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

/** Compiles a pattern with IR flags (`m`, `s`; `i` or caseSensitive=false); a string is the error. */
export function compileRegex(pattern: string, opts: { caseSensitive: boolean; flags?: string }): LinearRegex | string {
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
    test: (s) => re.test(s),
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
