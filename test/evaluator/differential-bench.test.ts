/**
 * Differential run at corpus scale: every Windows Sigma corpus rule without stages that converts to
 * SQL, over the bench-100k events and the Sigma regression events (JSON lines and XML), through the
 * evaluator (all rules compiled as one unit) and through the emitted SQL on SQLite and DuckDB; the
 * (rule, event) match sets must be identical. Events reach the tables through the evaluator's reader
 * and normalizer and rowFor(); an event is identified by its file and line (the table's rowid).
 *
 * CI runs a slice: the first DIFF_EVENTS (default 2000) bench events plus all regression events
 * (about a minute: the cost is ~1700 queries per engine). `npm run test:differential` sets
 * RB_DIFFERENTIAL_FULL=1: all 100k bench events (~36 minutes here, mostly SQLite's json_extract);
 * DIFF_RULES=a,b narrows either run to rules whose path contains a or b. A full run also fails when
 * a KNOWN disagreement no longer occurs, so the list stays true.
 * Skips (saying so) when ../shared/corpus is absent.
 */
import { describe, it, expect } from 'vitest';
import { createReadStream, createWriteStream, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { RE2JS } from 're2js';
import { DuckDBInstance } from '@duckdb/node-api';
import { CORPUS, HAS_CORPUS, skipNote } from '../helpers/paths.js';
import { loadRuleText } from '../../src/frontends/load.js';
import { render } from '../../src/backends/index.js';
import { sqlDdl } from '../../src/backends/sql-ddl.js';
import { allColumns, insertSql, rowFor } from '../../src/backends/sql-rows.js';
import { compileRules, evaluateFiles, readEvents, toCanonical } from '../../src/evaluator/index.js';
import type { RuleIR } from '../../src/ir/index.js';

const FULL = process.env.RB_DIFFERENTIAL_FULL === '1';
const LIMIT = FULL ? Infinity : Number(process.env.DIFF_EVENTS ?? 2_000);
const BENCH = join(CORPUS, 'events', 'bench-100k.jsonl.gz');

/** Known disagreements, each with its reason (rule file relative to the corpus → reason). */
const KNOWN: Record<string, string> = {};
/** Only rules whose path contains one of these comma-separated texts (for looking into a disagreement). */
const ONLY = process.env.DIFF_RULES?.split(',').filter(Boolean);

function files(dir: string, re: RegExp): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p, re) : re.test(n) ? [p] : [];
  });
}

