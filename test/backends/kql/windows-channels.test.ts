/**
 * Windows event log channels other than Security and Sysmon (Defender, NTLM, TerminalServices,
 * IIS configuration…) read Sentinel's Event table by EventLog, and the Splunk add-ons' field
 * names that the Splunk frontend keeps as written read the columns that mean the same.
 */
import { describe, expect, it } from 'vitest';
import { render, type RenderResult } from '../../../src/backends/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { codes, col, splunk } from './windows-search.js';

function valid(r: RenderResult): void {
  expect(r.ok).toBe(true);
  if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
}

/** The valid query of a Splunk search whose source is the Sigma service `service`. */
function serviceQuery(search: string, service: string): string {
  const rule = splunk(search);
  expect(rule.query.source.service).toBe(service);
  const r = render(rule, 'kql');
  valid(r);
  return r.query!;
}

const EVENT_DATA = [
  '| extend EventFieldsItems = parse_xml(EventData).DataItem.EventData.Data',
  "| mv-apply EventFieldsItem = iff(gettype(EventFieldsItems) == 'array', EventFieldsItems, pack_array(EventFieldsItems)) on (summarize EventFields = make_bag(bag_pack(tostring(EventFieldsItem['@Name']), tostring(EventFieldsItem['#text']))))",
  '| project-away EventFieldsItems',
];

describe('kql: Windows channels in Sentinel\'s Event table', () => {
  it('a Defender Operational source is the windefend service; a Splunk name with _ also reads the Data Name with spaces', () => {
    const q = 'source="WinEventLog:Microsoft-Windows-Windows Defender/Operational" EventCode=1121 Process_Name="*\\\\powershell.exe" | stats count by host ID';
    const rule = splunk(q);
    expect(rule.query.source).toMatchObject({ product: 'windows', service: 'windefend' });
    const r = render(rule, 'kql');
    valid(r);
    expect(r.query).toBe([
      '// Microsoft Sentinel table Event: Defender XDR has no table or column for this rule',
      'Event',
      "| where EventLog == 'Microsoft-Windows-Windows Defender/Operational'",
      ...EVENT_DATA,
      "| where EventID == 1121 and tostring(coalesce(EventFields['Process_Name'], EventFields['Process Name'])) endswith '\\\\powershell.exe'",
      "| summarize ['count'] = count() by host = Computer, ID = tostring(EventFields['ID'])",
      '',
    ].join('\n'));
    // Process_Name, then host and ID at the stats: read from the XML or a near column, warned.
    expect(codes(r)).toEqual([['RB404', 10, col(q, 'Process_Name')], ['RB404', 10, col(q, 'stats')], ['RB404', 10, col(q, 'stats')]]);
    expect(r.diagnostics[0]!.message).toContain("else 'Process Name'");
    expect(r.diagnostics[1]!.message).toContain('forwarded');
    expect(r.diagnostics[2]!.message).toContain('UserData instead of EventData');
  });

  it('an XmlWinEventLog source (ntlm_audit) names its service too; Data Names without _ read as they are', () => {
    const q = serviceQuery('sourcetype=XmlWinEventLog:Microsoft-Windows-NTLM/Operational EventCode=8004 SChannelName=* | stats count by SChannelName', 'ntlm');
    expect(q).toContain("\nEvent\n| where EventLog == 'Microsoft-Windows-NTLM/Operational'\n");
    expect(q).toContain("| where EventID == 8004 and isnotempty(tostring(EventFields['SChannelName']))\n");
  });

  it('a channel with no Sigma service reads Event where EventLog is the channel, escaped', () => {
    const rule = splunk('source="WinEventLog:Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational" EventCode=1149');
    expect(rule.query.source.extra?.channel).toBe('Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational');
    const r = render(rule, 'kql');
    valid(r);
    expect(r.query!.split('\n').slice(1)).toEqual(['Event', "| where EventLog == 'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational' and EventID == 1149", '']);
    const hostile = render(splunk('source="WinEventLog:A\'B\\\\C/Operational" EventCode=1'), 'kql');
    valid(hostile);
    expect(hostile.query).toContain("| where EventLog == 'A\\'B\\\\C/Operational' and EventID == 1\n");
  });

  it('the IIS configuration sourcetype stands for its channel; Splunk\'s Message and ComputerName read rendered columns, OpCode none', () => {
    const q = 'sourcetype="IIS:Configuration:Operational" EventCode=29 Message="*Module*" | stats count by ComputerName OpCode';
    const rule = splunk(q);
    expect(rule.query.source.extra?.channel).toBe('Microsoft-IIS-Configuration/Operational');
    const r = render(rule, 'kql');
    valid(r);
    expect(r.query!.split('\n').slice(1, 4)).toEqual([
      'Event',
      "| where EventLog == 'Microsoft-IIS-Configuration/Operational' and EventID == 29 and RenderedDescription contains 'Module'",
      "| summarize ['count'] = count() by ComputerName = Computer, OpCode = 'unknown'",
    ]);
    // OpCode is in the event's System part, which Event does not keep: no column (RB405 as a group key).
    expect(codes(r)).toEqual([['RB404', 10, col(q, 'Message')], ['RB404', 10, col(q, 'stats')], ['RB405', 10, col(q, 'stats')]]);
    const w = 'sourcetype="IIS:Configuration:Operational" OpCode=Info';
    const where = render(splunk(w), 'kql');
    expect(where.ok).toBe(false);
    expect(codes(where).filter((c) => c[0] === 'RB403')).toEqual([['RB403', 10, col(w, 'OpCode')]]);
  });

  it('a channel pattern is the one service whose channels it covers (AppLocker), else no channel', () => {
    const q = serviceQuery('(source="WinEventLog:Microsoft-Windows-AppLocker/*" OR source="XmlWinEventLog:Microsoft-Windows-AppLocker/*") EventCode=8004', 'applocker');
    expect(q).toContain("| where EventLog in ('Microsoft-Windows-AppLocker/MSI and Script', 'Microsoft-Windows-AppLocker/EXE and DLL', 'Microsoft-Windows-AppLocker/Packaged app-Deployment', 'Microsoft-Windows-AppLocker/Packaged app-Execution') and EventID == 8004\n");
    // A pattern over several services, a part of a service, or sources naming different channels: no channel, RB402.
    for (const search of ['source="WinEventLog:Microsoft-Windows-*" EventCode=1', 'source="WinEventLog:Microsoft-Windows-AppLocker/EXE*" EventCode=1', '(source="WinEventLog:Microsoft-Windows-NTLM/Operational" OR source="WinEventLog:OpenSSH/Operational") EventCode=1', '(sourcetype=foo OR source="WinEventLog:Microsoft-Windows-NTLM/Operational") EventCode=1']) {
      const rule = splunk(search);
      expect(rule.query.source.service).toBeUndefined();
      expect(rule.query.source.extra?.channel).toBeUndefined();
      const res = render(rule, 'kql');
      expect(res.ok).toBe(false);
      expect(codes(res)[0]![0]).toBe('RB402');
    }
  });

  it('a source that is no event log channel stays RB402 at the source term', () => {
    for (const search of ['source=ActiveDirectory admonEventType=Update', 'sourcetype="Pwsh:InstalledIISModules" | stats count by name']) {
      const r = render(splunk(search), 'kql');
      expect(r.ok).toBe(false);
      expect(codes(r)).toEqual([['RB402', 10, 3]]);
    }
  });
});

