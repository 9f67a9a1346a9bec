/**
 * The modifier × target table harness. A row is a small Sigma rule (a detection body under a
 * fixed header) with events that must and must not match. For each row:
 * - the rule lowers (or its diagnostics are the expected outcome);
 * - every target's output (KQL, EQL, SQL for SQLite and DuckDB, SPL, Sigma) or its diagnostics
 *   (code + line + column) is compared with a golden file under test/fixtures/tables/<table>/
 *   (UPDATE_TABLES=1 rewrites them), so a changed output fails;
 * - meaning is proven by execution where an engine or oracle exists: the evaluator over the
 *   events written as a JSON-lines file, each SQL output in SQLite and DuckDB over the same
 *   events, the EQL and SPL outputs through the strict parsers and their evaluators of
 *   test/helpers, the Sigma output reloaded to the same IR and evaluated again; KQL is checked
 *   by Kusto.Language (no errors) and by the golden text.
 */
import { expect } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadRuleText } from '../../src/frontends/load.js';
import { render } from '../../src/backends/index.js';
import { cimSource, rawSource } from '../../src/backends/spl-source.js';
import { loadMapping } from '../../src/ir/index.js';
import { compileRules, evaluateFiles, toCanonical } from '../../src/evaluator/index.js';
import type { Diagnostic } from '../../src/diagnostics/index.js';
import type { LogSource, RuleIR } from '../../src/ir/index.js';
import { evalEql, parseEql } from '../helpers/eql-parse.js';
import { parseSpl, passes } from '../helpers/spl-parse.js';
import { KUSTO_SKIP, kustoErrors } from '../helpers/kusto.js';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { sqlDdl } from '../../src/backends/sql-ddl.js';
import { insertSql, rowFor } from '../../src/backends/sql-rows.js';
import { sqlLayout } from '../../src/backends/sql-layout.js';
import { sqliteEngine, type Engine } from '../backends/sql/engines.js';

/** A raw event: a flat Windows record (EventData fields at top level), without channel and id. */
export type Raw = Record<string, unknown>;

/** Who judges an event: the evaluator or an executed output. */
export type Oracle = 'evaluator' | 'sqlite' | 'duckdb' | 'eql' | 'spl' | 'sigma';

/** One row of a table. */
export interface TableRow {
  /** Unique within its table; names the golden file. */
  name: string;
  /** The lines under `detection:` (indented by 4), joined by newlines. */
  detection: string;
  /** Log source category (default process_creation); `service` for a service-only source. */
  category?: string;
  service?: string;
  /** Events that must match / must not match (near misses). */
  yes?: Raw[];
  no?: Raw[];
  /** Oracles that cannot judge this row, with the reason (a known limit of the oracle, not of rulebridge). */
  skip?: Partial<Record<Oracle, string>>;
  /** Open defects: targets whose output is known to mean something else, with the reason; their verdicts are not checked until fixed. */
  open?: Partial<Record<Oracle, string>>;
  /** Values of `|expand` placeholders, as a user's placeholder file gives them. */
  placeholders?: Record<string, string[]>;
  /** Expected: the rule does not lower; the golden file holds the diagnostics. */
  lowerFails?: boolean;
}

/** The rule file's header: the detection body starts on line 9. */
export const DETECTION_LINE = 9;

/** The Sigma rule text of a row. */
export function ruleText(row: TableRow): string {
  const ls = row.service ? `    product: windows\n    service: ${row.service}` : `    product: windows\n    category: ${row.category ?? 'process_creation'}`;
  return `title: Table row\nid: 5f0c7a8e-1b2d-4c3e-8f9a-0b1c2d3e4f50\nstatus: test\nlogsource:\n${ls}\nlevel: low\ndetection:\n${row.detection}\n`;
}

/** Targets in golden order: [label, target, dialect]. */
const TARGETS: [string, 'kql' | 'eql' | 'sql' | 'spl' | 'sigma', string | undefined][] = [
  ['kql', 'kql', undefined],
  ['eql', 'eql', undefined],
  ['sql sqlite', 'sql', 'sqlite'],
  ['sql duckdb', 'sql', 'duckdb'],
  ['spl', 'spl', undefined],
  ['sigma', 'sigma', undefined],
];

const FIXTURES = resolve(__dirname, '..', 'fixtures', 'tables');
const UPDATE = !!process.env.UPDATE_TABLES;

/** Warnings and errors, as the golden files record them. */
function goldenDiags(ds: Diagnostic[]): string {
  return ds.filter((d) => d.severity === 'error' || d.severity === 'warning').map((d) => `${d.severity} ${d.code} at ${d.line}:${d.column}: ${d.message}`).join('\n');
}

