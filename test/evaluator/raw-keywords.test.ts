/**
 * Keyword atoms checked on a flat record's raw values never miss what the canonical haystack
 * shows: whenever a keyword literal occurs in a lower-cased canonical value, its raw part occurs
 * in the raw haystack — on generated records that exercise every value rewrite of the
 * normalizer (hex, numbers, timestamps, domain\name, value words, GUIDs, objects, lists) and on
 * the benchmark's events (skipped, saying so, without the corpus).
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { join } from 'node:path';
import { rawHaystack, rawKeywordLiteral } from '../../src/evaluator/raw-keywords.js';
import { flatToCanonical } from '../../src/evaluator/normalize/index.js';
import { readEvents } from '../../src/evaluator/readers/index.js';
import { Row } from '../../src/evaluator/row.js';
import { TIME_MS } from '../../src/evaluator/normalize/canonical.js';
import { CORPUS, HAS_CORPUS, skipNote } from '../helpers/paths.js';

/** The implication under test, for one record and one literal. */
function holds(rec: Record<string, unknown>, lit: string): boolean {
  const part = rawKeywordLiteral(lit);
  if (part === undefined) return true; // no part: the canonical haystack is used instead
  const canonical = new Row(flatToCanonical(rec)).joined(true, TIME_MS);
  return !canonical.includes(lit) || rawHaystack(rec).includes(part);
}

const text = fc.constantFrom('0x0001fc', '0x1FC', '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}', '4688 ', 'CORP', 'alice', 'S-1-16-12288', 'S-1-16-16384',
  'C:\\Windows\\System32\\cmd.exe', '2019-04-27T15:57:25.868863200Z', '2019-04-27 15:57:25', 'Mimikatz sekurlsa::logonpasswords', 'High', '1e3', 'AΣ', 'KELVIN\u212a');
const value = fc.oneof(text, fc.integer({ min: -5, max: 70000 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(),
  fc.array(text, { maxLength: 3 }), fc.record({ a: text }));
const literal = fc.constantFrom('0x1fc', '1fc', '4688', '1000', 'corp\\alice', 'p\\al', 'high', 'igh', 'system', 'ystem32', '5770385f-c22a', '15:57:25.868863z',
  '2019-04-27t15', 'sekurlsa::', '\\mimilib.dll', 'cmd.exe', '"a"', 'aς', 'kelvin', 'untrusted', 'medium');

describe('raw keyword parts', () => {
  it('a literal in a canonical value has its part in the raw values (generated records)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(['Security', 4688], ['security', 4689], ['Microsoft-Windows-Sysmon/Operational', 1], ['System', 7045], ['Application', 1]),
        fc.dictionary(fc.constantFrom('SubjectUserName', 'SubjectDomainName', 'MandatoryLabel', 'NewProcessId', 'ProcessId', 'Image', 'CommandLine', 'Hashes', 'ProcessGuid', 'Threat Name', 'UserID', 'Data', 'SystemTime', 'ParentImage', 'NewProcessName'), value, { maxKeys: 8 }),
        literal,
        ([Channel, EventID], fields, lit) => {
          expect(holds({ Channel, EventID, ...fields }, lit)).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });
  it('parts avoid backslashes, non-ASCII, number and time characters and value words', () => {
    expect(rawKeywordLiteral('\\mimilib.dll')).toBe('mimilib.dll');
    expect(rawKeywordLiteral('corp\\alice')).toBe('alice');
    expect(rawKeywordLiteral('0x1fc')).toBeUndefined();
    expect(rawKeywordLiteral('2019-04-27t15:57')).toBeUndefined();
    expect(rawKeywordLiteral('igh')).toBeUndefined(); // part of the value word High
    expect(rawKeywordLiteral('qσlong')).toBe('long');
  });
  it('the raw haystack has every raw value, lists and objects included', () => {
    expect(rawHaystack({ a: 'X', b: 5, c: ['Y', { d: 'Z' }], e: null, f: true })).toBe('x\u00005\u0000y\u0000{"d":"z"}\u0000true');
  });
});

describe.skipIf(!HAS_CORPUS)('raw keyword parts on the benchmark events', () => {
  skipNote('the raw keyword test over bench-100k');
  const lits = ['sekurlsa::', 'mimikatz', 'lsadump::', '\\mimilib.dll', 'microsoft-windows', 'svchost.exe', 'system32\\', 'nt authority\\system', 's-1-5-18', 'powershell'];
  for (const f of ['bench-100k.jsonl.gz', 'bench-100k.xml.log.gz']) {
    it(`holds on the first 3,000 events of ${f}`, async () => {
      let n = 0;
      let seen = 0;
      for await (const { raw } of readEvents(join(CORPUS, 'events', f), [])) {
        for (const lit of lits) {
          if (!holds(raw, lit)) throw new Error(`event ${n + 1}: ${lit}`);
          if (new Row(flatToCanonical(raw)).joined(true, TIME_MS).includes(lit)) seen++;
        }
        if (++n >= 3000) break;
      }
      expect(seen).toBeGreaterThan(100); // the literals do occur: the implication was exercised
    }, 60_000);
  }
});

describe('a numeric timestamp out of the Date range', () => {
  it('is no timestamp, and normalizing does not throw', () => {
    const ev = flatToCanonical({ Channel: 'Security', EventID: 4688, SystemTime: -8640000000000001 });
    expect(ev['@timestamp']).toBeUndefined();
    expect(flatToCanonical({ Channel: 'Security', EventID: 4688, SystemTime: 8640000000000 })['@timestamp']).toBe('2243-10-17T00:00:00.000000Z');
  });
});
