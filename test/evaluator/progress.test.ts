/** The eval progress line: drawn on a terminal only, throttled, cleared at the end. */
import { describe, it, expect } from 'vitest';
import { progressLine } from '../../src/cli/eval.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 80, write: (s: string) => { writes.push(s); return true; } } as unknown as NodeJS.WriteStream };
}

describe('progress line', () => {
  it('writes nothing when stderr is not a terminal', () => {
    const { writes, stream } = fakeStream(false);
    const p = progressLine(stream, () => 1000);
    p.update(10_000, 'a.jsonl');
    p.done();
    expect(writes).toEqual([]);
  });

  it('shows events and events/s on one redrawn line, at most five times a second, then clears it', () => {
    const { writes, stream } = fakeStream(true);
    let t = 0;
    const p = progressLine(stream, () => t);
    t = 1000; p.update(5000, 'x/a.jsonl');
    t = 1100; p.update(6000, 'x/a.jsonl'); // throttled
    t = 2000; p.update(20_000, 'x/b.jsonl');
    p.done();
    expect(writes).toHaveLength(3);
    expect(writes[0]).toMatch(/^\r5,000 events {2}5,000 events\/s {2}x\/a\.jsonl +$/);
    expect(writes[1]).toMatch(/^\r20,000 events {2}10,000 events\/s {2}x\/b\.jsonl/);
    expect(writes[0]!.length).toBe(80);
    expect(writes[2]).toMatch(/^\r +\r$/);
  });
});

describe('eval in a pipe', () => {
  it('never draws the progress line', async () => {
    const { spawnSync } = await import('node:child_process');
    const { join } = await import('node:path');
    const { REPO } = await import('../helpers/paths.js');
    const r = spawnSync(process.execPath, [join(REPO, 'bin', 'rulebridge.js'), 'eval', 'rules/sigma', '--events', 'rules/events'], { cwd: REPO, encoding: 'utf8' });
    expect(r.stderr).not.toContain('\r');
    expect(r.stderr).toMatch(/events\/s\)\n$/);
  });
});
