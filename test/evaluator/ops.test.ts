/** One table per operator: predicates built with src/ir/build.ts, events that must and must not match. */
import { describe, it, expect } from 'vitest';
import { pred, not, type Expr, type Pred } from '../../src/ir/index.js';
import { compileExpr } from '../../src/evaluator/compile-expr.js';
import { Row } from '../../src/evaluator/row.js';
import type { Diagnostic } from '../../src/diagnostics/index.js';

function run(e: Expr, events: Record<string, unknown>[]): boolean[] {
  const diags: Diagnostic[] = [];
  const t = compileExpr(e, diags);
  expect(diags).toEqual([]);
  return events.map((ev) => t(new Row(ev)));
}

interface Case { name: string; p: Expr; yes: Record<string, unknown>[]; no: Record<string, unknown>[] }
const F = 'process.command_line';
const v = (x: unknown) => ({ [F]: x });

const CASES: Case[] = [
  { name: 'eq is case-insensitive by default', p: pred('process.name', 'eq', ['MSIEXEC.exe']), yes: [{ 'process.name': 'msiexec.exe' }, { 'process.name': 'MsiExec.EXE' }], no: [{ 'process.name': 'msiexec.exe ' }, { 'process.name': 'xmsiexec.exe' }, {}] },
  { name: 'eq case-sensitive', p: pred('process.name', 'eq', ['msiexec.exe'], { caseSensitive: true }), yes: [{ 'process.name': 'msiexec.exe' }], no: [{ 'process.name': 'MSIEXEC.EXE' }] },
  { name: 'eq null = missing or null', p: pred('user.name', 'eq', [null]), yes: [{}, { 'user.name': null }, { 'user.name': [] }], no: [{ 'user.name': '' }, { 'user.name': 'x' }] },
  { name: 'eq number vs decimal and hex strings', p: pred('process.pid', 'eq', [508]), yes: [{ 'process.pid': 508 }, { 'process.pid': '508' }, { 'process.pid': '0x1fc' }], no: [{ 'process.pid': 5080 }, { 'process.pid': 'abc' }] },
  { name: 'eq string vs number', p: pred('process.pid', 'eq', ['0x000001FC', '77']), yes: [{ 'process.pid': 508 }, { 'process.pid': 77 }, { 'process.pid': '0x1FC' }], no: [{ 'process.pid': 509 }] },
  { name: 'eq GUID with braces matches the canonical bare GUID', p: pred('process.entity_id', 'eq', ['{9a1c2b3d-1111-6750-0001-000000000e00}']), yes: [{ 'process.entity_id': '9A1C2B3D-1111-6750-0001-000000000E00' }], no: [{ 'process.entity_id': '9A1C2B3D-1111-6750-0001-000000000E01' }] },
  { name: 'eq boolean', p: pred('x', 'eq', [true]), yes: [{ x: true }, { x: 'True' }], no: [{ x: false }, { x: 'false' }, {}] },
  { name: 'eq on command line ignores trailing spaces (renderers differ)', p: pred(F, 'eq', ['a.exe -x  ']), yes: [v('a.exe -x')], no: [v('a.exe -x -y')] },
  { name: 'contains', p: pred(F, 'contains', [' /Y']), yes: [v('msiexec /y a.dll'), v('X /yes')], no: [v('msiexec/y'), v(''), {}] },
  { name: 'contains all values (quantifier all)', p: pred(F, 'contains', ['-nop', '-enc'], { quantifier: 'all' }), yes: [v('powershell -NoP -Enc AAA')], no: [v('powershell -nop'), v('powershell -enc x')] },
  { name: 'startswith / endswith', p: pred('process.executable', 'endswith', ['\\cmd.exe']), yes: [{ 'process.executable': 'C:\\Windows\\System32\\CMD.EXE' }], no: [{ 'process.executable': 'C:\\x\\mycmd.exe' }] },
  { name: 'startswith case-sensitive', p: pred(F, 'startswith', ['Get-'], { caseSensitive: true }), yes: [v('Get-Item')], no: [v('get-item')] },
  { name: 'wildcard ? is exactly one character', p: pred('file.name', 'wildcard', ['cmd?exe']), yes: [{ 'file.name': 'cmd.exe' }, { 'file.name': 'CMD_EXE' }], no: [{ 'file.name': 'cmdexe' }, { 'file.name': 'cmd..exe' }] },
  { name: 'wildcard * any run, anchored both ends', p: pred('file.name', 'wildcard', ['a*b*c']), yes: [{ 'file.name': 'abc' }, { 'file.name': 'aXXbYYc' }, { 'file.name': 'abcbc' }], no: [{ 'file.name': 'abcd' }, { 'file.name': 'xabc' }, { 'file.name': 'acb' }] },
  { name: 'wildcard escapes are literal', p: pred('file.name', 'wildcard', ['a\\*b*']), yes: [{ 'file.name': 'a*b' }, { 'file.name': 'a*bcd' }], no: [{ 'file.name': 'axb' }] },
  { name: 'wildcard ? counts code points', p: pred('file.name', 'wildcard', ['x?y']), yes: [{ 'file.name': 'x😀y' }], no: [{ 'file.name': 'x😀😀y' }] },
  { name: 'regex is unanchored, case-insensitive unless cased', p: pred(F, 'regex', ['-e(nc|ncodedcommand)\\s']), yes: [v('powershell -ENC abc'), v('x -encodedcommand y')], no: [v('-enc'), v('-ex x')] },
  { name: 'regex case-sensitive', p: pred(F, 'regex', ['^Get'], { caseSensitive: true }), yes: [v('Get-X')], no: [v('get-x'), v(' Get')] },
  { name: 'regex dot-all flag', p: pred(F, 'regex', ['a.b'], { caseSensitive: true, flags: 's' }), yes: [v('a\nb')], no: [v('ab')] },
  { name: 'cidr IPv4', p: pred('source.ip', 'cidr', ['10.0.0.0/8', '192.168.1.0/24']), yes: [{ 'source.ip': '10.1.2.3' }, { 'source.ip': '192.168.1.255' }, { 'source.ip': '::ffff:10.0.0.1' }], no: [{ 'source.ip': '11.0.0.1' }, { 'source.ip': '192.168.2.1' }, { 'source.ip': 'not-an-ip' }] },
  { name: 'cidr IPv6', p: pred('source.ip', 'cidr', ['fe80::/10', '2001:db8::/32']), yes: [{ 'source.ip': 'fe80::1' }, { 'source.ip': '2001:db8:1::5' }, { 'source.ip': 'FEBF:ffff::1' }], no: [{ 'source.ip': 'fec0::1' }, { 'source.ip': '2001:db9::1' }, { 'source.ip': '10.0.0.1' }] },
  { name: 'numeric comparisons', p: pred('destination.port', 'lt', [1024]), yes: [{ 'destination.port': 80 }, { 'destination.port': '443' }], no: [{ 'destination.port': 1024 }, { 'destination.port': 'http' }, {}] },
  { name: 'ge', p: pred('n', 'ge', ['5']), yes: [{ n: 5 }, { n: '6.5' }], no: [{ n: 4.99 }] },
  { name: 'exists true', p: pred('user.name', 'exists', [true]), yes: [{ 'user.name': '' }, { 'user.name': 'x' }], no: [{}, { 'user.name': null }] },
  { name: 'exists false', p: pred('user.name', 'exists', [false]), yes: [{}, { 'user.name': null }], no: [{ 'user.name': 'x' }] },
  { name: 'fieldref eq', p: pred('process.name', 'fieldref', ['process.parent.name']), yes: [{ 'process.name': 'a.exe', 'process.parent.name': 'A.EXE' }], no: [{ 'process.name': 'a.exe', 'process.parent.name': 'b.exe' }, { 'process.name': 'a.exe' }] },
  { name: 'fieldref contains', p: pred(F, 'fieldref', ['process.name'], { refOp: 'contains' }), yes: [{ [F]: 'run A.exe now', 'process.name': 'a.exe' }], no: [{ [F]: 'run b.exe', 'process.name': 'a.exe' }] },
  { name: 'keyword: glob over any field', p: pred('', 'keyword', ['*mimikatz*']), yes: [{ a: 'x', b: 'Invoke-Mimikatz' }, { c: ['y', 'MIMIKATZ.exe'] }], no: [{ a: 'mimi katz' }, {}] },
  { name: 'multi-valued field: any element', p: pred('winlog.event_data.Data', 'contains', ['client']), yes: [{ 'winlog.event_data.Data': ['sa', ' [CLIENT: 10.0.2.17]'] }], no: [{ 'winlog.event_data.Data': ['sa', 'x'] }] },
  { name: 'not over a missing field is true', p: not(pred('user.name', 'eq', ['SYSTEM'])), yes: [{}, { 'user.name': 'alice' }], no: [{ 'user.name': 'system' }] },
  { name: 'time part: hour', p: pred('@timestamp', 'eq', [3], { part: 'hour' }), yes: [{ '@timestamp': '2026-11-02T03:59:59.000000Z' }], no: [{ '@timestamp': '2026-11-02T04:00:00.000000Z' }, { '@timestamp': 'x' }] },
  { name: 'eq many values (one set lookup)', p: pred('process.name', 'eq', ['a.exe', 'B.exe', 'c.exe', '42']), yes: [{ 'process.name': 'b.EXE' }, { 'process.name': ['x', 'C.exe'] }, { 'process.name': 42 }], no: [{ 'process.name': 'd.exe' }] },
  {
    name: 'test: a computed boolean (SPL where)',
    p: { kind: 'test', expr: { kind: 'binary', op: '>', left: { kind: 'call', fn: 'len', args: [{ kind: 'field', name: F }] }, right: { kind: 'lit', value: 5 } } },
    yes: [v('abcdef')], no: [v('abc'), {}],
  },
];

