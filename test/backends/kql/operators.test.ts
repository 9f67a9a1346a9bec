/**
 * One row per IR operator (and its variants): the predicate, the KQL condition it must become,
 * and a check by Microsoft's Kusto.Language that the whole query has no error.
 */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { and, not, or, pred, type Expr, type LogSource } from '../../../src/ir/index.js';
import { KUSTO_SKIP, kustoErrors, kustoStringLiterals } from '../../helpers/kusto.js';
import { globRegex } from '../../../src/backends/kql-literal.js';
import { at, rule, whereOf } from './rule.js';

const NET: LogSource = { category: 'network_connection' };
const REG: LogSource = { category: 'registry_set' };

interface Row { name: string; filter: Expr; where: string; source?: LogSource }

const ROWS: Row[] = [
  { name: 'eq folds case', filter: pred('process.name', 'eq', ['cmd.exe']), where: "FileName =~ 'cmd.exe'" },
  { name: 'eq cased', filter: pred('process.name', 'eq', ['cmd.exe'], { caseSensitive: true }), where: "FileName == 'cmd.exe'" },
  { name: 'eq any of several', filter: pred('process.name', 'eq', ['a.exe', 'b.exe']), where: "FileName in~ ('a.exe', 'b.exe')" },
  { name: 'eq any of several, cased', filter: pred('process.name', 'eq', ['a.exe', 'b.exe'], { caseSensitive: true }), where: "FileName in ('a.exe', 'b.exe')" },
  { name: 'eq all', filter: pred('process.name', 'eq', ['a', 'b'], { quantifier: 'all' }), where: "(FileName =~ 'a' and FileName =~ 'b')" },
  { name: 'eq null on a string column', filter: pred('process.name', 'eq', [null]), where: 'isempty(FileName)' },
  { name: 'eq null or a value', filter: pred('process.name', 'eq', [null, 'x']), where: "(isempty(FileName) or FileName =~ 'x')" },
  { name: 'eq null on a long column', filter: pred('process.pid', 'eq', [null]), where: 'isnull(ProcessId)' },
  { name: 'eq number on a long column', filter: pred('process.pid', 'eq', [4]), where: 'ProcessId == 4' },
  { name: 'eq numeric strings on a long column', filter: pred('process.pid', 'eq', ['4', '8']), where: 'ProcessId in (4, 8)' },
  { name: 'eq non-numeric string on a long column', filter: pred('process.pid', 'eq', ['0x10']), where: "tostring(ProcessId) =~ '0x10'" },
  { name: 'eq boolean on a string column', filter: pred('process.name', 'eq', [true]), where: "FileName =~ 'true'" },
  { name: 'eq number on a string column', filter: pred('process.name', 'eq', [4688]), where: "FileName =~ '4688'" },
  { name: 'contains any', filter: pred('process.command_line', 'contains', [' /y', ' -y']), where: "(ProcessCommandLine contains ' /y' or ProcessCommandLine contains ' -y')" },
  { name: 'contains all', filter: pred('process.command_line', 'contains', ['a', 'b'], { quantifier: 'all' }), where: "(ProcessCommandLine contains 'a' and ProcessCommandLine contains 'b')" },
  { name: 'contains cased', filter: pred('process.command_line', 'contains', ['X'], { caseSensitive: true }), where: "ProcessCommandLine contains_cs 'X'" },
  { name: 'startswith', filter: pred('process.executable', 'startswith', ['C:\\Windows\\']), where: "FolderPath startswith 'C:\\\\Windows\\\\'" },
  { name: 'startswith cased', filter: pred('process.executable', 'startswith', ['C:'], { caseSensitive: true }), where: "FolderPath startswith_cs 'C:'" },
  { name: 'endswith', filter: pred('process.executable', 'endswith', ['\\cmd.exe']), where: "FolderPath endswith '\\\\cmd.exe'" },
  { name: 'endswith cased', filter: pred('process.executable', 'endswith', ['.EXE'], { caseSensitive: true }), where: "FolderPath endswith_cs '.EXE'" },
  { name: 'contains on a long column', filter: pred('process.pid', 'contains', ['12']), where: "tostring(ProcessId) contains '12'" },
  { name: 'wildcard: ? is one character, * any run, anchored, case folded', filter: pred('process.name', 'wildcard', ['a?c*d']), where: "FileName matches regex '(?is)^a.c.*d$'" },
  { name: 'wildcard cased', filter: pred('process.name', 'wildcard', ['a?c*d'], { caseSensitive: true }), where: "FileName matches regex '(?s)^a.c.*d$'" },
  { name: 'wildcard with metacharacters and an escaped *', filter: pred('process.name', 'wildcard', ['a.b+(c)*[d]?\\*']), where: "FileName matches regex '(?is)^a\\\\.b\\\\+\\\\(c\\\\).*\\\\[d\\\\].\\\\*$'" },
  { name: 'a glob of only * is a presence test (KQL keeps an absent string as \'\')', filter: pred('process.name', 'wildcard', ['*']), where: 'isnotempty(FileName)' },
  { name: "contains '' is a presence test", filter: pred('process.pid', 'contains', ['']), where: 'isnotnull(ProcessId)' },
  { name: 'a regex that matches the empty string needs the field', filter: pred('process.name', 'regex', ['x*']), where: "(isnotempty(FileName) and FileName matches regex '(?i)x*')" },
  { name: 'regex folds case', filter: pred('process.name', 'regex', ['^cmd\\.exe$']), where: "FileName matches regex '(?i)^cmd\\\\.exe$'" },
  { name: 'regex cased', filter: pred('process.name', 'regex', ['^cmd'], { caseSensitive: true }), where: "FileName matches regex '^cmd'" },
  { name: 'regex with flags', filter: pred('process.command_line', 'regex', ['^a.b$'], { flags: 'ms' }), where: "ProcessCommandLine matches regex '(?ims)^a.b$'" },
  { name: 'cidr IPv4', filter: pred('source.ip', 'cidr', ['10.0.0.0/8']), where: "ipv4_is_in_range(LocalIP, '10.0.0.0/8')", source: NET },
  { name: 'cidr IPv6', filter: pred('destination.ip', 'cidr', ['fe80::/10', '10.1.2.3/32']), where: "(ipv6_is_in_range(RemoteIP, 'fe80::/10') or ipv4_is_in_range(RemoteIP, '10.1.2.3/32'))", source: NET },
  { name: 'lt on a long column', filter: pred('process.pid', 'lt', [4]), where: 'ProcessId < 4' },
  { name: 'ge on an int column', filter: pred('destination.port', 'ge', ['1024']), where: 'RemotePort >= 1024', source: NET },
  { name: 'gt on a string column', filter: pred('process.name', 'gt', [1.5]), where: 'todouble(FileName) > real(1.5)' },
  { name: 'exists', filter: pred('process.name', 'exists', [true]), where: 'isnotempty(FileName)' },
  { name: 'not exists', filter: pred('process.name', 'exists', [false]), where: 'isempty(FileName)' },
  { name: 'exists on a long column', filter: pred('process.pid', 'exists', [true]), where: 'isnotnull(ProcessId)' },
  { name: 'fieldref', filter: pred('process.name', 'fieldref', ['process.pe.original_file_name']), where: 'FileName =~ ProcessVersionInfoOriginalFileName' },
  { name: 'fieldref contains, cased', filter: pred('process.command_line', 'fieldref', ['process.name'], { refOp: 'contains', caseSensitive: true }), where: 'ProcessCommandLine contains_cs FileName' },
  { name: 'time part', filter: pred('@timestamp', 'eq', [3], { part: 'hour' }), where: "datetime_part('hour', Timestamp) == 3" },
  { name: 'not over or', filter: not(or([pred('process.name', 'eq', ['a']), pred('process.pid', 'eq', [1])])), where: "not(FileName =~ 'a' or ProcessId == 1)" },
  { name: 'or inside and', filter: and([pred('process.name', 'eq', ['a']), or([pred('process.pid', 'eq', [1]), pred('process.pid', 'eq', [2])])]), where: "FileName =~ 'a' and (ProcessId == 1 or ProcessId == 2)" },
  { name: 'a log source with an ActionType and an or filter', filter: or([pred('registry.key', 'endswith', ['\\Run']), pred('registry.value', 'eq', ['x'])]), where: "ActionType == 'RegistryValueSet' and (RegistryKey endswith '\\\\Run' or RegistryValueName =~ 'x')", source: REG },
  { name: 'registry.path is rebuilt from key and value name', filter: pred('registry.path', 'endswith', ['\\Run\\evil']), where: "ActionType == 'RegistryValueSet' and iff(isempty(RegistryValueName), RegistryKey, strcat(RegistryKey, '\\\\', RegistryValueName)) endswith '\\\\Run\\\\evil'", source: REG },
  { name: 'a negated comparison keeps events without the field (not(null) would drop them)', filter: not(pred('process.pid', 'gt', [4])), where: 'not(coalesce(ProcessId > 4, false))' },
  { name: 'a negated cidr keeps events whose field is not an address', filter: not(pred('source.ip', 'cidr', ['10.0.0.0/8'])), where: "not(coalesce(ipv4_is_in_range(LocalIP, '10.0.0.0/8'), false))", source: NET },
  { name: 'a computed test', filter: { kind: 'test', expr: { kind: 'binary', op: '>', left: { kind: 'call', fn: 'len', args: [{ kind: 'field', name: 'process.command_line' }] }, right: { kind: 'lit', value: 100 } } }, where: '(strlen(ProcessCommandLine) > 100)' },
  { name: 'a negated computed test counts null as false', filter: not({ kind: 'test', expr: { kind: 'binary', op: '>', left: { kind: 'field', name: 'process.pid' }, right: { kind: 'lit', value: 4 } } }), where: 'not(coalesce((ProcessId > 4), false))' },
  { name: 'SPL like(): % and _ as an anchored, case-sensitive regex', filter: { kind: 'test', expr: { kind: 'call', fn: 'like', args: [{ kind: 'field', name: 'process.name' }, { kind: 'lit', value: 'a%b_.c' }] } }, where: "(FileName matches regex '(?s)^a.*b.\\\\.c$')" },
  { name: 'SPL cidrmatch()', filter: { kind: 'test', expr: { kind: 'call', fn: 'cidrmatch', args: [{ kind: 'lit', value: '10.0.0.0/8' }, { kind: 'field', name: 'source.ip' }] } }, where: "coalesce(ipv4_is_in_range(LocalIP, '10.0.0.0/8'), false)", source: NET },
  { name: 'const false', filter: { kind: 'const', value: false }, where: 'false' },
];

