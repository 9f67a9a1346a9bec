/** Correlations in KQL: the inputs' union, tagged with rule.name, then summarize by bin(…) and a threshold. */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { pred, TRUE, type QueryInput, type RuleIR, type Stage } from '../../../src/ir/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { at, rule } from './rule.js';

const input = (name: string, exe: string, aliases: QueryInput['aliases'] = [], source: QueryInput['source'] = { product: 'windows', category: 'process_creation' }): QueryInput => ({
  name, source, filter: pred('process.executable', 'endswith', [exe]), aliases,
});
const corr = (inputs: QueryInput[], stages: Stage[]): RuleIR => ({ ...rule(TRUE, stages), query: { source: {}, filter: TRUE, stages, inputs } });
const SPAN = { field: '@timestamp', seconds: 600, as: '_time' };
const valid = (q: string | undefined) => {
  if (!KUSTO_SKIP) expect(kustoErrors(q!)).toEqual([]);
};

describe('kql correlations', () => {
  it('temporal over two inputs: a union of both heads, each projecting the fields the stages read', () => {
    const r = render(corr([input('who', '\\whoami.exe'), input('net', '\\net.exe')], [
      { kind: 'aggregate', groupBy: [{ field: 'user.name', as: 'user.name' }], aggs: [{ fn: 'dc', field: 'rule.name', as: 'rules' }], span: SPAN },
      { kind: 'filter', expr: pred('rules', 'ge', [2]) },
    ]), 'kql');
    expect(r.query).toBe(`union
    (DeviceProcessEvents | where FolderPath endswith '\\\\whoami.exe' | project ['rule.name'] = 'who', ['user.name'] = iff(isempty(AccountDomain), AccountName, strcat(AccountDomain, '\\\\', AccountName)), ['@timestamp'] = Timestamp),
    (DeviceProcessEvents | where FolderPath endswith '\\\\net.exe' | project ['rule.name'] = 'net', ['user.name'] = iff(isempty(AccountDomain), AccountName, strcat(AccountDomain, '\\\\', AccountName)), ['@timestamp'] = Timestamp)
| summarize rules = count_distinctif(['rule.name'], isnotempty(['rule.name'])) by ['user.name'], _time = bin(['@timestamp'], 600s)
| where rules >= 2
`);
    valid(r.query);
  });
  it('aliases: each input projects its own field under the shared name; inputs may read different tables and flavours', () => {
    const sec = { product: 'windows', service: 'security' };
    const logon: QueryInput = { name: 'logon', source: sec, filter: pred('event.code', 'eq', [4624]), aliases: [{ as: 'subject', field: 'winlog.event_data.TargetUserName' }] };
    const r = render(corr([input('who', '\\whoami.exe', [{ as: 'subject', field: 'user.name' }]), logon], [
      { kind: 'aggregate', groupBy: [{ field: 'subject', as: 'subject' }], aggs: [{ fn: 'count', as: 'n' }] },
      { kind: 'filter', expr: pred('n', 'gt', [10]) },
    ]), 'kql');
    const lines = r.query!.split('\n');
    expect(lines[0]).toBe('// Microsoft Sentinel table SecurityEvent: Defender XDR has no table or column for this rule');
    expect(lines[2]).toContain("(DeviceProcessEvents | where FolderPath endswith '\\\\whoami.exe' | project ['rule.name'] = 'who', subject = iff(");
    expect(lines[3]).toBe("    (SecurityEvent | where EventID == 4624 | project ['rule.name'] = 'logon', subject = TargetUserName)");
    expect(lines[4]).toBe('| summarize n = count() by subject');
    valid(r.query);
  });
  it('a field one input has no column for is RB403 at that input', () => {
    const r = render(corr([input('who', '\\whoami.exe'), { ...input('x', 'a.exe'), origin: at(20, 5) }], [
      { kind: 'aggregate', groupBy: [{ field: 'process.parent.entity_id', as: 'p' }], aggs: [{ fn: 'count', as: 'n' }] },
    ]), 'kql', { dialect: 'defender' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.filter((d) => d.code === 'RB403').map((d) => [d.line, d.column])).toContainEqual([20, 5]);
  });
  it('a correlation end to end from a Sigma file: event_count with a timespan', async () => {
    const { loadRules } = await import('../../../src/index.js');
    const { rules } = loadRules(['test/fixtures/sigma/correlations/event_count.yml']);
    const r = render(rules[0]!.rule!, 'kql');
    expect(r.query).toContain('| summarize event_count = count() by ');
    expect(r.query).toContain("bin(['@timestamp'], 600s)\n| where event_count >= 3\n");
    valid(r.query);
  });
});
