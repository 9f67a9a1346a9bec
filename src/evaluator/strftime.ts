/** strftime for SPL `strftime`/`ctime` (UTC; the evaluator has no user time zone). */
import { parseTime } from './normalize/values.js';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const p2 = (n: number) => String(n).padStart(2, '0');

/**
 * Formats an epoch (seconds, as SPL `_time`) or an ISO time. Supported: %Y %y %m %d %e %H %I
 * %M %S %p %j %a %A %b %B %h %Z %z %s %T %F %D %%, and %3N/%6N/%f (fractions). Others stay as
 * written. A value that is not a time gives null.
 */
export function strftime(v: unknown, fmt: string): string | null {
  const t = parseTime(typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : v);
  if (!t) return null;
  const d = new Date(Math.floor(t.ms));
  const micros = t.iso.slice(20, 26);
  return fmt.replace(/%([0-9]?)([a-zA-Z%])/g, (all, w: string, c: string) => {
    switch (c) {
      case 'Y': return String(d.getUTCFullYear());
      case 'y': return p2(d.getUTCFullYear() % 100);
      case 'm': return p2(d.getUTCMonth() + 1);
      case 'd': return p2(d.getUTCDate());
      case 'e': return String(d.getUTCDate()).padStart(2, ' ');
      case 'H': return p2(d.getUTCHours());
      case 'I': return p2(d.getUTCHours() % 12 || 12);
      case 'M': return p2(d.getUTCMinutes());
      case 'S': return p2(d.getUTCSeconds());
      case 'p': return d.getUTCHours() < 12 ? 'AM' : 'PM';
      case 'j': return String(Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1).padStart(3, '0');
      case 'a': return DAYS[d.getUTCDay()]!.slice(0, 3);
      case 'A': return DAYS[d.getUTCDay()]!;
      case 'b': case 'h': return MONTHS[d.getUTCMonth()]!.slice(0, 3);
      case 'B': return MONTHS[d.getUTCMonth()]!;
      case 'Z': return 'UTC';
      case 'z': return '+0000';
      case 's': return String(Math.floor(t.ms / 1000));
      case 'T': return `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
      case 'F': return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
      case 'D': return `${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())}/${p2(d.getUTCFullYear() % 100)}`;
      case 'N': return micros.slice(0, Math.min(6, Number(w || 3))).padEnd(Number(w || 3), '0');
      case 'f': return micros;
      case 'Q': return micros.slice(0, 3);
      case '%': return '%' + (w ?? '');
      default: return all;
    }
  });
}

/** Parses a time with a strftime pattern (the common numeric specifiers); epoch seconds or null. */
export function strptime(v: unknown, fmt: string): number | null {
  if (typeof v !== 'string') return null;
  const order: string[] = [];
  let src = '^';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c === '%' && i + 1 < fmt.length) {
      const k = fmt[++i]!;
      const width: Record<string, string> = { Y: '(\\d{4})', m: '(\\d{1,2})', d: '(\\d{1,2})', H: '(\\d{1,2})', M: '(\\d{1,2})', S: '(\\d{1,2})', y: '(\\d{2})' };
      if (width[k]) { src += width[k]; order.push(k); }
      else if (k === '%') src += '%';
      else return null;
    } else src += c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  }
  const m = new RegExp(src).exec(v);
  if (!m) return null;
  const got: Record<string, number> = { Y: 1970, m: 1, d: 1, H: 0, M: 0, S: 0 };
  order.forEach((k, i) => { got[k === 'y' ? 'Y' : k] = k === 'y' ? 2000 + Number(m[i + 1]) : Number(m[i + 1]); });
  return Date.UTC(got.Y!, got.m! - 1, got.d!, got.H!, got.M!, got.S!) / 1000;
}
