/**
 * Every Windows Sigma rule and every production endpoint security_content detection of
 * ../shared/corpus through the frontends and the KQL backend (default dialect: unified): each
 * rule either renders a query Kusto.Language accepts over ../shared/reference/kusto-tables.json,
 * or fails with error diagnostics that point into its file. Never an empty query, never a silent
 * drop. Prints converted / unsupported (by code and reason) / invalid for the closing note.
 * The per-flavour runs (defender, sentinel) run with RULEBRIDGE_CORPUS_FULL=1.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { render, type RenderOptions } from '../../../src/backends/index.js';
import { LookupResolver } from '../../../src/evaluator/lookup-tables.js';
import { loadRuleText } from '../../../src/frontends/load.js';
import { loadRules } from '../../../src/index.js';
import type { RuleIR } from '../../../src/ir/index.js';
import { CORPUS, HAS_CORPUS, skipNote } from '../../helpers/paths.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';

function ymlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? ymlFiles(p) : p.endsWith('.yml') ? [p] : [];
  });
}

/** The figures of one corpus × dialect run. */
export interface Figures { rules: number; converted: number; warned: number; sentinel: number; unsupported: Record<string, number>; invalid: string[]; unlocated: string[] }

const TABLE: Record<string, RegExp> = {
  unified: /^(Device\w*Events|SysmonEvent|SecurityEvent|Event)$/,
  defender: /^Device\w*Events$/,
  sentinel: /^(SysmonEvent|SecurityEvent|Event)$/,
};

/** Renders every rule; a reason is the first error's code and message, with quoted names elided. */
export function kqlFigures(rules: RuleIR[], dialect: string, opts: RenderOptions = {}): Figures {
  const f: Figures = { rules: rules.length, converted: 0, warned: 0, sentinel: 0, unsupported: {}, invalid: [], unlocated: [] };
  for (const rule of rules) {
    const res = render(rule, 'kql', { ...opts, dialect });
    if (res.ok) {
      const lines = res.query!.split('\n');
      const table = lines[0]!.startsWith('//') ? lines[1]! : lines[0]!;
      const errs = kustoErrors(res.query!);
      if (!TABLE[dialect]!.test(table)) f.invalid.push(`${rule.file}: no table (${table})`);
      else if (errs.length) f.invalid.push(`${rule.file}: ${errs.map((e) => `${e.code} ${e.message}`).join('; ')}`);
      else {
        f.converted++;
        if (res.diagnostics.some((d) => d.code === 'RB404')) f.warned++;
        if (lines[0]!.startsWith('//')) f.sentinel++;
      }
    } else {
      const errors = res.diagnostics.filter((d) => d.severity === 'error');
      if (!errors.length || errors.some((d) => d.file !== rule.file || !d.line)) f.unlocated.push(`${rule.file}: ${JSON.stringify(errors)}`);
      const why = errors[0] ? `${errors[0].code} ${errors[0].message.replace(/'[^']*'/g, '…')}` : 'no error';
      f.unsupported[why] = (f.unsupported[why] ?? 0) + 1;
    }
  }
  return f;
}

/** One line per figure, for the closing note. */
export function figuresText(name: string, f: Figures): string {
  const pct = ((100 * f.converted) / f.rules).toFixed(1);
  const reasons = Object.entries(f.unsupported).sort((a, b) => b[1] - a[1]).map(([k, v]) => `    ${v}  ${k}`);
  const notes = `; ${f.warned} of them with an RB404 warning (a rewrite that is not exact)${f.sentinel ? `; ${f.sentinel} on Sentinel tables (comment line), ${f.converted - f.sentinel} on Defender XDR tables` : ''}`;
  return [`${name}: ${f.rules} rules, converted ${f.converted} (${pct}%)${notes}, unsupported ${f.rules - f.converted - f.invalid.length}, invalid ${f.invalid.length}`, ...reasons].join('\n');
}

function sigmaWindows(): RuleIR[] {
  return ymlFiles(join(CORPUS, 'sigma', 'rules', 'windows')).flatMap((f) => loadRuleText(f, readFileSync(f, 'utf8')).flatMap((l) => (l.rule ? [l.rule] : [])));
}

/** security_content endpoint detections with status production that the Splunk frontend lowers. */
function splunkEndpoint(): { rules: RuleIR[]; files: number } {
  const dir = join(CORPUS, 'splunk', 'detections', 'endpoint');
  const prod = readdirSync(dir).filter((n) => n.endsWith('.yml') && /^status:\s*production\s*$/m.test(readFileSync(join(dir, n), 'utf8'))).map((n) => join(dir, n));
  const { rules } = loadRules(prod);
  return { rules: rules.flatMap((r) => (r.rule ? [r.rule] : [])), files: prod.length };
}

skipNote('the KQL corpus run');
const FULL = !!process.env.RULEBRIDGE_CORPUS_FULL;

describe.skipIf(!HAS_CORPUS || !!KUSTO_SKIP)('kql over the corpora', () => {
  it('Windows Sigma rules: at least 95% convert to KQL that Kusto.Language accepts; the rest fail with located errors', () => {
    const rules = sigmaWindows();
    const f = kqlFigures(rules, 'unified');
    console.log(figuresText('kql (unified) Sigma rules/windows', f));
    expect(f.invalid).toEqual([]);
    expect(f.unlocated).toEqual([]);
    expect(rules.length).toBeGreaterThan(1400);
    expect(f.converted / f.rules).toBeGreaterThanOrEqual(0.95);
  }, 300_000);
  it('production endpoint detections: converted KQL is valid; the rest fail with located errors', () => {
    const { rules, files } = splunkEndpoint();
    // The lookup rows come from the corpus's lookups/ folder, as `convert` reads them beside the rules.
    const f = kqlFigures(rules, 'unified', { lookupTables: new LookupResolver([join(CORPUS, 'splunk', 'lookups')]) });
    console.log(figuresText(`kql (unified) security_content endpoint, production (${files} files, ${rules.length} lowered)`, f));
    expect(f.invalid).toEqual([]);
    expect(f.unlocated).toEqual([]);
    // The measured figure (618/650, 95.1%), as a floor: see the printed reasons for the rest.
    // 21 of the 32 refused read data the reference tables or the corpus lack (the Risk index,
    // CrowdStrike, admon and PowerShell inventory inputs, the Alerts and Web data models, auditd
    // service records, a lookup table missing from lookups/).
    expect(f.converted / f.rules).toBeGreaterThanOrEqual(0.95);
  }, 300_000);
  it.skipIf(!FULL).each(['defender', 'sentinel'])('%s alone over the Windows Sigma rules', (dialect) => {
    const f = kqlFigures(sigmaWindows(), dialect);
    console.log(figuresText(`kql (${dialect}) Sigma rules/windows`, f));
    expect(f.invalid).toEqual([]);
    expect(f.unlocated).toEqual([]);
  }, 600_000);
});
