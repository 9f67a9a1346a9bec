import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { and, not, or, pred, type Pred, type PredOp } from '../../../src/ir/index.js';
import { literals, parseSpl, passes } from '../../helpers/spl-parse.js';
import { AT, HOSTILE, ruleOf } from '../eql/helpers.js';

function spl(p: Pred | ReturnType<typeof not>): string {
  const out = render(ruleOf(p), 'spl');
  expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(out.ok).toBe(true);
  return out.query!;
}
const FROM = '| from datamodel:"Endpoint.Processes"\n| ';
const RAW = 'sourcetype="XmlWinEventLog" source="XmlWinEventLog:Microsoft-Windows-Sysmon/Operational" EventCode=1';

describe('spl operator table', () => {
  const rows: [string, Pred | ReturnType<typeof not>, string][] = [
    ['eq ci', pred('process.name', 'eq', ['cmd.exe']), FROM + 'search Processes.process_name="cmd.exe"'],
    ['eq cs', pred('process.name', 'eq', ['cmd.exe'], { caseSensitive: true }), FROM + `where 'Processes.process_name'=="cmd.exe"`],
    ['eq list', pred('process.name', 'eq', ['a', 'b']), FROM + 'search Processes.process_name IN ("a", "b")'],
    ['eq null', pred('user.name', 'eq', [null]), FROM + 'search NOT Processes.user=*'],
    ['eq with a literal *', pred('process.name', 'eq', ['a*b']), FROM + `where match('Processes.process_name', "(?is)\\\\Aa\\\\*b\\\\z")`],
    ['contains', pred('process.command_line', 'contains', [' /y', ' -y']), FROM + 'search Processes.process IN ("* /y*", "* -y*")'],
    ['contains all', pred('process.command_line', 'contains', ['a', 'b'], { quantifier: 'all' }), FROM + 'search (Processes.process="*a*" AND Processes.process="*b*")'],
    ['startswith backslash', pred('process.executable', 'startswith', ['C:\\Temp\\']), FROM + 'search Processes.process_path="C:\\\\Temp\\\\*"'],
    ['wildcard ?', pred('process.name', 'wildcard', ['a?c*']), FROM + `where match('Processes.process_name', "(?is)\\\\Aa.c.*\\\\z")`],
    ['regex', pred('process.command_line', 'regex', ['^a\\d$']), FROM + `where match('Processes.process', "(?i)^a\\\\d\\\\z")`],
    ['regex cs with s', pred('process.command_line', 'regex', ['a.b'], { caseSensitive: true, flags: 's' }), FROM + `where match('Processes.process', "(?s)a.b")`],
    ['gt', pred('process.pid', 'gt', [100]), FROM + 'search Processes.process_id>100'],
    ['exists', pred('process.parent.name', 'exists', [true]), FROM + 'search Processes.parent_process_name=*'],
    ['not exists', pred('process.parent.name', 'exists', [false]), FROM + 'search NOT Processes.parent_process_name=*'],
    ['not', not(pred('process.name', 'eq', ['a b'])), FROM + 'search NOT (Processes.process_name="a b")'],
    ['not cased guards nulls', not(pred('process.name', 'eq', ['a'], { caseSensitive: true })), FROM + `where NOT ((isnotnull('Processes.process_name') AND 'Processes.process_name'=="a"))`],
    ['raw field', pred('winlog.event_data.Hashes', 'contains', ['MD5=']), RAW + ' Hashes="*MD5=*"'],
    ['raw cidr', pred('winlog.event_data.DestinationIp', 'cidr', ['10.0.0.0/8']), RAW + '\n| where cidrmatch("10.0.0.0/8", DestinationIp)'],
    ['raw quoted field', pred('winlog.event_data.Odd-Name', 'eq', ['x']), RAW + `\n| where match('Odd-Name', "(?is)\\\\Ax\\\\z")`],
  ];
  for (const [name, p, expected] of rows) {
    it(name, () => {
      expect(spl(p)).toBe(expected);
      parseSpl(expected);
    });
  }
});

