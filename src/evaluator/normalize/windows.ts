/**
 * Flat Windows records (the shape of event.jsonl: System values under EVTX names, EventData at
 * top level) → canonical events. The XML reader and the nested EVTX-JSON converter produce the
 * same flat shape, so one function decides every canonical value.
 */
import { EVENT_DATA_PREFIX } from '../../ir/index.js';
import { canonChannel, categoriesOf, category, securityMap, windowsIndex } from './categories.js';
import { NUMERIC_FIELDS, TIME_MS, newEvent, type CanonicalEvent, type FieldValue } from './canonical.js';
import { canonString, parseTime, toNumber } from './values.js';
import { addDerived } from './derived.js';

/** A flat Windows record as read from a file. */
export type FlatRecord = Record<string, unknown>;

/** System values that ECS names under `winlog.` (besides the `common` ones of windows.json). */
const SYSTEM: Record<string, string> = {
  Provider_Guid: 'winlog.provider_guid', Version: 'winlog.version', Level: 'winlog.level', Task: 'winlog.task',
  Opcode: 'winlog.opcode', Keywords: 'winlog.keywords', ProcessID: 'winlog.process.pid',
  ThreadID: 'winlog.process.thread.id', UserID: 'winlog.user.identifier', ActivityID: 'winlog.activity_id',
  RelatedActivityID: 'winlog.related_activity_id', EventSourceName: 'winlog.event_source_name',
};

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

/** Sets a canonical field, applying the numeric rule of its name. */
export function setField(ev: CanonicalEvent, name: string, v: FieldValue | undefined): void {
  if (v === undefined) return;
  if (NUMERIC_FIELDS.has(name)) {
    const n = Array.isArray(v) ? undefined : toNumber(v);
    ev[name] = n ?? v;
  } else ev[name] = v;
}

/** Sets `@timestamp` (ISO, microseconds) and its epoch milliseconds; unparsable times stay as written. */
export function setTime(ev: CanonicalEvent, v: unknown): void {
  const t = parseTime(v);
  if (t) {
    ev['@timestamp'] = t.iso;
    ev[TIME_MS] = t.ms;
  } else if (typeof v === 'string' && v) ev['@timestamp'] = v;
}

/** Normalizes a flat Windows record. */
export function flatToCanonical(rec: FlatRecord): CanonicalEvent {
  const ev = newEvent();
  const { mapping } = windowsIndex();
  const code = toNumber(rec.EventID);
  const ch = typeof rec.Channel === 'string' && rec.Channel ? canonChannel(rec.Channel) : undefined;
  const sec = securityMap(ch, code);
  const catName = sec?.category ?? categoriesOf(ch, code)[0];
  const cat = catName ? category(catName) : undefined;
  const renames = sec ? sec.fields : cat?.fields ?? {};
  for (const k in rec) {
    const raw = rec[k];
    if (raw === undefined || raw === null) continue;
    const common = mapping.common[k];
    if (common) {
      if (k === 'SystemTime') setTime(ev, raw);
      else if (k === 'Channel') { if (ch !== undefined) ev[common] = ch; }
      else setField(ev, common, canonValue(raw));
      continue;
    }
    const v = canonValue(raw);
    if (v === undefined) continue;
    setField(ev, EVENT_DATA_PREFIX + k, v);
    // Defender and some other providers name fields with spaces ("Threat Name"); Sigma rules
    // write them without (ThreatName), so both names are kept.
    if (k.includes(' ')) { const bare = EVENT_DATA_PREFIX + k.replace(/ /g, ''); if (!(bare in rec)) setField(ev, bare, v); }
    const sys = SYSTEM[k];
    if (sys) setField(ev, sys, v);
    const mapped = renames[k];
    if (mapped) setField(ev, mapped, v);
  }
  if (sec?.user) {
    const name = rec[sec.user.name];
    const dom = rec[sec.user.domain];
    if (typeof name === 'string' && name) ev[sec.user.to] = typeof dom === 'string' && dom ? `${dom}\\${name}` : name;
  }
  for (const [from, t] of Object.entries(sec?.values ?? {})) {
    const v = rec[from];
    const word = typeof v === 'string' ? t.map[v.trim().toUpperCase()] : undefined;
    if (word !== undefined && ev[t.to] === undefined) ev[t.to] = word;
  }
  addDerived(ev, cat?.derived);
  return ev;
}
