/**
 * Linux auditd records other than PROCTITLE in KQL (Defender XDR): the rule's first condition
 * `type=…` picks the reading of the auditd source (mappings/defender.json, service:auditd
 * variants): EXECVE and SYSCALL records as DeviceProcessEvents, PATH records as DeviceFileEvents,
 * SERVICE_START/SERVICE_STOP refused (no table); EXECVE's a* fields as the words of the command
 * line, one by one or appended by a foreach. Rendered text, Kusto.Language checks, warnings and
 * refusals by code, line and column. Fixtures: test/fixtures/kql-auditd (written for these tests);
 * the last part reads the Sigma Linux auditd rules of ../shared/corpus and skips without it.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render, type RenderResult } from '../../../src/backends/index.js';
import { loadRules } from '../../../src/index.js';
import { and, pred, type Expr, type Stage, type ValueExpr } from '../../../src/ir/index.js';
import { at, rule, whereOf } from './rule.js';
import { CORPUS, HAS_CORPUS, REPO, skipNote } from '../../helpers/paths.js';
import { KUSTO_SKIP, kustoErrors, kustoReference } from '../../helpers/kusto.js';
import type { KqlMapping } from '../../../src/backends/kql-mapping.js';

const FIXTURES = join(REPO, 'test', 'fixtures', 'kql-auditd');

function kql(name: string, dialect = 'unified'): RenderResult {
  const { rules } = loadRules([join(FIXTURES, name)]);
  expect(rules.length).toBe(1);
  const rule = rules[0]!.rule;
  expect(rule, JSON.stringify(rules[0]!.diagnostics)).toBeDefined();
  return render(rule!, 'kql', { dialect });
}
const valid = (r: RenderResult) => {
  expect(r.ok, JSON.stringify(r.diagnostics.filter((d) => d.severity === 'error'))).toBe(true);
  if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
};
/** [code, line, column, the quoted field or source the message names] of each diagnostic of a severity. */
const diags = (r: RenderResult, severity: 'error' | 'warning') =>
  r.diagnostics.filter((d) => d.severity === severity).map((d) => [d.code, d.line, d.column, /(?:field|log source) '([^']*)'/.exec(d.message)?.[1] ?? d.message]);
const message = (r: RenderResult, code: string, part: string) => r.diagnostics.find((d) => d.code === code && d.message.includes(part))?.message ?? '';

