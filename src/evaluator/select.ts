/**
 * The per-event front of evaluation, shared by the main loop and the worker threads: a flat
 * Windows record is dispatched by channel and event id before it is normalized (events no rule
 * selects cost only their parse), then the canonical event is dispatched by log source and the
 * literal prefilter picks the feeds whose literals occur.
 */
import type { Dispatcher } from './dispatch.js';
import type { RowTest } from './compile-expr.js';
import type { SourceSelector } from './logsource.js';
import type { Prefilter } from './prefilter.js';
import { isFlatWindows, LazyFlat, toCanonical, toNumber } from './normalize/index.js';
import { Row } from './row.js';

/** What the front selected for one event: the feeds to run the full filter of, in feed order. */
export interface Selected<T> {
  /** The event (a flat record's fields are normalized as they are read: `row.fields` has them all). */
  row: Row;
  feeds: T[];
}

/** The feeds that may match a raw event, or undefined when none can. */
export function selectFeeds<T extends { source: SourceSelector; filter: RowTest }>(
  raw: Record<string, unknown>,
  dispatcher: Dispatcher<T>,
  prefilter: Prefilter,
): Selected<T> | undefined {
  let row: Row;
  let cands: T[];
  const isFlat = isFlatWindows(raw);
  const ch = raw.Channel;
  if (isFlat && typeof ch === 'string' && ch) {
    // The canonical channel and event code of a flat record are its Channel (canonical
    // spelling, same lower case) and EventID (same number): only those keys map to them.
    cands = dispatcher.forChannel(ch, toNumber(raw.EventID));
    if (!cands.length) return undefined;
    // Only the fields the prefilter and the filters read are normalized (normalize/lazy.ts).
    row = new Row(new LazyFlat(raw), raw);
  } else {
    if (isFlat && !dispatcher.always.length) return undefined;
    const ev = toCanonical(raw);
    cands = dispatcher.candidates(ev);
    if (!cands.length) return undefined;
    row = new Row(ev, isFlat ? raw : undefined);
  }
  const feeds = prefilter.pick(cands, row);
  return feeds.length ? { row, feeds } : undefined;
}
