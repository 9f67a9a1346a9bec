/**
 * Streaming line source: a file (plain or gzip, found by its magic bytes, not its name) read
 * through node:readline, so no event log is ever held in memory as a whole.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
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

/** Yields each line of a file with its 1-based number (a leading BOM is dropped). */
export async function* readLines(file: string): AsyncGenerator<{ line: number; text: string }> {
  const gz = await isGzip(file);
  const raw = createReadStream(file);
  const input: Readable = gz ? raw.pipe(createGunzip()) : raw;
  // A gunzip error is re-emitted on the piped stream so that readline's iterator rejects.
  if (gz) raw.on('error', (e) => input.destroy(e));
  const rl = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const text of rl) {
      n++;
      yield { line: n, text: n === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
    }
  } finally {
    rl.close();
    input.destroy();
    raw.destroy();
  }
}
