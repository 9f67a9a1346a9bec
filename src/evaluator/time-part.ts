/** Parts of a timestamp (Sigma `|minute` … `|year`), in UTC. */
import type { TimePart } from '../ir/index.js';
import { parseTime } from './normalize/values.js';

/** ISO 8601 week number (weeks start on Monday; week 1 holds the year's first Thursday). */
function isoWeek(d: Date): number {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const y0 = Date.UTC(t.getUTCFullYear(), 0, 1);
  return Math.ceil(((t.getTime() - y0) / 86400000 + 1) / 7);
}

/** The part of a time value, or undefined when the value is not a time. */
export function timePart(v: unknown, part: TimePart): number | undefined {
  const t = parseTime(v);
  if (!t) return undefined;
  const d = new Date(t.ms);
  switch (part) {
    case 'minute': return d.getUTCMinutes();
    case 'hour': return d.getUTCHours();
    case 'day': return d.getUTCDate();
    case 'week': return isoWeek(d);
    case 'month': return d.getUTCMonth() + 1;
    case 'year': return d.getUTCFullYear();
  }
}
