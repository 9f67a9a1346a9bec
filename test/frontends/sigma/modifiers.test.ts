/** One row per value modifier: Sigma detection item in, IR predicate (without origins) out. */
import { describe, it, expect } from 'vitest';
import { lowerOk, ruleText, stripOrigins } from './helpers.js';
import { base64offset, windash } from '../../../src/frontends/sigma/index.js';
import { parseGlob, formatGlob } from '../../../src/ir/glob.js';
import type { Expr } from '../../../src/ir/nodes.js';

/** The filter of a rule whose only selection is `lines` (indented under `selection:`). */
function filterOf(lines: string[], logsource?: string[]): Expr {
  const text = ruleText(['    selection:', ...lines.map((l) => '        ' + l), '    condition: selection'], logsource);
  return stripOrigins(lowerOk(text).query.filter);
}

const P = (field: string, op: string, values: unknown[], extra: Record<string, unknown> = {}) =>
  ({ kind: 'pred', field, op, values, caseSensitive: false, quantifier: 'any', ...extra });

const NET = ['    product: windows', '    category: network_connection'];
const ROWS: [string, string[], unknown, string[]?][] = [
  ['plain string = case-insensitive eq', ["CommandLine: 'whoami /priv'"], P('process.command_line', 'eq', ['whoami /priv'])],
  ['value list = OR', ['Image:', "    - 'C:\\a.exe'", "    - 'C:\\b.exe'"], P('process.executable', 'eq', ['C:\\a.exe', 'C:\\b.exe'])],
  ['number stays a number', ['EventID: 4688'], P('event.code', 'eq', [4688])],
  ['null = missing or null', ['ParentImage: null'], P('process.parent.executable', 'eq', [null])],
  ['boolean', ['Initiated: true'], P('winlog.event_data.Initiated', 'eq', [true])],
  ['empty string', ["User: ''"], P('user.name', 'eq', [''])],
  ['leading * = endswith', ["Image: '*\\cmd.exe'"], P('process.executable', 'endswith', ['\\cmd.exe'])],
  // The IR writes a glob's literal backslash escaped (glob.ts formatGlob).
  ['? is one character: glob kept', ["Image: '*\\prog?.exe'"], P('process.executable', 'wildcard', ['*\\\\prog?.exe'])],
  ['escaped \\* is a literal star', ["CommandLine: 'a\\*b'"], P('process.command_line', 'eq', ['a*b'])],
  ['escaped \\? is a literal ?', ["CommandLine|contains: 'what\\?'"], P('process.command_line', 'contains', ['what?'])],
  ['\\\\* = backslash then wildcard', ["CommandLine: 'C:\\\\*'"], P('process.command_line', 'startswith', ['C:\\'])],
  ['\\\\\\* = backslash then star', ["CommandLine: 'C:\\\\\\*'"], P('process.command_line', 'eq', ['C:\\*'])],
  ['single backslash before a letter is literal', ["Image: 'C:\\Windows\\x.exe'"], P('process.executable', 'eq', ['C:\\Windows\\x.exe'])],
  ['contains', ["CommandLine|contains: ' -enc '"], P('process.command_line', 'contains', [' -enc '])],
  ['contains with an inner wildcard stays a glob', ["CommandLine|contains: 'foo*bar'"], P('process.command_line', 'wildcard', ['*foo*bar*'])],
  ['startswith keeps a trailing backslash literal', ["Image|startswith: 'C:\\Windows\\'"], P('process.executable', 'startswith', ['C:\\Windows\\'])],
  ['endswith', ["Image|endswith: '\\whoami.exe'"], P('process.executable', 'endswith', ['\\whoami.exe'])],
  ['contains|all = AND', ['CommandLine|contains|all:', "    - 'a'", "    - 'b'"], P('process.command_line', 'contains', ['a', 'b'], { quantifier: 'all' })],
  ['cased', ["CommandLine|cased: 'ABC'"], P('process.command_line', 'eq', ['ABC'], { caseSensitive: true })],
  ['re is case-sensitive', ["CommandLine|re: '\\s-e\\s'"], P('process.command_line', 'regex', ['\\s-e\\s'], { caseSensitive: true })],
  ['re|i', ["CommandLine|re|i: 'abc'"], P('process.command_line', 'regex', ['abc'])],
  ['re|m|s flags', ["CommandLine|re|s|m: 'a.b'"], P('process.command_line', 'regex', ['a.b'], { caseSensitive: true, flags: 'ms' })],
  ['cidr', ["DestinationIp|cidr: '10.0.0.0/8'"], P('destination.ip', 'cidr', ['10.0.0.0/8']), NET],
  ['exists', ['CommandLine|exists: false'], P('process.command_line', 'exists', [false])],
  ['lt', ['DestinationPort|lt: 1024'], P('destination.port', 'lt', [1024]), NET],
  ['lte', ['DestinationPort|lte: 1024'], P('destination.port', 'le', [1024]), NET],
  ['gt', ['DestinationPort|gt: 1024'], P('destination.port', 'gt', [1024]), NET],
  ['gte', ["DestinationPort|gte: '1024'"], P('destination.port', 'ge', [1024]), NET],
  ['hour part', ['SystemTime|hour: 3'], P('@timestamp', 'eq', [3], { part: 'hour' })],
  ['hour part with gte', ['SystemTime|hour|gte: 22'], P('@timestamp', 'ge', [22], { part: 'hour' })],
  ['fieldref maps the referenced field', ['ParentImage|fieldref: Image'], P('process.parent.executable', 'fieldref', ['process.executable'])],
  ['fieldref|endswith', ['CommandLine|fieldref|endswith: Image'], P('process.command_line', 'fieldref', ['process.executable'], { refOp: 'endswith' })],
  ['neq = not eq', ["User|neq: 'SYSTEM'"], { kind: 'not', arg: P('user.name', 'eq', ['SYSTEM']) }],
  ['base64', ["CommandLine|base64: 'abc'"], P('process.command_line', 'eq', ['YWJj'])],
  ['base64offset|contains', ["CommandLine|base64offset|contains: 'foobar'"], P('process.command_line', 'contains', ['Zm9vYmFy', 'Zvb2Jhc', 'mb29iYX'])],
  ['wide|base64offset|contains', ["CommandLine|wide|base64offset|contains: 'ab'"], P('process.command_line', 'contains', base64offset(Buffer.from('ab', 'utf16le')))],
  ['utf16be|base64', ["CommandLine|utf16be|base64: 'a'"], P('process.command_line', 'eq', [Buffer.from([0, 0x61]).toString('base64')])],
  ['utf16 adds a byte order mark', ["CommandLine|utf16|base64: 'a'"], P('process.command_line', 'eq', [Buffer.from([0xff, 0xfe, 0x61, 0]).toString('base64')])],
  ['windash', ["CommandLine|windash|contains: ' -s'"], P('process.command_line', 'contains', [' -s', ' /s', ' –s', ' —s', ' ―s'])],
  ['contains|all|windash keeps AND across values, OR across dashes', ['CommandLine|contains|all|windash:', "    - '-a'", "    - 'x'"],
    { kind: 'and', args: [P('process.command_line', 'contains', ['-a', '/a', '–a', '—a', '―a']), P('process.command_line', 'contains', ['x'])] }],
];

