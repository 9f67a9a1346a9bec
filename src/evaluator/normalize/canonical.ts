/** The canonical event: a flat, null-prototype object keyed by canonical (ECS) field names. */

/** A field value: scalars, or a list for multi-valued fields (matches when any element matches). */
export type FieldValue = string | number | boolean | null | FieldValue[];

/** One event after normalization. */
export type CanonicalEvent = Record<string, FieldValue>;

/** Epoch milliseconds of `@timestamp`, kept beside it for time buckets and ordering. */
export const TIME_MS = '@timestamp_ms';

/** Canonical fields whose values are numbers whatever the renderer wrote (decimal or hex). */
export const NUMERIC_FIELDS: ReadonlySet<string> = new Set([
  'event.code', 'winlog.record_id', 'process.pid', 'process.parent.pid', 'source.port', 'destination.port',
]);


/** A new, empty canonical event. */
export function newEvent(): CanonicalEvent {
  return Object.create(null) as CanonicalEvent;
}
