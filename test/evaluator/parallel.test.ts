/**
 * `eval --workers`: evaluateParallel gives the matches, in the order, that evaluateFiles gives,
 * and leaves rules with stages to the main thread. Worker threads run compiled JavaScript, so
 * this test uses dist/ (built by `npm test` before vitest); it skips, saying so, without it.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, RULES } from '../helpers/paths.js';

const DIST = join(REPO, 'dist', 'evaluator', 'parallel.js');
const HAS_DIST = existsSync(DIST);

describe.skipIf(!HAS_DIST)('evaluation on worker threads', () => {
  if (!HAS_DIST) console.warn('skipped the worker-thread evaluation test: dist/ is not built (npx tsc -p .)');

  it('finds the same matches in the same order as one thread, and runs aggregating rules too', async () => {
    const api = await import(join(REPO, 'dist', 'index.js'));
    const { evaluateParallel, isPerEvent } = await import(DIST);
    const { rules } = api.loadRules([join(RULES, 'sigma'), join(RULES, 'splunk')], { macros: [join(RULES, 'macros')] });
    const { compiled } = api.compileRules(rules.filter((r: { rule?: unknown }) => r.rule).map((r: { rule: unknown }) => r.rule));
    expect(compiled.some(isPerEvent)).toBe(true);
    expect(compiled.some((r: unknown) => !isPerEvent(r))).toBe(true);
    // The bundled events, twice over, plus a line that does not parse.
    const dir = mkdtempSync(join(tmpdir(), 'rb-par-'));
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"Channel":"Security","EventID":4688}\n{not json\n');
    const events = ['sysmon-process-creation.jsonl', 'sysmon-process-creation.xml.log'].map((f) => join(RULES, 'events', f));
    const files = [...events, ...events, bad];
    const one: unknown[] = [], many: unknown[] = [];
    const a = await api.evaluateFiles(compiled, files, (m: unknown) => one.push(m));
    const b = await evaluateParallel(compiled, files, (m: unknown) => many.push(m), { workers: 2, batchSize: 7 });
    expect(one.length).toBeGreaterThan(0);
    expect(b.summary.events).toBe(a.summary.events);
    expect(b.summary.matches).toEqual(a.summary.matches);
    expect(b.aggregates).toEqual(a.aggregates);
    expect(b.diagnostics.map((d: { code: string; line?: number }) => [d.code, d.line])).toEqual(a.diagnostics.map((d: { code: string; line?: number }) => [d.code, d.line]));
    expect(b.diagnostics.map((d: { code: string }) => d.code)).toContain('RB501');
    // Per-event rules' matches keep one thread's order.
    const perEvent = new Set(compiled.filter(isPerEvent).map((r: { id: string }) => r.id));
    expect(many.filter((m) => perEvent.has((m as { rule: string }).rule))).toEqual(one.filter((m) => perEvent.has((m as { rule: string }).rule)));
  }, 60_000);
});
