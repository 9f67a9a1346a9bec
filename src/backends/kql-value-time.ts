/**
 * SPL time functions in KQL (now, relative_time, strptime) with the evaluator's semantics
 * (src/evaluator/functions.ts and strftime.ts are the reference). SPL times are epoch seconds,
 * and so are these functions' values here (KQL real/long), so that arithmetic and comparisons
 * read them as SPL does; a datetime argument (the event time) enters as epoch seconds.
 */
import { escapeRegex, type ValueExpr } from '../ir/index.js';
import { kqlString } from './kql-literal.js';
import { NUMERIC_TYPES } from './kql-mapping.js';
import type { Val } from './kql-value.js';
import { epoch, SPL_NULL } from './kql-value-mv.js';

const EPOCH0 = 'datetime(1970-01-01)';
/** Epoch seconds (real) of a KQL datetime expression. */
const secondsOf = (dt: string) => `((${dt} - ${EPOCH0}) / 1s)`;
/** A KQL datetime of an epoch-seconds expression. */
const dateOf = (s: string) => `unixtime_seconds_todatetime(${s})`;

/** A value as epoch seconds: a datetime converted, a number as it is, a string read as a number. */
function seconds(v: Val): string {
  const e = epoch(v);
  return NUMERIC_TYPES.has(e.type) ? e.text : `todouble(${e.text})`;
}

/** now(): the search's start time in whole seconds; KQL's now() is fixed for the whole query too. */
export function now(): Val {
  return { text: `tolong(${secondsOf('now()')})`, type: 'long' };
}

/** The time modifier the evaluator reads (its relativeTime()): [+-]N unit, then @snap. */
const MODIFIER = /^([+-]\d*)?(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks|mon|month|months|y|year|years)?(?:@(s|m|h|d|w|mon|y))?$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** A unit name as the evaluator classifies it: mon, y, or the seconds of s/m/h/d/w. */
function unitOf(name: string | undefined): string {
  const u = name ?? 's';
  return u.startsWith('mon') ? 'mon' : u[0]!;
}

/**
 * Epoch `t` moved by `n` (a KQL integer expression) units and snapped, as the evaluator's
 * relativeTime(): s…w add a fixed number of seconds; mon and y keep the day of the month and the
 * time and let a day past the month's end run over into the next (JavaScript setUTCMonth), which
 * KQL's datetime_add (it clamps) alone would not: the months are added to the month's first day.
 * Snaps floor to the second, minute, hour, day, Sunday-started week, month or year (UTC).
 */
function shifted(t: string, n: string | undefined, unit: string, snap: string | undefined): string {
  let s = t;
  if (n !== undefined && n !== '0') {
    if (unit === 'mon' || unit === 'y') {
      const d = dateOf(t);
      s = secondsOf(`datetime_add(${kqlString(unit === 'y' ? 'year' : 'month')}, ${n}, startofmonth(${d})) + (${d} - startofmonth(${d}))`);
    } else s = `(${t} + ${n} * ${UNIT_SECONDS[unit]})`;
  }
  if (!snap) return s;
  if (snap in UNIT_SECONDS && snap !== 'w') return `bin(${s}, ${UNIT_SECONDS[snap]})`;
  const fn = snap === 'w' ? 'startofweek' : snap === 'mon' ? 'startofmonth' : 'startofyear';
  return secondsOf(`${fn}(${dateOf(s)})`);
}

/** The literal pieces and the one computed piece of a spec built by concatenation, e.g. "+" . ttl . "d". */
export interface SpecParts { prefix: string; computed?: Val; suffix: string }

/** A literal SPL `+` concatenates with (not a number, so `+` cannot add). */
const isText = (e: ValueExpr) => e.kind === 'lit' && typeof e.value === 'string' && !/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(e.value);

/**
 * A spec expression as literal text around at most one computed piece: `.` concatenates, and
 * so does SPL's `+` beside a literal that is not a number. Undefined after `render` failed, a
 * message when the spec has more than one computed piece.
 */
export function specParts(e: ValueExpr, render: (e: ValueExpr) => Val | undefined): SpecParts | undefined | string {
  const pieces: (string | ValueExpr)[] = [];
  const walk = (x: ValueExpr): void => {
    if (x.kind === 'lit' && (typeof x.value === 'string' || typeof x.value === 'number')) pieces.push(String(x.value));
    else if (x.kind === 'binary' && (x.op === '.' || (x.op === '+' && (isText(x.left) || isText(x.right))))) {
      walk(x.left);
      walk(x.right);
    } else pieces.push(x);
  };
  walk(e);
  const computed = pieces.filter((p) => typeof p !== 'string');
  if (computed.length > 1) return 'relative_time() with a modifier computed from more than one value';
  const i = computed.length ? pieces.indexOf(computed[0]!) : pieces.length;
  const text = (ps: (string | ValueExpr)[]) => ps.join('');
  if (!computed.length) return { prefix: text(pieces), suffix: '' };
  const v = render(computed[0] as ValueExpr);
  return v && { prefix: text(pieces.slice(0, i)), computed: v, suffix: text(pieces.slice(i + 1)) };
}

