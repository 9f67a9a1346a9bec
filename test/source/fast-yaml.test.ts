/**
 * The fast YAML reader gives what the `yaml` package gives wherever it accepts a text: the same
 * JS value (key order included), the same node kinds, scalar types and ranges (collections:
 * their start), and the same line starts; and it never accepts a text the package reports an error or warning for.
 * Checked over the Sigma and Splunk corpora and over generated documents.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import { fastParse } from '../../src/source/fast-yaml.js';
import { loadYaml } from '../../src/source/index.js';
import { CORPUS, HAS_CORPUS, skipNote } from '../helpers/paths.js';
import { ymlFiles } from '../frontends/sigma/helpers.js';

/** A description of a node tree: kinds, scalar values and types, and the ranges positions use. */
function shape(node: Node | null | undefined): unknown {
  if (isScalar(node)) return { s: node.value, type: node.type, range: node.range?.slice(0, 2) };
  if (isMap(node)) return { map: node.items.map((p) => (isPair(p) ? [shape(p.key as Node), shape(p.value as Node)] : 'not a pair')), at: node.range?.[0] };
  if (isSeq(node)) return { seq: node.items.map((n) => shape(n as Node)), at: node.range?.[0] };
  return { other: String(node) };
}

/** Compares the fast reader with the package on one text; returns whether the fast reader accepted it. */
function agrees(text: string, where = 'text'): boolean {
  const fast = fastParse(text);
  if (!fast) return false;
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  expect(list, where).toHaveLength(1);
  const doc = list[0]!;
  expect([...doc.errors, ...doc.warnings].map((e) => e.message), where).toEqual([]);
  const value = doc.toJS({ maxAliasCount: 100 });
  expect(JSON.stringify(fast.value), where).toBe(JSON.stringify(value));
  expect(fast.value, where).toEqual(value);
  expect(shape(fast.contents), where).toEqual(shape(doc.contents as Node));
  const [src] = loadYaml(where, text).docs;
  expect(src!.lines.lineStarts, where).toEqual(lines.lineStarts);
  // Where the document starts (its end after trailing comments is not matched: nothing reads it).
  expect(src!.doc.range?.[0], where).toBe(doc.range?.[0]);
  return true;
}

const plain = fc.constantFrom('x', 'Image', 'C:\\Windows\\x.exe', '*\\cmd.exe', 'a b', 'a:b', 'a #b', 'null', '~', 'true', 'False', '4688', '-1', '0', '017', '0x1f', '1.5', '.inf', 'yes', '2024-01-02', "it's", 'say "hi"', 'a,b', 'x]', '%x', '@x', '`x', '- x', '? x', ': x', 'x:', 'a: b', '#x', 'é ü', '---', '...');
const quoted = plain.map((v) => `'${v.replace(/'/g, "''")}'`);
const dquoted = fc.constantFrom('"x"', '"a \\"b"', '"C:\\\\x"', '"it\'s"', '""');
const block = fc.tuple(fc.constantFrom('|', '|-', '|+', '>', '>-', '|2', '| # c'), fc.array(fc.constantFrom('line one', '  more', '', '# not a comment', 'x: y', '   '), { minLength: 1, maxLength: 4 }));
const comment = fc.constantFrom('', ' # c', '  #c', '#c', '  ', ' ');
/** What separates entries: a line break, blank lines, comment lines (indented or not). */
const gap = fc.constantFrom('\n', '\n\n', '\n# c\n', '\n    # c\n', '\n  \n');
const key = fc.constantFrom('title', 'Image|endswith', 'CommandLine|contains|all', 'a b', 'null', '1', 'x', 'title', "'q'", 'k:');

