import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { regexToLucene, RegexError } from '../../../src/backends/eql-regex.js';
import { pred, and, or, type Stage } from '../../../src/ir/index.js';
import { luceneToJs, parseEql } from '../../helpers/eql-parse.js';
import { AT, ruleOf } from './helpers.js';

describe('rule regex → Lucene regex', () => {
  const cases: [string, string, string[]][] = [
    ['^foo\\d+(bar|baz)$', '', ['foo1bar', 'foo22baz', 'xfoo1bar', 'foo1barx', 'foobar']],
    ['a.b', '', ['a-b', 'xxa-bxx', 'a\nb', 'ab']],
    ['a.b', 's', ['a\nb', 'ab']],
    ['^(?:x|y)+$', '', ['xyx', 'xyz', '']],
    ['[^a-c\\]]\\w\\s', '', ['d_ ', 'a_ ', ']_ ', 'zz\t']],
    ['\\.exe$|^cmd', '', ['a.exe', 'cmd.com', 'a.exe.bak', 'xcmd']],
    ['"q"#@&~<>', '', ['"q"#@&~<>', 'x"q"#@&~<>y', 'q']],
    ['a{2,3}?', '', ['aa', 'a', 'baab']],
  ];
  for (const [re, flags, samples] of cases) {
    it(`${re} /${flags}`, () => {
      const lucene = luceneToJs(regexToLucene(re, flags), false);
      const js = new RegExp(re, flags);
      for (const s of samples) expect(lucene.test(s), JSON.stringify(s)).toBe(js.test(s));
    });
  }
  for (const bad of ['(?=x)a', '\\bword', '(a)\\1', 'a^b', 'a$b', '(?i)x', '[[:alpha:]]', 'x)']) {
    it(`rejects ${bad}`, () => expect(() => regexToLucene(bad)).toThrow(RegexError));
  }
  it('rejects multi-line anchors', () => expect(() => regexToLucene('^a$', 'm')).toThrow(RegexError));
  it('reports an untranslatable regex at the predicate', () => {
    const out = render(ruleOf(pred('process.command_line', 'regex', ['(?<=a)b'], { origin: AT })), 'eql');
    expect(out.ok).toBe(false);
    expect(out.query).toBeUndefined();
    expect(out.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB430', 7, 5]]);
  });
});

describe('eql log sources', () => {
  const q = (source: object) => render(ruleOf(pred('process.name', 'eq', ['x']), [], source), 'eql');
  it('file_event is a file creation', () => expect(q({ product: 'windows', category: 'file_event' }).query).toBe('file where host.os.type == "windows" and event.type == "creation" and process.name : "x"'));
  it('image_load is library', () => expect(q({ product: 'windows', category: 'image_load' }).query).toBe('library where host.os.type == "windows" and process.name : "x"'));
  it('dns_query is a network event with a question', () => expect(q({ category: 'dns_query', product: 'windows' }).query).toBe('network where host.os.type == "windows" and ?dns.question.name != null and process.name : "x"'));
  it('registry_set is broader: warns', () => {
    const out = q({ product: 'windows', category: 'registry_set', origin: AT });
    expect(out.query).toBe('registry where host.os.type == "windows" and process.name : "x"');
    expect(out.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB404', 7, 5]]);
  });
  it('other Windows categories: channel and event id', () =>
    expect(q({ product: 'windows', category: 'create_remote_thread' }).query).toBe('any where host.os.type == "windows" and winlog.channel : "Microsoft-Windows-Sysmon/Operational" and event.code == "8" and process.name : "x"'));
  it('a Windows service: its channel', () => expect(q({ product: 'windows', service: 'security' }).query).toBe('any where host.os.type == "windows" and winlog.channel : "Security" and process.name : "x"'));
  it('a product narrows by host.os.type', () => expect(q({ product: 'linux', category: 'process_creation' }).query).toBe('process where host.os.type == "linux" and event.type == "start" and process.name : "x"'));
  it('an unknown log source searches every event, with a warning at the log source', () => {
    const out = q({ product: 'linux', category: 'auditd_weird', origin: AT });
    expect(out.query).toBe('any where host.os.type == "linux" and process.name : "x"');
    expect(out.diagnostics.map((d) => [d.code, d.severity, d.line, d.column])).toEqual([['RB404', 'warning', 7, 5]]);
  });
  it('a cloud source is narrowed by its integration dataset, with a warning', () => {
    const out = render(ruleOf(pred('eventName', 'eq', ['ConsoleLogin']), [], { product: 'aws', service: 'cloudtrail', origin: AT }), 'eql');
    expect(out.query).toBe('any where event.dataset == "aws.cloudtrail" and eventName : "ConsoleLogin"');
    expect(out.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB404', 7, 5]]);
  });
  it('Linux fields in the Sigma taxonomy are ECS fields, exactly', () => {
    const out = render(ruleOf(pred('Image', 'endswith', ['/bash']), [], { product: 'linux', category: 'process_creation' }), 'eql');
    expect(out.query).toBe('process where host.os.type == "linux" and event.type == "start" and process.executable : "*/bash"');
    expect(out.diagnostics).toEqual([]);
  });
  it('W3C web fields are ECS web fields, with a warning at the predicate', () => {
    const out = render(ruleOf(pred('cs-method', 'eq', ['POST'], { origin: AT }), [], { category: 'webserver' }), 'eql');
    expect(out.query).toBe('web where http.request.method : "POST"');
    expect(out.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB404', 7, 5]]);
  });
  it('a keyword is matched in message, with a warning at the keyword', () => {
    const out = render(ruleOf(pred('', 'keyword', ['*evil*'], { origin: AT }), [], { product: 'linux' }), 'eql');
    expect(out.query).toBe('any where host.os.type == "linux" and message : "*evil*"');
    expect(out.diagnostics.map((d) => [d.code, d.line, d.column])).toContainEqual(['RB404', 7, 5]);
  });
});

describe('eql stages and unsupported features', () => {
  const agg: Stage = { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'count', as: 'count' }], origin: { ...AT, line: 9 } };
  it('a threshold after an aggregate is an error', () => {
    const out = render(ruleOf(pred('process.name', 'eq', ['x']), [agg, { kind: 'filter', expr: pred('count', 'gt', [5]) }]), 'eql');
    expect(out.ok).toBe(false);
    expect(out.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column])).toContainEqual(['RB401', 9, 5]);
  });
  it('head is a pipe; a filter before it joins the condition', () => {
    const out = render(ruleOf(pred('process.name', 'eq', ['x']), [{ kind: 'filter', expr: or([pred('user.name', 'eq', ['a']), pred('host.name', 'eq', ['b'])]) }, { kind: 'head', n: 5 }]), 'eql');
    expect(out.query).toBe('process where host.os.type == "windows" and event.type == "start" and process.name : "x" and (user.name : "a" or host.name : "b")\n| head 5');
    parseEql(out.query!);
  });
  for (const [name, p] of [
    ['fieldref', pred('process.name', 'fieldref', ['process.parent.name'], { origin: AT })],
    ['time part', pred('@timestamp', 'eq', [3], { part: 'hour', origin: AT })],
  ] as const) {
    it(`${name} is an error at its position`, () => {
      const out = render(ruleOf(and([pred('process.name', 'eq', ['x']), p])), 'eql');
      expect(out.ok).toBe(false);
      expect(out.diagnostics.map((d) => [d.code, d.line, d.column])).toContainEqual(['RB401', 7, 5]);
    });
  }
});