/**
 * relative_time(t, spec): `spec` a literal modifier, or a sign, a computed count and a literal
 * unit (optionally snapped): the count must then be digits only, else SPL's modifier does not
 * parse and the value is null. Returns a message for the specs it cannot write.
 */
export function relativeTime(t: Val, spec: SpecParts): Val | string {
  const base = seconds(t);
  if (!spec.computed) {
    if (spec.prefix === 'now') return { text: base, type: 'real' };
    const m = MODIFIER.exec(spec.prefix);
    if (!m) return `relative_time() modifier '${spec.prefix}' is not one the evaluator reads (it gives null)`;
    const n = m[1] ? String(Number(m[1].length === 1 ? m[1] + '1' : m[1])) : undefined;
    return { text: shifted(base, n, unitOf(m[2]), m[3]), type: 'real' };
  }
  // The count's digits must end at the suffix: a suffix starting with a digit would extend them.
  const m = /^\d/.test(spec.suffix) ? null : MODIFIER.exec('+1' + spec.suffix);
  if ((spec.prefix !== '+' && spec.prefix !== '-') || !m) return 'relative_time() with a computed modifier other than a sign, a count and a literal unit';
  const c = spec.computed.type === 'string' ? spec.computed.text : `tostring(${spec.computed.text})`;
  const n = `${spec.prefix === '-' ? '-' : ''}tolong(${c})`;
  return { text: `iff(${c} matches regex '^[0-9]+$', ${shifted(base, n, unitOf(m[2]), m[3])}, real(null))`, type: 'real' };
}

/** Capture groups of the specifiers the evaluator's strptime() reads. */
const GROUP: Record<string, string> = { Y: '(\\d{4})', m: '(\\d{1,2})', d: '(\\d{1,2})', H: '(\\d{1,2})', M: '(\\d{1,2})', S: '(\\d{1,2})', y: '(\\d{2})' };

/**
 * strptime(s, fmt): the evaluator's parse (a regex anchored at the start only, the numeric
 * specifiers %Y %m %d %H %M %S %y and %%, later repeats winning) as KQL extract() calls, and its
 * Date.UTC arithmetic: months past 12 or 0 and days past the month's end run over (datetime_add
 * of months to January 1), years 0-99 are 1900-1999, %y is 20yy. Epoch seconds, or a message
 * naming the first specifier it cannot read (the evaluator gives null for every value then).
 */
export function strptime(s: Val, fmt: string): Val | string {
  const order: string[] = [];
  let re = '^';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c === '%' && i + 1 < fmt.length) {
      const k = fmt[++i]!;
      if (GROUP[k]) {
        re += GROUP[k];
        order.push(k);
      } else if (k === '%') re += '%';
      else return `strptime() specifier %${k} is not one the evaluator reads`;
    } else re += escapeRegex(c);
  }
  if (s.text === SPL_NULL) return { text: 'real(null)', type: 'real' }; // an absent field
  const text = s.type === 'dynamic' ? `tostring(${s.text}[0])` : s.type === 'string' ? s.text : `tostring(${epoch(s).text})`;
  const lit = kqlString(re);
  const group = (k: string): string | undefined => {
    const i = order.lastIndexOf(k);
    return i < 0 ? undefined : `toint(extract(${lit}, ${i + 1}, ${text}))`;
  };
  const y4 = group('Y');
  const y2 = order.lastIndexOf('y') > order.lastIndexOf('Y') ? group('y') : undefined;
  const year = y2 ? `(2000 + ${y2})` : y4 ? `(${y4} + iff(${y4} <= 99, 1900, 0))` : '1970';
  const month = group('m');
  const start = month ? `datetime_add('month', ${month} - 1, make_datetime(${year}, 1, 1))` : `make_datetime(${year}, 1, 1)`;
  const parts = [secondsOf(start)];
  const add = (k: string, scale: number, minus = 0) => {
    const g = group(k);
    if (g) parts.push(`(${g}${minus ? ` - ${minus}` : ''}) * ${scale}`);
  };
  add('d', 86400, 1);
  add('H', 3600);
  add('M', 60);
  add('S', 1);
  const value = parts.length === 1 ? parts[0]! : `(${parts.join(' + ')})`;
  return { text: `iff(${text} matches regex ${lit}, ${value}, real(null))`, type: 'real' };
}
