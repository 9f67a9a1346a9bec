import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { readEvents, toCanonical } from '../../src/evaluator/index.js';
import type { Diagnostic } from '../../src/diagnostics/index.js';

const FIX = join(__dirname, '..', 'fixtures', 'events');

async function readAll(file: string) {
  const diags: Diagnostic[] = [];
  const out: { line: number; ev: Record<string, unknown> }[] = [];
  for await (const e of readEvents(file, diags)) out.push({ line: e.line, ev: { ...toCanonical(e.raw) } });
  return { out, diags };
}

/** The fields every shape carries, with the values they must all agree on. */
const EXPECTED: Record<string, unknown> = {
  'event.code': 1,
  'winlog.channel': 'Microsoft-Windows-Sysmon/Operational',
  'host.name': 'WKS-01.contoso.local',
  '@timestamp': '2026-11-02T09:15:01.123456Z',
  'process.executable': 'C:\\Windows\\System32\\msiexec.exe',
  'process.name': 'msiexec.exe',
  'process.pe.original_file_name': 'msiexec.exe',
  'process.command_line': 'msiexec.exe /y C:\\Users\\alice\\Temp\\a&b <x>.dll',
  'process.pid': 4001,
  'process.parent.pid': 3001,
  'process.parent.executable': 'C:\\Windows\\System32\\cmd.exe',
  'process.parent.name': 'cmd.exe',
  'process.entity_id': '9A1C2B3D-1111-6750-0001-000000000E00',
  'process.hash.sha256': '1C5A2E8F4B7D9E0A3C6F1B8D5E2A7C4F9B0D3E6A1C8F5B2E9D4A7C0F3B6E1D8A',
  'user.name': 'CONTOSO\\alice',
  'winlog.event_data.LogonId': '0xa1d6b',
  'winlog.event_data.ProcessGuid': '9A1C2B3D-1111-6750-0001-000000000E00',
};

describe('readers and normalizers: one Sysmon EID 1 event in four shapes', () => {
  const shapes = ['sysmon1.jsonl', 'sysmon1.xml.log', 'sysmon1.evtx.jsonl', 'sysmon1.ecs.jsonl'];
  for (const s of shapes) {
    it(`${s} normalizes to the canonical fields`, async () => {
      const { out, diags } = await readAll(join(FIX, s));
      expect(diags).toEqual([]);
      expect(out).toHaveLength(1);
      const pick = Object.fromEntries(Object.keys(EXPECTED).map((k) => [k, out[0]!.ev[k]]));
      expect(pick).toEqual(EXPECTED);
    });
  }
  it('the three Windows shapes give the very same canonical event', async () => {
    const evs = await Promise.all(shapes.slice(0, 3).map(async (s) => (await readAll(join(FIX, s))).out[0]!.ev));
    expect(evs[1]).toEqual(evs[0]);
    expect(evs[2]).toEqual(evs[0]);
  });
  it('reports the line number of the event (blank lines count)', async () => {
    const { out } = await readAll(join(FIX, 'sysmon1.xml.log'));
    expect(out[0]!.line).toBe(2);
  });
});

