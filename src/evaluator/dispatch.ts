/**
 * Events are dispatched to feeds (a rule's log source + filter; a correlation or a join has
 * several) by (channel, event id) before any predicate runs; the candidate list of each pair is
 * computed once, from the feeds of that channel only. Channel-less (ECS) events are matched to
 * category feeds by their ECS categorization.
 */
import { ecsInCategory, type SourceSelector } from './logsource.js';
import type { Fields } from './row.js';

/** Most channel spellings, and event ids per channel, remembered (memory stays flat on hostile input). */
const MAX_CHANNELS = 1024;
const MAX_CODES = 4096;

/** Finds the feeds an event may enter. */
export class Dispatcher<T extends { source: SourceSelector }> {
  /** Channel as written → event id (a number, or undefined for any other value) → candidates. */
  private memo = new Map<string, Map<number | undefined, T[]>>();
  /** Lower-case channel → indexes of the feeds that name it (ascending). */
  private byChannel = new Map<string, number[]>();
  private allIdx: number[] = [];
  /** Feeds with no log source constraint. */
  readonly always: T[];
  private byCategory: T[];

  constructor(private feeds: T[]) {
    this.always = feeds.filter((r) => r.source.all);
    this.byCategory = feeds.filter((r) => !r.source.all && r.source.category !== undefined);
    feeds.forEach((r, i) => {
      if (r.source.all) { this.allIdx.push(i); return; }
      for (const ch of r.source.channels.keys()) {
        let l = this.byChannel.get(ch);
        if (!l) this.byChannel.set(ch, (l = []));
        l.push(i);
      }
    });
  }

  /** Candidates of a normalized event. */
  candidates(ev: Fields): T[] {
    const ch = ev['winlog.channel'];
    if (typeof ch !== 'string') {
      // Only an event with an ECS categorization can be in a category (logsource.ts).
      if (!this.byCategory.length || ev['event.category'] === undefined) return this.always;
      const extra = this.byCategory.filter((r) => ecsInCategory(ev, r.source.category!));
      return extra.length ? this.feeds.filter((r) => r.source.all || extra.includes(r)) : this.always;
    }
    return this.forChannel(ch, ev['event.code']);
  }

  /** Candidates of an event with this channel and event id (before it is normalized). */
  forChannel(ch: string, code: unknown): T[] {
    const id = typeof code === 'number' ? code : undefined;
    let byCode = this.memo.get(ch);
    if (!byCode) {
      if (this.memo.size >= MAX_CHANNELS) this.memo.clear();
      this.memo.set(ch, (byCode = new Map()));
    }
    let list = byCode.get(id);
    if (!list) {
      list = this.compute(ch.toLowerCase(), id);
      if (byCode.size < MAX_CODES) byCode.set(id, list);
    }
    return list;
  }

  /** The feeds without constraint and those of the channel that take the id, in feed order. */
  private compute(lc: string, id: number | undefined): T[] {
    const named = this.byChannel.get(lc) ?? [];
    const all = this.allIdx;
    const out: T[] = [];
    let a = 0, b = 0;
    while (a < all.length || b < named.length) {
      if (b >= named.length || (a < all.length && all[a]! < named[b]!)) { out.push(this.feeds[all[a++]!]!); continue; }
      const r = this.feeds[named[b++]!]!;
      const ids = r.source.channels.get(lc);
      if (ids === undefined || (id !== undefined && ids.has(id))) out.push(r);
    }
    return out;
  }
}