describe('eql: case-insensitive class ranges and regexes the IR pass rewrites', () => {
  // Elasticsearch's case_insensitive regex folds single characters, not ranges (apache/lucene#14378):
  // the ranges of a regex~ get their other-case letters written out.
  const folded: [string, string][] = [
    ['[a-c]x', '.*[a-cA-C]x.*'],
    ['[^a-c]', '.*[^a-cA-C].*'],
    ['[0-9A-Fa-f]{2}', '.*[0-9A-Fa-fa-fA-F]{2}.*'],
    ['[X-c]', '.*[X-cA-Cx-z].*'],
    ['[\\x41-\\x43_]', '.*[A-C\\_a-c].*'],
    ['[+--]', '.*[\\+-\\-].*'],
  ];
  for (const [re, want] of folded) it(`${re} /i → ${want}`, () => expect(regexToLucene(re, '', true)).toBe(want));
  it('a case-sensitive class is left as written', () => expect(regexToLucene('[a-c]')).toBe('.*[a-c].*'));
  it('a range with a class as an end is refused', () => expect(() => regexToLucene('[\\d-z]')).toThrow(RegexError));

  const rendered: [string, ReturnType<typeof pred>, string][] = [
    ['a leading (?i) is regex~', pred('process.command_line', 'regex', ['(?i)\\s(-u|--user)\\s*:'], { caseSensitive: true }), 'process.command_line regex~ ".*[ \\t\\n\\r\\u{0c}\\u{0b}](\\\\-u|\\\\-\\\\-user)[ \\t\\n\\r\\u{0c}\\u{0b}]*\\\\:.*"'],
    ['a ^ at the start of a whole-pattern group', pred('actor.alternateId', 'regex', ['(^0oa.*|x@y)'], { caseSensitive: true }), 'actor.alternateId regex "(0oa[^\\n]*.*)|(.*x\\\\@y.*)"'],
    ['a negative lookahead after ^', pred('process.executable', 'regex', ['^C:\\\\(?!Windows)'], { caseSensitive: true }), 'process.executable regex "C\\\\:\\\\\\\\.*" and not (process.executable regex "C\\\\:\\\\\\\\(Windows).*")'],
  ];
  for (const [why, p, want] of rendered) {
    it(why, () => {
      const out = render(ruleOf(p), 'eql');
      expect(out.query).toBe(`process where host.os.type == "windows" and event.type == "start" and ${want}`);
      parseEql(out.query!);
    });
  }
  it('a lookahead rewrite warns at the predicate that it is exact for one value per field', () => {
    const out = render(ruleOf(pred('process.executable', 'regex', ['^C:\\\\(?!Windows)'], { caseSensitive: true, origin: AT })), 'eql');
    expect(out.diagnostics.map((d) => [d.code, d.severity, d.line, d.column])).toEqual([['RB404', 'warning', 7, 5]]);
  });
  it('a lookbehind is still refused at the predicate', () => {
    const out = render(ruleOf(pred('process.command_line', 'regex', ['^a(?<=a)b'], { origin: AT })), 'eql');
    expect(out.ok).toBe(false);
    expect(out.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB430', 7, 5]]);
  });
});
