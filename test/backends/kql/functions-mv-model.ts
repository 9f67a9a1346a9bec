/**
 * A small model of the KQL scalar expressions the multivalue, trim and time functions render,
 * so a rendered expression can be replayed over a row here, where KQL cannot run. It follows the
 * Kusto documentation for the subset it reads: a string is never null (tostring(null) and a
 * failed extract() are ''), toint/tolong/todouble of '' are null, null propagates through
 * arithmetic and comparisons, iff() takes the else branch on null, datetimes are UTC with
 * 100 ns ticks (milliseconds here), regexes are RE2 (re2js). Anything outside the subset throws.
 */
import { RE2JS } from 're2js';

/** A KQL value: null, bool, number, string, datetime, timespan or dynamic array. */
export type KVal = null | boolean | number | string | { dt: number } | { ts: number } | KVal[];

type Tok = { t: 'num' | 'str' | 'id' | 'op' | 'ts'; v: string };

/** KQL tokens: whitespace, a '…' string, a timespan (1d), a number, a name, an operator. */
const TOKEN = /\s+|'((?:[^'\\]|\\.)*)'|(\d+[dhms])\b|(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|<=|>=|[-+*/%<>(),[\]])/y;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t' };

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(src);
    if (!m) throw new Error(`cannot read ${src.slice(at, at + 20)}`);
    const [, str, ts, num, id, op] = m;
    if (str !== undefined) out.push({ t: 'str', v: str.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => (e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : ESCAPES[e] ?? e)) });
    else if (ts) out.push({ t: 'ts', v: ts });
    else if (num) out.push({ t: 'num', v: num });
    else if (id) out.push({ t: 'id', v: id });
    else if (op) out.push({ t: 'op', v: op });
  }
  return out;
}

type Node = (row: Record<string, KVal>) => KVal;
const isNull = (v: KVal) => v === null;
const num = (v: KVal): number | null => (typeof v === 'number' ? v : null);
const dt = (v: KVal): number | null => (v !== null && typeof v === 'object' && 'dt' in v ? v.dt : null);
const tsOf = (v: KVal): number | null => (v !== null && typeof v === 'object' && 'ts' in v ? v.ts : null);
const text = (v: KVal): string => (v === null ? '' : typeof v === 'string' ? v : Array.isArray(v) ? JSON.stringify(v) : typeof v === 'object' ? JSON.stringify(v) : String(v));
const toNum = (v: KVal): number | null => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*[+-]?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return null;
};
const regex = (re: string) => RE2JS.compile(re);
const startOfMonth = (ms: number) => { const d = new Date(ms); return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1); };

/** datetime_add: months and years added to the date, the day clamped to the month's end (.NET AddMonths). */
function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear(), m = d.getUTCMonth() + months;
  const target = new Date(Date.UTC(y, m, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(d.getUTCDate(), last)) + (ms % 86400000 + 86400000) % 86400000;
}

