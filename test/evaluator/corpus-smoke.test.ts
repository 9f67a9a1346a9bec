/**
 * Corpus smoke test: every regression event (../shared/corpus/regression) reads and normalizes,
 * and the same event given as event.jsonl, event.xml.log and event.from-evtx.jsonl normalizes to
 * the same canonical event. Skips (saying so) when the corpus is absent.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, HAS_CORPUS, skipNote } from '../helpers/paths.js';
import { readEvents, toCanonical, type CanonicalEvent } from '../../src/evaluator/index.js';
import type { Diagnostic } from '../../src/diagnostics/index.js';

const REG = join(CORPUS, 'regression');

function eventDirs(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) eventDirs(p, out);
    else if (n === 'event.jsonl') out.push(dir);
  }
  return out;
}

async function canon(file: string, diags: Diagnostic[]): Promise<CanonicalEvent[]> {
  const out: CanonicalEvent[] = [];
  for await (const e of readEvents(file, diags)) out.push(toCanonical(e.raw));
  return out;
}

describe.skipIf(!HAS_CORPUS)('regression corpus', () => {
  skipNote('the regression corpus smoke test');
  it('every event normalizes, and its three renderings agree', async () => {
    const dirs = eventDirs(REG);
    expect(dirs.length).toBeGreaterThan(50);
    const diags: Diagnostic[] = [];
    let events = 0;
    const disagreements: string[] = [];
    for (const d of dirs) {
      const shapes = ['event.jsonl', 'event.xml.log', 'event.from-evtx.jsonl'].filter((f) => existsSync(join(d, f)));
      const all = await Promise.all(shapes.map((f) => canon(join(d, f), diags)));
      for (const evs of all) {
        for (const ev of evs) {
          events++;
          expect(typeof ev['event.code']).toBe('number');
          if (ev['@timestamp'] !== undefined) expect(ev['@timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
        }
      }
      for (let i = 1; i < all.length; i++) {
        if (all[i]!.length !== all[0]!.length) { disagreements.push(`${d}: ${shapes[i]} has ${all[i]!.length} events, event.jsonl ${all[0]!.length}`); continue; }
        all[0]!.forEach((ev, j) => {
          const other = all[i]![j]!;
          for (const k of new Set([...Object.keys(ev), ...Object.keys(other)])) {
            // Compared case-insensitively: one renderer of the corpus changed the case of a value
            // (Explorer.EXE vs Explorer.exe); rules compare case-insensitively unless cased.
            if (JSON.stringify(ev[k])?.toLowerCase() !== JSON.stringify(other[k])?.toLowerCase()) disagreements.push(`${d.slice(REG.length)} #${j + 1} ${shapes[i]} ${k}: ${JSON.stringify(ev[k])} vs ${JSON.stringify(other[k])}`);
          }
        });
      }
    }
    expect(diags).toEqual([]);
    expect(events).toBeGreaterThan(100);
    expect(disagreements.slice(0, 20)).toEqual([]);
  }, 60_000);
});
