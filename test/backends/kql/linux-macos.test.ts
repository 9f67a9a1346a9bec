/**
 * Linux auditd and macOS osquery detections in KQL (Defender XDR): auditd's PROCTITLE records and
 * osquery's es_process_events results read from DeviceProcessEvents, each field that differs with
 * an RB404 warning saying how, osquery columns with no counterpart refused (RB403), a foreach over
 * the source's fields refused (RB401); the other audit records: auditd-records.test.ts. Fixtures:
 * test/fixtures/kql-linux (rules and macros written for these tests); the corpus part reads the
 * production detections of ../shared/corpus and skips without it.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render, type RenderResult } from '../../../src/backends/index.js';
import { loadRules } from '../../../src/index.js';
import { CORPUS, HAS_CORPUS, REPO, skipNote } from '../../helpers/paths.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';

const FIXTURES = join(REPO, 'test', 'fixtures', 'kql-linux');

function kql(name: string): RenderResult {
  const { rules } = loadRules([join(FIXTURES, name)]);
  expect(rules.length).toBe(1);
  const rule = rules[0]!.rule;
  expect(rule, JSON.stringify(rules[0]!.diagnostics)).toBeDefined();
  return render(rule!, 'kql', { dialect: 'unified' });
}
const valid = (r: RenderResult) => {
  expect(r.ok, JSON.stringify(r.diagnostics)).toBe(true);
  if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
};
/** [code, line, column, the quoted field or source the message names] of each diagnostic of a severity. */
const diags = (r: RenderResult, severity: 'error' | 'warning') =>
  r.diagnostics.filter((d) => d.severity === severity).map((d) => [d.code, d.line, d.column, /(?:field|log source) '([^']*)'/.exec(d.message)?.[1] ?? d.message]);

describe('kql: Linux auditd PROCTITLE records', () => {
  it('read from DeviceProcessEvents: proctitle is ProcessCommandLine, type the constant PROCTITLE, the decoding macro kept as written', () => {
    const r = kql('auditd_proctitle.yml');
    valid(r);
    expect(r.query).toBe(`DeviceProcessEvents
| where 'PROCTITLE' =~ 'PROCTITLE'
| extend hexed = iff((ProcessCommandLine matches regex '^[0-9A-F]+$'), replace_regex(ProcessCommandLine, '00', '20'), ProcessCommandLine)
| extend process_exec = iff((hexed matches regex '^[0-9A-F]+$'), url_decode(replace_regex(hexed, '([0-9A-F]{2})', '%\\\\1')), hexed)
| project-rename dest = DeviceName
| where process_exec matches regex '(?s)^.*useradd.*$' or process_exec matches regex '(?s)^.*adduser.*$'
| summarize ['count'] = count(), firstTime = min(Timestamp) by process_exec, proctitle = ProcessCommandLine, dest
`);
    // Every approximation is said, where the rule uses it: the source, type, proctitle (its
    // hex-encoding and 128-byte cut), urldecode, and host renamed to dest.
    const w = diags(r, 'warning');
    expect(w.filter((d) => d[0] === 'RB404' && ['auditd', 'type', 'proctitle', 'host'].includes(d[3] as string))).toEqual([
      ['RB404', 11, 10, 'auditd'],
      ['RB404', 11, 25, 'type'],
      ['RB404', 11, 25, 'proctitle'],
      ['RB404', 11, 47, 'host'],
    ]);
    const note = r.diagnostics.find((d) => d.message.includes("field 'proctitle'"))!.message;
    expect(note).toMatch(/128 bytes/);
    expect(note).toMatch(/hex-encoded with a NUL byte between arguments/);
    expect(r.diagnostics.find((d) => d.message.includes("log source 'auditd'"))!.message).toMatch(/no operating-system column/);
  });

  it('a rule that selects another record type (type=SYSCALL, type=PATH) reads that type\'s variant (test/backends/kql/auditd-records.test.ts)', () => {
    const syscall = kql('auditd_syscall.yml');
    valid(syscall);
    expect(syscall.query!.split('\n').slice(0, 2)).toEqual(['DeviceProcessEvents', "| where 'SYSCALL' =~ 'SYSCALL' and substring(FileName, 0, 15) =~ 'doas'"]);
    const path = kql('auditd_path.yml');
    valid(path);
    expect(path.query!.split('\n').slice(0, 2)).toEqual(['DeviceFileEvents', "| where 'PATH' =~ 'PATH' and FolderPath startswith '/etc/sudoers'"]);
  });

  it('foreach a* over the record\'s fields (EXECVE arguments): RB401 at the foreach, since the fields it would match are unknown here', () => {
    const r = kql('auditd_execve.yml');
    expect(r.ok).toBe(false);
    expect(diags(r, 'error')).toEqual([['RB401', 11, 54, expect.stringMatching(/^kql cannot express foreach a\* here/)]]);
  });
});

