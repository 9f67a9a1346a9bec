/**
 * The seed detection (Windows MSIExec DLLRegisterServer, 2026 security_content format) through
 * every stage: it validates, converts to all five targets with no error, the KQL passes
 * Kusto.Language, the SQL runs on SQLite and agrees with the evaluator, the Sigma output loads
 * back, and the evaluator matches exactly the msiexec /y and -y events of rules/events.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join, basename } from 'node:path';
import { TARGETS, compileRules, convertRule, evaluateFiles, loadRuleText, loadRules, type LoadedRule } from '../../src/index.js';
import { sqlDdl } from '../../src/backends/sql-ddl.js';
import { insertSql, rowFor } from '../../src/backends/sql-rows.js';
import type { RuleIR } from '../../src/ir/index.js';
import { RULES } from '../helpers/paths.js';
import { KUSTO_SKIP, kustoDiagnostics } from '../helpers/kusto.js';
import { loadEvents } from '../helpers/events.js';

const SEED = join(RULES, 'splunk', 'windows_msiexec_dllregisterserver.yml');
const EVENTS = [join(RULES, 'events', 'sysmon-process-creation.jsonl'), join(RULES, 'events', 'sysmon-process-creation.xml.log')];
/** Events of rules/events that the seed must match: msiexec (by image or original name) with ` /y` or ` -y`, any case. */
const EXPECTED = ['sysmon-process-creation.jsonl:1', 'sysmon-process-creation.jsonl:2', 'sysmon-process-creation.jsonl:6', 'sysmon-process-creation.jsonl:7', 'sysmon-process-creation.xml.log:6'];

let seed: LoadedRule;
let rule: RuleIR;

beforeAll(() => {
  const { rules, diagnostics } = loadRules([SEED], { macros: [join(RULES, 'macros')] });
  expect(diagnostics).toEqual([]);
  expect(rules).toHaveLength(1);
  seed = rules[0]!;
  rule = seed.rule!;
});

async function evalMatches(r: RuleIR): Promise<{ matches: string[]; aggregates: Awaited<ReturnType<typeof evaluateFiles>>['aggregates'] }> {
  const { compiled, diagnostics } = compileRules([r]);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const matches: string[] = [];
  const res = await evaluateFiles(compiled, EVENTS, (m) => matches.push(`${basename(m.file)}:${m.line}`));
  return { matches: matches.sort(), aggregates: res.aggregates };
}

describe('seed rule end to end', () => {
  it('validates and lowers with no error diagnostic', () => {
    expect(seed.format).toBe('splunk');
    expect(seed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(rule.meta.id).toBe('fdb59aef-d88f-4909-8369-ec2afbd2c398');
  });

  it('converts to all five targets with no error diagnostic', () => {
    const out = convertRule(rule, TARGETS);
    for (const t of TARGETS) {
      expect(out[t]!.diagnostics.filter((d) => d.severity === 'error'), t).toEqual([]);
      expect(out[t]!.ok, t).toBe(true);
      expect(out[t]!.query!.length, t).toBeGreaterThan(20);
    }
  });

  it.skipIf(!!KUSTO_SKIP)('emits KQL with no Kusto.Language error', () => {
    const kql = convertRule(rule, ['kql']).kql!.query!;
    expect(kustoDiagnostics(kql).filter((d) => d.severity === 'Error')).toEqual([]);
  });

  it('matches exactly the msiexec /y and -y events in the evaluator', async () => {
    const { matches } = await evalMatches(rule);
    expect(matches).toEqual(EXPECTED);
  });

  it('aggregates count, firstTime and lastTime per group', async () => {
    const { aggregates } = await evalMatches(rule);
    expect(aggregates.length).toBeGreaterThan(0);
    const total = aggregates.reduce((n, a) => n + Number(a.values['count']), 0);
    expect(total).toBe(EXPECTED.length);
    for (const a of aggregates) {
      expect(a.group).toHaveProperty('dest');
      expect(a.group).toHaveProperty('process_name');
      expect(String(a.values['firstTime'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      expect(String(a.values['lastTime']) >= String(a.values['firstTime'])).toBe(true);
    }
  });

  it('runs its SQL on SQLite with the same groups and counts as the evaluator', async () => {
    const sql = convertRule(rule, ['sql']).sql!.query!;
    const db = new Database(':memory:');
    db.exec(sqlDdl('sqlite'));
    const insert = db.prepare(insertSql('sqlite'));
    const { events } = await loadEvents(EVENTS);
    for (const e of events) insert.run(rowFor(e.event, 'sqlite'));
    const rows = db.prepare(sql).all() as Record<string, unknown>[];
    const { aggregates } = await evalMatches(rule);
    const key = (g: Record<string, unknown>) => `${g['dest']}|${g['process']}|${g['count']}|${g['firstTime']}|${g['lastTime']}`;
    const fromSql = rows.map((r) => key(r)).sort();
    const fromEval = aggregates.map((a) => key({ ...a.group, ...a.values })).sort();
    expect(fromSql).toEqual(fromEval);
  });

  it('emits Sigma that loads back and matches the same events', async () => {
    const sigma = convertRule(rule, ['sigma']).sigma!.query!;
    const back = loadRuleText('seed.sigma.yml', sigma);
    expect(back).toHaveLength(1);
    expect(back[0]!.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const { matches } = await evalMatches(back[0]!.rule!);
    expect(matches).toEqual(EXPECTED);
  });
});
