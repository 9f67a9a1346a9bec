/**
 * The seed rule (Windows MSIExec DLLRegisterServer), its IR built by hand as the Splunk frontend
 * lowers it: CIM fields as canonical names, tstats as an aggregate with the data model prefix
 * dropped from the aliases, security_content_ctime as strftime, the empty filter macro as `true`.
 */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { and, or, pred, type Aggregate, type Stage } from '../../../src/ir/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { at, rule } from './rule.js';

/** CIM Endpoint.Processes field (the seed's BY list) → canonical field (mappings/cim.json). */
const BY: [string, string][] = [
  ['action', 'event.action'], ['dest', 'host.name'], ['original_file_name', 'process.pe.original_file_name'],
  ['parent_process', 'process.parent.command_line'], ['parent_process_exec', 'process.parent.name'],
  ['parent_process_guid', 'process.parent.entity_id'], ['parent_process_id', 'process.parent.pid'],
  ['parent_process_name', 'process.parent.name'], ['parent_process_path', 'process.parent.executable'],
  ['process', 'process.command_line'], ['process_exec', 'process.name'], ['process_guid', 'process.entity_id'],
  ['process_hash', 'process.hash.sha256'], ['process_id', 'process.pid'],
  ['process_integrity_level', 'winlog.event_data.IntegrityLevel'], ['process_name', 'process.name'],
  ['process_path', 'process.executable'], ['user', 'user.name'], ['user_id', 'user.id'], ['vendor_product', 'observer.product'],
];

const ctime = (f: string, line: number): Stage => ({
  kind: 'eval',
  assign: [{ field: f, expr: { kind: 'call', fn: 'strftime', args: [{ kind: 'field', name: f }, { kind: 'lit', value: '%Y-%m-%dT%H:%M:%S' }], origin: at(line, 7) } }],
  origin: at(line, 7),
});

const aggregate: Aggregate = {
  kind: 'aggregate',
  groupBy: BY.map(([as, field]) => ({ field, as })),
  aggs: [{ fn: 'count', as: 'count' }, { fn: 'min', field: '@timestamp', as: 'firstTime' }, { fn: 'max', field: '@timestamp', as: 'lastTime' }],
  origin: at(23, 5),
};

const seed = rule(
  and([
    or([pred('process.name', 'eq', ['msiexec.exe'], { origin: at(24, 13) }), pred('process.pe.original_file_name', 'eq', ['msiexec.exe'], { origin: at(24, 13) })]),
    pred('process.command_line', 'contains', [' /y', ' -y'], { origin: at(24, 32) }),
  ]),
  [aggregate, ctime('firstTime', 34), ctime('lastTime', 35), { kind: 'filter', expr: { kind: 'const', value: true }, origin: at(36, 7) }],
  { product: 'windows', category: 'process_creation', extra: { datamodel: 'Endpoint.Processes' }, origin: at(23, 5) },
);

const EXPECTED = `DeviceProcessEvents
| where (FileName =~ 'msiexec.exe' or ProcessVersionInfoOriginalFileName =~ 'msiexec.exe') and (ProcessCommandLine contains ' /y' or ProcessCommandLine contains ' -y')
| summarize ['count'] = count(), firstTime = min(Timestamp), lastTime = max(Timestamp) by action = iff(ActionType == 'ProcessCreated', 'allowed', ActionType), dest = DeviceName, original_file_name = ProcessVersionInfoOriginalFileName, parent_process = InitiatingProcessCommandLine, parent_process_exec = InitiatingProcessFileName, parent_process_guid = 'unknown', parent_process_id = InitiatingProcessId, parent_process_name = InitiatingProcessFileName, parent_process_path = InitiatingProcessFolderPath, process = ProcessCommandLine, process_exec = FileName, process_guid = 'unknown', process_hash = SHA256, process_id = ProcessId, process_integrity_level = ProcessIntegrityLevel, process_name = FileName, process_path = FolderPath, user = iff(isempty(AccountDomain), AccountName, strcat(AccountDomain, '\\\\', AccountName)), user_id = AccountSid, vendor_product = 'unknown'
| extend firstTime = strcat(format_datetime(firstTime, 'yyyy-MM-dd'), 'T', format_datetime(firstTime, 'HH:mm:ss'))
| extend lastTime = strcat(format_datetime(lastTime, 'yyyy-MM-dd'), 'T', format_datetime(lastTime, 'HH:mm:ss'))
`;

describe('kql: the seed rule', () => {
  const res = render(seed, 'kql');
  it('renders the filter, the summarize with short aliases and the ctime formats', () => {
    expect(res.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(res.query).toBe(EXPECTED);
  });
  it('warns for each grouped field with no Defender column, at the aggregate', () => {
    const rb405 = res.diagnostics.filter((d) => d.code === 'RB405').map((d) => [d.line, d.column, /'(\w+)' is the constant/.exec(d.message)?.[1]]);
    expect(rb405).toEqual([
      [23, 5, 'parent_process_guid'],
      [23, 5, 'process_guid'],
      [23, 5, 'vendor_product'],
    ]);
  });
  it('reads CIM action from ActionType (a process Defender records ran: allowed), warning at the aggregate', () => {
    const action = res.diagnostics.filter((d) => d.code === 'RB404' && /event\.action/.test(d.message));
    expect(action.map((d) => [d.line, d.column])).toEqual([[23, 5]]);
  });
  it('warns once that format_datetime writes UTC, at the first ctime', () => {
    const utc = res.diagnostics.filter((d) => d.code === 'RB404' && /UTC/.test(d.message));
    expect(utc.map((d) => [d.line, d.column])).toEqual([[34, 7]]);
  });
  it.skipIf(!!KUSTO_SKIP)('is valid KQL for Kusto.Language', () => {
    expect(kustoErrors(res.query!)).toEqual([]);
  });
  it('a site filter that drops rows is rendered after the summary', () => {
    const withFilter = rule(seed.query.filter, [...seed.query.stages.slice(0, 3), { kind: 'filter', expr: pred('count', 'gt', [5]), origin: at(36, 7) }], seed.query.source);
    const r = render(withFilter, 'kql');
    expect(r.query!.trimEnd().split('\n').pop()).toBe("| where ['count'] > 5");
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
});
if (KUSTO_SKIP) it.skip(KUSTO_SKIP, () => {});