const FNS: Record<string, (a: KVal[]) => KVal> = {
  isnull: ([a]) => isNull(a!),
  isnotnull: ([a]) => !isNull(a!),
  isempty: ([a]) => a === null || a === '',
  isnotempty: ([a]) => !(a === null || a === ''),
  array_length: ([a]) => (Array.isArray(a) ? a.length : null),
  array_concat: (as) => (as.every(Array.isArray) ? (as as KVal[][]).flat(1) as KVal[] : null),
  pack_array: (as) => as,
  strcat_array: ([a, d]) => (Array.isArray(a) ? a.map(text).join(text(d!)) : ''),
  set_union: (as) => { if (!as.every(Array.isArray)) return null; const seen = new Set<string>(); return (as as KVal[][]).flat(1).filter((x) => { const k = JSON.stringify(x); if (seen.has(k)) return false; seen.add(k); return true; }) as KVal[]; },
  tostring: ([a]) => text(a!),
  toint: ([a]) => { const n = toNum(a!); return n === null ? null : Math.trunc(n); },
  tolong: ([a]) => { const n = toNum(a!); return n === null ? null : Math.trunc(n); },
  todouble: ([a]) => toNum(a!),
  extract: ([re, g, s]) => { const m = regex(text(re!)).matcher(text(s!)); return m.find() ? m.group(num(g!)!) ?? '' : ''; },
  trim: ([re, s]) => text(s!).replace(new RegExp(`^(?:${text(re!)})|(?:${text(re!)})$`, 'g'), ''),
  trim_start: ([re, s]) => text(s!).replace(new RegExp(`^(?:${text(re!)})`), ''),
  trim_end: ([re, s]) => text(s!).replace(new RegExp(`(?:${text(re!)})$`), ''),
  bin: ([v, b]) => { const n = num(v!), s = num(b!); return n === null || s === null ? null : Math.floor(n / s) * s; },
  startofweek: ([d]) => { const ms = dt(d!); if (ms === null) return null; const x = new Date(ms); return { dt: Date.UTC(x.getUTCFullYear(), x.getUTCMonth(), x.getUTCDate() - x.getUTCDay()) }; },
  startofmonth: ([d]) => { const ms = dt(d!); return ms === null ? null : { dt: startOfMonth(ms) }; },
  startofyear: ([d]) => { const ms = dt(d!); return ms === null ? null : { dt: Date.UTC(new Date(ms).getUTCFullYear(), 0, 1) }; },
  datetime_add: ([p, n, d]) => { const ms = dt(d!), k = num(n!); if (ms === null || k === null) return null; return { dt: addMonths(ms, text(p!) === 'year' ? 12 * k : k) }; },
  make_datetime: ([y, m, d]) => {
    const a = num(y!), b = num(m!), c = num(d!);
    if (a === null || b === null || c === null || a < 1 || a > 9999) return null;
    const x = new Date(0);
    x.setUTCFullYear(a, b - 1, c);
    return x.getUTCMonth() === b - 1 && x.getUTCDate() === c ? { dt: x.getTime() } : null;
  },
  unixtime_seconds_todatetime: ([s]) => { const n = num(s!); return n === null ? null : { dt: n * 1000 }; },
  split: ([s, d]) => text(s!).split(text(d!)),
  coalesce: (as) => as.find((x) => x !== null && x !== '') ?? (typeof as[0] === 'string' ? '' : null),
  tolower: ([s]) => text(s!).toLowerCase(),
  toupper: ([s]) => text(s!).toUpperCase(),
  strlen: ([s]) => [...text(s!)].length,
  strcat: (as) => as.map(text).join(''),
};