/** Hostile values: each must stay one string literal (quotes, backslashes, newlines, non-ASCII, glob characters). */
const HOSTILE = ["it's", 'a"b', 'back\\slash\\', "x' or 1==1 //", 'two\nlines\r\n', 'tab\there', 'ünïcödé €', 'astral 😀', '*?', '\\*\\?', '\u0000\u001f', "@'verbatim'"];

describe.skipIf(!!KUSTO_SKIP)('kql operators', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const res = render(rule(row.filter, [], row.source ?? { category: 'process_creation' }), 'kql');
      expect(res.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(res.ok).toBe(true);
      expect(whereOf(res.query!)).toBe(row.where);
      expect(kustoErrors(res.query!)).toEqual([]);
    });
  }
  it('a long value list stays within the syntax depth Kusto analyses', () => {
    const values = Array.from({ length: 600 }, (_, i) => `v${i}`);
    for (const op of ['contains', 'endswith', 'wildcard'] as const) {
      const q = render(rule(pred('process.command_line', op, values.map((v) => (op === 'wildcard' ? `${v}?x` : v)))), 'kql').query!;
      expect(kustoErrors(q)).toEqual([]);
      expect(kustoStringLiterals(q).length).toBe(600);
    }
  });
  it('a filter that is always true leaves no where', () => {
    const res = render(rule({ kind: 'const', value: true }), 'kql');
    expect(res.query).toBe('DeviceProcessEvents\n');
  });
  for (const op of ['eq', 'contains', 'startswith', 'endswith', 'wildcard', 'regex'] as const) {
    for (const cased of [false, true]) {
      it(`hostile values stay literals: ${op}${cased ? ' cased' : ''}`, () => {
        const values = op === 'regex' ? HOSTILE.map((v) => v.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')) : HOSTILE;
        const res = render(rule(pred('process.command_line', op, values, { caseSensitive: cased, origin: at(7, 5) })), 'kql');
        expect(res.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(kustoErrors(res.query!)).toEqual([]);
        // Kusto reads back exactly one literal per value, each equal to the value: none broke out.
        const expected = op === 'wildcard' ? values.map((v) => globRegex(v, cased)) : op === 'regex' ? values.map((v) => (cased ? v : `(?i)${v}`)) : values;
        expect(kustoStringLiterals(res.query!)).toEqual(expected);
        expect(res.query!.split('\n').length).toBe(3);
      });
    }
  }
});
if (KUSTO_SKIP) it.skip(KUSTO_SKIP, () => {});

