/**
 * join on a subsearch, lookup, eventstats, mvexpand, and the forms of spath, foreach and
 * iplocation that cannot lower: IR shapes, and diagnostics by code, line and column.
 */
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { loadYaml } from '../../../src/source/index.js';
import { splunkFromDoc } from '../../../src/frontends/splunk/index.js';
import type { LoadedRule } from '../../../src/frontends/types.js';
import type { Stage } from '../../../src/ir/index.js';
import { FIXTURES, MACROS, noOrigins, rule2024, where } from './load.js';

const LOOKUPS = join(FIXTURES, 'lookups');

/** Lowers a search (line 10, column 3 of the rule) with the fixture macros and lookups. */
function load(search: string): LoadedRule {
  const { docs } = loadYaml('rule.yml', rule2024(search));
  return splunkFromDoc(docs[0]!, { macros: MACROS, lookups: [LOOKUPS] });
}
function stages(search: string): Stage[] {
  const r = load(search);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || !r.rule) throw new Error(JSON.stringify(errors));
  return noOrigins(r.rule.query.stages);
}
const errorsAt = (r: LoadedRule) => where({ ...r, diagnostics: r.diagnostics.filter((d) => d.severity !== 'info') });

describe('join on a subsearch', () => {
  it('lowers the subsearch as a query of its own, keyed on the named field (SPL default max=1, inner)', () => {
    const s = stages('`sysmon` EventCode=1 | stats count by ProcessGuid | join ProcessGuid [search `sysmon` EventCode=3 | stats count as conns by ProcessGuid]');
    const j = s[1]!;
    expect(j.kind).toBe('join');
    if (j.kind !== 'join') return;
    expect({ type: j.type, on: j.on, overwrite: j.overwrite, max: j.max }).toEqual({ type: 'inner', on: ['ProcessGuid'], overwrite: true, max: undefined });
    expect(j.query.source).toMatchObject({ product: 'windows', service: 'sysmon' });
    expect(j.query.stages[0]).toMatchObject({ kind: 'aggregate', aggs: [{ fn: 'count', as: 'conns' }] });
  });

  it('type=outer is a left join; max=0 keeps every matching row', () => {
    const j = stages('`sysmon` EventCode=1 | stats count by ProcessGuid | join type=outer max=0 ProcessGuid [search `sysmon` EventCode=3 | stats count by ProcessGuid]')[1]!;
    expect(j).toMatchObject({ kind: 'join', type: 'left', max: 0 });
  });

  it('a key named differently on the two sides is copied in the subquery', () => {
    // Before any aggregate, ProcessGuid is the raw field process.entity_id; the subsearch ends on a column.
    const j = stages('`sysmon` EventCode=1 | join ProcessGuid [| tstats count from datamodel=Endpoint.Processes by Processes.process_guid | rename Processes.process_guid as ProcessGuid]')[0]!;
    expect(j.kind).toBe('join');
    if (j.kind !== 'join') return;
    expect(j.on).toEqual(['process.entity_id']);
    expect(j.query.stages[j.query.stages.length - 1]).toEqual({ kind: 'eval', assign: [{ field: 'process.entity_id', expr: { kind: 'field', name: 'ProcessGuid' } }] });
  });

  it('the subquery is normalized like the rule (OR of one field merged)', () => {
    const j = stages('`sysmon` EventCode=1 | stats count by ProcessGuid | join ProcessGuid [search `sysmon` EventCode=3 (DestinationPort=4444 OR DestinationPort=8080) | stats count by ProcessGuid]')[1]!;
    if (j.kind !== 'join') throw new Error('not a join');
    expect(j.query.filter).toMatchObject({ kind: 'pred', op: 'eq', values: ['4444', '8080'] });
  });

  it('an error inside the subsearch is reported at its position; no field list and unknown options are RB250', () => {
    expect(errorsAt(load('`sysmon` EventCode=1\n| join ProcessGuid [search `sysmon` | frob x]'))).toEqual(['RB203@11:41']);
    expect(errorsAt(load('`sysmon` EventCode=1\n| join [search `sysmon`]'))).toEqual(['RB250@11:5']);
    expect(errorsAt(load('`sysmon` EventCode=1\n| join usetime=true ProcessGuid [search `sysmon`]'))).toEqual(['RB250@11:5']);
  });
});

