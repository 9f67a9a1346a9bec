/**
 * What flatToCanonical decides once per event type (channel as written, event id) and once per
 * raw key of that type: the mapping entries of the type and, per key, the canonical names it is
 * written under. Shared by the eager normalizer (windows.ts) and the lazy one (lazy.ts), so both
 * take every decision from the same plans.
 *
 * Each canonical name a type can write has a small number (a slot), so that a lazily normalized
 * event can note which raw key writes which name in an array rather than in an object.
 */
import { EVENT_DATA_PREFIX, type DerivedField, type WindowsCategory } from '../../ir/index.js';
import { canonChannel, categoriesOf, category, securityMap, windowsIndex, type SecurityEventMap } from './categories.js';
import { NUMERIC_FIELDS, TIME_MS } from './canonical.js';

/** System values that ECS names under `winlog.` (besides the `common` ones of windows.json). */
const SYSTEM: Record<string, string> = {
  Provider_Guid: 'winlog.provider_guid', Version: 'winlog.version', Level: 'winlog.level', Task: 'winlog.task',
  Opcode: 'winlog.opcode', Keywords: 'winlog.keywords', ProcessID: 'winlog.process.pid',
  ThreadID: 'winlog.process.thread.id', UserID: 'winlog.user.identifier', ActivityID: 'winlog.activity_id',
  RelatedActivityID: 'winlog.related_activity_id', EventSourceName: 'winlog.event_source_name',
};

/**
 * What one raw key becomes for one (channel, event id): the canonical names it is written
 * under, in the order flatToCanonical writes them, with their numeric rule resolved. Computed
 * once per key and event type (the lookups, string concatenations and set tests it saves are
 * most of the cost of normalizing), with the very expressions the uncached path used.
 */
export interface KeyPlan {
  /** 1: SystemTime, 2: Channel, 3: another common (System) name, 0: EventData. */
  kind: 0 | 1 | 2 | 3;
  names: string[];
  numeric: boolean[];
  /** A key with spaces: the name without them (kept only when the record lacks it). */
  bare?: string;
  bareNumeric?: boolean;
  /**
   * The slots of the names written, in `names` order (kind 1: `@timestamp` and TIME_MS, which
   * setTime writes), then the bare name's; -1 when the type has no slot left.
   */
  slots: number[];
}

/** Most keys cached per event type, and event types cached: beyond them, plans are not kept (memory stays flat). */
const MAX_KEYS = 128;
const MAX_TYPES = 2048;
/** Most slots per event type (names of hostile records beyond it get -1: such events are normalized eagerly). */
const MAX_SLOTS = 1024;

/** What an event type (channel as written, event id) decides once: the mapping entries and the key plans. */
export interface TypeContext {
  ch: string | undefined;
  sec: SecurityEventMap | undefined;
  cat: WindowsCategory | undefined;
  renames: Record<string, string>;
  plans: Map<string, KeyPlan>;
  /** sec.values and cat.derived as arrays (read for every event of the type). */
  values: [string, { to: string; map: Record<string, string> }][];
  derived: [string, DerivedField][] | undefined;
  /** Canonical name → slot. */
  slots: Map<string, number>;
  /** The names written after the raw keys (user name, value words, derived fields). */
  post: Set<string>;
}

/** Channel as written → event id (a number; undefined for any other value) → its context. */
const types = new Map<string, Map<number | undefined, TypeContext>>();
let typeCount = 0;

/** The context of an event type (cached, up to MAX_TYPES types). */
export function typeContext(rawCh: unknown, code: number | undefined): TypeContext {
  const key = typeof rawCh === 'string' ? rawCh : '';
  let byCode = types.get(key);
  let c = byCode?.get(code);
  if (c) return c;
  const ch = typeof rawCh === 'string' && rawCh ? canonChannel(rawCh) : undefined;
  const sec = securityMap(ch, code);
  const catName = sec?.category ?? categoriesOf(ch, code)[0];
  const cat = catName ? category(catName) : undefined;
  const values = Object.entries(sec?.values ?? {});
  const derived = cat?.derived ? Object.entries(cat.derived) : undefined;
  const post = new Set<string>([...(sec?.user ? [sec.user.to] : []), ...values.map(([, t]) => t.to), ...(derived ?? []).map(([n]) => n)]);
  c = { ch, sec, cat, renames: sec ? sec.fields : cat?.fields ?? {}, plans: new Map(), values, derived, slots: new Map(), post };
  for (const n of post) slotOf(c, n);
  if (typeCount < MAX_TYPES) {
    if (!byCode) types.set(key, (byCode = new Map()));
    byCode.set(code, c);
    typeCount++;
  }
  return c;
}

/** The slot of a canonical name in a type (assigned on first use), or -1 when none is left. */
export function slotOf(tc: TypeContext, name: string): number {
  let s = tc.slots.get(name);
  if (s === undefined) {
    if (tc.slots.size >= MAX_SLOTS) return -1;
    tc.slots.set(name, (s = tc.slots.size));
  }
  return s;
}

/** A table's own entry (a raw key such as `__proto__` or `constructor` names no inherited member). */
function own(table: Record<string, string>, k: string): string | undefined {
  return Object.hasOwn(table, k) ? table[k] : undefined;
}

function planKey(tc: TypeContext, k: string, common: string | undefined): KeyPlan {
  if (common) {
    const kind = k === 'SystemTime' ? 1 : k === 'Channel' ? 2 : 3;
    const slots = kind === 1 ? [slotOf(tc, '@timestamp'), slotOf(tc, TIME_MS)] : [slotOf(tc, common)];
    return { kind, names: [common], numeric: [NUMERIC_FIELDS.has(common)], slots };
  }
  const names = [EVENT_DATA_PREFIX + k];
  let bare: string | undefined;
  if (k.includes(' ')) bare = EVENT_DATA_PREFIX + k.replace(/ /g, '');
  const sys = own(SYSTEM, k);
  if (sys) names.push(sys);
  const mapped = own(tc.renames, k);
  if (mapped) names.push(mapped);
  const plan: KeyPlan = { kind: 0, names, numeric: names.map((n) => NUMERIC_FIELDS.has(n)), slots: names.map((n) => slotOf(tc, n)) };
  if (bare !== undefined) { plan.bare = bare; plan.bareNumeric = NUMERIC_FIELDS.has(bare); plan.slots.push(slotOf(tc, bare)); }
  return plan;
}

/** The plan of a raw key in a type (cached, up to MAX_KEYS keys per type). */
export function keyPlan(tc: TypeContext, k: string): KeyPlan {
  let plan = tc.plans.get(k);
  if (!plan) {
    plan = planKey(tc, k, own(windowsIndex().mapping.common, k));
    if (tc.plans.size < MAX_KEYS) tc.plans.set(k, plan);
  }
  return plan;
}