describe('spl hostile values: output re-parses, literals round-trip, meaning holds', () => {
  const ops: { op: PredOp; cs: boolean; pos: (v: string) => string[]; neg: (v: string) => string[] }[] = [
    { op: 'eq', cs: false, pos: (v) => [v, v.toUpperCase()], neg: (v) => [v + 'x', 'x' + v] },
    { op: 'eq', cs: true, pos: (v) => [v], neg: (v) => [v + 'x', ...(v.toUpperCase() !== v ? [v.toUpperCase()] : [])] },
    { op: 'contains', cs: false, pos: (v) => [v, `X${v}Y`], neg: (v) => (v.length > 1 ? [v.slice(1)] : []) },
    { op: 'startswith', cs: true, pos: (v) => [v, v + 'tail'], neg: (v) => ['x' + v] },
    { op: 'endswith', cs: false, pos: (v) => [v, 'head' + v.toLowerCase()], neg: (v) => [v + 'x'] },
  ];
  for (const { op, cs, pos, neg } of ops) {
    for (const v of HOSTILE) {
      it(`${op}${cs ? ' cased' : ''} ${JSON.stringify(v)}`, () => {
        const cmds = parseSpl(spl(pred('process.command_line', op, [v], { caseSensitive: cs })));
        const lits = cmds.flatMap((c) => [...(c.search ? literals(c.search) : []), ...(c.where ? literals(c.where) : [])]);
        expect(lits.length).toBe(1);
        const lit = String(lits[0]);
        if (lit.startsWith('(?')) expect(lit).toMatch(/\\A.*\\z$/s);
        else expect(lit).toBe({ eq: v, contains: `*${v}*`, startswith: `${v}*`, endswith: `*${v}` }[op as 'eq']);
        for (const s of pos(v)) expect(passes(cmds, { 'Processes.process': s }), s).toBe(true);
        for (const s of neg(v)) expect(passes(cmds, { 'Processes.process': s }), s).toBe(false);
        expect(passes(cmds, {})).toBe(false);
        const negated = parseSpl(spl(not(pred('process.command_line', op, [v], { caseSensitive: cs }))));
        expect(passes(negated, {}), 'not … matches a missing field').toBe(true);
        expect(passes(negated, { 'Processes.process': v })).toBe(false);
      });
    }
  }
  it('a regex with every quote kind round-trips', () => {
    const re = `"'\`\\\\ \\$`;
    const cmds = parseSpl(spl(pred('process.command_line', 'regex', [re], { caseSensitive: true })));
    expect(passes(cmds, { 'Processes.process': `x"'\`\\ $` })).toBe(true);
    expect(passes(cmds, { 'Processes.process': `x"'\`\\ ` })).toBe(false);
  });
});

