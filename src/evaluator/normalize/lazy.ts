/**
 * A flat Windows record normalized lazily: `get(name)` computes one canonical field on first
 * access, equal to `flatToCanonical(rec)[name]`, and `full()` is flatToCanonical(rec) itself
 * (computed once). Most events are rejected by the dispatcher's candidates' prefilter after a
 * few of their fields are read, so normalizing every field first is mostly wasted work.
 *
 * How it stays equal to the eager normalizer (windows.ts): one pass over the record's keys, in
 * the same order, notes for each canonical name the raw keys that write it (the plans of
 * type-plan.ts, which both use); the value of a name is then that of its last writer whose
 * value is defined (a later write replaces an earlier one; an undefined value writes nothing),
 * followed by the writes after the keys, in the same order: the user name, the value words,
 * the derived fields. A type whose derived fields read one another, or a record with more names
 * than its type has slots for, is normalized eagerly.
 */
import { TIME_MS, NUMERIC_FIELDS, type CanonicalEvent, type FieldValue } from './canonical.js';
import { toNumber, parseTime } from './values.js';
import { derive, derivedSource } from './derived.js';
import { canonValue, flatToCanonical, numericValue, type FlatRecord } from './windows.js';
import { keyPlan, typeContext, type TypeContext } from './type-plan.js';

/** A computed value that is undefined (the field is absent). */
const NONE: unique symbol = Symbol('none');

/** True when a derived field of the type reads another derived field (order would then matter). */
const chained = new WeakMap<TypeContext, boolean>();
function isChained(tc: TypeContext): boolean {
  let c = chained.get(tc);
  if (c === undefined) {
    const names = new Set((tc.derived ?? []).map(([n]) => n));
    c = (tc.derived ?? []).some(([, d]) => names.has(d.from) || (d.fallback !== undefined && names.has(d.fallback)));
    chained.set(tc, c);
  }
  return c;
}

/** A flat record whose canonical fields are computed when first read. */
export class LazyFlat {
  private readonly tc: TypeContext;
  /** Slot → the raw key writing it, or the keys (in record order) when several do. */
  private readonly src: (string | string[] | undefined)[];
  private readonly vals: (FieldValue | typeof NONE | undefined)[] = [];
  private ev: CanonicalEvent | undefined;

  constructor(readonly rec: FlatRecord) {
    const tc = (this.tc = typeContext(rec.Channel, toNumber(rec.EventID)));
    this.src = new Array<string | undefined>(tc.slots.size);
    if (isChained(tc)) { this.ev = flatToCanonical(rec); return; }
    for (const k in rec) {
      const raw = rec[k];
      if (raw === undefined || raw === null) continue;
      const plan = keyPlan(tc, k);
      if (plan.kind === 2 && tc.ch === undefined) continue;
      const { slots } = plan;
      // The bare name (last slot) is written only when the record lacks it (windows.ts).
      const n = plan.bare !== undefined && plan.bare in rec ? slots.length - 1 : slots.length;
      for (let i = 0; i < n; i++) {
        const s = slots[i]!;
        if (s < 0) { this.ev = flatToCanonical(rec); return; }
        const cur = this.src[s];
        if (cur === undefined) this.src[s] = k;
        else if (typeof cur === 'string') { if (cur !== k) this.src[s] = [cur, k]; }
        else if (cur[cur.length - 1] !== k) cur.push(k);
      }
    }
  }

  /** The canonical event (flatToCanonical of the record), computed once. */
  full(): CanonicalEvent {
    return (this.ev ??= flatToCanonical(this.rec));
  }

  /** One canonical field: `full()[name]`, computed without the others. */
  get(name: string): FieldValue | undefined {
    if (this.ev) return this.ev[name];
    const s = this.tc.slots.get(name);
    if (s === undefined) return undefined; // no key and no later write of this type names it
    const hit = this.vals[s];
    if (hit !== undefined) return hit === NONE ? undefined : hit;
    let v = this.written(name, this.src[s]);
    if (this.tc.post.has(name)) v = this.post(name, v);
    this.vals[s] = v === undefined ? NONE : v;
    return v;
  }

  /** The value the keys give a name: that of the last writer whose value is defined. */
  private written(name: string, by: string | string[] | undefined): FieldValue | undefined {
    if (by === undefined) return undefined;
    if (typeof by === 'string') return this.valueOf(name, by);
    for (let i = by.length - 1; i >= 0; i--) {
      const v = this.valueOf(name, by[i]!);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** What key `k` writes under `name` (windows.ts: setTime, the channel, put). */
  private valueOf(name: string, k: string): FieldValue | undefined {
    const raw = this.rec[k];
    const plan = keyPlan(this.tc, k);
    if (plan.kind === 1) {
      const t = parseTime(raw);
      if (name === TIME_MS) return t?.ms;
      return t ? t.iso : typeof raw === 'string' && raw ? raw : undefined;
    }
    if (plan.kind === 2) return this.tc.ch;
    const v = canonValue(raw);
    return v !== undefined && NUMERIC_FIELDS.has(name) ? numericValue(v) : v;
  }

  /** The writes after the keys (windows.ts, in its order): user name, value words, derived fields. */
  private post(name: string, v: FieldValue | undefined): FieldValue | undefined {
    const { sec, values, derived } = this.tc;
    const rec = this.rec;
    if (sec?.user && sec.user.to === name) {
      const nm = rec[sec.user.name];
      const dom = rec[sec.user.domain];
      if (typeof nm === 'string' && nm) v = typeof dom === 'string' && dom ? `${dom}\\${nm}` : nm;
    }
    for (const [from, t] of values) {
      if (t.to !== name) continue;
      const x = rec[from];
      const word = typeof x === 'string' ? t.map[x.trim().toUpperCase()] : undefined;
      if (word !== undefined && v === undefined) v = word;
    }
    if (derived) {
      for (const [dn, d] of derived) {
        if (dn !== name || v !== undefined) continue;
        const from = derivedSource((n) => this.get(n), d);
        if (from === undefined) continue;
        const x = derive(from, d.fn);
        if (x !== undefined) v = x;
      }
    }
    return v;
  }
}