/** A generated document of nested maps and sequences at varied indentation. */
const documentText = fc.letrec((tie) => ({
  value: fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.oneof(plain, quoted, dquoted), comment).map(([v, c]) => (ind: string) => ` ${v}${c}`) },
    { weight: 1, arbitrary: block.map(([h, ls]) => (ind: string) => ` ${h}\n${ls.map((l) => (l ? ind + '  ' + l : l)).join('\n')}`) },
    { weight: 2, arbitrary: tie('map').map((m) => (ind: string) => `\n${(m as (i: string) => string)(ind + '  ')}`) },
    { weight: 2, arbitrary: fc.tuple(tie('seq'), fc.boolean()).map(([s, same]) => (ind: string) => `\n${(s as (i: string) => string)(same ? ind : ind + '  ')}`) },
    { weight: 1, arbitrary: comment.map((c) => (_: string) => c) },
  ),
  map: fc.array(fc.tuple(key, tie('value'), gap), { minLength: 1, maxLength: 3 }).map((pairs) => (ind: string) => pairs.map(([k, v, g], i) => `${i ? g : ''}${ind}${k}:${(v as (i: string) => string)(ind)}`).join('')),
  seq: fc.array(fc.oneof(fc.tuple(fc.oneof(plain, quoted), comment).map(([v, c]) => (_: string) => v + c), tie('map').map((m) => (ind: string) => (m as (i: string) => string)(ind + '  ').trimStart())), { minLength: 1, maxLength: 3 })
    .map((items) => (ind: string) => items.map((it) => `${ind}- ${(it as (i: string) => string)(ind)}`).join('\n')),
}));

describe('fast YAML reader', () => {
  it('agrees with the yaml package on generated documents', () => {
    let accepted = 0;
    fc.assert(fc.property(documentText.map, fc.constantFrom('', '\n', '\n\n# end\n'), (m, tail) => {
      const text = (m as (i: string) => string)('') + tail;
      if (agrees(text, JSON.stringify(text))) accepted++;
    }), { numRuns: Number(process.env.FAST_YAML_RUNS ?? 3000) });
    console.log(`fast YAML reader: ${accepted} generated documents accepted`);
    expect(accepted).toBeGreaterThan(100);
  });

  it('declines what it does not read', () => {
    for (const t of ['a: [1, 2]\n', 'a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a:\tb\n', 'a: b\r\n', '---\na: 1\n', 'a: 1\na: 2\n', 'a: "x\\ty"\n', "a: 'x\n  y'\n", 'a: x\n  y\n', 'a: 1.5\n', '- - x\n', '']) {
      expect(fastParse(t), JSON.stringify(t)).toBeUndefined();
    }
  });

  it('reads the common shapes', () => {
    const text = "title: T # c\nlogsource:\n    product: windows\ndetection:\n    selection:\n        - Image|endswith: '\\x.exe'\n          EventID: 4688\n    sel2:\n    - 'a'\n    condition: selection\ndescription: |\n    one\n\n    two\nlevel:\n";
    expect(agrees(text)).toBe(true);
    expect(fastParse(text)!.value).toEqual({
      title: 'T', logsource: { product: 'windows' }, description: 'one\n\ntwo\n', level: null,
      detection: { selection: [{ 'Image|endswith': '\\x.exe', EventID: 4688 }], sel2: ['a'], condition: 'selection' },
    });
  });
});

skipNote('the fast YAML reader over the corpora');
describe.skipIf(!HAS_CORPUS)('fast YAML reader over the corpora', () => {
  for (const [name, dir, least] of [['sigma', join(CORPUS, 'sigma'), 0.8], ['splunk', join(CORPUS, 'splunk', 'detections'), 0]] as const) {
    it(`${name}: every file it accepts reads as the package reads it`, () => {
      const files = ymlFiles(dir);
      let accepted = 0;
      for (const f of files) if (agrees(readFileSync(f, 'utf8'), f)) accepted++;
      console.log(`fast YAML reader: ${accepted}/${files.length} ${name} files`);
      // Most Sigma rules must take the fast path, or loading is slow again.
      expect(accepted / files.length).toBeGreaterThanOrEqual(least);
    }, 60_000);
  }
});