describe('kql eval functions case() and replace()', () => {
  const evalOf = (expr: import('../../../src/ir/index.js').ValueExpr) => render(rule(pred('process.name', 'eq', ['a']), [{ kind: 'eval', assign: [{ field: 'x', expr }] }]), 'kql');
  const f = { kind: 'field', name: 'process.command_line' } as const;
  it('case(): the first true condition, else a typed null', () => {
    const r = evalOf({ kind: 'call', fn: 'case', args: [{ kind: 'binary', op: '=', left: f, right: { kind: 'lit', value: 'a' } }, { kind: 'lit', value: 1 }, { kind: 'lit', value: true }, { kind: 'lit', value: 2 }] });
    expect(r.query).toContain("| extend x = case((ProcessCommandLine == 'a'), 1, true, 2, long(null))");
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
  it('replace(): replace_regex with back-references; other backslashes in the replacement are refused', () => {
    const r = evalOf({ kind: 'call', fn: 'replace', args: [f, { kind: 'lit', value: '(\\w+)=' }, { kind: 'lit', value: '\\1:' }] });
    expect(r.query).toContain("| extend x = replace_regex(ProcessCommandLine, '(\\\\w+)=', '\\\\1:')");
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
    const bad = evalOf({ kind: 'call', fn: 'replace', args: [f, { kind: 'lit', value: 'a' }, { kind: 'lit', value: '\\n' }], origin: { file: 'x.yml', line: 3, column: 4 } });
    expect(bad.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB430', 3, 4]]);
  });
  it('split() over a literal delimiter, mvcount() of the array; an empty delimiter is refused', () => {
    const sp = { kind: 'call', fn: 'split', args: [f, { kind: 'lit', value: ' ' }] } as const;
    const r = evalOf({ kind: 'call', fn: 'mvcount', args: [sp] });
    expect(r.query).toContain("| extend x = array_length(split(ProcessCommandLine, ' '))");
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
    const one = evalOf({ kind: 'call', fn: 'mvcount', args: [f] });
    expect(one.query).toContain('| extend x = iff(isempty(ProcessCommandLine), long(null), 1)');
    const bad = evalOf({ kind: 'call', fn: 'split', args: [f, { kind: 'lit', value: '' }], origin: { file: 'x.yml', line: 5, column: 6 } });
    expect(bad.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB430', 5, 6]]);
  });
});

describe('kql urldecode()', () => {
  it('is url_decode() with an RB404 warning once', () => {
    const f = { kind: 'field', name: 'process.command_line' } as const;
    const r = render(rule(pred('process.name', 'eq', ['a']), [{ kind: 'eval', assign: [{ field: 'x', expr: { kind: 'call', fn: 'urldecode', args: [f], origin: at(4, 2) } }, { field: 'y', expr: { kind: 'call', fn: 'urldecode', args: [f], origin: at(5, 2) } }] }]), 'kql');
    expect(r.query).toContain('| extend x = url_decode(ProcessCommandLine), y = url_decode(ProcessCommandLine)');
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB404', 4, 2]]);
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
});
