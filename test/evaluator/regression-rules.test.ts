/**
 * End to end over the Sigma regression corpus: each regression folder names the Sigma rule its
 * events must trigger (info.yml rule_metadata id). The rule is loaded from ../shared/corpus/sigma
 * by the Sigma frontend, compiled, and must match in event.jsonl and in event.xml.log.
 * Skips (saying so) when the corpus is absent.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, HAS_CORPUS, skipNote } from '../helpers/paths.js';
import { loadRules } from '../../src/index.js';
import { compileRules, evaluateFiles } from '../../src/evaluator/index.js';

function infoDirs(d: string, out: string[] = []): string[] {
  for (const n of readdirSync(d)) {
    const p = join(d, n);
    if (statSync(p).isDirectory()) infoDirs(p, out);
    else if (n === 'info.yml') out.push(d);
  }
  return out;
}

describe.skipIf(!HAS_CORPUS)('Sigma regression corpus', () => {
  skipNote('the Sigma regression rules test');
  it('every regression event set triggers its rule, in both renderings', async () => {
    const { rules } = loadRules([join(CORPUS, 'sigma')]);
    const byId = new Map(rules.filter((r) => r.rule).map((r) => [r.rule!.meta.id, r.rule!]));
    const failures: string[] = [];
    let checked = 0;
    for (const d of infoDirs(join(CORPUS, 'regression'))) {
      const id = /rule_metadata:\s*\n\s*- id: (\S+)/.exec(readFileSync(join(d, 'info.yml'), 'utf8'))?.[1];
      const rule = id ? byId.get(id) : undefined;
      if (!rule) { failures.push(`${d}: rule ${id} not loaded`); continue; }
      const { compiled, diagnostics } = compileRules([rule]);
      if (!compiled.length) { failures.push(`${rule.file}: ${diagnostics.map((x) => x.code + ' ' + x.message).join('; ')}`); continue; }
      for (const f of ['event.jsonl', 'event.xml.log']) {
        if (!existsSync(join(d, f))) continue;
        checked++;
        const res = await evaluateFiles(compiled, [join(d, f)], () => {});
        if (res.summary.matches[compiled[0]!.id]! === 0) failures.push(`${join(d, f)}: no match for ${rule.file}`);
      }
    }
    expect(checked).toBeGreaterThan(200);
    expect(failures).toEqual([]);
  }, 300_000);
});