function diagText(ds: Diagnostic[]): string {
  return ds.filter((d) => d.severity === 'error').map((d) => `error ${d.code} at ${d.line}:${d.column}: ${d.message}`).join('\n');
}

/** The channel and event id of a category, from mappings/windows.json (Sysmon first). */
function systemOf(row: TableRow): Raw {
  const m = loadMapping<{ categories: Record<string, { channels: Record<string, number[]> }>; services: Record<string, { channels: string[] }> }>('windows');
  if (row.service) return { Channel: m.services[row.service]!.channels[0] };
  const [ch, ids] = Object.entries(m.categories[row.category ?? 'process_creation']!.channels)[0]!;
  return { Channel: ch, EventID: ids[0] };
}

/** ECS categorization the EQL output tests (Elastic events carry it). */
const ECS_KIND: Record<string, Raw> = {
  process_creation: { 'event.category': 'process', 'event.type': 'start' },
  network_connection: { 'event.category': 'network' },
  file_event: { 'event.category': 'file', 'event.type': 'creation' },
  registry_set: { 'event.category': 'registry', 'event.type': 'change' },
};

/** ECS keyword fields that hold numbers as text in Elastic (event.code is "1"), from mappings/ecs.json. */
const KEYWORD_FIELDS = new Set(loadMapping<{ keywordFields: string[] }>('ecs').keywordFields);

/** System values of a raw record, left out of the rendered message. */
const SYSTEM_KEYS = new Set(['Channel', 'EventID', 'EventRecordID', 'SystemTime']);

/**
 * A canonical event as Elastic stores it: keyword fields as strings, and `message` as Windows
 * renders an event (one `Name: value` line per event data field), which EQL keyword searches read.
 */
function eqlEvent(ev: Raw, raw: Raw): Raw {
  const out: Raw = { message: Object.entries(raw).filter(([k]) => !SYSTEM_KEYS.has(k)).map(([k, v]) => `${k}: ${String(v)}`).join('\n'), ...ev };
  for (const k of Object.keys(out)) if (KEYWORD_FIELDS.has(k) && typeof out[k] === 'number') out[k] = String(out[k]);
  return out;
}

/** An event named by SPL: CIM names of the row's data model, raw Windows names, and the search terms' fields. */
function splEvent(src: LogSource, canon: Raw, raw: Raw): Raw {
  const out: Raw = { ...raw, sourcetype: 'XmlWinEventLog', EventCode: raw.EventID, source: `XmlWinEventLog:${String(raw.Channel)}` };
  const cim = cimSource(src);
  const rs = rawSource(src);
  for (const [k, v] of Object.entries(canon)) {
    for (const s of [cim, rs]) {
      const n = s?.field(k)?.name;
      if (n && !(n in out)) out[n] = v;
    }
  }
  return out;
}

