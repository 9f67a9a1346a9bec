/**
 * Windows Security events in Sentinel's SecurityEvent: the CIM Change data model (its
 * Account_Management node, which the Splunk add-on for Windows fills from Security events), the
 * add-on's names of Security events (user, src_user, status, signature, Logon_ID), and two Sysmon
 * names Defender keeps elsewhere (the target of a CreateRemoteThreadApiCall, the CIM app of a
 * network connection). Every rewrite is inexact and says so (RB404).
 */
import { describe, expect, it } from 'vitest';
import { render, type RenderResult } from '../../../src/backends/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { codes, col, splunk } from './windows-search.js';

/** The rendered lines of a search that must render without a Kusto error. */
function lines(search: string, dialect: string): { lines: string[]; r: RenderResult } {
  const r = render(splunk(search), 'kql', { dialect });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(r.ok).toBe(true);
  if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  return { lines: r.query!.split('\n'), r };
}

const ACCOUNT_MANAGEMENT = 'Task in (13824, 13825, 13826, 13827, 13828, 13829)';

describe('kql: the CIM Change data model reads the Account Management events of SecurityEvent', () => {
  const lockouts = '| tstats count min(_time) as firstTime values(All_Changes.user) as user from datamodel=Change.All_Changes where All_Changes.result="*lock*" by All_Changes.dest All_Changes.result | `drop_dm_object_name("All_Changes")` | search count > 5';

  it('result is Activity (contains reads alike), user the target account, dest the logging computer; each warned once where it is read', () => {
    const { lines: q, r } = lines(lockouts, 'sentinel');
    expect(q).toEqual([
      'SecurityEvent',
      `| where ${ACCOUNT_MANAGEMENT} and Activity contains 'lock'`,
      "| summarize ['count'] = count(), firstTime = min(TimeGenerated), user = array_sort_asc(make_set_if(TargetUserName, isnotempty(TargetUserName))) by dest = Computer, result = Activity",
      "| where ['count'] > 5",
      '',
    ]);
    // The source (at the data model), result (at the where clause), then user and dest (at the tstats).
    expect(codes(r)).toEqual([
      ['RB404', 10, col(lockouts, 'datamodel=')],
      ['RB404', 10, col(lockouts, 'All_Changes.result=')],
      ['RB404', 10, col(lockouts, 'tstats')],
      ['RB404', 10, col(lockouts, 'tstats')],
    ]);
    expect(r.diagnostics[0]!.message).toContain('Account Management events of the Windows Security log only');
    expect(r.diagnostics[1]!.message).toContain("'4740 - A user account was locked out.'");
    expect(r.diagnostics[2]!.message).toContain('TargetUserName');
    expect(r.diagnostics[3]!.message).toContain('the computer that logged it');
  });

  it('Defender XDR has no table for it: the unified dialect falls back to Sentinel and says so', () => {
    const d = render(splunk(lockouts), 'kql', { dialect: 'defender' });
    expect(d.ok).toBe(false);
    expect(codes(d)).toEqual([['RB402', 10, col(lockouts, 'datamodel=')]]);
    const u = render(splunk(lockouts), 'kql');
    expect(u.ok).toBe(true);
    expect(u.query!.split('\n').slice(0, 2)).toEqual(['// Microsoft Sentinel table SecurityEvent: Defender XDR has no table or column for this rule', 'SecurityEvent']);
  });

  it('result_id, which the CIM mapping keeps by its data-model name, is the event id (a number); action has no column', () => {
    const q = '| tstats values(All_Changes.result_id) as result_id count from datamodel=Change where All_Changes.result_id=4720 by All_Changes.user All_Changes.action | `drop_dm_object_name("All_Changes")`';
    const { lines: out, r } = lines(q, 'sentinel');
    expect(out).toEqual([
      'SecurityEvent',
      `| where ${ACCOUNT_MANAGEMENT} and EventID == 4720`,
      "| summarize result_id = array_sort_asc(make_set_if(EventID, isnotnull(EventID))), ['count'] = count() by user = TargetUserName, action = 'unknown'",
      '',
    ]);
    expect(codes(r)).toEqual([
      ['RB404', 10, col(q, 'datamodel=')],
      ['RB404', 10, col(q, 'All_Changes.result_id=')],
      ['RB404', 10, col(q, 'tstats')],
      ['RB405', 10, col(q, 'tstats')],
    ]);
  });

  it('an equality on result is inexact (Activity has the event id before the title) and still renders, warned', () => {
    const q = '| tstats count from datamodel=Change where All_Changes.result="A user account was locked out." by All_Changes.user';
    const { lines: out, r } = lines(q, 'sentinel');
    expect(out[1]).toBe(`| where ${ACCOUNT_MANAGEMENT} and Activity =~ 'A user account was locked out.'`);
    expect(codes(r).map((c) => c[0])).toEqual(['RB404', 'RB404', 'RB404']);
    expect(r.diagnostics[1]!.message).toContain('an equality does not');
  });
});