describe('kql: macOS osquery es_process_events results', () => {
  it('read from DeviceProcessEvents after rename columns.* as *, with the caveats of the renamed columns said at the rename', () => {
    const r = kql('osquery_plutil.yml');
    valid(r);
    expect(r.query).toBe(`DeviceProcessEvents
| where 'es_process_events' =~ 'es_process_events' and FolderPath =~ '/usr/bin/plutil'
| project-rename cmdline = ProcessCommandLine, path = FolderPath, pid = ProcessId, parent = InitiatingProcessId, username = AccountName
| summarize ['count'] = count() by username, host = DeviceName, cmdline, pid, path, parent
`);
    expect(diags(r, 'warning')).toEqual([
      ['RB404', 11, 10, 'osquery:results'],
      ['RB404', 11, 28, 'name'],
      ['RB404', 11, 82, 'columns.cmdline'],
      ['RB404', 11, 82, 'columns.parent'],
      ['RB404', 11, 106, 'host'],
    ]);
    expect(r.diagnostics.find((d) => d.message.includes("log source 'osquery:results'"))!.message).toMatch(/fork and exit events/);
  });

  it('another osquery query\'s results: the constant query name makes the condition false, and the warning says so', () => {
    const r = kql('osquery_other.yml');
    valid(r);
    expect(r.query!.split('\n')[1]).toBe("| where 'es_process_events' =~ 'processes' and FolderPath =~ '/usr/bin/plutil'");
    const w = r.diagnostics.find((d) => d.code === 'RB404' && d.message.includes("field 'name'"))!;
    expect([w.line, w.column]).toEqual([11, 28]);
    expect(w.message).toMatch(/any other query's name holds for no row/);
  });
});

skipNote('the Linux auditd and macOS osquery corpus detections');

describe.skipIf(!HAS_CORPUS)('kql: production Linux auditd and macOS osquery detections of the corpus', () => {
  it('each renders a query Kusto.Language accepts or fails with located RB402/RB403 errors; all but SERVICE_STOP and a SYSCALL=rename one render', () => {
    const dir = join(CORPUS, 'splunk', 'detections', 'endpoint');
    const files = readdirSync(dir)
      .filter((n) => /^(linux_auditd_|macos_)/.test(n) && /^status:\s*production\s*$/m.test(readFileSync(join(dir, n), 'utf8')))
      .map((n) => join(dir, n));
    const { rules } = loadRules(files);
    const converted: string[] = [];
    for (const { rule } of rules) {
      expect(rule).toBeDefined();
      const r = render(rule!, 'kql', { dialect: 'unified' });
      const name = rule!.file.split('/').pop()!;
      if (r.ok) {
        if (!KUSTO_SKIP) expect(kustoErrors(r.query!), name).toEqual([]);
        expect(/^Device(Process|File)Events\n/.test(r.query!), name).toBe(true);
        // Never silent: the source's reading is always warned.
        expect(r.diagnostics.some((d) => d.code === 'RB404' && /log source '(auditd|osquery:results)'/.test(d.message)), name).toBe(true);
        converted.push(name);
      } else {
        const errors = r.diagnostics.filter((d) => d.severity === 'error');
        expect(errors.length, name).toBeGreaterThan(0);
        for (const e of errors) {
          expect(['RB402', 'RB403'], `${name}: ${e.code} ${e.message}`).toContain(e.code);
          expect([e.file, e.line! > 0, e.column! > 0], name).toEqual([rule!.file, true, true]);
        }
      }
    }
    console.log(`kql: ${converted.length} of ${rules.length} production Linux auditd / macOS osquery detections converted`);
    // Refused: the SERVICE_STOP ones (no Defender table, RB402) and edit_cron_table_parameter (SYSCALL=rename, success=yes: RB403).
    expect(rules.length - converted.length).toBe(3);
    expect(converted).toEqual(expect.arrayContaining([
      'linux_auditd_add_user_account.yml',
      'linux_auditd_base64_decode_files.yml',
      'linux_auditd_doas_tool_execution.yml',
      'linux_auditd_possible_access_to_sudoers_file.yml',
      'macos_lolbin.yml',
      'macos_plutil.yml',
    ]));
  }, 120_000);
});
