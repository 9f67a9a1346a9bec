/**
 * A lazily normalized flat record (normalize/lazy.ts) gives every field exactly as the eager
 * normalizer does, whatever the order fields are read in: on generated records built to collide
 * (two keys writing one name, a key with spaces beside its bare name, values that write nothing,
 * the user name and value words of Security events, derived fields), and on the events of the
 * corpus (JSON and XML renderings) when ../shared/corpus is there.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { flatToCanonical, LazyFlat } from '../../src/evaluator/normalize/index.js';
import { readEvents } from '../../src/evaluator/readers/index.js';
import { Row } from '../../src/evaluator/row.js';

const CORPUS = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus');

/** Names to ask for besides the event's own: absent ones, post-step and derived ones. */
const EXTRA = ['process.name', 'process.parent.name', 'user.name', 'winlog.event_data.IntegrityLevel', 'process.hash.sha256',
  'winlog.event_data.ThreatName', 'nope', '@timestamp_ms', 'winlog.channel', 'event.code', 'process.pid', 'file.name', '__proto__', 'constructor'];

/** Same value (scalars, NaN-free; lists element-wise), cheaper than a deep equality per field. */
function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  return Object.is(a, b);
}

/** The fields of one record, read lazily in the given order, that differ from the eager event. */
function differences(rec: Record<string, unknown>, reverse: boolean): string[] {
  const eager = flatToCanonical(rec);
  const names = [...new Set([...Object.keys(eager), ...EXTRA])];
  if (reverse) names.reverse();
  const out: string[] = [];
  const lazy = new LazyFlat(rec);
  for (const n of names) if (!same(lazy.get(n), eager[n])) out.push(`${n}: ${JSON.stringify(lazy.get(n))} ≠ ${JSON.stringify(eager[n])} in ${JSON.stringify(rec)}`);
  const full = lazy.full();
  if (JSON.stringify(Object.entries(full)) !== JSON.stringify(Object.entries(eager))) out.push(`full() ≠ eager for ${JSON.stringify(rec)}`);
  // A row over it reads the same values, and its `fields` are the eager event.
  const row = new Row(new LazyFlat(rec), rec);
  for (const n of names) if (!same(row.get(n), eager[n])) out.push(`row ${n} in ${JSON.stringify(rec)}`);
  if (JSON.stringify(Object.entries(row.fields)) !== JSON.stringify(Object.entries(eager))) out.push(`row.fields ≠ eager for ${JSON.stringify(rec)}`);
  return out;
}

function check(rec: Record<string, unknown>, reverse: boolean): void {
  expect(differences(rec, reverse)).toEqual([]);
}

const value = fc.oneof(
  fc.constantFrom(null, '', ' ', 'C:\\Windows\\System32\\cmd.exe ', '{12345678-1234-1234-1234-1234567890AB}', '0x000001fc', '4688',
    'S-1-16-12288', ' s-1-16-8192 ', 'SHA1=AA,MD5=BB,SHA256=CC', '2019-04-27T15:57:25.868863200Z', 'not a time', 'x\\y/z.dll'),
  fc.constantFrom(0, 12, -1.5, Number.NaN, Infinity, true, false),
  fc.array(fc.constantFrom('a ', '0x0010', null, 7, 'C:\\p\\q.exe'), { maxLength: 3 }),
  fc.constant({ nested: 1 }),
  fc.string({ maxLength: 6 }),
);
const key = fc.constantFrom('Image', 'NewProcessName', 'CommandLine', 'ProcessId', 'ProcessID', 'NewProcessId', 'Threat Name', 'ThreatName',
  'winlog.event_data.ThreatName', 'Hashes', 'MandatoryLabel', 'IntegrityLevel', 'SubjectUserName', 'SubjectDomainName', 'SystemTime',
  'Computer', 'EventRecordID', 'Provider_Name', 'Level', 'ParentImage', 'ParentProcessName', 'TargetFilename', 'Data', 'A B C', 'ABC', '1', '__proto__');
const channel = fc.constantFrom('Security', 'security', 'Microsoft-Windows-Sysmon/Operational', 'System', '', 'Unknown/Channel', 7, null);
const eventId = fc.constantFrom(1, 4688, '4688', 4689, 11, 7, '0x1', 'x', null);

