/**
 * Events are dispatched to feeds (a rule's log source + filter; a correlation or a join has
 * several) by (channel, event id) before any predicate runs; the candidate list of each pair is
 * computed once. Channel-less (ECS) events are matched to category feeds by their ECS
 * categorization.
 */
import { ecsInCategory, type SourceSelector } from './logsource.js';
import type { Fields } from './row.js';

/** Finds the feeds an event may enter. */
export class Dispatcher<T extends { source: SourceSelector }> {
  private memo = new Map<string, T[]>();
  /** Feeds with no log source constraint. */
  readonly always: T[];
  private byCategory: T[];

  constructor(private feeds: T[]) {
    this.always = feeds.filter((r) => r.source.all);
    this.byCategory = feeds.filter((r) => !r.source.all && r.source.category !== undefined);
  }

  /** Candidates of a normalized event. */
  candidates(ev: Fields): T[] {
    const ch = ev['winlog.channel'];
    if (typeof ch !== 'string') {
      if (!this.byCategory.length) return this.always;
      const extra = this.byCategory.filter((r) => ecsInCategory(ev, r.source.category!));
      return extra.length ? this.feeds.filter((r) => r.source.all || extra.includes(r)) : this.always;
    }
    return this.forChannel(ch, ev['event.code']);
  }

  /** Candidates of an event with this channel and event id (before it is normalized). */
  forChannel(ch: string, code: unknown): T[] {
    const key = `${ch.toLowerCase()}\u0000${String(code)}`;
    let list = this.memo.get(key);
    if (!list) {
      const lc = ch.toLowerCase();
      list = this.feeds.filter((r) => {
        if (r.source.all) return true;
        if (!r.source.channels.has(lc)) return false;
        const ids = r.source.channels.get(lc);
        return ids === undefined || (typeof code === 'number' && ids.has(code));
      });
      this.memo.set(key, list);
    }
    return list;
  }
}
