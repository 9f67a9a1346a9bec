/**
 * Events are dispatched to rules by (channel, event id) before any predicate runs; the
 * candidate list of each pair is computed once. Channel-less (ECS) events are matched to
 * category rules by their ECS categorization.
 */
import type { CompiledRule } from './compile-rule.js';
import { ecsInCategory } from './logsource.js';
import type { Fields } from './row.js';

/** Finds the rules an event may match. */
export class Dispatcher {
  private memo = new Map<string, CompiledRule[]>();
  /** Rules with no log source constraint. */
  readonly always: CompiledRule[];
  private byCategory: CompiledRule[];

  constructor(private rules: CompiledRule[]) {
    this.always = rules.filter((r) => r.source.all);
    this.byCategory = rules.filter((r) => !r.source.all && r.source.category !== undefined);
  }

  /** Candidates of a normalized event. */
  candidates(ev: Fields): CompiledRule[] {
    const ch = ev['winlog.channel'];
    if (typeof ch !== 'string') {
      if (!this.byCategory.length) return this.always;
      const extra = this.byCategory.filter((r) => ecsInCategory(ev, r.source.category!));
      return extra.length ? this.rules.filter((r) => r.source.all || extra.includes(r)) : this.always;
    }
    return this.forChannel(ch, ev['event.code']);
  }

  /** Candidates of an event with this channel and event id (before it is normalized). */
  forChannel(ch: string, code: unknown): CompiledRule[] {
    const key = `${ch.toLowerCase()}\u0000${String(code)}`;
    let list = this.memo.get(key);
    if (!list) {
      const lc = ch.toLowerCase();
      list = this.rules.filter((r) => {
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