describe('sigma value modifiers', () => {
  for (const [name, lines, want, ls] of ROWS) it(name, () => expect(filterOf(lines, ls)).toEqual(want));

  it('a map is the AND of its fields, in key order', () => {
    expect(filterOf(["Image|endswith: '\\a.exe'", "CommandLine|contains: 'x'"])).toEqual({
      kind: 'and', args: [P('process.executable', 'endswith', ['\\a.exe']), P('process.command_line', 'contains', ['x'])],
    });
  });

  it('keywords are unanchored globs over the whole event; |all makes them AND', () => {
    const text = ruleText(['    keywords:', "        - 'event::clear'", "        - 'a*b'", '    kw_all:', "        '|all':", "            - 'x'", "            - 'y'", '    condition: keywords or kw_all']);
    expect(stripOrigins(lowerOk(text).query.filter)).toEqual({
      kind: 'or', args: [P('', 'keyword', ['*event::clear*', '*a*b*']), P('', 'keyword', ['*x*', '*y*'], { quantifier: 'all' })],
    });
  });

  it('fields of other products keep their Sigma names', () => {
    expect(filterOf(["c-uri|contains: '/admin'"], ['    category: proxy'])).toEqual(P('c-uri', 'contains', ['/admin']));
  });

  it('windows fields without an ECS name live under winlog.event_data', () => {
    expect(filterOf(["IntegrityLevel: 'High'"])).toEqual(P('winlog.event_data.IntegrityLevel', 'eq', ['High']));
  });

  it('windash expands only dashes that start a word', () => {
    const forms = windash(parseGlob('a-b -c')).map(formatGlob);
    expect(forms).toEqual(['a-b -c', 'a-b /c', 'a-b –c', 'a-b —c', 'a-b ―c']);
  });
});