/** Which events (by index) the evaluator matches with this rule. */
async function evaluatorVerdicts(rule: RuleIR, raws: Raw[]): Promise<boolean[]> {
  const { compiled, diagnostics } = compileRules([rule]);
  expect(diagText(diagnostics)).toBe('');
  const dir = mkdtempSync(join(tmpdir(), 'rb-table-'));
  try {
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, raws.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const lines = new Set<number>();
    await evaluateFiles(compiled, [file], (m) => lines.add(m.line));
    return raws.map((_, i) => lines.has(i + 1));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let duck: DuckDBConnection | undefined;

/** One DuckDB database for every row (a new instance per row is the slow part): the table is emptied and refilled. */
async function duckdbEngine(events: Raw[]): Promise<Engine> {
  if (!duck) {
    duck = await (await DuckDBInstance.create(':memory:')).connect();
    await duck.run(sqlDdl('duckdb'));
  }
  const conn = duck;
  await conn.run(`DELETE FROM ${JSON.stringify(sqlLayout().table)}`);
  for (const e of events) await conn.run(insertSql('duckdb'), rowFor(e, 'duckdb'));
  return {
    name: 'duckdb',
    all: async (q) => (await conn.runAndReadAll(q)).getRowObjectsJS() as Record<string, unknown>[],
  };
}

async function sqlVerdicts(engine: Engine, query: string, ids: number[]): Promise<boolean[]> {
  const rows = await engine.all(query);
  const got = new Set(rows.map((r) => Number(r['winlog.record_id'])));
  return ids.map((id) => got.has(id));
}

/** Runs one row: golden outputs and verdicts of every oracle. */
export async function runRow(table: string, row: TableRow): Promise<void> {
  const text = ruleText(row);
  const opts = row.placeholders ? { placeholders: new Map(Object.entries(row.placeholders)) } : {};
  const loaded = loadRuleText('rule.yml', text, opts);
  expect(loaded.length).toBe(1);
  const l = loaded[0]!;
  const sections: string[] = [`# ${row.name}`, '--- rule detection', row.detection];
  const errs = diagText(l.diagnostics);
  const rule = errs ? undefined : l.rule;
  const outputs: Record<string, string | undefined> = {};
  if (!rule) {
    sections.push('--- lower', goldenDiags(l.diagnostics) || 'no rule');
  } else {
    for (const [label, target, dialect] of TARGETS) {
      const r = render(rule, target, dialect ? { dialect } : {});
      // Never an empty query: either text or an error diagnostic.
      if (r.ok) expect(r.query?.trim()).toBeTruthy();
      else expect(diagText(r.diagnostics)).not.toBe('');
      outputs[label] = r.ok ? r.query : undefined;
      const warns = r.ok ? goldenDiags(r.diagnostics) : '';
      sections.push(`--- ${label}`, r.ok ? r.query!.trimEnd() + (warns ? `\n${warns}` : '') : goldenDiags(r.diagnostics));
    }
    sections.push('--- evaluator', goldenDiags(compileRules([rule]).diagnostics) || 'runs');
  }
  const golden = sections.join('\n') + '\n';
  const file = join(FIXTURES, table, `${row.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase()}.txt`);
  if (UPDATE || !existsSync(file)) {
    mkdirSync(join(FIXTURES, table), { recursive: true });
    writeFileSync(file, golden);
    if (!UPDATE) throw new Error(`golden file ${file} was missing and has been written; check it and rerun`);
  } else expect(golden.split('\n'), `${file} changed: check the new output and rerun with UPDATE_TABLES=1`).toEqual(readFileSync(file, 'utf8').split('\n'));

  expect(!!row.lowerFails).toBe(!rule);
  if (!rule) return;

  // Events: the row's fields under the log source's channel and event id, numbered by record id.
  const yes = row.yes ?? [];
  const no = row.no ?? [];
  const want = [...yes.map(() => true), ...no.map(() => false)];
  const base = systemOf(row);
  const raws = [...yes, ...no].map((e, i) => ({ ...base, EventRecordID: 9001 + i, ...e }));
  const ids = raws.map((_, i) => 9001 + i);
  const canon = raws.map((r) => toCanonical(r) as Raw);
  const label = (i: number) => `${i < yes.length ? 'must match' : 'must not match'} ${JSON.stringify([...yes, ...no][i])}`;
  const check = (who: string, got: boolean[]) => {
    const bad = got.flatMap((g, i) => (g === want[i] ? [] : [`${who}: ${label(i)}`]));
    expect(bad).toEqual([]);
  };
  const skip = { ...row.skip, ...row.open };
  const evaluates = !diagText(compileRules([rule]).diagnostics);

  if (evaluates && !skip.evaluator) check('evaluator', await evaluatorVerdicts(rule, raws));

  for (const dialect of ['sqlite', 'duckdb'] as const) {
    const q = outputs[`sql ${dialect}`];
    if (!q || skip[dialect]) continue;
    const engine = dialect === 'sqlite' ? sqliteEngine(canon) : await duckdbEngine(canon);
    check(dialect, await sqlVerdicts(engine, q, ids));
  }

  const eql = outputs.eql;
  if (eql) {
    const parsed = parseEql(eql);
    const kind = row.service ? {} : ECS_KIND[row.category ?? 'process_creation'] ?? {};
    if (!skip.eql) check('eql', canon.map((c, i) => evalEql(parsed.where, eqlEvent({ 'host.os.type': 'windows', ...kind, ...c }, raws[i]!))));
  }

  const spl = outputs.spl;
  if (spl) {
    const cmds = parseSpl(spl);
    if (!skip.spl) check('spl', canon.map((c, i) => passes(cmds, splEvent(rule.query.source, c, raws[i]!))));
  }

  const kql = outputs.kql;
  if (kql && !KUSTO_SKIP) expect(kustoErrors(kql)).toEqual([]);

  const sigma = outputs.sigma;
  if (sigma) {
    const back = loadRuleText('rule.yml', sigma, opts);
    expect(diagText(back[0]?.diagnostics ?? [])).toBe('');
    const again = back[0]!.rule!;
    expect(stripOrigins(again.query)).toEqual(stripOrigins(rule.query));
    if (evaluates && !skip.sigma) check('sigma', await evaluatorVerdicts(again, raws));
  }
}

/** A deep copy without `origin` keys. */
function stripOrigins<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (k, x) => (k === 'origin' ? undefined : x))) as T;
}