/** The first `n` lines of the gzip'd bench file, as a plain file (the evaluator and SQL read the same slice). */
async function slice(n: number): Promise<string> {
  if (!Number.isFinite(n)) return BENCH;
  const out: string[] = [];
  const rl = createInterface({ input: createReadStream(BENCH).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of rl) { if (out.length >= n) break; out.push(line); }
  rl.close();
  const f = join(mkdtempSync(join(tmpdir(), 'rb-diff-')), `bench-${n}.jsonl`);
  writeFileSync(f, out.join('\n') + '\n');
  return f;
}

/** Sigma Windows rules without stages, one per id. */
function corpusRules(): RuleIR[] {
  const byId = new Map<string, RuleIR>();
  for (const f of files(join(CORPUS, 'sigma'), /\.ya?ml$/)) {
    for (const l of loadRuleText(f, readFileSync(f, 'utf8'))) {
      const r = l.rule;
      if (!r || r.query.stages.length || r.query.inputs || r.query.source.product?.toLowerCase() !== 'windows') continue;
      if (ONLY && !ONLY.some((o) => f.includes(o))) continue;
      if (!byId.has(r.meta.id)) byId.set(r.meta.id, r);
    }
  }
  return [...byId.values()];
}

describe.skipIf(!HAS_CORPUS)('differential: evaluator vs SQL (SQLite, DuckDB) over bench-100k and the regression events', () => {
  skipNote('the bench differential test');
  it('returns identical (rule, event) match sets', async () => {
    const t0 = Date.now();
    const eventFiles = [await slice(LIMIT), ...files(join(CORPUS, 'regression'), /^event\.(jsonl|xml\.log)$/).sort()];
    const rules = corpusRules();
    const { compiled } = compileRules(rules);
    const evalSets = new Map<string, Set<string>>();
    const fileNo = new Map(eventFiles.map((f, i) => [f, i]));
    const t1 = Date.now();
    const res = await evaluateFiles(compiled, eventFiles, (m) => {
      let s = evalSets.get(m.rule);
      if (!s) evalSets.set(m.rule, (s = new Set()));
      s.add(`${fileNo.get(m.file)}:${m.line}`);
    });
    const evalSeconds = (Date.now() - t1) / 1000;

    // The same events, in the same order, into both tables; the i-th row is keys[i]. DuckDB
    // loads a JSON-lines copy of the rows (one INSERT … SELECT instead of parameter-bound batches).
    const sqlite = new Database(':memory:');
    sqlite.exec(sqlDdl('sqlite'));
    // The regexp() SQLite calls for REGEXP, as src/backends/sql-sqlite.ts asks the host to register it.
    const res2 = new Map<string, RE2JS>();
    sqlite.function('regexp', { deterministic: true }, (p, t) => {
      if (t === null) return null;
      let re = res2.get(String(p));
      if (!re) res2.set(String(p), (re = RE2JS.compile(String(p))));
      return re.matcher(String(t)).find() ? 1 : 0;
    });
    const ins = sqlite.prepare(insertSql('sqlite'));
    const cols = allColumns();
    const jsonRows = join(mkdtempSync(join(tmpdir(), 'rb-diff-rows-')), 'rows.jsonl');
    const out = createWriteStream(jsonRows);
    const keys: string[] = [];
    for (const f of eventFiles) {
      const rows: unknown[][] = [];
      for await (const { line, raw } of readEvents(f, [])) {
        const ev = toCanonical(raw);
        keys.push(`${fileNo.get(f)}:${line}`);
        rows.push(rowFor(ev, 'sqlite'));
        const d = rowFor(ev, 'duckdb');
        if (!out.write(JSON.stringify(Object.fromEntries(cols.map((c, i) => [c, d[i]]))) + '\n')) await once(out, 'drain');
      }
      sqlite.transaction(() => { for (const r of rows) ins.run(...r); })();
    }
    await new Promise((ok) => out.end(ok));
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    await duck.run("SET threads = 1");
    await duck.run(sqlDdl('duckdb'));
    const colSpec = cols.map((c) => `'${c.replace(/'/g, "''")}': 'VARCHAR'`).join(', ');
    await duck.run(`INSERT INTO events SELECT * FROM read_json('${jsonRows}', format = 'newline_delimited', columns = {${colSpec}})`);
    const loadSeconds = (Date.now() - t1) / 1000 - evalSeconds;
    expect(keys.length).toBe(res.summary.events);
    expect(Number((await duck.runAndReadAll('SELECT count(*) AS n FROM events')).getRowObjectsJS()[0]!.n)).toBe(keys.length);

    const stats = { rules: rules.length, compiled: compiled.length, compared: 0, refused: 0, events: keys.length, ruleEventPairs: 0, matches: 0, disagreements: 0 };
    const sqlSeconds = { sqlite: 0, duckdb: 0 };
    const diffs: string[] = [];
    const engines = {
      sqlite: async (q: string) => sqlite.prepare(q).all() as Record<string, unknown>[],
      duckdb: async (q: string) => (await duck.runAndReadAll(q)).getRowObjectsJS() as Record<string, unknown>[],
    };
    // Each rule's query selects (rule number, row number); queries run UNION ALL'd in batches,
    // one at a time only when a batch fails (to name the rule).
    const got = { sqlite: new Map<number, string[]>(), duckdb: new Map<number, string[]>() };
    const comparedRules = new Set<number>();
    for (const dialect of ['sqlite', 'duckdb'] as const) {
      const qs: { i: number; q: string }[] = [];
      compiled.forEach((c, i) => {
        const r = render(c.rule, 'sql', { dialect });
        if (!r.ok || !r.query) { stats.refused++; return; }
        const q = r.query.replace(/^SELECT \*$/m, `SELECT ${i} AS rb_rule, rowid AS rb_rowid`);
        if (q === r.query) { diffs.push(`${dialect} ${c.rule.file}: unexpected query shape`); return; }
        qs.push({ i, q });
        comparedRules.add(i);
      });
      const tq = Date.now();
      const take = (rows: Record<string, unknown>[]) => {
        for (const row of rows) {
          const i = Number(row.rb_rule), n = Number(row.rb_rowid) - (dialect === 'sqlite' ? 1 : 0);
          const l = got[dialect].get(i);
          if (l) l.push(keys[n]!); else got[dialect].set(i, [keys[n]!]);
        }
      };
      for (let b = 0; b < qs.length; b += 50) {
        const batch = qs.slice(b, b + 50);
        try { take(await engines[dialect](batch.map((x) => x.q).join('\nUNION ALL\n'))); } catch {
          for (const x of batch) {
            try { take(await engines[dialect](x.q)); } catch (e) { diffs.push(`${dialect} ${compiled[x.i]!.rule.file}: ${(e as Error).message}`); }
          }
        }
      }
      sqlSeconds[dialect] = (Date.now() - tq) / 1000;
    }
    const knownSeen = new Set<string>();
    const at = (k: string) => { const [fi, l] = k.split(':'); return `${relative(CORPUS, eventFiles[Number(fi)]!)}:${l}`; };
    compiled.forEach((c, i) => {
      if (!comparedRules.has(i)) return;
      stats.compared++;
      stats.ruleEventPairs += keys.length;
      const want = [...(evalSets.get(c.id) ?? [])].sort();
      stats.matches += want.length;
      const rel = relative(CORPUS, c.rule.file);
      for (const dialect of ['sqlite', 'duckdb'] as const) {
        const have = [...new Set(got[dialect].get(i) ?? [])].sort();
        const a = new Set(want), b = new Set(have);
        const onlyEval = want.filter((k) => !b.has(k)), onlySql = have.filter((k) => !a.has(k));
        if ((onlyEval.length || onlySql.length) && KNOWN[rel]) knownSeen.add(rel);
        if ((onlyEval.length || onlySql.length) && !KNOWN[rel]) {
          stats.disagreements++;
          diffs.push(`${dialect} ${rel}: evaluator ${want.length}, sql ${have.length}; only evaluator ${onlyEval.slice(0, 3).map(at).join(' ')}; only sql ${onlySql.slice(0, 3).map(at).join(' ')}`);
        }
      }
    });
    console.log('bench differential:', { ...stats, evalSeconds, loadSeconds, sqlSeconds, eventsPerSecond: Math.round(keys.length / evalSeconds), seconds: (Date.now() - t0) / 1000 });
    expect(diffs).toEqual([]);
    expect(stats.compared).toBeGreaterThan(ONLY ? 0 : 500);
    // A known disagreement that went away must leave the list, so the list stays true.
    const stale = Object.keys(KNOWN).filter((rel) => knownSeen.has(rel) === false && compiled.some((c) => relative(CORPUS, c.rule.file) === rel) && FULL);
    expect(stale).toEqual([]);
  }, FULL ? 4 * 3600_000 : 900_000);
});