describe('lookup', () => {
  it('keys, outputs and case sensitivity come from the command and the definition', () => {
    expect(stages('`sysmon` EventCode=1 | lookup tools tool AS OriginalFileName OUTPUT category AS cat, note')[0]).toEqual({
      kind: 'lookup', table: 'tools', keys: [{ field: 'process.pe.original_file_name', column: 'tool' }],
      outputs: [{ column: 'category', as: 'cat' }, { column: 'note', as: 'note' }], caseSensitive: false,
    });
  });

  it('without OUTPUT every other column of the CSV is written; later commands name the outputs as written', () => {
    const s = stages('`sysmon` EventCode=1 | lookup tools tool AS OriginalFileName | search category=recon');
    expect(s[0]).toMatchObject({ outputs: [{ column: 'category', as: 'category' }, { column: 'note', as: 'note' }] });
    expect(s[1]).toMatchObject({ kind: 'filter', expr: { field: 'category' } });
  });

  it('a table with no definition is a warning at its name, matched as Splunk does by default', () => {
    const r = load('`sysmon` EventCode=1\n| lookup unknown_table k AS Image OUTPUT v');
    expect(where(r)).toEqual(['RB255@11:12']);
    expect(r.rule?.query.stages[0]).toMatchObject({ kind: 'lookup', caseSensitive: true });
  });

  it('a CIDR table, OUTPUTNEW on raw events and an unknown column set are RB250', () => {
    expect(errorsAt(load('`sysmon` EventCode=3\n| lookup nets net AS DestinationIp OUTPUT zone'))).toEqual(['RB250@11:12']);
    expect(errorsAt(load('`sysmon` EventCode=1\n| lookup tools tool AS Image OUTPUTNEW category'))).toEqual(['RB250@11:5']);
    expect(errorsAt(load('`sysmon` EventCode=1\n| lookup unknown_table k AS Image'))).toEqual(['RB255@11:12', 'RB250@11:5']);
  });

  it('OUTPUTNEW after an aggregate whose columns hold none of the outputs is OUTPUT', () => {
    expect(stages('`sysmon` EventCode=1 | stats count by OriginalFileName | lookup tools tool AS OriginalFileName OUTPUTNEW category')[1]).toMatchObject({ kind: 'lookup', outputs: [{ column: 'category', as: 'category' }] });
    expect(errorsAt(load('`sysmon` EventCode=1\n| stats count by OriginalFileName\n| lookup tools tool AS OriginalFileName OUTPUTNEW category AS count'))).toEqual(['RB250@12:5']);
    // The columns are followed through a prefix rename (drop_dm_object_name).
    const tstats = '| tstats count from datamodel=Endpoint.Processes by Processes.process_name Processes.dest | rename Processes.* AS *';
    expect(stages(`${tstats} | lookup tools tool AS process_name OUTPUTNEW category`)[1]).toMatchObject({ kind: 'lookup', outputs: [{ as: 'category' }] });
    expect(errorsAt(load(`${tstats}\n| lookup tools tool AS process_name OUTPUTNEW category AS dest`))).toEqual(['RB250@11:5']);
  });
});

