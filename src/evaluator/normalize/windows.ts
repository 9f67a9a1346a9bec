/**
 * Flat Windows records (the shape of event.jsonl: System values under EVTX names, EventData at
 * top level) → canonical events. The XML reader and the nested EVTX-JSON converter produce the
 * same flat shape, so one function decides every canonical value.
 */
import { EVENT_DATA_PREFIX, type DerivedField, type WindowsCategory } from '../../ir/index.js';
import { canonChannel, categoriesOf, category, securityMap, windowsIndex, type SecurityEventMap } from './categories.js';
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

/**
 * What one raw key becomes for one (channel, event id): the canonical names it is written
 * under, in the order flatToCanonical writes them, with their numeric rule resolved. Computed
 * once per key and event type (the lookups, string concatenations and set tests it saves are
 * most of the cost of normalizing), with the very expressions the uncached path used.
 */
interface KeyPlan {
  /** 1: SystemTime, 2: Channel, 3: another common (System) name, 0: EventData. */
  kind: 0 | 1 | 2 | 3;
  names: string[];
  numeric: boolean[];
  /** A key with spaces: the name without them (kept only when the record lacks it). */
  bare?: string;
  bareNumeric?: boolean;
}

/** Most keys cached per event type, and event types cached: beyond them, plans are not kept (memory stays flat). */
const MAX_KEYS = 128;
const MAX_TYPES = 2048;

/** What an event type (channel as written, event id) decides once: the mapping entries and the key plans. */
interface TypeContext {
  ch: string | undefined;
  sec: SecurityEventMap | undefined;
  cat: WindowsCategory | undefined;
  renames: Record<string, string>;
  plans: Map<string, KeyPlan>;
  /** sec.values and cat.derived as arrays (read for every event of the type). */
  values: [string, { to: string; map: Record<string, string> }][];
  derived: [string, DerivedField][] | undefined;
}

/** Channel as written → event id (a number; undefined for any other value) → its context. */
const types = new Map<string, Map<number | undefined, TypeContext>>();
let typeCount = 0;

function typeContext(rawCh: unknown, code: number | undefined): TypeContext {
  const key = typeof rawCh === 'string' ? rawCh : '';
  let byCode = types.get(key);
  let c = byCode?.get(code);
  if (c) return c;
  const ch = typeof rawCh === 'string' && rawCh ? canonChannel(rawCh) : undefined;
  const sec = securityMap(ch, code);
  const catName = sec?.category ?? categoriesOf(ch, code)[0];
  const cat = catName ? category(catName) : undefined;
  c = {
    ch, sec, cat, renames: sec ? sec.fields : cat?.fields ?? {}, plans: new Map(),
    values: Object.entries(sec?.values ?? {}),
    derived: cat?.derived ? Object.entries(cat.derived) : undefined,
  };
  if (typeCount < MAX_TYPES) {
    if (!byCode) types.set(key, (byCode = new Map()));
    byCode.set(code, c);
    typeCount++;
  }
  return c;
}

function planKey(k: string, common: string | undefined, renames: Record<string, string>): KeyPlan {
  if (common) {
    const kind = k === 'SystemTime' ? 1 : k === 'Channel' ? 2 : 3;
    return { kind, names: [common], numeric: [NUMERIC_FIELDS.has(common)] };
  }
  const names = [EVENT_DATA_PREFIX + k];
  let bare: string | undefined;
  if (k.includes(' ')) bare = EVENT_DATA_PREFIX + k.replace(/ /g, '');
  const sys = SYSTEM[k];
  if (sys) names.push(sys);
  const mapped = renames[k];
  if (mapped) names.push(mapped);
  const plan: KeyPlan = { kind: 0, names, numeric: names.map((n) => NUMERIC_FIELDS.has(n)) };
  if (bare !== undefined) { plan.bare = bare; plan.bareNumeric = NUMERIC_FIELDS.has(bare); }
  return plan;
}

function put(ev: CanonicalEvent, name: string, numeric: boolean, v: FieldValue): void {
  if (numeric) {
    const n = Array.isArray(v) ? undefined : toNumber(v);
    ev[name] = n ?? v;
  } else ev[name] = v;
}

/** Normalizes a flat Windows record. */
export function flatToCanonical(rec: FlatRecord): CanonicalEvent {
  const ev = newEvent();
  const { mapping } = windowsIndex();
  const code = toNumber(rec.EventID);
  const { ch, sec, renames, plans: cache, values, derived } = typeContext(rec.Channel, code);
  for (const k in rec) {
    const raw = rec[k];
    if (raw === undefined || raw === null) continue;
    let plan = cache.get(k);
    if (!plan) {
      plan = planKey(k, mapping.common[k], renames);
      if (cache.size < MAX_KEYS) cache.set(k, plan);
    }
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
