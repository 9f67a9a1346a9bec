/**
 * What every fuzz case must satisfy: no exception; every rule either lowered or carries an
 * error diagnostic; every diagnostic uses a known code; every render either yields a query or
 * says why with an error; a query produced with no error is valid for its language (Kusto's
 * own parser, the EQL and SPL test grammars, SQLite's prepare, YAML re-load for Sigma).
 */
import Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import { CODES, type Diagnostic } from '../../src/diagnostics/index.js';
import { render } from '../../src/backends/index.js';
import { sqlDdl } from '../../src/backends/sql-ddl.js';
import { loadRuleText } from '../../src/frontends/load.js';
import type { LoadedRule } from '../../src/frontends/types.js';
import type { RuleIR } from '../../src/ir/nodes.js';
import { KUSTO_SKIP, kustoErrors } from '../helpers/kusto.js';
import { parseEql } from '../helpers/eql-parse.js';
import { parseSpl } from '../helpers/spl-parse.js';

/** A broken property: the message says what and the case is attached by the runner. */
export class Violation extends Error {}

function must(ok: boolean, what: string): void {
  if (!ok) throw new Violation(what);
}

/** Diagnostics use codes of the table and say where they point. */
export function checkDiagnostics(ds: readonly Diagnostic[], where: string): void {
  for (const d of ds) {
    must(d.code in CODES, `${where}: unknown code ${d.code}`);
    must(d.severity === CODES[d.code].severity, `${where}: ${d.code} has severity ${d.severity}`);
    must(typeof d.message === 'string' && d.message.length > 0, `${where}: ${d.code} without a message`);
  }
}

/** Every loaded rule either lowered with no error or has an error diagnostic with a position. */
export function checkLoaded(rules: readonly LoadedRule[], file: string): void {
  for (const r of rules) {
    checkDiagnostics(r.diagnostics, 'load');
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    if (r.rule) must(errors.length === 0, `a rule lowered with errors: ${errors.map((d) => d.code).join(',')}`);
    // A file whose documents are all empty gives one entry with its YAML warnings only.
    else must(errors.length > 0 || (rules.length === 1 && r.diagnostics.length > 0 && r.diagnostics.every((d) => d.code === 'RB105')), 'a rule neither lowered nor has an error (silent drop)');
    for (const e of errors) {
      must(e.file === file, `${e.code} points at file ${String(e.file)}`);
      must(typeof e.line === 'number' && e.line >= 1 && typeof e.column === 'number' && e.column >= 1, `${e.code} has no position: ${e.message}`);
      must(e.code.startsWith('RB1') || e.code.startsWith('RB2') || e.code.startsWith('RB3'), `frontend error with a code of another stage: ${e.code}`);
    }
  }
}

/** Each target and dialect the fuzz suite renders to. */
export const RENDERS: { target: string; dialect?: string }[] = [
  { target: 'kql', dialect: 'defender' },
  { target: 'kql', dialect: 'sentinel' },
  { target: 'eql' },
  { target: 'spl' },
  { target: 'sigma' },
  { target: 'sql', dialect: 'sqlite' },
  { target: 'sql', dialect: 'duckdb' },
  { target: 'sql', dialect: 'postgres' },
  { target: 'sql', dialect: 'spark' },
];

let sqlite: Database.Database | undefined;
function sqliteDb(): Database.Database {
  if (!sqlite) {
    sqlite = new Database(':memory:');
    sqlite.exec(sqlDdl('sqlite'));
    // SQLite's REGEXP operator calls a host function (the sqlite dialect documents it); queries are only prepared here.
    sqlite.function('regexp', { deterministic: true, varargs: true }, () => 0);
  }
  return sqlite;
}

/** Counters of what the oracles checked, per target. */
export const validated: Record<string, number> = {};
/** Time spent in the oracles (a parser's first use warms up for seconds); not counted against a case. */
export const oracleClock = { ms: 0 };

/** Renders a rule for every target; checks the result and, when asked, the output's validity. */
export function checkRenders(rule: RuleIR, validate: boolean): void {
  for (const { target, dialect } of RENDERS) {
    const name = dialect ? `${target}/${dialect}` : target;
    const r = render(rule, target, dialect ? { dialect } : {});
    checkDiagnostics(r.diagnostics, name);
    const hasError = r.diagnostics.some((d) => d.severity === 'error');
    if (!r.ok) {
      must(hasError, `${name}: refused without an error diagnostic`);
      must(r.query === undefined, `${name}: refused but returned a query`);
      continue;
    }
    must(!hasError && typeof r.query === 'string' && r.query.trim().length > 0, `${name}: ok with an error or an empty query`);
    if (!validate) continue;
    const q = r.query!;
    const t0 = performance.now();
    try {
      validateQuery(name, q, rule);
    } finally {
      oracleClock.ms += performance.now() - t0;
    }
    validated[name] = (validated[name] ?? 0) + 1;
  }
}

function validateQuery(name: string, q: string, rule: RuleIR): void {
  const fail = (e: unknown) => {
    throw new Violation(`${name}: emitted query is not valid: ${(e as Error).message ?? e}\n--- query ---\n${q}`);
  };
  if (name.startsWith('kql/')) {
    if (KUSTO_SKIP) return;
    // The JavaScript build of Kusto.Language keeps names in plain objects: a column named
    // `__proto__` is never found (`print __proto__ = 1 | project __proto__` fails there too), reads
    // as no column name in project-rename (KS109) and as declared twice after project-away (KS171).
    // Real Kusto takes the name like any other, so the query is checked with the name renamed.
    const errs = kustoErrors(q.replaceAll('__proto__', 'proto_name_'));
    if (errs.length) fail(new Error(errs.map((d) => `${d.code} ${d.message} at '${d.at}'`).join('; ')));
  } else if (name === 'eql') {
    // The EQL test grammar covers what Sigma rules lower to (no pipes beyond head/tail).
    if (rule.format === 'sigma') try { parseEql(q); } catch (e) { fail(e); }
  } else if (name === 'spl') {
    if (rule.format === 'sigma') try { parseSpl(q); } catch (e) { fail(e); }
  } else if (name === 'sql/sqlite') {
    try { sqliteDb().prepare(q); } catch (e) { fail(e); }
  } else if (name === 'sigma') {
    const back = loadRuleText('roundtrip.yml', q);
    const bad = back.flatMap((r) => r.diagnostics).filter((d) => d.code === 'RB102' || d.code === 'RB104');
    if (bad.length) fail(new Error(bad.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`).join('; ')));
  }
}
