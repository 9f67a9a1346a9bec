/**
 * The evaluator's implementations of src/ir/functions.ts (SPL eval semantics: null in, null
 * out; 1-based substr; `match` and `like` case-sensitive). A literal regex compiles once on
 * re2js; a computed one compiles per distinct value (cached), on re2js too.
 */
import type { FunctionName } from '../ir/index.js';
import { asString, isMissing, Row } from './row.js';
import { toNumber } from './normalize/values.js';
import { strftime, strptime } from './strftime.js';
import { compileRegex, type LinearRegex } from './regex.js';
import { compileCidr } from './cidr.js';
import { compileGlob } from './glob-match.js';
import { escapeGlob } from '../ir/index.js';

/** Compiled argument: a thunk per row, plus the literal value when the argument is a literal. */
export interface Arg { get: (row: Row) => unknown; lit?: unknown; isLit: boolean }
/** A function implementation, given its compiled arguments; a string is an error message. */
type Impl = (args: Arg[]) => ((row: Row) => unknown) | string;

const str = (v: unknown) => (isMissing(v) ? null : Array.isArray(v) ? asString(v[0]) ?? null : asString(v) ?? null);
const list = (v: unknown): unknown[] => (isMissing(v) ? [] : Array.isArray(v) ? v : [v]);

/** A small cache of patterns built at run time (a regex or `like` pattern computed per row). */
function cached<T>(build: (p: string) => T): (p: string) => T {
  const m = new Map<string, T>();
  return (p) => {
    let v = m.get(p);
    if (v === undefined) {
      if (m.size >= 256) m.clear();
      v = build(p);
      m.set(p, v);
    }
    return v;
  };
}

/** A literal regex compiled once, or a computed one compiled per distinct value (re2js either way). */
function regexArg(a: Arg | undefined): ((row: Row) => LinearRegex | undefined) | string {
  if (a?.isLit) {
    if (typeof a.lit !== 'string') return 'the regex argument is not a string';
    const re = compileRegex(a.lit, { caseSensitive: true });
    if (typeof re === 'string') return `RB503:${re}`;
    return () => re;
  }
  const get = cached((p: string) => { const re = compileRegex(p, { caseSensitive: true }); return typeof re === 'string' ? undefined : re; });
  return (row) => { const p = str(a!.get(row)); return p === null ? undefined : get(p); };
}

/** `like` pattern (`%` any run, `_` one character) as a glob. */
function likeToGlob(p: string): string {
  let out = '';
  for (const c of p) out += c === '%' ? '*' : c === '_' ? '?' : escapeGlob(c);
  return out;
}

function trimmer(mode: 'both' | 'l' | 'r'): Impl {
  return ([a, chars]) => (row) => {
    const s = str(a!.get(row));
    if (s === null) return null;
    const set = chars ? str(chars.get(row)) ?? '' : ' \t\n\r';
    let i = 0, j = s.length;
    if (mode !== 'r') while (i < j && set.includes(s[i]!)) i++;
    if (mode !== 'l') while (j > i && set.includes(s[j - 1]!)) j--;
    return s.slice(i, j);
  };
}

