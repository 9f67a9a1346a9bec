/**
 * The Sigma backend's fast YAML paths write exactly what the `yaml` package writes: over random
 * values (fast-check) and over every rule of the Sigma corpus. Where a fast path declines
 * (undefined), the package writes the text, so only the answers it gives are compared.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fastBlock, fastDetectionBlock, literalBlockText, scalarText, SCHEMA_11, SCHEMA_12 } from '../../../src/backends/sigma-fast-yaml.js';
import { DATE_OPTS, detectionValue, YAML_OPTS, yamlBlock, yamlDetectionText, yamlScalar } from '../../../src/backends/sigma-yaml.js';
import { buildDetection } from '../../../src/backends/sigma-detection.js';
import { CORPUS, HAS_CORPUS, skipNote } from '../../helpers/paths.js';
import { lowerText, ymlFiles } from '../../frontends/sigma/helpers.js';

/** Strings rich in what YAML treats specially: indicators, quotes, spaces, digits, keywords. */
const tricky = fc.oneof(
  fc.string({ unit: fc.constantFrom(...' -?:#,[]{}&*!|>\'"%@`.\\/0123456789eExXoObB_+~\tyYnN'.split('')), maxLength: 8 }),
  fc.constantFrom('yes', 'No', 'on', 'OFF', 'y', 'n', 'true', 'null', '~', '', '---', '...', '0x1f', '017', '1_000', '1:30', '.inf', '.NaN', '2024-01-02', '1e3', '<<', '- a', '? b', 'a: b', 'a #b', 'a:', ' a', 'a ', "it's", 'say "hi"', "'\"both"),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const key = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('Image|endswith', 'CommandLine|contains', 'EventID', 'selection', 'filter_main', 'OriginalFileName') }, fc.constantFrom('Image|endswith', 'CommandLine|contains|all', '|all', 'y', 'on', '1', 'a b', 'x:y', '_x.y-z'), tricky);
const leaf = fc.oneof(tricky, fc.integer(), fc.constant(null), fc.double(), fc.boolean());
const leafList = fc.array(leaf, { maxLength: 3 });
const map = fc.dictionary(key, fc.oneof(leaf, leafList), { maxKeys: 3 });
const selection = fc.oneof(map, leafList, fc.array(map, { maxLength: 3 }), leaf, fc.dictionary(key, map, { maxKeys: 2 }));
const detection = fc.dictionary(key, selection, { minKeys: 1, maxKeys: 4 });

/**
 * Checks `fast` against `slow` wherever it answers; returns how often it answered (the callers'
 * floors are a third or less of the usual count, so that no seed fails them).
 */
function agreement<T>(arb: fc.Arbitrary<T>, fast: (v: T) => string | undefined, slow: (v: T) => string, numRuns: number): number {
  let answered = 0;
  fc.assert(fc.property(arb, (v) => {
    const text = fast(v);
    if (text !== undefined) { answered++; expect(text).toBe(slow(v)); }
  }), { numRuns });
  return answered;
}

describe('fast YAML paths equal the yaml package', () => {
  it('scalars, YAML 1.1 and dates (1.2)', () => {
    expect(agreement(tricky, (v) => scalarText(v, SCHEMA_11), (v) => yamlScalar(v, YAML_OPTS), 3000)).toBeGreaterThan(300);
    expect(agreement(tricky, (v) => scalarText(v, SCHEMA_12), (v) => yamlScalar(v, DATE_OPTS), 3000)).toBeGreaterThan(300);
  });

  it('multi-line values (literal blocks)', () => {
    const text = fc.tuple(fc.array(fc.oneof(tricky, fc.constantFrom('', '  indented', 'x: y', '- item', '---', '# c')), { minLength: 1, maxLength: 5 }), fc.constantFrom('', '\n', '\n\n', ' \n'))
      .map(([ls, end]) => ls.join('\n') + end);
    expect(agreement(text, literalBlockText, (v) => yamlScalar(v), 2000)).toBeGreaterThan(100);
  });

  it('blocks of lists and maps', () => {
    const arb = fc.oneof(fc.array(tricky, { maxLength: 4 }), fc.dictionary(key, tricky, { maxKeys: 3 }));
    expect(agreement<unknown>(arb, fastBlock, yamlBlock, 2000)).toBeGreaterThan(40);
  });

  it('detection blocks', () => {
    expect(agreement(detection, fastDetectionBlock, yamlDetectionText, 3000)).toBeGreaterThan(30);
  });

  it('declines multi-line and control-character values', () => {
    expect(scalarText('a\nb', SCHEMA_11)).toBeUndefined();
    expect(scalarText('a\u0007', SCHEMA_11)).toBeUndefined();
    expect(fastDetectionBlock({ selection: { Image: 'a\nb' } })).toBeUndefined();
    expect(fastDetectionBlock({ selection: [] })).toBeUndefined();
    expect(fastDetectionBlock({ selection: { 'Image|endswith': ['\\a.exe', "it's"] }, filter: [{ A: 1, B: null }] })).toBe(
      "    selection:\n        Image|endswith:\n            - '\\a.exe'\n            - 'it''s'\n    filter:\n        - A: 1\n          B: null",
    );
  });
});

skipNote('the fast YAML paths over the Sigma corpus');
describe.skipIf(!HAS_CORPUS)('fast YAML paths over the Sigma corpus', () => {
  it('every detection block and metadata value the fast paths write equals the package', () => {
    let detections = 0, fastDetections = 0, values = 0, fastValues = 0;
    for (const f of ymlFiles(join(CORPUS, 'sigma'))) {
      const [r] = lowerText(readFileSync(f, 'utf8'), f);
      const rule = r?.rule;
      if (!rule || rule.query.inputs) continue;
      const det = buildDetection(rule.query.filter, rule.query.source, rule.file);
      if (det.sels.length) {
        detections++;
        const v = detectionValue(det);
        const fast = fastDetectionBlock(v);
        if (fast !== undefined) { fastDetections++; expect(fast, f).toBe(yamlDetectionText(v)); }
      }
      const m = rule.meta;
      for (const s of [m.title, m.description, m.author, ...m.references, ...m.tags, ...m.falsepositives]) {
        if (!s) continue;
        values++;
        const fast = scalarText(s, SCHEMA_11) ?? literalBlockText(s);
        if (fast !== undefined) { fastValues++; expect(fast, f).toBe(yamlScalar(s)); }
      }
      if (m.date && scalarText(m.date, SCHEMA_12) !== undefined) expect(scalarText(m.date, SCHEMA_12), f).toBe(yamlScalar(m.date, DATE_OPTS));
      for (const list of [m.references, m.tags, m.falsepositives]) {
        const fast = fastBlock(list);
        if (fast !== undefined) expect(fast, f).toBe(yamlBlock(list));
      }
    }
    expect(detections).toBeGreaterThan(2000);
    // The fast paths must carry the corpus, or the backend is slow again.
    expect(fastDetections / detections).toBeGreaterThan(0.99);
    expect(fastValues / values).toBeGreaterThan(0.99);
  }, 60_000);
});