describe('spl diagnostics', () => {
  it('a field with no CIM and no Sysmon name is RB403 at the predicate', () => {
    const out = render(ruleOf(pred('process.hash.sha1', 'eq', ['x'], { origin: AT })), 'spl');
    expect(out.ok).toBe(false);
    expect(out.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB403', 7, 5]]);
  });
  it('an unknown log source searches every event, with a warning (RB404) at the log source', () => {
    const out = render(ruleOf(pred('a', 'eq', ['x']), [], { product: 'linux', category: 'nope', origin: AT }), 'spl');
    expect(out.query).toBe('a="x"');
    expect(out.diagnostics.map((d) => [d.code, d.severity, d.line, d.column])).toEqual([['RB404', 'warning', 7, 5]]);
  });
  it('a filter with no search term starts with *', () => {
    const out = render(ruleOf(pred('a', 'eq', ['X'], { caseSensitive: true }), [], { product: 'nope' }), 'spl');
    expect(out.query).toBe('*\n| where a=="X"');
    parseSpl(out.query!);
  });
  it('a partial field reference is RB401', () => {
    const out = render(ruleOf(pred('process.name', 'fieldref', ['user.name'], { refOp: 'contains', origin: AT })), 'spl');
    expect(out.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB401', 7, 5]]);
  });
  it('a keyword is a raw-text term with a warning', () => {
    const out = render(ruleOf(pred('', 'keyword', ['*evil "x"*'], { origin: AT }), [], { product: 'windows', service: 'security' }), 'spl');
    expect(out.query).toBe('sourcetype="XmlWinEventLog" source="XmlWinEventLog:Security" "*evil \\"x\\"*"');
    expect(out.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB404', 7, 5]]);
  });
  it('a derived basename in a raw search is computed exactly', () => {
    const out = render(ruleOf(pred('process.name', 'eq', ['cmd.exe'], { origin: AT }), [], { product: 'windows', category: 'image_load' }), 'spl');
    expect(out.query).toBe('sourcetype="XmlWinEventLog" source="XmlWinEventLog:Microsoft-Windows-Sysmon/Operational" EventCode=7\n| where match(replace(Image, "^.*\\\\\\\\", ""), "(?is)\\\\Acmd\\\\.exe\\\\z")');
    const cmds = parseSpl(out.query!);
    const ev = (img: string) => ({ sourcetype: 'XmlWinEventLog', source: 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational', EventCode: '7', Image: img });
    expect(passes(cmds, ev('C:\\Windows\\CMD.EXE'))).toBe(true);
    expect(passes(cmds, ev('C:\\Windows\\xcmd.exe'))).toBe(false);
  });
});

describe('spl sources without a mapping', () => {
  it('Splunk source hints are searched as they are, with fields under their own names', () => {
    const out = render(ruleOf(pred('eventName', 'eq', ['ConsoleLogin']), [], { product: 'aws', service: 'cloudtrail', extra: { sourcetype: 'aws:cloudtrail', index: 'main OR "x"' } }), 'spl');
    expect(out.query).toBe('index IN ("main", "\\"x\\"") sourcetype="aws:cloudtrail" eventName="ConsoleLogin"');
    parseSpl(out.query!);
  });
  it('a canonical field of a Windows rule without a Windows or CIM name is an error', () => {
    const out = render(ruleOf(pred('tls.client.ja3', 'eq', ['x'], { origin: AT }), [], { product: 'windows', extra: { sourcetype: 'x' } }), 'spl');
    expect(out.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB403', 7, 5]]);
  });
  it('another product keeps its dotted names as written', () => {
    const out = render(ruleOf(pred('userIdentity.arn', 'eq', ['x']), [], { product: 'aws', extra: { sourcetype: 'aws:cloudtrail' } }), 'spl');
    expect(out.query).toBe('sourcetype="aws:cloudtrail" userIdentity.arn="x"');
  });
  it('a mapped sourcetype: exact for CloudTrail, a warning elsewhere', () => {
    const aws = render(ruleOf(pred('eventName', 'eq', ['ConsoleLogin']), [], { product: 'aws', service: 'cloudtrail' }), 'spl');
    expect(aws.query).toBe('sourcetype="aws:cloudtrail" eventName="ConsoleLogin"');
    expect(aws.diagnostics).toEqual([]);
    const okta = render(ruleOf(pred('eventType', 'eq', ['x']), [], { product: 'okta', service: 'okta', origin: AT }), 'spl');
    expect(okta.query).toBe('sourcetype="OktaIM2:log" eventType="x"');
    expect(okta.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB404', 7, 5]]);
  });
  it('Linux process creation in the Sigma taxonomy reads Endpoint.Processes', () => {
    const out = render(ruleOf(pred('Image', 'endswith', ['/bash']), [], { product: 'linux', category: 'process_creation' }), 'spl');
    expect(out.query).toBe('| from datamodel:"Endpoint.Processes"\n| search Processes.process_path="*/bash"');
    expect(out.diagnostics).toEqual([]);
  });
  it('W3C web fields read Web.Web with a warning that values may differ in form', () => {
    const out = render(ruleOf(pred('cs-method', 'eq', ['POST'], { origin: AT }), [], { category: 'webserver' }), 'spl');
    expect(out.query).toBe('| from datamodel:"Web.Web"\n| search Web.http_method="POST"');
    expect(out.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB404', 7, 5]]);
  });
  it('a Windows service of several channels', () => {
    const out = render(ruleOf(pred('winlog.event_data.PolicyName', 'eq', ['x']), [], { product: 'windows', service: 'applocker' }), 'spl');
    expect(out.query).toMatch(/^sourcetype="XmlWinEventLog" source IN \("XmlWinEventLog:Microsoft-Windows-AppLocker\/MSI and Script", /);
    parseSpl(out.query!);
  });
});

describe('spl CIM existence tests', () => {
  it('warn that data models fill missing fields with unknown', () => {
    const out = render(ruleOf(pred('user.name', 'exists', [false], { origin: AT })), 'spl');
    expect(out.ok).toBe(true);
    expect(out.diagnostics.map((d) => [d.code, d.severity, d.line, d.column])).toEqual([['RB404', 'warning', 7, 5]]);
  });
  it('raw searches do not warn', () => {
    const out = render(ruleOf(pred('winlog.event_data.Signed', 'exists', [false], { origin: AT })), 'spl');
    expect(out.query).toBe(`${'sourcetype="XmlWinEventLog" source="XmlWinEventLog:Microsoft-Windows-Sysmon/Operational" EventCode=1'} NOT Signed=*`);
    expect(out.diagnostics).toEqual([]);
  });
});

describe('spl and/or nesting keeps its meaning (search and where forms)', () => {
  for (const cased of [false, true]) {
    it(cased ? 'where' : 'search', () => {
      const [a, b, c, d] = ['process_name', 'process', 'user', 'dest'].map((f) => ({ f, p: pred({ process_name: 'process.name', process: 'process.command_line', user: 'user.name', dest: 'host.name' }[f]!, 'contains', ['1'], { caseSensitive: cased }) }));
      const expr = or([and([a!.p, or([b!.p, c!.p])]), and([not(c!.p), d!.p])]);
      const cmds = parseSpl(render(ruleOf(expr), 'spl').query!);
      expect(cmds.some((x) => (cased ? x.where : x.search))).toBe(true);
      for (let m = 0; m < 16; m++) {
        const t = (i: number) => ((m >> i) & 1) === 1;
        const ev = Object.fromEntries([a!, b!, c!, d!].map((x, i) => [`Processes.${x.f}`, t(i) ? 'x1' : 'x0']));
        expect(passes(cmds, ev), String(m)).toBe((t(0) && (t(1) || t(2))) || (!t(2) && t(3)));
      }
    });
  }
});