describe('eventstats, mvexpand, aggregates of eval', () => {
  it('eventstats keeps the rows and adds aggregates per group', () => {
    expect(stages('`sysmon` EventCode=1 | stats count by Computer User | eventstats avg(count) as avg, stdev(count) as sd by Computer')[1]).toEqual({
      kind: 'eventstats', groupBy: [{ field: 'Computer', as: 'Computer' }], aggs: [{ fn: 'avg', field: 'count', as: 'avg' }, { fn: 'stdev', field: 'count', as: 'sd' }],
    });
  });

  it('mvexpand names its field; limit= is RB250', () => {
    expect(stages('`sysmon` EventCode=1 | eval a=split(CommandLine, " ") | mvexpand a')[1]).toEqual({ kind: 'mvexpand', field: 'a' });
    expect(errorsAt(load('`sysmon` EventCode=1\n| mvexpand CommandLine limit=5'))).toEqual(['RB250@11:5']);
  });

  it('dc(eval(upper(x))) as y aggregates a column y computed first', () => {
    const s = stages('`sysmon` EventCode=1 | stats dc(eval(upper(User))) as users by Computer');
    expect(s[0]).toEqual({ kind: 'eval', assign: [{ field: 'users', expr: { kind: 'call', fn: 'upper', args: [{ kind: 'field', name: 'user.name' }] } }] });
    expect(s[1]).toMatchObject({ kind: 'aggregate', aggs: [{ fn: 'dc', field: 'users', as: 'users' }] });
  });
  it('the computed column keeps the eval(…) name without `as`, or when the command reads a field of the `as` name', () => {
    expect(stages('`sysmon` EventCode=1 | stats dc(eval(upper(User))) by Computer')[0]).toMatchObject({ assign: [{ field: 'eval(upper(User))' }] });
    expect(stages('`sysmon` EventCode=1 | stats dc(eval(upper(User))) as users values(users) as u by Computer')[0]).toMatchObject({ assign: [{ field: 'eval(upper(User))' }] });
    expect(stages('`sysmon` EventCode=1 | stats dc(eval(upper(User))) as Computer by Computer')[0]).toMatchObject({ assign: [{ field: 'eval(upper(User))' }] });
    expect(stages('`sysmon` EventCode=1 | stats dc(eval(upper(User))) as x max(eval(len(User))) as x by Computer')[0]).toMatchObject({ assign: [{ field: 'x' }, { field: 'eval(len(User))' }] });
  });

  it('a-b in eval subtracts; a quoted name keeps its hyphen', () => {
    expect(stages("`sysmon` EventCode=1 | stats count by Computer | eval d=count-1, e='count-1'")[1]).toEqual({
      kind: 'eval', assign: [
        { field: 'd', expr: { kind: 'binary', op: '-', left: { kind: 'field', name: 'count' }, right: { kind: 'lit', value: 1 } } },
        { field: 'e', expr: { kind: 'field', name: 'count-1' } },
      ],
    });
    // The target of an assignment is a name, hyphen included.
    expect(stages('`sysmon` EventCode=1 | stats count by Computer | eval a-b=count-1')[1]).toMatchObject({ kind: 'eval', assign: [{ field: 'a-b', expr: { kind: 'binary', op: '-' } }] });
  });
});

describe('foreach', () => {
  it('a literal field list expands the eval template once per field', () => {
    expect(stages('`sysmon` EventCode=1 | stats count by Computer User | foreach Computer User [eval <<FIELD>>=lower(<<FIELD>>)]').slice(1)).toEqual([
      { kind: 'eval', assign: [{ field: 'Computer', expr: { kind: 'call', fn: 'lower', args: [{ kind: 'field', name: 'Computer' }] } }] },
      { kind: 'eval', assign: [{ field: 'User', expr: { kind: 'call', fn: 'lower', args: [{ kind: 'field', name: 'User' }] } }] },
    ]);
  });

  it('options and templates with other commands are RB250; a bad template is reported at it', () => {
    expect(errorsAt(load('`sysmon` EventCode=1\n| foreach fieldstr=#f# User [eval #f#=1]'))).toEqual(['RB250@11:5']);
    expect(errorsAt(load('`sysmon` EventCode=1\n| foreach User [stats count by <<FIELD>>]'))).toEqual(['RB250@11:5']);
    expect(errorsAt(load('`sysmon` EventCode=1\n| foreach User [eval <<FIELD>>=]'))).toEqual(['RB202@11:18']);
  });
});

