/**
 * The real corpora through the SQL target: every rule that lowers and renders must run (on an
 * empty table) in SQLite and DuckDB; what it cannot render must say so with an error, never an
 * empty query. Reads ../shared/corpus; skips with a message when it is absent.
 */
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, HAS_CORPUS, skipNote } from '../../helpers/paths.js';
import { loadRuleText } from '../../../src/frontends/load.js';
import { render } from '../../../src/backends/index.js';
import { sqliteEngine, duckdbEngine } from './engines.js';

function ymls(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? ymls(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}

describe.skipIf(!HAS_CORPUS)('sql over the corpora', () => {
  if (!HAS_CORPUS) skipNote('sql corpus test');
  for (const corpus of ['sigma', 'splunk']) {
    it(`${corpus}: rendered SQL runs in SQLite and DuckDB`, async () => {
      const sqlite = sqliteEngine([]);
      const duck = await duckdbEngine([]);
      const stats = { lowered: 0, rendered: 0, refused: 0 };
      const broken: string[] = [];
      for (const file of ymls(join(CORPUS, corpus))) {
        let loaded;
        try { loaded = loadRuleText(file, readFileSync(file, 'utf8')); } catch { continue; }
        for (const l of loaded) {
          if (!l.rule) continue;
          stats.lowered++;
          for (const [dialect, eng] of [['sqlite', sqlite], ['duckdb', duck]] as const) {
            const r = render(l.rule, 'sql', { dialect });
            if (!r.ok) {
              stats.refused++;
              expect(r.query).toBeUndefined();
              expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
              continue;
            }
            stats.rendered++;
            try { await eng.all(r.query!); } catch (e) { broken.push(`${dialect} ${file}: ${(e as Error).message.split('\n')[0]}`); }
          }
          // no engine here: rendering never throws and never yields an empty query
          for (const dialect of ['postgres', 'spark']) {
            const r = render(l.rule, 'sql', { dialect });
            if (r.ok && !/^SELECT /m.test(r.query ?? '')) broken.push(`${dialect} ${file}: no SELECT`);
          }
        }
      }
      console.log(`sql ${corpus}:`, stats);
      expect(broken.slice(0, 20)).toEqual([]);
      expect(stats.rendered).toBeGreaterThan(0);
    }, 600_000);
  }
});