describe('kql: auditd EXECVE records as DeviceProcessEvents', () => {
  it('foreach a* appending to an accumulator: one list of the arguments (in the names\' code-unit order) and argc', () => {
    const r = kql('execve_cmd.yml');
    valid(r);
    expect(r.query).toBe(`DeviceProcessEvents
| where 'EXECVE' =~ 'EXECVE'
| extend words = ''
| mv-apply with_itemindex=rb_i rb_v = split(ProcessCommandLine, ' ') to typeof(string) on (extend rb_k = tostring(rb_i) | order by rb_k asc | summarize rb_group = make_list(rb_v))
| extend rb_group = array_concat(rb_group, iff(isnull(array_length(split(ProcessCommandLine, ' '))), dynamic([]), pack_array(array_length(split(ProcessCommandLine, ' ')))))
| extend words = array_concat(iff(isempty(words), dynamic([]), pack_array(words)), rb_group)
| extend words = iff(array_length(words) == 0, dynamic(null), words)
| project-away rb_group
| extend cmd = trim('[ \\t\\n\\r]+', strcat_array(words, ' '))
| where cmd matches regex '(?s)^.*base64 \\\\-d.*$'
| summarize ['count'] = count() by argc = array_length(split(ProcessCommandLine, ' ')), cmd, host = DeviceName
`);
    // The source, the record type, the a* group (once, at the foreach), argc and host say how they differ.
    expect(diags(r, 'warning').filter((d) => d[0] === 'RB404')).toEqual([
      ['RB404', 11, 10, 'auditd'],
      ['RB404', 11, 25, 'type'],
      ['RB404', 11, 25, expect.stringMatching(/^kql \(defender\): the fields a\* are read as split\(ProcessCommandLine, ' '\) and argc: /)],
      ['RB404', 11, 25, 'argc'],
      ['RB404', 11, 73, 'host'],
    ]);
    expect(message(r, 'RB404', "log source 'auditd'")).toMatch(/\(type EXECVE\) is read from DeviceProcessEvents: .*one EXECVE record for each execve\(\)/);
    expect(message(r, 'RB404', 'the fields a*')).toMatch(/an argument holding a space reads as several/);
    expect(message(r, 'RB404', 'the fields a*')).toMatch(/hex-encoded/);
    expect(message(r, 'RB404', "field 'argc'")).toMatch(/split at each space/);
  });

  it('the security_content shape: guarded by if(type="EXECVE", …), reading its accumulator and result before setting them', () => {
    const r = kql('execve_guarded.yml');
    valid(r);
    const lines = r.query!.split('\n');
    expect(lines.slice(0, 3)).toEqual(['DeviceProcessEvents', "| where 'EXECVE' =~ 'EXECVE'", "| extend relevant_fields = iff(('EXECVE' == 'EXECVE'), '', '')"]);
    expect(lines).toContain("| extend relevant_fields = iff(('EXECVE' == 'EXECVE'), array_concat(iff(isempty(relevant_fields), dynamic([]), pack_array(relevant_fields)), rb_group), iff(isempty(relevant_fields), dynamic([]), pack_array(relevant_fields)))");
    expect(lines).toContain("| extend process_exec = iff(('EXECVE' == 'EXECVE'), strcat_array(relevant_fields, ' '), '')");
    // relevant_fields and process_exec are no fields of the record: null, said once each.
    expect(diags(r, 'warning').filter((d) => ['relevant_fields', 'process_exec'].includes(d[3] as string))).toEqual([
      ['RB404', 11, 25, 'relevant_fields'],
      ['RB404', 11, 25, 'process_exec'],
    ]);
    expect(message(r, 'RB404', "field 'relevant_fields'")).toMatch(/no field of an auditd EXECVE record/);
  });

  it('type=execve in lower case selects EXECVE records too (SPL compares field=value case-insensitively)', () => {
    const r = kql('execve_lower.yml');
    valid(r);
    expect(r.query!.split('\n')[1]).toBe("| where 'EXECVE' =~ 'execve' and array_length(split(ProcessCommandLine, ' ')) > 3");
  });

  it('other foreach bodies, or another field matching a*, stay refused: RB401 at the foreach', () => {
    const concat = kql('execve_concat.yml');
    expect(diags(concat, 'error')).toEqual([['RB401', 11, 54, expect.stringMatching(/^kql cannot express foreach a\* here: the source's a\* fields are read only as one list appended to accumulators/)]]);
    // arch (computed) would be one more run of the template: refused rather than left out.
    const extra = kql('execve_extra.yml');
    expect(diags(extra, 'error')).toEqual([['RB401', 11, 70, 'kql cannot express foreach a* here: arch matches a* too, besides the source\'s a* fields']]);
  });
});

describe('kql: auditd SYSCALL records as DeviceProcessEvents', () => {
  it('comm is FileName cut to 15 characters, exe FolderPath, UID AccountName; SYSCALL and success only shown, as constants', () => {
    const r = kql('syscall_doas.yml');
    valid(r);
    expect(r.query).toBe(`DeviceProcessEvents
| where 'SYSCALL' =~ 'SYSCALL' and substring(FileName, 0, 15) =~ 'doas'
| summarize ['count'] = count() by comm = substring(FileName, 0, 15), exe = FolderPath, SYSCALL = 'unknown', UID = AccountName, ppid = InitiatingProcessId, pid = ProcessId, success = 'unknown', host = DeviceName
`);
    expect(diags(r, 'warning').filter((d) => ['RB404', 'RB405'].includes(d[0] as string))).toEqual([
      ['RB404', 11, 10, 'auditd'],
      ['RB404', 11, 25, 'type'],
      ['RB404', 11, 38, 'comm'],
      ['RB404', 11, 50, 'exe'],
      ['RB405', 11, 50, 'SYSCALL'],
      ['RB404', 11, 50, 'UID'],
      ['RB405', 11, 50, 'success'],
      ['RB404', 11, 50, 'host'],
    ]);
    expect(message(r, 'RB404', "log source 'auditd'")).toMatch(/\(type SYSCALL\) is read from DeviceProcessEvents: .*each audited system call of any kind/);
    expect(message(r, 'RB404', "field 'comm'")).toMatch(/15 bytes \(TASK_COMM_LEN\)/);
  });

  it('a condition on the call (SYSCALL=rename) or its result (success=yes) has no column: RB403 where the rule names it', () => {
    expect(diags(kql('syscall_rename.yml', 'defender'), 'error')).toEqual([
      ['RB403', 11, 38, 'SYSCALL'],
      ['RB403', 11, 66, 'success'],
    ]);
  });
});

describe('kql: auditd PATH records as DeviceFileEvents', () => {
  it('name is FolderPath; nametype and OGID only shown, as constants; the source note says reads are missing', () => {
    const r = kql('path_sudoers.yml');
    valid(r);
    expect(r.query).toBe(`DeviceFileEvents
| where 'PATH' =~ 'PATH' and FolderPath startswith '/etc/sudoers'
| summarize ['count'] = count() by name = FolderPath, nametype = 'unknown', OGID = 'unknown', type = 'PATH', host = DeviceName
`);
    expect(diags(r, 'warning').filter((d) => ['RB404', 'RB405'].includes(d[0] as string)).map((d) => d.slice(0, 3))).toEqual([
      ['RB404', 11, 10],
      ['RB404', 11, 25],
      ['RB404', 11, 35],
      ['RB405', 11, 58],
      ['RB405', 11, 58],
      ['RB404', 11, 58],
    ]);
    expect(message(r, 'RB404', "log source 'auditd'")).toMatch(/\(type PATH\) is read from DeviceFileEvents: .*creations, modifications, renames and deletions only, so reads/);
    expect(message(r, 'RB404', "field 'name'")).toMatch(/relative to the working directory/);
  });

  it('a condition on nametype has no column: RB403', () => {
    expect(diags(kql('path_nametype.yml', 'defender'), 'error')).toEqual([['RB403', 11, 35, 'nametype']]);
  });
});

describe('kql: auditd records Defender XDR has no table for', () => {
  it('SERVICE_STOP: RB402 at the type condition, saying why', () => {
    const r = kql('service_stop.yml', 'defender');
    expect(diags(r, 'error')).toEqual([['RB402', 11, 25, 'linux/auditd']]);
    expect(r.diagnostics[0]!.message).toMatch(/^kql \(defender\) has no table for log source 'linux\/auditd' with type SERVICE_STOP: systemd writes SERVICE_START and SERVICE_STOP records/);
    // Sentinel has no auditd table either: the unified dialect refuses the rule too, with
    // Defender's reason (it maps the source; Sentinel has no table for it at all).
    const u = kql('service_stop.yml');
    expect(u.ok).toBe(false);
    expect(diags(u, 'error')).toEqual([['RB402', 11, 25, 'linux/auditd']]);
    expect(u.diagnostics[0]!.message).toMatch(/^kql \(defender\) .* with type SERVICE_STOP: /);
  });

  it('a record type the mapping does not read (USER_CMD): RB402 naming the types it does, not a constant that matches no row', () => {
    const r = kql('user_cmd.yml', 'defender');
    expect(diags(r, 'error')).toEqual([['RB402', 11, 25, 'linux/auditd']]);
    expect(r.diagnostics[0]!.message).toMatch(/with type USER_CMD: the mapping reads type PROCTITLE, EXECVE, SYSCALL, PATH, SERVICE_START, SERVICE_STOP only$/);
  });
});

describe('kql: foreach a* templates over EXECVE records (hand-made IR)', () => {
  const AUDITD = { product: 'linux', service: 'auditd', origin: at(1, 1) };
  const execve = pred('type', 'eq', ['EXECVE'], { origin: at(2, 1) });
  const f = (name: string): ValueExpr => ({ kind: 'field', name });
  const append = (acc: string): ValueExpr => ({ kind: 'call', fn: 'mvappend', args: [f(acc), f('<<FIELD>>')] });
  const each = (assign: { field: string; expr: ValueExpr }[]): Stage => ({ kind: 'foreach', patterns: ['a*'], assign, origin: at(3, 5) });
  const init: Stage = { kind: 'eval', assign: [{ field: 'xs', expr: { kind: 'lit', value: '' } }, { field: 'ys', expr: { kind: 'lit', value: '' } }] };
  const run = (stages: Stage[]) => render(rule(execve, [init, ...stages, { kind: 'project', fields: ['xs', 'ys'], mode: 'keep' }], AUDITD), 'kql', { dialect: 'defender' });
  const refused = (r: RenderResult) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column]);

  it('two accumulators, one under a condition the same in every run: one list appended to each', () => {
    const r = run([each([{ field: 'xs', expr: append('xs') }, { field: 'ys', expr: { kind: 'call', fn: 'if', args: [{ kind: 'binary', op: '=', left: f('type'), right: { kind: 'lit', value: 'EXECVE' } }, append('ys'), f('ys')] } }])]);
    valid(r);
    const lines = r.query!.split('\n');
    expect(lines).toContain('| extend xs = array_concat(iff(isempty(xs), dynamic([]), pack_array(xs)), rb_group)');
    expect(lines).toContain("| extend ys = iff(('EXECVE' == 'EXECVE'), array_concat(iff(isempty(ys), dynamic([]), pack_array(ys)), rb_group), iff(isempty(ys), dynamic([]), pack_array(ys)))");
    expect(lines.filter((l) => l.startsWith('| mv-apply '))).toHaveLength(1);
  });

  it('one accumulator appended twice per field, a condition that reads the field or argc: RB401 at the foreach', () => {
    expect(refused(run([each([{ field: 'xs', expr: append('xs') }, { field: 'xs', expr: append('xs') }])]))).toEqual([['RB401', 3, 5]]);
    const when = (c: ValueExpr) => each([{ field: 'xs', expr: { kind: 'call', fn: 'if', args: [c, append('xs'), f('xs')] } }]);
    expect(refused(run([when({ kind: 'binary', op: '!=', left: f('<<FIELD>>'), right: { kind: 'lit', value: '' } })]))).toEqual([['RB401', 3, 5]]);
    expect(refused(run([when({ kind: 'binary', op: '>', left: f('argc'), right: { kind: 'lit', value: 2 } })]))).toEqual([['RB401', 3, 5]]);
    // The accumulator's own value in the condition changes from run to run.
    expect(refused(run([when({ kind: 'call', fn: 'isnull', args: [f('xs')] })]))).toEqual([['RB401', 3, 5]]);
  });
});

describe.skipIf(!!KUSTO_SKIP)('kql: source variants and field groups of the mappings', () => {
  it('each variant names a table of the reference and a field map; each group reads as valid KQL over its table', () => {
    const ref = JSON.parse(readFileSync(kustoReference!, 'utf8')) as { tables: Record<string, Record<string, string>> };
    for (const dialect of ['defender', 'sentinel']) {
      const m = JSON.parse(readFileSync(join(REPO, 'mappings', `${dialect}.json`), 'utf8')) as KqlMapping;
      for (const [key, e] of Object.entries(m.logsources)) {
        for (const [value, v] of Object.entries(e.variants?.byValue ?? {})) {
          if ('none' in v) continue;
          expect(ref.tables[v.table], `${key} ${value} → ${v.table}`).toBeDefined();
          expect(m.tables[v.fieldsOf ?? v.table], `${key} ${value} field map`).toBeDefined();
        }
      }
      for (const [key, t] of Object.entries(m.tables)) {
        for (const [pattern, g] of Object.entries(t.groups ?? {})) {
          expect(kustoErrors(`${key.split(':')[0]} | extend g = ${g.numbered}`), `${key} ${pattern}`).toEqual([]);
          for (const n of g.named ?? []) expect(t.fields[n], `${key} ${pattern} names ${n}`).toBeDefined();
        }
      }
    }
  });
});

describe('kql: one EXECVE argument by its name (a0, a1…)', () => {
  const AUDITD = { product: 'linux', service: 'auditd', origin: at(1, 1) };
  const execve = (...more: Expr[]) => and([pred('type', 'eq', ['EXECVE'], { origin: at(2, 1) }), ...more]);

  it('aN is the N-th word of the command line, null past its end; said once per field with the group\'s caveat', () => {
    const r = render(rule(execve(pred('a0', 'eq', ['wget'], { origin: at(2, 10) }), pred('a1', 'startswith', ['--post-file='], { origin: at(2, 20) }), pred('a12', 'exists', [false], { origin: at(2, 30) })), [], AUDITD), 'kql', { dialect: 'defender' });
    valid(r);
    expect(whereOf(r.query!)).toBe("'EXECVE' =~ 'EXECVE' and tostring(split(ProcessCommandLine, ' ')[0]) =~ 'wget' and tostring(split(ProcessCommandLine, ' ')[1]) startswith '--post-file=' and isempty(tostring(split(ProcessCommandLine, ' ')[12]))");
    expect(diags(r, 'warning').filter((d) => /^a\d+$/.test(d[3] as string))).toEqual([
      ['RB404', 2, 10, 'a0'],
      ['RB404', 2, 20, 'a1'],
      ['RB404', 2, 30, 'a12'],
    ]);
    expect(message(r, 'RB404', "field 'a1'")).toMatch(/an argument holding a space reads as several/);
    // Not a numbered name: no column (a01, a-1, ab).
    for (const name of ['a01', 'ab']) {
      const bad = render(rule(execve(pred(name, 'eq', ['x'], { origin: at(2, 10) })), [], AUDITD), 'kql', { dialect: 'defender' });
      expect(diags(bad, 'error')).toEqual([['RB403', 2, 10, name]]);
    }
  });

  it('the PROCTITLE reading has no arguments: a0 without type=EXECVE is RB403', () => {
    const r = render(rule(pred('a0', 'eq', ['wget'], { origin: at(2, 10) }), [], { product: 'linux', service: 'auditd', origin: at(1, 1) }), 'kql', { dialect: 'defender' });
    expect(diags(r, 'error')).toEqual([['RB403', 2, 10, 'a0']]);
  });

  it('a foreach a* after a0 was renamed away is refused (SPL would no longer see a0)', () => {
    const stages: Stage[] = [
      { kind: 'eval', assign: [{ field: 'xs', expr: { kind: 'lit', value: '' } }] },
      { kind: 'rename', pairs: [{ from: 'a0', to: 'prog' }] },
      { kind: 'foreach', patterns: ['a*'], assign: [{ field: 'xs', expr: { kind: 'call', fn: 'mvappend', args: [{ kind: 'field', name: 'xs' }, { kind: 'field', name: '<<FIELD>>' }] } }], origin: at(3, 5) },
    ];
    const r = render(rule(execve(), stages, AUDITD), 'kql', { dialect: 'defender' });
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column, d.message])).toEqual([
      ['RB401', 3, 5, "kql cannot express foreach a* here: a0 was renamed or removed before it, so the source's a* fields are not the whole list"],
    ]);
  });
});