describe('readers: bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rb-readers-'));
  it('skips a bad JSON line with RB501 at file:line and keeps reading', async () => {
    const f = join(dir, 'bad.jsonl');
    writeFileSync(f, '{"EventID": 1, "Channel": "Security"}\n{not json\n\n{"EventID": 2}\n');
    const { out, diags } = await readAll(f);
    expect(out.map((e) => e.line)).toEqual([1, 4]);
    expect(diags.map((d) => [d.code, d.file, d.line, d.column])).toEqual([['RB501', f, 2, 1]]);
  });
  it('skips a bad XML line with RB501', async () => {
    const f = join(dir, 'bad.xml.log');
    writeFileSync(f, "<Event><System><EventID>4</EventID></System></Event>\n<Event><System><EventID>5</System></Event>\n<Event><System><EventID>6</EventID></System></Event>\n");
    const { out, diags } = await readAll(f);
    expect(out.map((e) => [e.line, e.ev['event.code']])).toEqual([[1, 4], [3, 6]]);
    expect(diags.map((d) => [d.code, d.line])).toEqual([['RB501', 2]]);
  });
  it('refuses DOCTYPE / entity declarations (no entity expansion)', async () => {
    const f = join(dir, 'xxe.xml.log');
    writeFileSync(f, '<Event><System><EventID>1</EventID></System></Event>\n<!DOCTYPE x [<!ENTITY a "aaaa">]><Event><System><EventID>&a;</EventID></System></Event>\n');
    const { out, diags } = await readAll(f);
    expect(out).toHaveLength(1);
    expect(diags.map((d) => [d.code, d.line])).toEqual([['RB501', 2]]);
  });
  it('an unknown format is RB502', async () => {
    const f = join(dir, 'text.log');
    writeFileSync(f, '\nhello world\n');
    const { out, diags } = await readAll(f);
    expect(out).toEqual([]);
    expect(diags.map((d) => [d.code, d.line])).toEqual([['RB502', 2]]);
  });
  it('a file that cannot be read is RB502 naming the file, not an exception', async () => {
    const f = join(dir, 'missing.jsonl');
    const { out, diags } = await readAll(f);
    expect(out).toEqual([]);
    expect(diags.map((d) => [d.code, d.file])).toEqual([['RB502', f]]);
  });
  it('a corrupt gzip stream is RB502 after the events read so far', async () => {
    const f = join(dir, 'corrupt.gz');
    const gz = gzipSync('{"EventID": 1}\n'.repeat(2000));
    writeFileSync(f, gz.subarray(0, gz.length - 40));
    const { out, diags } = await readAll(f);
    expect(out.length).toBeGreaterThan(0);
    expect(diags.map((d) => d.code)).toEqual(['RB502']);
  });
  it('reads gzip by content, whatever the name', async () => {
    const f = join(dir, 'events.log');
    writeFileSync(f, gzipSync('{"EventID": 7, "Channel": "security", "SystemTime": "2020-09-21T22:58:31.658Z"}\n'));
    const { out } = await readAll(f);
    expect(out[0]!.ev['event.code']).toBe(7);
    expect(out[0]!.ev['winlog.channel']).toBe('Security');
    expect(out[0]!.ev['@timestamp']).toBe('2020-09-21T22:58:31.658000Z');
  });
  it('keeps unnamed Data as a list and UserData leaves as fields', async () => {
    const f = join(dir, 'userdata.xml.log');
    writeFileSync(f, "<Event><System><EventID>1102</EventID><Channel>Security</Channel></System><UserData><LogFileCleared><SubjectUserName>admin01</SubjectUserName></LogFileCleared></UserData></Event>\n<Event><System><EventID>18456</EventID><Channel>Application</Channel></System><EventData><Data>sa</Data><Data> [CLIENT: 10.0.2.17]</Data><Binary>AB</Binary></EventData></Event>\n");
    const { out } = await readAll(f);
    expect(out[0]!.ev['winlog.event_data.SubjectUserName']).toBe('admin01');
    expect(out[1]!.ev['winlog.event_data.Data']).toEqual(['sa', ' [CLIENT: 10.0.2.17]']);
    expect(out[1]!.ev['winlog.event_data.Binary']).toBe('AB');
  });
});

