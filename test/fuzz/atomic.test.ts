/**
 * Atomic output: a write that fails halfway (disk full, simulated by a writeSync that writes part
 * of the buffer and then fails) or at the rename leaves the earlier file intact and no temporary
 * file behind.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as realFs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const failing = { on: false };
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    writeSync: (fd: number, buf: Buffer, off = 0, len = buf.length - off) => {
      if (!failing.on) return fs.writeSync(fd, buf, off, len);
      fs.writeSync(fd, buf, off, Math.max(1, Math.floor(len / 2)));
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    },
  };
});

const { tempPathFor, tryWriteAtomic, writeAtomic } = await import('../../src/cli/output.js');
const { buildCatalog, writeSite } = await import('../../src/catalog/index.js');
const dir = realFs.mkdtempSync(join(tmpdir(), 'rb-atomic-'));
afterAll(() => realFs.rmSync(dir, { recursive: true, force: true }));
const leftovers = () => realFs.readdirSync(dir).filter((n) => n.endsWith('.tmp'));

describe('atomic writes', () => {
  it('writes the whole file', () => {
    expect(tryWriteAtomic(join(dir, 'a.kql'), 'x'.repeat(100_000))).toBeUndefined();
    expect(realFs.readFileSync(join(dir, 'a.kql'), 'utf8')).toHaveLength(100_000);
    expect(leftovers()).toEqual([]);
  });
  it('a write that fails halfway leaves the earlier file and no temporary file', () => {
    const p = join(dir, 'b.kql');
    realFs.writeFileSync(p, 'OLD');
    failing.on = true;
    try {
      expect(tryWriteAtomic(p, 'NEW'.repeat(1000))).toMatch(/^ENOSPC/);
    } finally {
      failing.on = false;
    }
    expect(realFs.readFileSync(p, 'utf8')).toBe('OLD');
    expect(leftovers()).toEqual([]);
  });
  it('a rename that fails (the target is a folder) leaves no temporary file', () => {
    const p = join(dir, 'c.kql');
    realFs.mkdirSync(join(p, 'inside'), { recursive: true });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(writeAtomic(p, 'x')).toBe(false);
      expect(String(err.mock.calls[0]?.[0])).toContain('RB903');
    } finally {
      err.mockRestore();
    }
    expect(realFs.statSync(p).isDirectory()).toBe(true);
    expect(leftovers()).toEqual([]);
  });
  it('never follows a symlink planted at the temporary name', () => {
    // The temporary file is created exclusively (O_EXCL): a planted link makes the write fail.
    const p = join(dir, 'd.kql');
    realFs.writeFileSync(join(dir, 'victim'), 'VICTIM');
    const probe = tempPathFor(p);
    const next = probe.replace(/\.(\d+)\.tmp$/, (_m, n: string) => `.${Number(n) + 1}.tmp`);
    realFs.symlinkSync(join(dir, 'victim'), next);
    expect(tryWriteAtomic(p, 'x')).toMatch(/^EEXIST/);
    expect(realFs.readFileSync(join(dir, 'victim'), 'utf8')).toBe('VICTIM');
    expect(realFs.existsSync(p)).toBe(false);
    realFs.unlinkSync(next);
  });
  it('a catalog site write that fails halfway keeps the earlier pages and leaves no temporary file', () => {
    const out = join(dir, 'site');
    const catalog = buildCatalog([]);
    expect(writeSite(catalog, out)).toContain('index.html');
    const before = realFs.readFileSync(join(out, 'index.html'), 'utf8');
    failing.on = true;
    try {
      expect(() => writeSite(catalog, out)).toThrow(/index\.html: ENOSPC/);
    } finally {
      failing.on = false;
    }
    expect(realFs.readFileSync(join(out, 'index.html'), 'utf8')).toBe(before);
    expect(realFs.readdirSync(out).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
