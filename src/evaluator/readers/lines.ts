/**
 * Streaming line source: a file (plain or gzip, found by its magic bytes, not its name) read
 * in chunks and split on newlines, so no event log, and no overlong line, is ever held in memory
 * as a whole.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

/** True when the file starts with the gzip magic bytes 1f 8b. */
async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** One line of a file: its 1-based number and text; `tooLong` when it passed the byte limit. */
export interface FileLine {
  line: number;
  text: string;
  /** The line had more than `maxBytes` bytes: its text is dropped (empty), never held. */
  tooLong?: boolean;
}

/**
 * Yields each line of a file with its 1-based number (a leading BOM is dropped; `\r\n` and `\n`
 * end lines). A line longer than `maxBytes` is never held in memory: its bytes are dropped as they
 * arrive and it comes out with `tooLong` set. Splitting on the byte 0x0a is safe in UTF-8, where
 * no multi-byte character contains it.
 */
export async function* readLines(file: string, maxBytes = Infinity): AsyncGenerator<FileLine> {
  const gz = await isGzip(file);
  const raw = createReadStream(file, { highWaterMark: 1 << 16 });
  const input: Readable = gz ? raw.pipe(createGunzip()) : raw;
  // A gunzip error is re-emitted on the piped stream so that the iterator below rejects.
  if (gz) raw.on('error', (e) => input.destroy(e));
  let n = 0;
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  const finish = (last: Buffer, from: number, to: number): FileLine => {
    n++;
    let text = '';
    if (!tooLong) {
      if (size === 0) text = last.toString('utf8', from, to);
      else {
        parts.push(last.subarray(from, to));
        text = Buffer.concat(parts).toString('utf8');
      }
      if (text.endsWith('\r')) text = text.slice(0, -1);
      if (n === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const out: FileLine = tooLong ? { line: n, text, tooLong } : { line: n, text };
    parts = [];
    size = 0;
    tooLong = false;
    return out;
  };
  const hold = (chunk: Buffer, from: number, to: number) => {
    if (tooLong) return;
    size += to - from;
    if (size > maxBytes) {
      tooLong = true;
      parts = [];
    } else if (to > from) parts.push(chunk.subarray(from, to));
  };
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      let from = 0;
      for (let nl = chunk.indexOf(10, from); nl !== -1; nl = chunk.indexOf(10, from)) {
        if (!tooLong && size + (nl - from) > maxBytes) hold(chunk, from, nl);
        yield finish(chunk, from, nl);
        from = nl + 1;
      }
      hold(chunk, from, chunk.length);
    }
    if (size > 0 || tooLong) yield finish(Buffer.alloc(0), 0, 0);
  } finally {
    input.destroy();
    raw.destroy();
  }
}
