/** `rulebridge eval` with lookups: found beside the rules by default, or in --lookups; a missing table is RB506. */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { REPO } from '../helpers/paths.js';

const DIR = join('test', 'fixtures', 'events', 'lookup-rule');
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'rulebridge.js'), 'eval', join(DIR, 'detections'), '--events', join(DIR, 'events.jsonl'), ...args], { cwd: REPO, encoding: 'utf8' });
  return { code: r.status, lines: r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { line: number }), err: r.stderr };
};

describe('rulebridge eval with a lookup', () => {
  it('reads the table through its definition in lookups/ beside the rules (wildcard column, case-insensitive)', () => {
    const r = run();
    expect(r.code).toBe(0);
    expect(r.lines.map((m) => m.line)).toEqual([1, 3]);
  });

  it('reads it from --lookups', () => {
    expect(run('--lookups', join('test', 'fixtures', 'events', 'lookups')).lines.map((m) => m.line)).toEqual([1, 3]);
  });

  it('reports a table not found as RB506 at the lookup command, and fails', () => {
    const r = run('--lookups', mkdtempSync(join(tmpdir(), 'rb-nolookups-')));
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([]);
    expect(r.err).toMatch(/known_bad_tool\.yml:15:\d+.*RB506.*lookup table 'bad_tools' not found/);
  });
});