/** Relative time modifiers (`-24h`, `-7d@d`, `@h`, `now`) applied to an epoch (seconds, UTC). */
export function relativeTime(base: number, spec: string): number | null {
  if (spec === 'now' || spec === '') return base;
  const m = /^([+-]\d*)?(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks|mon|month|months|y|year|years)?(?:@(s|m|h|d|w|mon|y))?$/.exec(spec);
  if (!m) return null;
  const d = new Date(base * 1000);
  const n = m[1] ? Number(m[1].length === 1 ? m[1] + '1' : m[1]) : 0;
  const unit = (m[2] ?? 's')[0] === 'm' && (m[2] ?? '').startsWith('mon') ? 'mon' : (m[2] ?? 's')[0]!;
  const secs: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  if (unit === 'mon') d.setUTCMonth(d.getUTCMonth() + n);
  else if (unit === 'y') d.setUTCFullYear(d.getUTCFullYear() + n);
  else d.setTime(d.getTime() + n * secs[unit]! * 1000);
  const snap = m[3];
  if (snap) {
    if (snap === 's') d.setUTCMilliseconds(0);
    else if (snap === 'm') d.setUTCSeconds(0, 0);
    else if (snap === 'h') d.setUTCMinutes(0, 0, 0);
    else if (snap === 'd') d.setUTCHours(0, 0, 0, 0);
    else if (snap === 'w') { d.setUTCHours(0, 0, 0, 0); d.setUTCDate(d.getUTCDate() - d.getUTCDay()); }
    else if (snap === 'mon') { d.setUTCHours(0, 0, 0, 0); d.setUTCDate(1); }
    else if (snap === 'y') { d.setUTCHours(0, 0, 0, 0); d.setUTCMonth(0, 1); }
  }
  return d.getTime() / 1000;
}

/**
 * A spath location path as steps: a key (empty for the top level) and how many `{}` follow it
 * (each one descends into every element of an array). Integer indexes and XML attributes
 * (`{1}`, `{@a}`) are not read: undefined.
 */
export function spathSteps(path: string): { key: string; arrays: number }[] | undefined {
  const out: { key: string; arrays: number }[] = [];
  for (const part of path.split('.')) {
    const m = /^([^{}]*)((?:\{\})*)$/.exec(part);
    if (!m) return undefined;
    out.push({ key: m[1]!, arrays: m[2]!.length / 2 });
  }
  return out;
}

/**
 * spath over JSON (Search Reference, spath): the value(s) at the path, one value or a list;
 * an object or array found is returned as its JSON text (compact, not as written). Input that
 * is not JSON gives null: XML input, which Splunk's spath also reads, is not evaluated yet.
 */
function spathJson(input: unknown, steps: { key: string; arrays: number }[]): unknown {
  let doc: unknown = input;
  if (typeof input === 'string') {
    try { doc = JSON.parse(input); } catch { return null; }
  } else if (isMissing(input) || typeof input !== 'object') return null;
  let cur: unknown[] = [doc];
  for (const [i, st] of steps.entries()) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (st.key === '' && i === 0) next.push(v);
      else if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, st.key)) next.push((v as Record<string, unknown>)[st.key]);
    }
    cur = next;
    for (let k = 0; k < st.arrays; k++) cur = cur.flatMap((v) => (Array.isArray(v) ? v : []));
  }
  const vals = cur.filter((v) => v !== null && v !== undefined).map((v) => (typeof v === 'object' ? JSON.stringify(v) : v));
  return vals.length === 0 ? null : vals.length === 1 ? vals[0] : vals;
}

/** `a` evaluated once per value of the field `name`, bound under its name; other fields read through. */
function perValue(name: string, row: Row, a: Arg): unknown[] {
  return list(row.get(name)).map((v) => a.get(new Row(Object.assign(Object.create(row.fields) as Record<string, unknown>, { [name]: v }))));
}

/** Every value of every argument, a list flattened; missing ones left out. */
function allValues(args: Arg[], row: Row): unknown[] {
  return args.flatMap((a) => list(a.get(row)));
}

/** min/max of eval: numbers (numeric strings too) sort before strings, strings by code unit. */
function extreme(pick: 'min' | 'max'): Impl {
  return (args) => (row) => {
    const nums: number[] = [];
    const strs: string[] = [];
    for (const v of allValues(args, row)) {
      const n = typeof v === 'boolean' ? undefined : toNumber(v);
      if (n !== undefined) nums.push(n);
      else { const s = asString(v); if (s !== undefined) strs.push(s); }
    }
    const sorted = strs.sort();
    if (pick === 'min') return nums.length ? Math.min(...nums) : sorted[0] ?? null;
    return strs.length ? sorted[sorted.length - 1]! : nums.length ? Math.max(...nums) : null;
  };
}