skipNote('the Sigma Linux auditd rules of the corpus');

describe.skipIf(!HAS_CORPUS)('kql: the Sigma Linux auditd rules of the corpus', () => {
  it('each renders a query Kusto.Language accepts or fails with located errors; the EXECVE, SYSCALL and PATH readings render', () => {
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else if (e.name.endsWith('.yml') && d.includes('auditd')) files.push(join(d, e.name));
      }
    };
    walk(join(CORPUS, 'sigma', 'rules', 'linux'));
    const { rules } = loadRules(files);
    const heads = new Map<string, number>();
    for (const { rule } of rules) {
      if (!rule) continue;
      const r = render(rule, 'kql', { dialect: 'unified' });
      const name = rule.file.split('/').pop()!;
      if (r.ok) {
        if (!KUSTO_SKIP) expect(kustoErrors(r.query!), name).toEqual([]);
        const head = r.query!.split('\n').slice(0, 2).join(' ').replace(/ and .*/, '');
        heads.set(head, (heads.get(head) ?? 0) + 1);
      } else {
        for (const e of r.diagnostics.filter((d) => d.severity === 'error')) expect([e.file, e.line! > 0, e.column! > 0], `${name}: ${e.message}`).toEqual([rule.file, true, true]);
      }
    }
    console.log(`kql: Sigma Linux auditd rules converted by reading: ${JSON.stringify(Object.fromEntries(heads))}`);
    expect([...heads.keys()]).toEqual(expect.arrayContaining(["DeviceProcessEvents | where 'EXECVE' =~ 'EXECVE'", "DeviceFileEvents | where 'PATH' =~ 'PATH'"]));
  }, 60_000);
});
