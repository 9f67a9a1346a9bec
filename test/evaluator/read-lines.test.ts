/**
 * The streaming line splitter of the event readers: line ends, BOM, UTF-8 across chunk edges,
 * gzip, and the byte limit past which a line is dropped unread.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readLines } from '../../src/evaluator/readers/lines.js';

const dir = mkdtempSync(join(tmpdir(), 'rb-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let serial = 0;

async function lines(content: string | Buffer, maxBytes?: number, gzip = false) {
  const file = join(dir, `f${++serial}`);
  const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  writeFileSync(file, gzip ? gzipSync(buf) : buf);
  const out: Array<[number, string] | [number, 'TOO LONG']> = [];
  for await (const l of readLines(file, maxBytes)) out.push(l.tooLong ? [l.line, 'TOO LONG'] : [l.line, l.text]);
  return out;
}

describe('readLines', () => {
  it.each([
    ['LF', 'a\nb\n', [[1, 'a'], [2, 'b']]],
    ['CRLF', 'a\r\nb\r\n', [[1, 'a'], [2, 'b']]],
    ['no final newline', 'a\nb', [[1, 'a'], [2, 'b']]],
    ['blank lines keep their numbers', 'a\n\n\nb\n', [[1, 'a'], [2, ''], [3, ''], [4, 'b']]],
    ['a lone CR stays inside the line', 'a\rb\n', [[1, 'a\rb']]],
    ['a BOM on the first line is dropped', '\ufeffa\n\ufeffb\n', [[1, 'a'], [2, '\ufeffb']]],
    ['empty file', '', []],
  ])('%s', async (_name, content, expected) => {
    expect(await lines(content)).toEqual(expected);
    expect(await lines(content, undefined, true)).toEqual(expected);
  });

  it('decodes a multi-byte character that straddles a chunk edge', async () => {
    const pad = 'x'.repeat((1 << 16) - 1);
    expect(await lines(`${pad}é€😀\nnext\n`)).toEqual([[1, `${pad}é€😀`], [2, 'next']]);
  });

  it('drops a line past the byte limit, wherever its bytes fall', async () => {
    expect(await lines('12345\n123456\n1234\n', 5)).toEqual([[1, '12345'], [2, 'TOO LONG'], [3, '1234']]);
    expect(await lines('123456', 5)).toEqual([[1, 'TOO LONG']]);
    const big = 'y'.repeat(3 << 16);
    expect(await lines(`ok\n${big}\nok\n`, 1 << 17)).toEqual([[1, 'ok'], [2, 'TOO LONG'], [3, 'ok']]);
    expect(await lines(`ok\n${big}`, 1 << 17, true)).toEqual([[1, 'ok'], [2, 'TOO LONG']]);
    // The limit counts bytes: 3 two-byte characters are 6 bytes.
    expect(await lines('ééé\n', 5)).toEqual([[1, 'TOO LONG']]);
  });
});