/** Parses one rendered KQL expression into a function of a row (column name → KQL value). */
export function kqlExpr(src: string, now: number): Node {
  const toks = lex(src);
  let p = 0;
  const peek = () => toks[p];
  const eat = (v?: string) => { const t = toks[p++]; if (!t || (v && t.v !== v)) throw new Error(`expected ${v} at ${t?.v}`); return t; };
  const arith = (op: string, a: KVal, b: KVal): KVal => {
    if (a === null || b === null) return null;
    const [da, db, ta, tb] = [dt(a), dt(b), tsOf(a), tsOf(b)];
    if (op === '-' && da !== null && db !== null) return { ts: da - db };
    if (op === '+' && da !== null && tb !== null) return { dt: da + tb };
    if (op === '/' && ta !== null && tb !== null) return ta / tb;
    if (op === '*' && typeof a === 'number' && tb !== null) return { ts: a * tb };
    if (typeof a !== 'number' || typeof b !== 'number') throw new Error(`${op} of ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
    return op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? a / b : a % b;
  };
  const cmp = (op: string, a: KVal, b: KVal): KVal => {
    if (a === null || b === null) return null;
    const x = dt(a) ?? a, y = dt(b) ?? b;
    return op === '==' ? x === y : op === '!=' ? x !== y : op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
  };
  function primary(): Node {
    const t = eat();
    if (t.t === 'num') { const n = Number(t.v); return () => n; }
    if (t.t === 'str') return () => t.v;
    if (t.t === 'ts') { const n = Number(t.v.slice(0, -1)) * { d: 86400000, h: 3600000, m: 60000, s: 1000 }[t.v.slice(-1) as 'd']!; return () => ({ ts: n }); }
    if (t.v === '(') { const e = expr(); eat(')'); return e; }
    if (t.v === '-') { const e = postfix(primary()); return (r) => { const v = e(r); return v === null ? null : -(v as number); }; }
    if (t.t !== 'id') throw new Error(`unexpected ${t.v}`);
    if (t.v === 'null' || t.v === 'true' || t.v === 'false') { const v = t.v === 'null' ? null : t.v === 'true'; return () => v; }
    if (peek()?.v !== '(') return (r) => { if (!(t.v in r)) throw new Error(`no column ${t.v}`); return r[t.v]!; };
    eat('(');
    if (t.v === 'datetime') { let s = ''; while (peek()!.v !== ')') s += eat().v; eat(')'); const ms = Date.parse(s + 'T00:00:00Z'); return () => ({ dt: ms }); }
    if (t.v === 'dynamic') { let s = ''; while (peek()!.v !== ')') s += eat().v; eat(')'); if (s !== 'null' && s !== '[]') throw new Error(`dynamic(${s})`); const v = s === 'null' ? null : []; return () => (Array.isArray(v) ? [] : v); }
    const args: Node[] = [];
    if (peek()!.v !== ')') for (;;) { args.push(expr()); if (peek()!.v === ',') { eat(','); continue; } break; }
    eat(')');
    if (['real', 'long', 'int', 'bool'].includes(t.v)) return (r) => { const v = args[0]!(r); return v; };
    if (t.v === 'now') return () => ({ dt: now });
    if (t.v === 'iff') return (r) => (args[0]!(r) === true ? args[1]!(r) : args[2]!(r));
    if (t.v === 'case') return (r) => { for (let i = 0; i + 1 < args.length; i += 2) if (args[i]!(r) === true) return args[i + 1]!(r); return args[args.length - 1]!(r); };
    if (t.v === 'not') return (r) => { const v = args[0]!(r); return v === null ? null : !v; };
    const f = FNS[t.v];
    if (!f) throw new Error(`no model of ${t.v}()`);
    return (r) => f(args.map((a) => a(r)));
  }
  function postfix(e: Node): Node {
    while (peek()?.v === '[') { eat('['); const i = expr(); eat(']'); const base = e; e = (r) => { const a = base(r), k = num(i(r)); return Array.isArray(a) && k !== null ? a[k] ?? null : null; }; }
    return e;
  }
  function level(ops: string[], next: () => Node, apply: (op: string, a: KVal, b: KVal) => KVal): () => Node {
    return () => {
      let l = next();
      while (peek() && ops.includes(peek()!.v)) { const op = eat().v; const r = next(); const a = l; l = (row) => apply(op, a(row), r(row)); }
      return l;
    };
  }
  const mul = level(['*', '/', '%'], () => postfix(primary()), arith);
  const add = level(['+', '-'], mul, arith);
  function rel(): Node {
    const l = add();
    const t = peek();
    if (t && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) { eat(); const r = add(); return (row) => cmp(t.v, l(row), r(row)); }
    if (t?.v === 'matches') { eat(); eat('regex'); const r = add(); return (row) => regex(text(r(row))).matcher(text(l(row))).find(); }
    return l;
  }
  function and(): Node { let l = rel(); while (peek()?.v === 'and') { eat(); const r = rel(), a = l; l = (row) => { const x = a(row), y = r(row); return x === false || y === false ? false : x === null || y === null ? null : true; }; } return l; }
  function expr(): Node { let l = and(); while (peek()?.v === 'or') { eat(); const r = and(), a = l; l = (row) => { const x = a(row), y = r(row); return x === true || y === true ? true : x === null || y === null ? null : false; }; } return l; }
  const e = expr();
  if (p !== toks.length) throw new Error(`unread ${toks[p]!.v}`);
  return e;
}
