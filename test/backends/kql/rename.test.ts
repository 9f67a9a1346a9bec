/** SPL rename of a field KQL reads through an expression: computed under the new name. */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { pred, type Stage } from '../../../src/ir/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { rule } from './rule.js';

describe('kql rename of a computed field', () => {
  it('extend under the new name, beside the project-rename of plain columns; the old name reads nothing after', () => {
    const stages: Stage[] = [
      { kind: 'rename', pairs: [{ from: 'user.name', to: 'user' }, { from: 'host.name', to: 'dest' }] },
      { kind: 'project', fields: ['user', 'dest', 'user.name'], mode: 'keep' },
    ];
    const r = render(rule(pred('process.name', 'eq', ['net.exe']), stages), 'kql', { dialect: 'defender' });
    expect(r.query!.split('\n').slice(2)).toEqual([
      "| extend user = iff(isempty(AccountDomain), AccountName, strcat(AccountDomain, '\\\\', AccountName))",
      '| project-rename dest = DeviceName',
      "| project user, dest, ['user.name'] = ''",
      '',
    ]);
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
  it('an EventData field of a Sentinel table (parsed once, read under the new name)', () => {
    const stages: Stage[] = [{ kind: 'rename', pairs: [{ from: 'winlog.event_data.UserID', to: 'user' }] }, { kind: 'project', fields: ['user'], mode: 'keep' }];
    const r = render(rule(pred('event.code', 'eq', [4104]), stages, { product: 'windows', service: 'powershell' }), 'kql', { dialect: 'sentinel' });
    expect(r.query).toContain("| extend user = tostring(EventFields['UserID'])\n| project user\n");
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
});

describe('kql rename pairs in order', () => {
  it('a name one pair frees is taken by the next (one project-rename per pair), Kusto.Language clean', () => {
    const stages: Stage[] = [
      { kind: 'aggregate', groupBy: [{ field: 'process.parent.name', as: 'parent_process_name' }, { field: 'process.name', as: 'process_name' }], aggs: [{ fn: 'count', as: 'count' }] },
      { kind: 'filter', expr: pred('count', 'gt', [0]) },
      { kind: 'rename', pairs: [{ from: 'parent_process*', to: 'orig_parent_process*' }, { from: 'process*', to: 'parent_process*' }] },
    ];
    const r = render(rule(pred('process.name', 'eq', ['net.exe']), stages), 'kql', { dialect: 'defender' });
    expect(r.query!.trimEnd().split('\n').slice(-2)).toEqual([
      '| project-rename orig_parent_process_name = parent_process_name',
      '| project-rename parent_process_name = process_name',
    ]);
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
});
