/**
 * ECS documents (nested objects or dotted keys, e.g. Winlogbeat or Elastic Agent output) →
 * canonical events. ECS names already are the canonical names; this flattens, applies the same
 * value rules as the Windows normalizer and adds derived fields a document may lack.
 */
import { EVENT_DATA_PREFIX } from '../../ir/index.js';
import { canonChannel, categoriesOf, category } from './categories.js';
import { newEvent, type CanonicalEvent } from './canonical.js';
import { canonValue, setField, setTime } from './windows.js';
import { addDerived } from './derived.js';
import { toNumber } from './values.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True for an ECS document rather than a flat Windows record. */
export function isEcs(o: Obj): boolean {
  return '@timestamp' in o || isObj(o.event) || isObj(o.winlog) || isObj(o.ecs) || 'event.code' in o || 'ecs.version' in o;
}

function flatten(o: Obj, prefix: string, out: Obj, depth: number): void {
  for (const [k, v] of Object.entries(o)) {
    const name = prefix + k;
    // `winlog.event_data` keeps its keys as written (they are Windows names, not ECS paths).
    if (isObj(v) && depth < 16 && !(name === 'winlog.event_data' && prefix === 'winlog.')) flatten(v, name + '.', out, depth + 1);
    else if (isObj(v)) for (const [ek, ev] of Object.entries(v)) out[name + '.' + ek] = ev;
    else out[name] = v;
  }
}

/** Normalizes an ECS document. */
export function ecsToCanonical(o: Obj): CanonicalEvent {
  const flat: Obj = {};
  flatten(o, '', flat, 0);
  const ev = newEvent();
  for (const [k, v] of Object.entries(flat)) {
    if (k === '@timestamp') setTime(ev, v);
    else if (k === 'winlog.channel' && typeof v === 'string') { if (v) ev[k] = canonChannel(v); }
    else setField(ev, k, canonValue(v));
  }
  const ch = typeof ev['winlog.channel'] === 'string' ? (ev['winlog.channel'] as string) : undefined;
  const code = toNumber(ev['event.code']);
  const catName = categoriesOf(ch, code)[0];
  const cat = catName ? category(catName) : undefined;
  if (cat) {
    // A document that carries only winlog.event_data gets the category's canonical names too.
    for (const [win, canon] of Object.entries(cat.fields)) {
      const v = ev[EVENT_DATA_PREFIX + win];
      if (v !== undefined && ev[canon] === undefined) setField(ev, canon, v);
    }
  }
  addDerived(ev, cat?.derived ?? GENERIC_DERIVED);
  return ev;
}

/** Derived names ECS documents commonly lack when no Windows category applies. */
const GENERIC_DERIVED = {
  'process.name': { from: 'process.executable', fn: 'basename' },
  'process.parent.name': { from: 'process.parent.executable', fn: 'basename' },
  'file.name': { from: 'file.path', fn: 'basename' },
  'dll.name': { from: 'dll.path', fn: 'basename' },
};
