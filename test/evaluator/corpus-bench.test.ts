/**
 * The 100k-event benchmark logs (../shared/corpus/events): the gzip'd JSON lines and XML
 * renderings of the same events read completely and normalize to identical canonical events,
 * and a rule finds the same matches in both. Skips (saying so) when the corpus is absent.
 */
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { CORPUS, HAS_CORPUS, skipNote } from '../helpers/paths.js';
import { compileRules, evaluateFiles, readEvents, toCanonical } from '../../src/evaluator/index.js';
import { pred, or, type RuleIR } from '../../src/ir/index.js';
import type { Diagnostic } from '../../src/diagnostics/index.js';

const JSONL = join(CORPUS, 'events', 'bench-100k.jsonl.gz');
const XML = join(CORPUS, 'events', 'bench-100k.xml.log.gz');

/** JSON with sorted keys: key order is not part of an event's meaning. */
const stable = (o: Record<string, unknown>) => JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k]]));

describe.skipIf(!HAS_CORPUS)('bench-100k corpus', () => {
  skipNote('the bench-100k corpus test');
  it('both renderings read completely and normalize identically', async () => {
    const da: Diagnostic[] = [], db: Diagnostic[] = [];
    const ia = readEvents(JSONL, da)[Symbol.asyncIterator]();
    const ib = readEvents(XML, db)[Symbol.asyncIterator]();
    let n = 0;
    const diffs: string[] = [];
    for (;;) {
      const [x, y] = await Promise.all([ia.next(), ib.next()]);
      expect(x.done).toBe(y.done);
      if (x.done || y.done) break;
      n++;
      const a = toCanonical(x.value.raw), b = toCanonical(y.value.raw);
      expect(typeof a['event.code']).toBe('number');
      if (stable(a) !== stable(b) && diffs.length < 5) diffs.push(`line ${x.value.line}: ${stable(a).slice(0, 300)} vs ${stable(b).slice(0, 300)}`);
    }
    expect(n).toBe(100_000);
    expect([...da, ...db]).toEqual([]);
    expect(diffs).toEqual([]);
  }, 120_000);

  it('a rule finds the same events in both renderings', async () => {
    const rule: RuleIR = {
      format: 'sigma', file: 'bench.yml',
      meta: { id: 'bench-rule', title: 'powershell or cmd children', references: [], tags: [], falsepositives: [] },
      query: {
        source: { product: 'windows', category: 'process_creation' },
        filter: or([pred('process.name', 'eq', ['powershell.exe', 'cmd.exe']), pred('process.command_line', 'contains', [' -enc'])]),
        stages: [],
      },
    };
    const { compiled } = compileRules([rule]);
    const lines: Record<string, number[]> = { [JSONL]: [], [XML]: [] };
    const res = await evaluateFiles(compiled, [JSONL, XML], (m) => lines[m.file]!.push(m.line));
    expect(res.summary.events).toBe(200_000);
    expect(lines[JSONL]!.length).toBeGreaterThan(10);
    expect(lines[XML]).toEqual(lines[JSONL]);
  }, 120_000);
});