describe('where a != b over two fields', () => {
  it('needs both fields to exist (a comparison with null is not true)', () => {
    const r = load('`sysmon` EventCode=1 | where Image!=ParentImage');
    expect(noOrigins(r.rule!.query.filter)).toMatchObject({ kind: 'and', args: [
      { kind: 'pred', field: 'process.executable', op: 'exists' },
      { kind: 'pred', field: 'process.parent.executable', op: 'exists' },
      { kind: 'not', arg: { kind: 'pred', field: 'process.executable', op: 'fieldref', values: ['process.parent.executable'] } },
    ] });
  });
});

describe('pow()', () => {
  it('folds literals and multiplies a small whole exponent out; other exponents are RB253', () => {
    expect(stages('`sysmon` EventCode=1 | stats count by Computer | eval a=count/pow(10,3), b=pow(count, 2)')[1]).toMatchObject({ kind: 'eval', assign: [
      { field: 'a', expr: { kind: 'binary', op: '/', right: { kind: 'lit', value: 1000 } } },
      { field: 'b', expr: { kind: 'binary', op: '*', left: { kind: 'field', name: 'count' }, right: { kind: 'field', name: 'count' } } },
    ] });
    expect(errorsAt(load('`sysmon` EventCode=1 | stats count by Computer\n| eval b=pow(count, 0.5)'))).toEqual(['RB253@11:12']);
  });
});

describe('spath with a path', () => {
  it('is an eval of spath() that keeps the output when the path holds no value', () => {
    const s = stages('`sysmon` EventCode=1 | spath input=Data output=x path=a.b{}.c');
    expect(s).toEqual([{ kind: 'eval', assign: [{ field: 'x', expr: { kind: 'call', fn: 'coalesce', args: [
      { kind: 'call', fn: 'spath', args: [{ kind: 'field', name: 'winlog.event_data.Data' }, { kind: 'lit', value: 'a.b{}.c' }] },
      { kind: 'field', name: 'x' },
    ] } }] }]);
  });
  it('reads _raw by default and writes the field named by the path', () => {
    const s = stages('`sysmon` EventCode=1 | spath Statement{} | search Statement{}=allow');
    const e = s[0]!;
    expect(e.kind === 'eval' && e.assign[0]!.field).toBe('Statement{}');
    expect(JSON.stringify(e)).toContain('"name":"_raw"');
    const r = load('`sysmon` EventCode=1 | spath Statement{} | search Statement{}=allow');
    expect(JSON.stringify(r.rule!.query.stages[1])).toContain('"field":"Statement{}"');
  });
});

describe('commands with no meaning-preserving lowering say why, where', () => {
  it.each([
    ['| spath input=Data', 'RB250', /spath without a path/],
    ['| spath path=a.b{1}.c output=x', 'RB250', /spath path=a\.b\{1\}\.c \(only keys and \{\} steps/],
    ['| spath input=Data path=Event{@id}', 'RB250', /an XML attribute/],
    ['| spath input=Data output=x mode=xml path=a', 'RB250', /the spath option 'mode'/],
    ['| foreach a* [eval x=1]', 'RB250', /foreach over the fields matching 'a\*'/],
    ['| iplocation lang=de src', 'RB250', /the iplocation option 'lang'/],
    ['| foreach a* [eval x=\'<<FIELD>>\']', 'RB250', /foreach over the fields matching 'a\*' here \(the pattern names Splunk fields/],
  ])('%s', (cmd, code, message) => {
    const r = load('`sysmon` EventCode=1\n' + cmd);
    expect(errorsAt(r)).toEqual([`${code}@11:5`]);
    expect(r.diagnostics.find((d) => d.code === code)!.message).toMatch(message);
  });
});