describe('lazy normalization', () => {
  it('equals the eager normalizer on generated records, in either reading order', () => {
    fc.assert(fc.property(channel, eventId, fc.array(fc.tuple(key, value), { maxLength: 14 }), fc.boolean(), (ch, id, pairs, reverse) => {
      const rec: Record<string, unknown> = Object.create(null);
      rec.Channel = ch;
      rec.EventID = id;
      for (const [k, v] of pairs) rec[k] = v;
      check(rec, reverse);
    }), { numRuns: 600 });
  });

  it('a later key wins over an earlier one writing the same name, unless its value writes nothing', () => {
    const base = { Channel: 'Security', EventID: 4688 };
    // `Threat Name` is also written as ThreatName (windows.ts), the name of the other key.
    for (const [a, b] of [['x', 'y'], ['x', null], ['x', Number.NaN], [null, 'y']] as const) {
      for (const rec of [{ ...base, 'Threat Name': a, ThreatName: b }, { ...base, ThreatName: b, 'Threat Name': a }]) {
        const want = flatToCanonical(rec)['winlog.event_data.ThreatName'];
        expect(new LazyFlat(rec).get('winlog.event_data.ThreatName')).toEqual(want);
        check(rec, false);
      }
    }
    expect(new LazyFlat({ ...base, 'Threat Name': 'x', ThreatName: 'y' }).get('winlog.event_data.ThreatName')).toBe('y');
    expect(new LazyFlat({ ...base, 'Threat Name': 'x', ThreatName: Number.NaN }).get('winlog.event_data.ThreatName')).toBe('x');
    expect(new LazyFlat({ ...base, ThreatName: 'y', 'Threat Name': 'x' }).get('winlog.event_data.ThreatName')).toBe('x');
    for (const lvl of [undefined, 'Low']) check({ ...base, IntegrityLevel: lvl, MandatoryLabel: 'S-1-16-12288', SubjectUserName: 'bob', SubjectDomainName: 'D' }, true);
    // Keys named like members of Object.prototype are EventData names (no inherited mapping entry).
    const proto = JSON.parse('{"Channel":"Security","EventID":4688,"__proto__":"p","constructor":"c","toString":"t"}') as Record<string, unknown>;
    expect(flatToCanonical(proto)).toMatchObject({ 'winlog.event_data.__proto__': 'p', 'winlog.event_data.constructor': 'c', 'winlog.event_data.toString': 't' });
    expect(Object.keys(flatToCanonical(proto))).not.toContain('[object Object]');
    check(proto, false);
    const lazy = new LazyFlat({ ...base, NewProcessName: 'C:\\a\\x.exe', MandatoryLabel: 'S-1-16-12288', SubjectUserName: 'bob', SubjectDomainName: 'D' });
    expect(lazy.get('process.name')).toBe('x.exe');
    expect(lazy.get('winlog.event_data.IntegrityLevel')).toBe('High');
    expect(lazy.get('user.name')).toBe('D\\bob');
  });

  const corpusFiles = (): string[] => {
    const out = [join(CORPUS, 'events', 'bench-100k.jsonl.gz'), join(CORPUS, 'events', 'bench-100k.xml.log.gz')];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(jsonl|xml\.log)$/.test(f)) out.push(p);
      }
    };
    walk(join(CORPUS, 'regression', 'regression_data'));
    return out;
  };

  it.skipIf(!existsSync(CORPUS))('equals the eager normalizer on the corpus events (first 4000 of each bench file, all regression events)', async () => {
    if (!existsSync(CORPUS)) return console.log('lazy normalization: no ../shared/corpus; corpus check skipped');
    let n = 0;
    const diffs: string[] = [];
    for (const file of corpusFiles()) {
      let i = 0;
      for await (const { raw } of readEvents(file, [])) {
        if (raw.Event !== undefined || raw['@timestamp'] !== undefined) continue; // not a flat record
        diffs.push(...differences(raw, i % 2 === 1));
        n++;
        if (++i >= 4000) break;
      }
    }
    expect(diffs.slice(0, 5)).toEqual([]);
    expect(n).toBeGreaterThan(8000);
  }, 120_000);
});