describe('kql: Splunk add-on names of Security events and Sysmon image loads', () => {
  it('object_file_path and object_file_name of 4663 read ObjectName; process_path the acting process', () => {
    const q = 'source=XmlWinEventLog:Security EventCode=4663 object_file_path="*\\\\Uninstall\\\\*" NOT process_path="*\\\\explorer.exe" | stats count by object_file_name process_name';
    const r = render(splunk(q), 'kql');
    valid(r);
    expect(r.query!.split('\n').slice(1)).toEqual([
      'SecurityEvent',
      "| where EventID == 4663 and ObjectName contains '\\\\Uninstall\\\\' and not(iff(EventID == 4688, NewProcessName, ProcessName) endswith '\\\\explorer.exe')",
      "| summarize ['count'] = count() by object_file_name = extract('[^\\\\\\\\]*$', 0, ObjectName), process_name = extract('[^\\\\\\\\]*$', 0, iff(EventID == 4688, NewProcessName, ProcessName))",
      '',
    ]);
    expect(codes(r)).toEqual([['RB404', 10, col(q, 'object_file_path')], ['RB404', 10, col(q, 'process_path')], ['RB404', 10, col(q, 'stats')], ['RB404', 10, col(q, 'stats')]]);
  });

  it('file_path is the ObjectName of a File object only; src_ip reads IpAddress with a warning', () => {
    const q = 'source=XmlWinEventLog:Security EventCode=4663 file_path="*\\\\App_Extensions\\\\*" src_ip!="::1"';
    const r = render(splunk(q), 'kql');
    valid(r);
    expect(r.query).toContain("iff(ObjectType == 'File', ObjectName, '') contains '\\\\App_Extensions\\\\'");
    expect(r.query).toContain("isnotempty(IpAddress) and not(IpAddress =~ '::1')");
    expect(codes(r)).toEqual([['RB404', 10, col(q, 'file_path')], ['RB404', 10, col(q, 'src_ip')]]);
  });

  it('a Security name with no column of the same meaning stays RB403 (user_type); status reads the event ids (windows-security.test.ts)', () => {
    const q = 'source=XmlWinEventLog:Security EventCode=4726 status=success user_type=computer';
    const r = render(splunk(q), 'kql');
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual([['RB404', 10, col(q, 'status')], ['RB403', 10, col(q, 'user_type')]]);
  });

  it('loaded_file_path and loaded_file of a Sysmon image load read FolderPath and FileName in Defender, ImageLoaded in Sentinel', () => {
    const rule = splunk('source="XmlWinEventLog:Microsoft-Windows-Sysmon/Operational" EventCode=7 loaded_file_path="*\\\\mshtml.dll" | stats count by loaded_file');
    const d = render(rule, 'kql');
    valid(d);
    expect(d.query).toBe("DeviceImageLoadEvents\n| where FolderPath endswith '\\\\mshtml.dll'\n| summarize ['count'] = count() by loaded_file = FileName\n");
    expect(d.diagnostics).toEqual([]);
    const s = render(rule, 'kql', { dialect: 'sentinel' });
    valid(s);
    expect(s.query).toBe("SysmonEvent\n| where EventID == 7 and ImageLoaded endswith '\\\\mshtml.dll'\n| summarize ['count'] = count() by loaded_file = extract('[^\\\\\\\\]*$', 0, ImageLoaded)\n");
  });
});