describe('predicate operators', () => {
  for (const c of CASES) {
    it(c.name, () => {
      expect(run(c.p, c.yes)).toEqual(c.yes.map(() => true));
      expect(run(c.p, c.no)).toEqual(c.no.map(() => false));
    });
  }
});

describe('regex safety and errors', () => {
  it('a hostile regex over a long string finishes fast (linear time)', () => {
    const t = compileExpr(pred(F, 'regex', ['(a+)+$'], { caseSensitive: true }), []);
    const long = 'a'.repeat(200_000) + '!';
    const t0 = performance.now();
    expect(t(new Row({ [F]: long }))).toBe(false);
    expect(t(new Row({ [F]: 'xaaa' }))).toBe(true);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
  it('an unsupported regex is RB503 at the predicate origin', () => {
    const diags: Diagnostic[] = [];
    const p: Pred = pred(F, 'regex', ['foo(?=bar)'], { origin: { file: 'r.yml', line: 12, column: 7 } });
    const t = compileExpr(p, diags);
    expect(diags.map((d) => [d.code, d.file, d.line, d.column])).toEqual([['RB503', 'r.yml', 12, 7]]);
    expect(t(new Row({ [F]: 'foobar' }))).toBe(false);
  });
  it('a bad network is RB504 at the predicate origin', () => {
    const diags: Diagnostic[] = [];
    compileExpr(pred('source.ip', 'cidr', ['10.0.0.0/33'], { origin: { file: 'r.yml', line: 3, column: 9 } }), diags);
    expect(diags.map((d) => [d.code, d.line, d.column])).toEqual([['RB504', 3, 9]]);
  });
  it('a wildcard with many stars on a long value stays fast', () => {
    const t = compileExpr(pred(F, 'wildcard', ['*a*a*a*a*a*a*a*a*b']), []);
    const t0 = performance.now();
    expect(t(new Row({ [F]: 'a'.repeat(100_000) }))).toBe(false);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

describe('literal canonicalization applies to whole values only', () => {
  it('endswith a braced GUID keeps the braces', () => {
    const t = compileExpr(pred('registry.path', 'endswith', ['{2781761E-28E0-4109-99FE-B9D127C57AFE}']), []);
    expect(t(new Row({ 'registry.path': 'HKLM\\SOFTWARE\\Microsoft\\AMSI\\Providers\\{2781761E-28E0-4109-99FE-B9D127C57AFE}' }))).toBe(true);
    expect(t(new Row({ 'registry.path': 'HKLM\\x\\2781761E-28E0-4109-99FE-B9D127C57AFE' }))).toBe(false);
  });
});
