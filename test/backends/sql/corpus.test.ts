/**
 * The real corpora through the SQL target. Every Sigma rule (all of ../shared/corpus/sigma) and
 * every security_content detection that lowers either renders SQL that runs in SQLite and DuckDB
 * over a table holding the events of ../shared/corpus/regression, or fails with an error
 * diagnostic, never an empty query. At least 99% of the Sigma rules convert. Prints converted /
 * unsupported (by code and reason) / invalid per dialect for the closing note. Skips with a
 * message when the corpus is absent.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, HAS_CORPUS, skipNote } from '../../helpers/paths.js';
import { loadRuleText } from '../../../src/frontends/load.js';
import { render } from '../../../src/backends/index.js';
import { readEvents, toCanonical } from '../../../src/evaluator/index.js';
import type { RuleIR } from '../../../src/ir/index.js';
import { sqliteEngine, duckdbEngine, type Engine } from './engines.js';

function files(dir: string, re: RegExp): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p, re) : re.test(n) ? [p] : [];
  });
}

interface Figures { rules: number; converted: number; warned: number; unsupported: Record<string, number>; invalid: string[] }

function text(name: string, f: Figures): string {
  const reasons = Object.entries(f.unsupported).sort((a, b) => b[1] - a[1]).map(([k, v]) => `    ${v}  ${k}`);
  return [`${name}: ${f.rules} rules, converted ${f.converted} (${((100 * f.converted) / f.rules).toFixed(1)}%; ${f.warned} with an RB404 warning), unsupported ${f.rules - f.converted - f.invalid.length}, invalid ${f.invalid.length}`, ...reasons].join('\n');
}

/** Renders and runs every rule in one engine; a rule that renders but does not run is invalid. */
async function run(rules: RuleIR[], eng: Engine): Promise<Figures> {
  const f: Figures = { rules: rules.length, converted: 0, warned: 0, unsupported: {}, invalid: [] };
  for (const rule of rules) {
    const r = render(rule, 'sql', { dialect: eng.name });
    if (!r.ok) {
      expect(r.query).toBeUndefined();
      const e = r.diagnostics.find((d) => d.severity === 'error');
      expect(e, rule.file).toBeDefined();
      const why = `${e!.code} ${e!.message.replace(/'[^']*'/g, '…').replace(/\/.*\//, '/…/')}`;
      f.unsupported[why] = (f.unsupported[why] ?? 0) + 1;
      continue;
    }
    try {
      await eng.all(r.query!);
      f.converted++;
      if (r.diagnostics.some((d) => d.code === 'RB404')) f.warned++;
    } catch (err) {
      f.invalid.push(`${rule.file}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return f;
}

function lowered(dir: string): RuleIR[] {
  return files(dir, /\.ya?ml$/).flatMap((file) => {
    try {
      return loadRuleText(file, readFileSync(file, 'utf8')).flatMap((l) => (l.rule ? [l.rule] : []));
    } catch {
      return [];
    }
  });
}

describe.skipIf(!HAS_CORPUS)('sql over the corpora', () => {
  if (!HAS_CORPUS) skipNote('sql corpus test');
  let engines: Engine[] = [];
  let events = 0;
  beforeAll(async () => {
    const rows: Record<string, unknown>[] = [];
    for (const f of files(join(CORPUS, 'regression'), /\.jsonl$/)) for await (const { raw } of readEvents(f, [])) rows.push(toCanonical(raw));
    events = rows.length;
    engines = [sqliteEngine(rows), await duckdbEngine(rows)];
  }, 120_000);

  it('sigma: at least 99% of all rules render SQL that runs in SQLite and DuckDB over the regression events', async () => {
    expect(events).toBeGreaterThan(100);
    const rules = lowered(join(CORPUS, 'sigma'));
    expect(rules.length).toBeGreaterThan(2200);
    for (const eng of engines) {
      const f = await run(rules, eng);
      console.log(text(`sql (${eng.name}) Sigma, all rules, over ${events} regression events`, f));
      expect(f.invalid.slice(0, 20)).toEqual([]);
      expect(f.converted / f.rules).toBeGreaterThanOrEqual(0.99);
    }
    // no engine here: rendering never throws and never yields an empty query
    for (const dialect of ['postgres', 'spark']) {
      const f: Figures = { rules: rules.length, converted: 0, warned: 0, unsupported: {}, invalid: [] };
      for (const rule of rules) {
        const r = render(rule, 'sql', { dialect });
        if (r.ok && !/^SELECT /m.test(r.query ?? '')) f.invalid.push(`${rule.file}: no SELECT`);
        else if (r.ok) {
          f.converted++;
          if (r.diagnostics.some((d) => d.code === 'RB404')) f.warned++;
        }
        else { const e = r.diagnostics.find((d) => d.severity === 'error')!; const k = `${e.code} ${e.message.replace(/'[^']*'/g, '…')}`; f.unsupported[k] = (f.unsupported[k] ?? 0) + 1; }
      }
      console.log(text(`sql (${dialect}) Sigma, all rules, rendered only`, f));
      expect(f.invalid).toEqual([]);
    }
  }, 600_000);

  it('splunk: every detection that lowers renders SQL that runs, or fails with an error', async () => {
    const rules = lowered(join(CORPUS, 'splunk'));
    for (const eng of engines) {
      const f = await run(rules, eng);
      console.log(text(`sql (${eng.name}) security_content, lowered detections`, f));
      expect(f.invalid.slice(0, 20)).toEqual([]);
      expect(f.converted).toBeGreaterThan(0);
    }
  }, 600_000);
});
