/**
 * Value canonicalization shared by the normalizers and the compiler, so that the same event
 * compares the same whichever tool rendered it (see reference/fields-and-pitfalls.md, last
 * list): GUIDs lose their braces, hex numbers lose their zero padding (`0x000001fc` → `0x1fc`,
 * digit case kept), timestamps get exactly 6 fractional digits in UTC.
 */

const BRACED_GUID = /^\{([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\}$/;
const PADDED_HEX = /^0[xX]0+([0-9A-Fa-f]+)$/;

/** The canonical form of one string value (braced GUID, zero-padded hex); others unchanged. */
export function canonString(s: string): string {
  const c = s.charCodeAt(0);
  if (c === 123 /* { */ && s.length === 38) {
    const m = BRACED_GUID.exec(s);
    if (m) return m[1]!;
  } else if (c === 48 /* 0 */ && s.length > 3 && (s[1] === 'x' || s[1] === 'X') && s[2] === '0') {
    const m = PADDED_HEX.exec(s);
    if (m) return s.slice(0, 2) + m[1]!;
  }
  return s;
}

/** A number from a decimal or `0x` hex string (or a number); undefined when it is neither. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (!s) return undefined;
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

const TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses the timestamps Windows tools write (`2025-11-28T07:59:01.340553900Z`, 6 or 7 or 3
 * fractional digits, `T` or space, `Z`, an offset, or none = UTC) into an ISO string with
 * microseconds and epoch milliseconds. Sub-microsecond digits are dropped (truncated).
 */
export function parseTime(v: unknown): { iso: string; ms: number } | undefined {
  if (typeof v === 'number') {
    // Epoch seconds (SPL _time) or milliseconds: a value past year 5138 in seconds is ms.
    const ms = Math.abs(v) > 1e11 ? v : v * 1000;
    // Beyond ±8.64e15 ms a Date is invalid (ECMA-262 §21.4.1.1) and toISOString would throw.
    if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return undefined;
    const d = new Date(Math.floor(ms));
    const micros = Math.round((ms - Math.floor(ms)) * 1000);
    return { iso: d.toISOString().slice(0, 23) + String(micros).padStart(3, '0') + 'Z', ms };
  }
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  const m = TIME.exec(t);
  if (!m) return undefined;
  const frac = (m[7] ?? '').padEnd(6, '0').slice(0, 6);
  // The whole-second part, computed once per distinct second and zone (events come in runs).
  const key = t.slice(0, 19) + (m[8] ?? '');
  let sec = SECONDS.get(key);
  if (sec === undefined) {
    sec = wholeSecond(m);
    if (SECONDS.size >= MAX_SECONDS) SECONDS.clear();
    SECONDS.set(key, sec);
  }
  if (!sec) return undefined;
  return { iso: `${sec.whole}.${frac}Z`, ms: sec.ms + +frac / 1000 };
}

/** Cache of wholeSecond by the text of the date, time and zone (bounded: cleared when full). */
const SECONDS = new Map<string, { whole: string; ms: number } | null>();
const MAX_SECONDS = 4096;

/** Epoch ms of the whole second of a TIME match, and its ISO text; null when it is no date. */
function wholeSecond(m: RegExpExecArray): { whole: string; ms: number } | null {
  let ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  if (Number.isNaN(ms)) return null;
  const tz = m[8];
  if (tz && tz.toUpperCase() !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const hh = +tz.slice(1, 3);
    const mm = +tz.slice(tz.length - 2);
    ms -= sign * (hh * 60 + mm) * 60000;
  }
  return { whole: new Date(ms).toISOString().slice(0, 19), ms };
}