export const IMPLS: Record<FunctionName, Impl> = {
  strftime: ([t, f]) => (row) => { const fmt = str(f!.get(row)); return fmt === null ? null : strftime(t!.get(row), fmt); },
  strptime: ([t, f]) => (row) => { const fmt = str(f!.get(row)); return fmt === null ? null : strptime(str(t!.get(row)), fmt); },
  lower: ([a]) => (row) => str(a!.get(row))?.toLowerCase() ?? null,
  upper: ([a]) => (row) => str(a!.get(row))?.toUpperCase() ?? null,
  len: ([a]) => (row) => { const s = str(a!.get(row)); return s === null ? null : [...s].length; },
  substr: ([a, s, l]) => (row) => {
    const v = str(a!.get(row));
    const start = toNumber(s!.get(row));
    if (v === null || start === undefined) return null;
    const cps = [...v];
    const from = start > 0 ? start - 1 : Math.max(0, cps.length + start);
    const len = l ? toNumber(l.get(row)) : undefined;
    return cps.slice(from, len === undefined ? undefined : from + len).join('');
  },
  replace: ([a, re, r]) => {
    const rx = regexArg(re);
    if (typeof rx === 'string') return rx;
    return (row) => { const s = str(a!.get(row)); const rep = str(r!.get(row)); const x = rx(row); return s === null || rep === null || !x ? null : x.replaceAll(s, rep); };
  },
  trim: trimmer('both'),
  ltrim: trimmer('l'),
  rtrim: trimmer('r'),
  coalesce: (args) => (row) => { for (const a of args) { const v = a.get(row); if (!isMissing(v)) return v; } return null; },
  if: ([c, a, b]) => (row) => (c!.get(row) === true ? a!.get(row) : b!.get(row)),
  case: (args) => (row) => { for (let i = 0; i + 1 < args.length; i += 2) if (args[i]!.get(row) === true) return args[i + 1]!.get(row); return null; },
  isnull: ([a]) => (row) => isMissing(a!.get(row)),
  isnotnull: ([a]) => (row) => !isMissing(a!.get(row)),
  match: ([a, re]) => {
    const rx = regexArg(re);
    if (typeof rx === 'string') return rx;
    return (row) => { const x = rx(row); return !!x && list(a!.get(row)).some((v) => { const s = asString(v); return s !== undefined && x.test(s); }); };
  },
  like: ([a, p]) => {
    const glob = cached((pat: string) => compileGlob(likeToGlob(pat)));
    const fixed = p!.isLit && typeof p!.lit === 'string' ? glob(p!.lit) : undefined;
    return (row) => {
      const pat = fixed ? undefined : str(p!.get(row));
      const g = fixed ?? (pat === null || pat === undefined ? undefined : glob(pat));
      return !!g && list(a!.get(row)).some((v) => { const s = asString(v); return s !== undefined && g(s); });
    };
  },
  cidrmatch: ([n, ip]) => {
    if (!n?.isLit || typeof n.lit !== 'string') return 'cidrmatch() needs a literal network';
    const m = compileCidr(n.lit);
    if (typeof m === 'string') return m;
    return (row) => list(ip!.get(row)).some((x) => { const s = asString(x); return s !== undefined && m(s); });
  },
  split: ([a, d]) => (row) => { const s = str(a!.get(row)); const sep = str(d!.get(row)); return s === null || sep === null ? null : s.split(sep); },
  mvcount: ([a]) => (row) => { const v = a!.get(row); return isMissing(v) ? null : list(v).length; },
  mvindex: ([a, s, e]) => (row) => {
    const l = list(a!.get(row));
    let i = toNumber(s!.get(row));
    if (i === undefined || !l.length) return null;
    if (i < 0) i += l.length;
    if (!e) return l[i] ?? null;
    let j = toNumber(e.get(row));
    if (j === undefined) return null;
    if (j < 0) j += l.length;
    const out = l.slice(i, j + 1);
    return out.length ? out : null;
  },
  mvjoin: ([a, d]) => (row) => { const v = a!.get(row); const sep = str(d!.get(row)) ?? ''; return isMissing(v) ? null : list(v).map((x) => asString(x) ?? '').join(sep); },
  tonumber: ([a, b]) => (row) => {
    const s = str(a!.get(row));
    if (s === null) return null;
    const base = b ? toNumber(b.get(row)) : 10;
    if (base === 10 || base === undefined) return toNumber(s) ?? null;
    const n = parseInt(s, base);
    return Number.isNaN(n) ? null : n;
  },
  tostring: ([a, f]) => (row) => {
    const v = a!.get(row);
    if (isMissing(v)) return null;
    const fmt = f ? str(f.get(row)) : null;
    const n = toNumber(v);
    if (fmt === 'hex' && n !== undefined) return '0x' + n.toString(16);
    if (fmt === 'commas' && n !== undefined) return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
    return asString(Array.isArray(v) ? v[0] : v) ?? null;
  },
  round: ([a, d]) => (row) => { const n = toNumber(a!.get(row)); if (n === undefined) return null; const p = d ? toNumber(d.get(row)) ?? 0 : 0; const f = 10 ** p; return Math.round(n * f) / f; },
  abs: ([a]) => (row) => { const n = toNumber(a!.get(row)); return n === undefined ? null : Math.abs(n); },
  now: () => () => Math.floor(Date.now() / 1000),
  relative_time: ([t, s]) => (row) => { const base = toNumber(t!.get(row)); const spec = str(s!.get(row)); return base === undefined || spec === null ? null : relativeTime(base, spec); },
  urldecode: ([a]) => (row) => { const s = str(a!.get(row)); if (s === null) return null; try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s; } },
  spath: ([a, p]) => {
    if (p!.isLit) {
      const steps = typeof p!.lit === 'string' ? spathSteps(p!.lit) : undefined;
      if (!steps) return `spath() path ${JSON.stringify(p!.lit)}: only keys and {} steps are evaluated`;
      return (row) => spathJson(a!.get(row), steps);
    }
    const get = cached(spathSteps);
    return (row) => { const path = str(p!.get(row)); const steps = path === null ? undefined : get(path); return steps ? spathJson(a!.get(row), steps) : null; };
  },
  mvfind: ([a, re]) => {
    const rx = regexArg(re);
    if (typeof rx === 'string') return rx;
    return (row) => {
      const x = rx(row);
      if (!x) return null;
      const i = list(a!.get(row)).findIndex((v) => { const s = asString(v); return s !== undefined && x.test(s); });
      return i < 0 ? null : i;
    };
  },
  mvappend: (args) => (row) => { const v = allValues(args, row); return v.length === 0 ? null : v.length === 1 ? v[0] : v; },
  mvfilter: ([n, cond]) => {
    if (!n!.isLit || typeof n!.lit !== 'string') return 'mvfilter() needs the name of its field as a literal';
    const name = n!.lit;
    return (row) => {
      const vals = list(row.get(name));
      const keep = perValue(name, row, cond!);
      const kept = vals.filter((_, i) => keep[i] === true);
      return kept.length === 0 ? null : kept.length === 1 ? kept[0] : kept;
    };
  },
  mvmap: ([n, expr]) => {
    if (!n!.isLit || typeof n!.lit !== 'string') return 'mvmap() needs the name of its field as a literal';
    const name = n!.lit;
    return (row) => {
      // A multivalue field holds no nulls: null results are left out (the mvmap(x, if(…, x, null())) idiom).
      const out = perValue(name, row, expr!).flatMap((v) => (isMissing(v) ? [] : Array.isArray(v) ? v : [v]));
      return out.length === 0 ? null : out.length === 1 ? out[0] : out;
    };
  },
  mvdedup: ([a]) => (row) => {
    const v = a!.get(row);
    if (isMissing(v) || !Array.isArray(v)) return isMissing(v) ? null : v;
    const seen = new Set<string>();
    return v.filter((x) => { const k = asString(x) ?? JSON.stringify(x); if (seen.has(k)) return false; seen.add(k); return true; });
  },
  min: extreme('min'),
  max: extreme('max'),
};
