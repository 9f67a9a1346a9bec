/**
 * Atomic file writes. A file is written to a temporary name beside it (created exclusively, so a
 * planted symlink is never followed) and renamed over the target only when complete: a reader, or
 * a later run after a crash or a full disk, sees the old file or the new one, never half of one.
 */
import { closeSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let serial = 0;

/** The temporary name a file is written under before its rename (hidden, in the same folder). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${++serial}.tmp`);
}

/**
 * Writes a file through a temporary name and a rename. Returns the error message on failure
 * (the temporary file is removed and any existing file at `path` is left as it was).
 */
export function tryWriteAtomic(path: string, content: string): string | undefined {
  let tmp: string | undefined;
  let fd: number | undefined;
  let created = false;
  try {
    mkdirSync(dirname(path), { recursive: true });
    tmp = tempPathFor(path);
    fd = openSync(tmp, 'wx', 0o644);
    created = true;
    const buf = Buffer.from(content, 'utf8');
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
    return undefined;
  } catch (e) {
    if (fd !== undefined) try { closeSync(fd); } catch { /* already failing */ }
    // Only a file this call created is removed (never what was found at the temporary name).
    if (created && tmp !== undefined) try { unlinkSync(tmp); } catch { /* already gone */ }
    const err = e as NodeJS.ErrnoException;
    return err.code ? `${err.code}: ${err.message}` : err.message;
  }
}
