/** The Sentinel dialect: Sysmon events from SysmonEvent, Security events from SecurityEvent. */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { and, or, pred } from '../../../src/ir/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { at, rule } from './rule.js';

const sentinel = { dialect: 'sentinel' };

describe('kql sentinel', () => {
  it('process_creation reads Sysmon event 1; the basename is extracted from Image', () => {
    const r = render(rule(and([
      or([pred('process.name', 'eq', ['msiexec.exe']), pred('process.pe.original_file_name', 'eq', ['msiexec.exe'])]),
      pred('process.command_line', 'contains', [' /y', ' -y']),
    ]), [{ kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }, { field: 'process.entity_id', as: 'process_guid' }], aggs: [{ fn: 'count', as: 'count' }, { fn: 'min', field: '@timestamp', as: 'firstTime' }] }]), 'kql', sentinel);
    expect(r.query).toBe(`SysmonEvent
| where EventID == 1 and (extract('[^\\\\\\\\]*$', 0, Image) =~ 'msiexec.exe' or OriginalFileName =~ 'msiexec.exe') and (CommandLine contains ' /y' or CommandLine contains ' -y')
| summarize ['count'] = count(), firstTime = min(TimeGenerated) by dest = Computer, process_guid = ProcessGuid
`);
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB404', 1, 1]]); // Sysmon 1 only, not 4688
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
  it('the Security service reads SecurityEvent, where EventID is a real column', () => {
    const r = render(rule(and([
      pred('event.code', 'eq', [4688]),
      pred('winlog.event_data.NewProcessName', 'endswith', ['\\whoami.exe']),
    ]), [], { product: 'windows', service: 'security' }), 'kql', sentinel);
    expect(r.query).toBe("SecurityEvent\n| where EventID == 4688 and NewProcessName endswith '\\\\whoami.exe'\n");
    expect(r.diagnostics).toEqual([]);
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
  it('the System service reads Event with an exact EventLog filter', () => {
    const r = render(rule(pred('event.code', 'eq', [7045]), [], { product: 'windows', service: 'system' }), 'kql', sentinel);
    expect(r.query).toBe("Event\n| where EventLog == 'System' and EventID == 7045\n");
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
  it('a single hash is extracted from the Sysmon Hashes list', () => {
    const r = render(rule(pred('process.hash.sha256', 'eq', ['AB'.repeat(32)])), 'kql', sentinel);
    expect(r.query).toContain("extract('(?i)(?:^|,)SHA256=([0-9a-f]{64})', 1, Hashes) =~ 'ABAB");
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
  it('a System event field is read from the EventData XML by its Data Name, with a warning', () => {
    const r = render(rule(pred('winlog.event_data.ServiceName', 'eq', ["it's"], { origin: at(9, 5) }), [], { product: 'windows', service: 'system' }), 'kql', sentinel);
    expect(r.query).toBe(`Event
| where EventLog == 'System'
| extend EventFieldsItems = parse_xml(EventData).DataItem.EventData.Data
| mv-apply EventFieldsItem = iff(gettype(EventFieldsItems) == 'array', EventFieldsItems, pack_array(EventFieldsItems)) on (summarize EventFields = make_bag(bag_pack(tostring(EventFieldsItem['@Name']), tostring(EventFieldsItem['#text']))))
| project-away EventFieldsItems
| where tostring(EventFields['ServiceName']) =~ 'it\\'s'
`);
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB404', 9, 5]]);
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
  it('a Security event field with no column reads the SecurityEvent EventData XML (no DataItem wrapper)', () => {
    const r = render(rule(and([pred('event.code', 'eq', [4662]), pred('winlog.event_data.AccessList', 'contains', ['%%7688'])]), [], { product: 'windows', service: 'security' }), 'kql', sentinel);
    expect(r.query).toContain('| extend EventFieldsItems = parse_xml(EventData).EventData.Data\n');
    expect(r.query).toContain("| where EventID == 4662 and tostring(EventFields['AccessList']) contains '%%7688'");
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
  it('ps_script reads Event by channel and event id; ScriptBlockText is its Data Name', () => {
    const r = render(rule(pred('powershell.file.script_block_text', 'contains', ['Invoke-Mimikatz']), [], { product: 'windows', category: 'ps_script' }), 'kql', sentinel);
    expect(r.query!.split('\n')[1]).toBe("| where EventLog in ('Microsoft-Windows-PowerShell/Operational', 'PowerShellCore/Operational') and EventID == 4104");
    expect(r.query).toContain("| where tostring(EventFields['ScriptBlockText']) contains 'Invoke-Mimikatz'");
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
  it('a field name that could not be a Data Name stays RB403', () => {
    const r = render(rule(pred("winlog.event_data.a']b", 'eq', ['x'], { origin: at(9, 5) }), [], { product: 'windows', service: 'system' }), 'kql', sentinel);
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB403', 9, 5]]);
  });
});