describe('kql: the Splunk add-on for Windows names of Security events', () => {
  const deleted = '`wineventlog_security` EventCode=4726 status=success | bucket span=10m _time | stats count dc(user) as unique_users values(user) as user by _time src_user Logon_ID | where unique_users > 5';
  const USER = "iff(EventID in (4688, 4689), strcat(SubjectDomainName, '\\\\', SubjectUserName), TargetUserName)";

  it('status is known for events Windows writes as one outcome; user is the target account, src_user the subject; dc(user) is no constant', () => {
    const { lines: q, r } = lines(deleted, 'sentinel');
    expect(q[0]).toBe('SecurityEvent');
    expect(q[1]).toMatch(/^\| where EventID == 4726 and case\(EventID in \((\d+, )*4726(, \d+)*\), 'success', EventID == 4625, 'failure', ''\) =~ 'success'$/);
    expect(q[2]).toBe(`| summarize ['count'] = count(), unique_users = count_distinctif(${USER}, isnotempty(${USER})), user = array_sort_asc(make_set_if(${USER}, isnotempty(${USER}))) by src_user = SubjectUserName, Logon_ID = SubjectLogonId, _time = bin(TimeGenerated, 600s)`);
    expect(q[3]).toBe('| where unique_users > 5');
    expect(codes(r)).toEqual([['RB404', 10, col(deleted, 'status')], ['RB404', 10, col(deleted, 'stats')], ['RB404', 10, col(deleted, 'stats')], ['RB404', 10, col(deleted, 'stats')]]);
    expect(r.diagnostics[0]!.message).toContain('Audit Success');
  });

  it('status of an event Windows writes as either outcome (4723, a password change) is not guessed: it is no id of the case()', () => {
    const q = '`wineventlog_security` EventCode=4723 status=failure';
    const { lines: out } = lines(q, 'sentinel');
    const ids = /case\(EventID in \(([^)]*)\)/.exec(out[1]!)![1]!.split(', ').map(Number);
    expect(ids).not.toContain(4723);
    expect(ids).not.toContain(4625);
    expect(ids).toEqual(expect.arrayContaining([4720, 4725, 4726, 4740, 4741]));
  });

  it('signature is Activity, the event id and its message title', () => {
    const q = '`wineventlog_security` EventCode=4725 signature="*disabled*" | stats count by signature';
    const { lines: out, r } = lines(q, 'sentinel');
    expect(out.slice(1, 3)).toEqual(["| where EventID == 4725 and Activity contains 'disabled'", "| summarize ['count'] = count() by signature = Activity"]);
    expect(codes(r)).toEqual([['RB404', 10, col(q, 'signature')]]);
  });

  it('user_type, which the add-on derives, has no column: RB403 at the term', () => {
    const q = '`wineventlog_security` EventCode=4741 user_type=computer | stats count by user';
    const r = render(splunk(q), 'kql', { dialect: 'sentinel' });
    expect(r.ok).toBe(false);
    expect(codes(r).filter((c) => c[0] === 'RB403')).toEqual([['RB403', 10, col(q, 'user_type')]]);
  });
});

describe('kql: Sysmon names that Defender XDR keeps in other columns', () => {
  it('the target of a CreateRemoteThreadApiCall is FolderPath (warned) and ProcessId', () => {
    const q = '`sysmon` EventCode=8 TargetImage="*\\\\lsass.exe" | stats count by SourceImage TargetImage TargetProcessId';
    const { lines: out, r } = lines(q, 'defender');
    expect(out).toEqual([
      'DeviceEvents',
      "| where ActionType == 'CreateRemoteThreadApiCall' and FolderPath endswith '\\\\lsass.exe'",
      "| summarize ['count'] = count() by SourceImage = InitiatingProcessFolderPath, TargetImage = FolderPath, TargetProcessId = ProcessId",
      '',
    ]);
    expect(codes(r)).toEqual([['RB404', 10, col(q, 'TargetImage')]]);
  });

  it('the CIM app of a network connection is the connecting process image: InitiatingProcessFolderPath, SysmonEvent Image', () => {
    const q = '| tstats count from datamodel=Network_Traffic.All_Traffic where All_Traffic.app="*\\\\mshta.exe" by All_Traffic.app All_Traffic.dest_ip | `drop_dm_object_name(All_Traffic)`';
    const d = lines(q, 'defender');
    expect(d.lines.slice(0, 3)).toEqual([
      'DeviceNetworkEvents',
      "| where InitiatingProcessFolderPath endswith '\\\\mshta.exe'",
      "| summarize ['count'] = count() by app = InitiatingProcessFolderPath, dest_ip = RemoteIP",
    ]);
    expect(codes(d.r)).toEqual([['RB404', 10, col(q, 'datamodel=')], ['RB404', 10, col(q, 'All_Traffic.app=')]]);
    const s = lines(q, 'sentinel');
    expect(s.lines.slice(0, 3)).toEqual(['SysmonEvent', "| where EventID == 3 and Image endswith '\\\\mshta.exe'", "| summarize ['count'] = count() by app = Image, dest_ip = DestinationIp"]);
    expect(codes(s.r)).toEqual([['RB404', 10, col(q, 'All_Traffic.app=')]]);
  });
});
