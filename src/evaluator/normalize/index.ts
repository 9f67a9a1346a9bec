/**
 * `toCanonical(raw)`: any raw event this project reads (flat Windows JSON, nested EVTX JSON,
 * ECS, or the record the XML reader made) → one canonical event. The SQL loader reuses it, so
 * the evaluator and the emitted SQL see the same values.
 *
 * Tolerance (documented in each module): GUID braces dropped, hex zero padding dropped,
 * timestamps with 6 fractional digits in UTC, numbers kept as decimal strings except the
 * NUMERIC_FIELDS, trailing whitespace of every string value trimmed, channel names in their
 * canonical case, an empty channel is a missing one.
 */
import { ecsToCanonical, isEcs } from './ecs.js';
import { isNestedEvtx, nestedToFlat } from './evtx-json.js';
import { flatToCanonical } from './windows.js';
import type { CanonicalEvent } from './canonical.js';

export * from './canonical.js';
export { flatToCanonical, type FlatRecord } from './windows.js';
export { LazyFlat } from './lazy.js';
export { canonString, parseTime, toNumber } from './values.js';
export { basename, pickHash } from './derived.js';
export { categoriesOf, canonChannel } from './categories.js';

/** True for a flat Windows record (neither nested EVTX JSON nor ECS). */
export function isFlatWindows(raw: Record<string, unknown>): boolean {
  return !isNestedEvtx(raw) && !isEcs(raw);
}

/** Normalizes one raw event object, whatever its shape. */
export function toCanonical(raw: Record<string, unknown>): CanonicalEvent {
  if (isNestedEvtx(raw)) return flatToCanonical(nestedToFlat(raw));
  if (isEcs(raw)) return ecsToCanonical(raw);
  return flatToCanonical(raw);
}