describe('normalizer: Security 4688', () => {
  it('maps 4688 fields to the Sysmon-named canonical fields; hex pids become numbers', () => {
    const ev = toCanonical({
      EventID: 4688, Channel: 'Security', Computer: 'PC01', SystemTime: '2019-02-13T18:01:47.562412400Z',
      SubjectUserName: 'PC01$', SubjectDomainName: 'EXAMPLE', NewProcessId: '0x000001fc',
      NewProcessName: 'C:\\Windows\\System32\\TSTheme.exe', ProcessId: '0x00000278', CommandLine: 'TSTheme.exe -Embedding ',
      ParentProcessName: 'C:\\Windows\\System32\\svchost.exe', MandatoryLabel: 'S-1-16-12288',
    });
    expect({ ...ev }).toMatchObject({
      'process.executable': 'C:\\Windows\\System32\\TSTheme.exe', 'process.name': 'TSTheme.exe',
      'process.pid': 0x1fc, 'process.parent.pid': 0x278, 'process.command_line': 'TSTheme.exe -Embedding',
      'process.parent.executable': 'C:\\Windows\\System32\\svchost.exe', 'process.parent.name': 'svchost.exe',
      'user.name': 'EXAMPLE\\PC01$', 'winlog.event_data.NewProcessId': '0x1fc', '@timestamp': '2019-02-13T18:01:47.562412Z',
      'winlog.event_data.IntegrityLevel': 'High',
    });
    expect(ev['@timestamp_ms']).toBe(Date.UTC(2019, 1, 13, 18, 1, 47, 562) + 0.412);
  });
});

describe('normalizer: other shapes', () => {
  it('reads xmltodict-style nested EVTX JSON (@Name, #text)', () => {
    const ev = toCanonical({ Event: {
      System: { Provider: { '@Name': 'Microsoft-Windows-Sysmon' }, EventID: { '#text': '3' }, Channel: 'Microsoft-Windows-Sysmon/Operational', TimeCreated: { '@SystemTime': '2026-01-01 10:00:00.5' }, Computer: 'h' },
      EventData: { Data: [{ '@Name': 'Image', '#text': 'C:\\x\\a.exe' }, { '@Name': 'DestinationPort', '#text': '443' }, { '@Name': 'DestinationIp', '#text': '10.1.2.3' }] },
    } });
    expect({ ...ev }).toMatchObject({ 'event.code': 3, 'winlog.provider_name': 'Microsoft-Windows-Sysmon', '@timestamp': '2026-01-01T10:00:00.500000Z', 'process.name': 'a.exe', 'destination.port': 443, 'destination.ip': '10.1.2.3' });
  });
  it('reads nested EVTX JSON without the outer Event object', () => {
    const ev = toCanonical({ System: { EventID: 11, Channel: 'Microsoft-Windows-Sysmon/Operational' }, EventData: { TargetFilename: 'C:\\t\\a.ps1' } });
    expect({ ...ev }).toMatchObject({ 'event.code': 11, 'file.path': 'C:\\t\\a.ps1', 'file.name': 'a.ps1' });
  });
  it('UserData leaves never replace the System channel; a named Data does replace a System value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-readers2-'));
    const f = join(dir, 'u.xml.log');
    writeFileSync(f, "<Event><System><EventID>104</EventID><Version>0</Version><Channel>System</Channel></System><UserData><LogFileCleared><Channel>Application</Channel></LogFileCleared></UserData></Event>\n<Event><System><EventID>4</EventID><Version>3</Version><Channel>Microsoft-Windows-Sysmon/Operational</Channel></System><EventData><Data Name='Version'>9.01</Data><Data>one</Data></EventData></Event>\n");
    const { out } = await readAll(f);
    expect(out[0]!.ev['winlog.channel']).toBe('System');
    expect(out[1]!.ev['winlog.version']).toBe('9.01');
    expect(out[1]!.ev['winlog.event_data.Data']).toBe('one');
  });
});

describe('normalizer: field names with spaces', () => {
  it('keeps Defender names with spaces and also without (as Sigma writes them)', () => {
    const ev = toCanonical({ EventID: 1119, Channel: 'Microsoft-Windows-Windows Defender/Operational', 'Source Name': 'Real-Time Protection', 'Threat Name': 'Tool:Win32/EICAR_Test_File' });
    expect(ev['winlog.event_data.Source Name']).toBe('Real-Time Protection');
    expect(ev['winlog.event_data.SourceName']).toBe('Real-Time Protection');
    expect(ev['winlog.event_data.ThreatName']).toBe('Tool:Win32/EICAR_Test_File');
  });
});
