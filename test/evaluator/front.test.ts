/**
 * The per-event front takes shortcuts that must not change which feeds run: the dispatcher's
 * per-channel index gives what filtering every feed gives, a flat record's raw Channel and
 * EventID stand for its canonical channel and code, and keyword haystacks may repeat values.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Dispatcher } from '../../src/evaluator/dispatch.js';
import type { SourceSelector } from '../../src/evaluator/logsource.js';
import { windowsIndex } from '../../src/evaluator/normalize/categories.js';
import { flatToCanonical } from '../../src/evaluator/normalize/index.js';
import { Row } from '../../src/evaluator/row.js';

const channels = ['Security', 'System', 'Microsoft-Windows-Sysmon/Operational', 'Application'];

/** The dispatcher's answer as it was specified: every feed, tested one by one. */
function bruteForce(feeds: { source: SourceSelector }[], ch: string, code: unknown) {
  const lc = ch.toLowerCase();
  return feeds.filter((r) => {
    if (r.source.all) return true;
    if (!r.source.channels.has(lc)) return false;
    const ids = r.source.channels.get(lc);
    return ids === undefined || (typeof code === 'number' && ids.has(code));
  });
}

const source: fc.Arbitrary<SourceSelector> = fc.oneof(
  fc.constant({ all: true, channels: new Map() }),
  fc.array(fc.tuple(fc.constantFrom(...channels.map((c) => c.toLowerCase())), fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { maxLength: 3 }), { nil: undefined })), { minLength: 1, maxLength: 3 })
    .map((pairs) => ({ all: false, channels: new Map(pairs.map(([c, ids]) => [c, ids && new Set(ids)] as const)) })),
);

describe('dispatch by channel and event id', () => {
  it('gives the feeds, in order, that testing every feed gives (any spelling, id or non-number)', () => {
    fc.assert(
      fc.property(fc.array(source, { maxLength: 12 }), fc.array(fc.tuple(fc.constantFrom(...channels, 'SECURITY', 'security', 'Other'), fc.oneof(fc.integer({ min: 0, max: 7 }), fc.constant('3'), fc.constant(undefined))), { maxLength: 12 }), (sources, events) => {
        const feeds = sources.map((s, i) => ({ source: s, i }));
        const d = new Dispatcher(feeds);
        for (const [ch, code] of [...events, ...events]) expect(d.forChannel(ch, code).map((f) => f.i)).toEqual(bruteForce(feeds, ch, code).map((f) => f.i));
      }),
      { numRuns: 1500 },
    );
  });
  it('an event without channel and without ECS categorization gets the unconstrained feeds', () => {
    const feeds = [{ source: { all: true, channels: new Map() } }, { source: { all: false, channels: new Map([['security', undefined]]), category: 'process_creation' } }];
    expect(new Dispatcher(feeds).candidates({ 'process.name': 'a.exe' })).toEqual([feeds[0]]);
    expect(new Dispatcher(feeds).candidates({ 'event.category': 'process', 'event.type': 'start' })).toEqual(feeds);
  });
});

describe('a flat record dispatches on its raw Channel and EventID', () => {
  it('no mapping renames another key to the canonical channel or event code (select.ts relies on it)', () => {
    const { mapping } = windowsIndex();
    const targets = Object.values(mapping.categories).flatMap((c) => Object.values(c.fields ?? {}));
    const sec = windowsIndex().security;
    for (const m of sec.values()) for (const e of m.values()) targets.push(...Object.values(e.fields), ...(e.user ? [e.user.to] : []), ...Object.values(e.values ?? {}).map((v) => v.to));
    expect(targets.length).toBeGreaterThan(50);
    expect(targets.filter((t) => t === 'winlog.channel' || t === 'event.code')).toEqual([]);
    expect(Object.entries(mapping.common).filter(([, t]) => t === 'winlog.channel' || t === 'event.code').map(([k]) => k).sort()).toEqual(['Channel', 'EventID']);
  });
  it('the canonical channel and code are the raw ones, case and padding aside', () => {
    for (const [Channel, EventID, code] of [['security', '0x00001210', 4624], ['SYSTEM', ' 7045 ', 7045], ['Microsoft-Windows-Sysmon/Operational', 1, 1]] as const) {
      const ev = flatToCanonical({ Channel, EventID });
      expect(String(ev['winlog.channel']).toLowerCase()).toBe(Channel.toLowerCase());
      expect(ev['event.code']).toBe(code);
    }
  });
});

describe('keyword haystack', () => {
  it('joins every string value with NUL, a repeated neighbour once, the skipped field left out', () => {
    const r = new Row({ a: 'X', b: 'X', c: ['y', 'Y'], d: 5, e: null, f: 'X', t: 99 });
    expect(r.joined(false, 't')).toBe('X\u0000y\u0000Y\u00005\u0000X');
    expect(r.joined(true, 't')).toBe('x\u0000y\u0000y\u00005\u0000x');
  });
});
