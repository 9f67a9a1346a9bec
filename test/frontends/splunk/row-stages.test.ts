/**
 * foreach over a wildcard field list, spath without a path and iplocation: their IR stages, the
 * names later commands read, the SPL they render back to, and what stays refused (by code,
 * line and column).
 */
import { describe, it, expect } from 'vitest';
import { loadYaml } from '../../../src/source/index.js';
import { splunkFromDoc } from '../../../src/frontends/splunk/index.js';
import type { LoadedRule } from '../../../src/frontends/types.js';
import { convertRule } from '../../../src/index.js';
import type { Stage } from '../../../src/ir/index.js';
import { MACROS, noOrigins, rule2024, where } from './load.js';

/** Lowers a search (line 10, column 3 of the rule). */
function load(search: string): LoadedRule {
  // No data_source: the source terms of each search name the product.
  const { docs } = loadYaml('rule.yml', rule2024(search).replace('data_source: [Sysmon EventID 1]', 'data_source: []'));
  return splunkFromDoc(docs[0]!, { macros: MACROS });
}
function stages(search: string): Stage[] {
  const r = load(search);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || !r.rule) throw new Error(JSON.stringify(errors));
  return noOrigins(r.rule.query.stages);
}
const errorsAt = (r: LoadedRule) => where({ ...r, diagnostics: r.diagnostics.filter((d) => d.severity === 'error') });
const spl = (r: LoadedRule) => {
  const out = convertRule(r.rule!, ['spl', 'kql'])!;
  return { spl: out.spl!.query, kql: out.kql!.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}@${d.line}:${d.column}`) };
};

/** The search stops at one RB250, at `at`, whose message matches. */
function refused(search: string, at: string, message: RegExp): void {
  const r = load(search);
  expect(errorsAt(r)).toEqual([at]);
  expect(r.diagnostics.find((d) => d.code === 'RB250')!.message).toMatch(message);
}

const AUDIT = 'sourcetype="linux:audit" type=EXECVE';

describe('foreach over a wildcard field list', () => {
  it('is one foreach stage whose template keeps <<FIELD>> in names and strings', () => {
    const s = stages(`${AUDIT} | eval args="" | foreach a* [eval args=mvappend(args, '<<FIELD>>'), <<FIELD>>_seen="<<MATCHSTR>>"]`);
    expect(s[1]).toEqual({ kind: 'foreach', patterns: ['a*'], assign: [
      { field: 'args', expr: { kind: 'call', fn: 'mvappend', args: [{ kind: 'field', name: 'args' }, { kind: 'field', name: '<<FIELD>>' }] } },
      { field: '<<FIELD>>_seen', expr: { kind: 'lit', value: '<<MATCHSTR>>' } },
    ] });
  });

  it('gives no "no mapping" warning for the placeholders', () => {
    const r = load(`${AUDIT} | foreach a* [eval n='<<FIELD>>']`);
    expect(r.diagnostics.filter((d) => d.message.includes('FOREACH') || d.message.includes('<<'))).toEqual([]);
  });

  it('renders back to SPL as written; KQL reads an append over EXECVE arguments and refuses other bodies where the stage stands', () => {
    const r = load(`${AUDIT}\n| foreach a* [eval n=mvappend(n, '<<FIELD>>')]`);
    const out = spl(r);
    expect(out.spl).toContain("| foreach a* [eval n=mvappend(n, '<<FIELD>>')]");
    expect(out.kql).toEqual([]);
    expect(spl(load(`${AUDIT}\n| foreach a* [eval n=n.'<<FIELD>>']`)).kql).toContain('RB401@11:5');
  });

  it('after an aggregate, over the output columns, in any source', () => {
    const s = stages('`sysmon` EventCode=1 | stats count(eval(User="a")) as hits_a count as hits_all by Computer | foreach hits_* [eval score=score+\'<<FIELD>>\']');
    expect(s.find((x) => x.kind === 'foreach')).toMatchObject({ kind: 'foreach', patterns: ['hits_*'] });
  });

  it.each([
    // A mapped source: the pattern names Splunk fields, the IR canonical ones.
    ['`sysmon` EventCode=1\n| foreach Parent* [eval x=\'<<FIELD>>\']', 'RB250@11:5', /the pattern names Splunk fields/],
    [`${AUDIT}\n| foreach a* [eval x=<<FIELD>> + 1]`, 'RB250@11:16', /placeholder used unquoted/],
    [`${AUDIT}\n| foreach mode=multivalue a* [eval x='<<FIELD>>']`, 'RB250@11:5', /the foreach option 'mode=multivalue'/],
    [`${AUDIT}\n| foreach *e [eval x='<<FIELD>>']`, 'RB250@11:5', /it would match _time/],
    [`${AUDIT}\n| foreach a* [where '<<FIELD>>'>1]`, 'RB250@11:5', /a foreach template with 'where'/],
  ])('%s', refused);
});

describe('spath without a path', () => {
  it('is a spath stage over the input (default _raw); later names are read as written', () => {
    expect(stages('sourcetype=aws:cloudtrail | spath | search a.b{}.c=1')).toMatchObject([
      { kind: 'spath', input: '_raw' },
      { kind: 'filter', expr: { kind: 'pred', field: 'a.b{}.c' } },
    ]);
    expect(stages('sourcetype=aws:cloudtrail | spath input=doc')[0]).toEqual({ kind: 'spath', input: 'doc' });
  });

  it('renders as spath input=…; KQL refuses it', () => {
    const out = spl(load('sourcetype=aws:cloudtrail\n| spath input=doc'));
    expect(out.spl).toContain('| spath input=doc');
    expect(out.kql).toEqual(['RB401@11:5']);
  });

  it.each([
    ['`sysmon` EventCode=1\n| spath input=Data', 'RB250@11:5', /spath without a path here/],
    ['sourcetype=aws:cloudtrail\n| spath input=doc output=x', 'RB250@11:5', /the spath option 'output' without a path/],
  ])('%s', refused);
});

describe('iplocation', () => {
  it('is an iplocation stage; its fields are read as written afterwards, even in a mapped source', () => {
    const s = stages('`sysmon` EventCode=3 | iplocation prefix=dst_ allfields=true DestinationIp | where isnotnull(dst_City) | stats count by dst_Country, dst_Timezone');
    expect(s[0]).toEqual({ kind: 'iplocation', field: 'destination.ip', prefix: 'dst_', allFields: true });
    expect(JSON.stringify(s[1])).toContain('"field":"dst_City"');
    expect(s[2]).toMatchObject({ groupBy: [{ field: 'dst_Country' }, { field: 'dst_Timezone' }] });
  });

  it('renders back to SPL; KQL refuses it', () => {
    const out = spl(load('`sysmon` EventCode=3\n| iplocation DestinationIp'));
    // The Sysmon network field is read through its CIM data model here.
    expect(out.spl).toContain('| iplocation All_Traffic.dest_ip');
    expect(out.kql).toEqual(['RB401@11:5']);
  });

  it('lang= and a bad allfields are RB250', () => {
    expect(errorsAt(load('`sysmon` EventCode=3\n| iplocation lang=de DestinationIp'))).toEqual(['RB250@11:5']);
    expect(errorsAt(load('`sysmon` EventCode=3\n| iplocation allfields=maybe DestinationIp'))).toEqual(['RB250@11:5']);
  });
});

describe('a column name glued to parentheses', () => {
  it('is one name, as Splunk splits arguments at whitespace', () => {
    const s = stages('`sysmon` EventCode=1 | stats values(User) as users(all) count by Computer');
    expect(s[0]).toMatchObject({ kind: 'aggregate', aggs: [{ fn: 'values', as: 'users(all)' }, { fn: 'count', as: 'count' }] });
  });
  it('an unclosed or spaced one is RB202', () => {
    expect(errorsAt(load('`sysmon` EventCode=1\n| stats values(User) as users(all count by Computer'))).toEqual(['RB202@11:37']);
  });
});

describe('makemv', () => {
  it('is split at the delimiter with the empty values left out (allowempty=false, the default)', () => {
    const s = stages('sourcetype=aws:cloudtrail | makemv delim="," scope');
    expect(s).toEqual([{ kind: 'eval', assign: [
      { field: 'scope', expr: { kind: 'call', fn: 'split', args: [{ kind: 'field', name: 'scope' }, { kind: 'lit', value: ',' }] } },
      { field: 'scope', expr: { kind: 'call', fn: 'mvfilter', args: [{ kind: 'lit', value: 'scope' }, { kind: 'binary', op: '!=', left: { kind: 'field', name: 'scope' }, right: { kind: 'lit', value: '' } }] } },
    ] }]);
  });
  it('allowempty=true keeps the empty values; the default delimiter is a space', () => {
    expect(stages('sourcetype=aws:cloudtrail | makemv allowempty=true scope')).toEqual([{ kind: 'eval', assign: [
      { field: 'scope', expr: { kind: 'call', fn: 'split', args: [{ kind: 'field', name: 'scope' }, { kind: 'lit', value: ' ' }] } },
    ] }]);
  });
  it('tokenizer= and setsv= are RB250', () => {
    refused('sourcetype=aws:cloudtrail\n| makemv tokenizer="(\\w+)" scope', 'RB250@11:5', /the makemv option 'tokenizer'/);
    refused('sourcetype=aws:cloudtrail\n| makemv setsv=true scope', 'RB250@11:5', /the makemv option 'setsv'/);
  });
});

describe('a where after a stage', () => {
  it('keeps a chain of ORs as one node (a deep chain is slow for every consumer)', () => {
    const s = stages('sourcetype=aws:cloudtrail | rename a as b | where b="1" OR b="2" OR b="3" OR b="4"');
    const f = s[1]!;
    expect(f.kind === 'filter' && f.expr.kind === 'or' && f.expr.args.length).toBe(4);
  });
});

describe('mvmap()', () => {
  it('names its field as a literal (as mvfilter does) and renders back to SPL', () => {
    const r = load('sourcetype=aws:cloudtrail | stats values(a) as a values(b) as b by user\n| eval d=mvmap(a, if(isnull(mvfind(b, a)), a, null()))');
    const e = noOrigins(r.rule!.query.stages[1]!);
    expect(e).toMatchObject({ kind: 'eval', assign: [{ field: 'd', expr: { kind: 'call', fn: 'mvmap', args: [{ kind: 'lit', value: 'a' }, { kind: 'call', fn: 'if' }] } }] });
    expect(spl(r).spl).toContain('| eval d=mvmap(a, if(isnull(mvfind(b, a)), a, null()))');
  });
  it('a first argument that is not a field is RB250', () => {
    refused('sourcetype=aws:cloudtrail\n| eval d=mvmap(split(x, ","), 1)', 'RB250@11:12', /mvmap\(\) whose first argument is not a field name/);
  });
});

describe('what stays refused, at the command', () => {
  it.each([
    ['| transaction user maxspan=5m', /the 'transaction' command/],
    ['| appendpipe [stats count]', /the 'appendpipe' command/],
    ['| addtotals fieldname=Score a b', /the 'addtotals' command/],
    ['| replace "%%1" with "x" in OperationType', /the 'replace' command/],
    ['| xmlkv Message', /the 'xmlkv' command/],
    ['| fromjson Data', /the 'fromjson' command/],
    ['| anomalydetection x', /the 'anomalydetection' command/],
  ])('%s', (cmd, message) => refused(`sourcetype=aws:cloudtrail\n${cmd}`, 'RB250@11:5', message));

  it('a wildcard aggregate is RB250 at the aggregate', () => {
    refused('sourcetype=aws:cloudtrail\n| stats values(*) as * by user', 'RB250@11:11', /values\(\*\) \(a wildcard aggregate\)/);
  });
});
