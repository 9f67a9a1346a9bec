/**
 * Differential run: the Sigma regression cases of ../shared/corpus (a rule and the events it
 * must match) through the JS evaluator and through the emitted SQL on SQLite and DuckDB; both
 * select the same number of events. Events reach the table through the evaluator's normalizer
 * and rowFor(). Skips with a message when the corpus is absent.
 */
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { CORPUS, HAS_CORPUS, skipNote } from '../../helpers/paths.js';
import { loadRuleText } from '../../../src/frontends/load.js';
import { render } from '../../../src/backends/index.js';
import { compileRules, evaluateFiles, readEvents, toCanonical } from '../../../src/evaluator/index.js';
import type { RuleIR } from '../../../src/ir/index.js';
import { sqliteEngine, duckdbEngine } from './engines.js';

/** Cases where the evaluator is known to miss a positive event (none at present). */
const EVALUATOR_GAPS = new Set<string>([]);

function files(dir: string, re: RegExp): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p, re) : re.test(n) ? [p] : [];
  });
}

describe.skipIf(!HAS_CORPUS)('sql vs evaluator on the regression corpus', () => {
  if (!HAS_CORPUS) skipNote('sql differential test');
  it('selects the same events', async () => {
    const byId = new Map<string, RuleIR>();
    for (const f of files(join(CORPUS, 'sigma'), /\.ya?ml$/)) {
      for (const l of loadRuleText(f, readFileSync(f, 'utf8'))) if (l.rule) byId.set(l.rule.meta.id, l.rule);
    }
    const stats = { cases: 0, compared: 0, refused: 0 };
    const diffs: string[] = [];
    for (const info of files(join(CORPUS, 'regression'), /^info\.yml$/)) {
      const dir = join(info, '..');
      const ev = join(dir, 'event.jsonl');
      const id = (parse(readFileSync(info, 'utf8')) as { rule_metadata?: { id: string }[] }).rule_metadata?.[0]?.id;
      const rule = id ? byId.get(id) : undefined;
      if (!rule || !existsSync(ev) || rule.query.stages.length) continue;
      stats.cases++;
      const { compiled } = compileRules([rule]);
      if (!compiled.length) continue;
      const js = (await evaluateFiles(compiled, [ev], () => {})).summary.matches[compiled[0]!.id] ?? 0;
      const events: Record<string, unknown>[] = [];
      for await (const { raw } of readEvents(ev, [])) events.push(toCanonical(raw));
      for (const [dialect, eng] of [['sqlite', sqliteEngine(events)], ['duckdb', await duckdbEngine(events)]] as const) {
        const r = render(rule, 'sql', { dialect });
        if (!r.ok) { stats.refused++; continue; }
        stats.compared++;
        const n = (await eng.all(r.query!)).length;
        // every regression case is a positive detection test: its events must match
        if (n === 0) diffs.push(`${dialect} ${rule.file}: sql matches none of the positive events`);
        if (n !== js && !EVALUATOR_GAPS.has(basename(rule.file))) diffs.push(`${dialect} ${rule.file}: evaluator ${js}, sql ${n}`);
      }
    }
    console.log('sql differential:', stats);
    expect(diffs).toEqual([]);
    expect(stats.compared).toBeGreaterThan(0);
  }, 600_000);
});
