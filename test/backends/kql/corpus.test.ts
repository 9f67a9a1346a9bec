/**
 * Every Windows Sigma rule and every endpoint security_content detection of ../shared/corpus
 * through the frontends and the KQL backend:
 * each rule either renders a query Kusto.Language accepts, or fails with error diagnostics that
 * point into its file. Never an empty query, never a silent drop.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { render } from '../../../src/backends/index.js';
import { sigmaFromDocs } from '../../../src/frontends/sigma/index.js';
import { loadYaml } from '../../../src/source/index.js';
import { loadRules } from '../../../src/index.js';
import { CORPUS, HAS_CORPUS, skipNote } from '../../helpers/paths.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';

function ymlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? ymlFiles(p) : p.endsWith('.yml') ? [p] : [];
  });
}

skipNote('the KQL corpus run');
const TABLE = { defender: /^Device\w*Events$/, sentinel: /^(SysmonEvent|SecurityEvent|Event)$/ };

describe.skipIf(!HAS_CORPUS || !!KUSTO_SKIP)('kql over the Sigma Windows corpus', () => {
  it.each(['defender', 'sentinel'] as const)('%s: renders valid KQL or fails with located errors, for every rule', (dialect) => {
    const files = ymlFiles(join(CORPUS, 'sigma', 'rules', 'windows'));
    let rendered = 0;
    const invalid: string[] = [];
    const unlocated: string[] = [];
    for (const f of files) {
      for (const r of sigmaFromDocs(loadYaml(f, readFileSync(f, 'utf8')).docs)) {
        if (!r.rule) continue;
        const res = render(r.rule, 'kql', { dialect });
        if (res.ok) {
          rendered++;
          const table = res.query!.split('\n')[0]!;
          if (!TABLE[dialect].test(table)) invalid.push(`${f}: no table (${table})`);
          const errs = kustoErrors(res.query!);
          if (errs.length) invalid.push(`${f}: ${errs.map((e) => `${e.code} ${e.message}`).join('; ')}`);
        } else {
          const errors = res.diagnostics.filter((d) => d.severity === 'error');
          if (!errors.length || errors.some((d) => d.file !== f || !d.line)) unlocated.push(`${f}: ${JSON.stringify(errors)}`);
        }
      }
    }
    expect(invalid).toEqual([]);
    expect(unlocated).toEqual([]);
    expect(rendered).toBeGreaterThan(dialect === 'defender' ? 500 : 900);
  }, 300_000);
});

describe.skipIf(!HAS_CORPUS || !!KUSTO_SKIP)('kql over the security_content endpoint detections', () => {
  it('renders valid KQL or fails with located errors, for every rule', () => {
    const { rules } = loadRules([join(CORPUS, 'splunk', 'detections', 'endpoint')]);
    let rendered = 0;
    const invalid: string[] = [];
    const unlocated: string[] = [];
    for (const r of rules) {
      if (!r.rule) continue;
      const res = render(r.rule, 'kql');
      if (res.ok) {
        rendered++;
        const errs = kustoErrors(res.query!);
        if (errs.length) invalid.push(`${r.file}: ${errs.map((e) => `${e.code} ${e.message}`).join('; ')}`);
      } else {
        const errors = res.diagnostics.filter((d) => d.severity === 'error');
        if (!errors.length || errors.some((d) => d.file !== r.file || !d.line)) unlocated.push(`${r.file}: ${JSON.stringify(errors)}`);
      }
    }
    expect(invalid).toEqual([]);
    expect(unlocated).toEqual([]);
    expect(rendered).toBeGreaterThan(300);
  }, 300_000);
});
