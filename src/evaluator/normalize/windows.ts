/**
 * Flat Windows records (the shape of event.jsonl: System values under EVTX names, EventData at
 * top level) → canonical events. The XML reader and the nested EVTX-JSON converter produce the
 * same flat shape, so one function decides every canonical value.
 */
import { NUMERIC_FIELDS, TIME_MS, newEvent, type CanonicalEvent, type FieldValue } from './canonical.js';
import { canonString, parseTime, toNumber } from './values.js';
import { addDerived } from './derived.js';
import { keyPlan, typeContext } from './type-plan.js';

/** A flat Windows record as read from a file. */
export type FlatRecord = Record<string, unknown>;

/**
 * A raw value as a canonical field value: strings canonicalized and trimmed at the end (one
 * renderer of the corpus trims trailing whitespace of every value, the XML keeps it), numbers
 * as decimal strings.
 */
export function canonValue(v: unknown): FieldValue | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return canonString(v.trimEnd());
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v === 'boolean') return v;
  if (Array.isArray(v)) {
    const out: FieldValue[] = [];
    for (const x of v) {
      const c = canonValue(x);
      if (c !== undefined) out.push(c);
    }
    return out;
  }
  return JSON.stringify(v);
}

/** A value of a numeric field: its number where it reads as one, else as written (lists too). */
export function numericValue(v: FieldValue): FieldValue {
  return (Array.isArray(v) ? undefined : toNumber(v)) ?? v;
}

/** Sets a canonical field, applying the numeric rule of its name. */
export function setField(ev: CanonicalEvent, name: string, v: FieldValue | undefined): void {
  if (v === undefined) return;
  ev[name] = NUMERIC_FIELDS.has(name) ? numericValue(v) : v;
}

/** Sets `@timestamp` (ISO, microseconds) and its epoch milliseconds; unparsable times stay as written. */
export function setTime(ev: CanonicalEvent, v: unknown): void {
  const t = parseTime(v);
  if (t) {
    ev['@timestamp'] = t.iso;
    ev[TIME_MS] = t.ms;
  } else if (typeof v === 'string' && v) ev['@timestamp'] = v;
}

function put(ev: CanonicalEvent, name: string, numeric: boolean, v: FieldValue): void {
  ev[name] = numeric ? numericValue(v) : v;
}

/** Normalizes a flat Windows record. */
export function flatToCanonical(rec: FlatRecord): CanonicalEvent {
  const ev = newEvent();
  const tc = typeContext(rec.Channel, toNumber(rec.EventID));
  const { ch, sec, values, derived } = tc;
  for (const k in rec) {
    const raw = rec[k];
    if (raw === undefined || raw === null) continue;
    const plan = keyPlan(tc, k);
    if (plan.kind === 1) { setTime(ev, raw); continue; }
    if (plan.kind === 2) { if (ch !== undefined) ev[plan.names[0]!] = ch; continue; }
    const v = canonValue(raw);
    if (v === undefined) continue;
    const { names, numeric } = plan;
    if (plan.kind === 3) { put(ev, names[0]!, numeric[0]!, v); continue; }
    put(ev, names[0]!, numeric[0]!, v);
    // Defender and some other providers name fields with spaces ("Threat Name"); Sigma rules
    // write them without (ThreatName), so both names are kept.
    if (plan.bare !== undefined && !(plan.bare in rec)) put(ev, plan.bare, plan.bareNumeric!, v);
    for (let i = 1; i < names.length; i++) put(ev, names[i]!, numeric[i]!, v);
  }
  if (sec?.user) {
    const name = rec[sec.user.name];
    const dom = rec[sec.user.domain];
    if (typeof name === 'string' && name) ev[sec.user.to] = typeof dom === 'string' && dom ? `${dom}\\${name}` : name;
  }
  for (const [from, t] of values) {
    const v = rec[from];
    const word = typeof v === 'string' ? t.map[v.trim().toUpperCase()] : undefined;
    if (word !== undefined && ev[t.to] === undefined) ev[t.to] = word;
  }
  addDerived(ev, derived);
  return ev;
}
