/**
 * SPL foreach in KQL: expanded into one extend per assignment of each matched column, in
 * code-unit order, where the columns are known (after summarize or project); each run guarded
 * by its column being present, as SPL skips a null field; refused (RB401) before that.
 */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { pred, TRUE, type Aggregate, type ForEach, type QueryInput, type RuleIR, type Stage, type ValueExpr } from '../../../src/ir/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { at, rule } from './rule.js';

const f = (name: string): ValueExpr => ({ kind: 'field', name });
const lit = (value: string | number | null): ValueExpr => ({ kind: 'lit', value });
const add = (left: ValueExpr, right: ValueExpr): ValueExpr => ({ kind: 'binary', op: '+', left, right });
const valid = (q: string | undefined) => {
  expect(q).toBeDefined();
  if (!KUSTO_SKIP) expect(kustoErrors(q!)).toEqual([]);
};
/** The operators after the summarize (the lines the foreach and later stages wrote). */
const after = (q: string) => q.split('\n').slice(3).filter((l) => l);

/** `stats count(eval(…)) as hits_whoami, … by Computer`: two long columns and a string key. */
const hits: Aggregate = {
  kind: 'aggregate',
  groupBy: [{ field: 'host.name', as: 'Computer' }],
  aggs: [{ fn: 'count', as: 'hits_whoami', where: pred('process.name', 'eq', ['whoami.exe']) }, { fn: 'count', as: 'hits_net', where: pred('process.name', 'eq', ['net.exe']) }],
};
const score: Stage = { kind: 'eval', assign: [{ field: 'score', expr: lit(0) }] };
const each = (patterns: string[], assign: ForEach['assign'], line = 5): ForEach => ({ kind: 'foreach', patterns, assign, origin: at(line, 3) });
const base = pred('process.executable', 'endswith', ['\\cmd.exe']);

describe('kql foreach', () => {
  it('after a summarize: one run per matched column in code-unit order, <<FIELD>> and <<MATCHSTR>> filled in', () => {
    const r = render(rule(base, [hits, score, each(['hits_*'], [
      { field: 'score', expr: add(f('score'), f('<<FIELD>>')) },
      { field: 'seen_<<MATCHSTR>>', expr: { kind: 'call', fn: 'if', args: [{ kind: 'binary', op: '>', left: f('<<FIELD>>'), right: lit(0) }, lit('<<FIELD>>'), lit(null)] } },
    ])]), 'kql');
    expect(r.ok).toBe(true);
    // hits_net sorts before hits_whoami; a run whose column is null leaves its targets as they were.
    expect(after(r.query!)).toEqual([
      '| extend score = 0',
      '| extend score = iff(isnotnull(hits_net), (score + hits_net), score)',
      "| extend seen_net = iff(isnotnull(hits_net), iff((hits_net > 0), 'hits_net', tostring(dynamic(null))), '')",
      '| extend score = iff(isnotnull(hits_whoami), (score + hits_whoami), score)',
      "| extend seen_whoami = iff(isnotnull(hits_whoami), iff((hits_whoami > 0), 'hits_whoami', tostring(dynamic(null))), '')",
    ]);
    valid(r.query);
  });

  it('several wildcards: <<MATCHSEGn>> is what the n-th * matched; a string column counts as present when not empty', () => {
    const by: Aggregate = { kind: 'aggregate', groupBy: [{ field: 'process.name', as: 'proc_to_host' }, { field: 'user.name', as: 'user_to_host' }, { field: 'host.name', as: 'other' }], aggs: [{ fn: 'count', as: 'n' }] };
    const r = render(rule(base, [by, each(['*_to_*'], [{ field: '<<MATCHSEG2>>_of_<<MATCHSEG1>>', expr: f('<<FIELD>>') }])]), 'kql');
    expect(after(r.query!)).toEqual([
      "| extend host_of_proc = iff(isnotempty(proc_to_host), proc_to_host, '')",
      "| extend host_of_user = iff(isnotempty(user_to_host), user_to_host, '')",
    ]);
    valid(r.query);
  });

  it('a multivalue column (values()) is present when it holds a value', () => {
    const vals: Aggregate = { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'values', field: 'process.name', as: 'v_names' }] };
    const r = render(rule(base, [vals, each(['v_*'], [{ field: 'n_<<MATCHSTR>>', expr: { kind: 'call', fn: 'mvcount', args: [f('<<FIELD>>')] } }])]), 'kql');
    expect(after(r.query!)).toEqual(['| extend n_names = iff((isnotnull(v_names) and coalesce(array_length(v_names), 1) != 0), array_length(v_names), long(null))']);
    valid(r.query);
  });

  it('a run that writes a matched column before that column\'s own run: presence is decided up front, as SPL does', () => {
    // Run hits_net sets hits_whoami to 0; SPL still runs hits_whoami's template only if it was present before the first run.
    const r = render(rule(base, [hits, score, each(['hits_*'], [{ field: 'score', expr: add(f('score'), f('<<FIELD>>')) }, { field: 'hits_whoami', expr: lit(0) }])]), 'kql');
    expect(after(r.query!)).toEqual([
      '| extend score = 0',
      '| extend rb_foreach_0 = isnotnull(hits_net), rb_foreach_1 = isnotnull(hits_whoami)',
      '| extend score = iff(rb_foreach_0, (score + hits_net), score)',
      '| extend hits_whoami = iff(rb_foreach_0, 0, hits_whoami)',
      '| extend score = iff(rb_foreach_1, (score + hits_whoami), score)',
      '| extend hits_whoami = iff(rb_foreach_1, 0, hits_whoami)',
      '| project-away rb_foreach_0, rb_foreach_1',
    ]);
    valid(r.query);
  });

  it('a template that rewrites its own column reads it before writing it: no temporary column', () => {
    const r = render(rule(base, [hits, each(['hits_*'], [{ field: '<<FIELD>>', expr: { kind: 'binary', op: '*', left: f('<<FIELD>>'), right: lit(2) } }])]), 'kql');
    expect(after(r.query!)).toEqual([
      '| extend hits_net = iff(isnotnull(hits_net), (hits_net * 2), hits_net)',
      '| extend hits_whoami = iff(isnotnull(hits_whoami), (hits_whoami * 2), hits_whoami)',
    ]);
    valid(r.query);
  });

  it('after a project (table): the projected columns are the row\'s fields', () => {
    const table: Stage = { kind: 'project', mode: 'keep', fields: ['process.name', 'process.command_line'] };
    const r = render(rule(base, [table, each(['process.*'], [{ field: 'tail', expr: lit('<<MATCHSTR>>') }])]), 'kql');
    expect(r.query!.split('\n').slice(2)).toEqual([
      "| project ['process.name'] = FileName, ['process.command_line'] = ProcessCommandLine",
      "| extend tail = iff(isnotempty(['process.command_line']), 'command_line', '')",
      "| extend tail = iff(isnotempty(['process.name']), 'name', tail)",
      '',
    ]);
    valid(r.query);
  });

  it('a column name with quotes and brackets stays a quoted name and a quoted string in every place it is filled in', () => {
    const odd: Aggregate = { kind: 'aggregate', groupBy: [{ field: 'host.name', as: "h_a'] | take 1 //" }], aggs: [{ fn: 'count', as: 'n' }] };
    const r = render(rule(base, [odd, each(['h_*'], [{ field: 'x_<<MATCHSTR>>', expr: lit('<<FIELD>>') }])]), 'kql');
    expect(after(r.query!)).toEqual([
      `| extend ['x_a\\'] | take 1 //'] = iff(isnotempty(['h_a\\'] | take 1 //']), 'h_a\\'] | take 1 //', '')`,
    ]);
    valid(r.query);
  });

  it('no column matches: the stage changes nothing and writes no operator', () => {
    const without = render(rule(base, [hits]), 'kql');
    const r = render(rule(base, [hits, each(['zz*'], [{ field: 'x', expr: f('<<FIELD>>') }])]), 'kql');
    expect(r.query).toBe(without.query);
  });

  it('before a summarize or project: RB401 at the stage, since the source\'s matching fields are not all known', () => {
    const r = render(rule(base, [each(['process.*'], [{ field: 'x', expr: f('<<FIELD>>') }], 7), hits]), 'kql', { dialect: 'defender' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column])).toEqual([['RB401', 7, 3]]);
  });

  it('over a correlation\'s union (the fields its stages name, not every field): RB401', () => {
    const input = (name: string, exe: string): QueryInput => ({ name, source: { product: 'windows', category: 'process_creation' }, filter: pred('process.executable', 'endswith', [exe]), aliases: [] });
    const stages: Stage[] = [each(['user.*'], [{ field: 'x', expr: f('<<FIELD>>') }], 9), { kind: 'aggregate', groupBy: [{ field: 'user.name', as: 'user.name' }], aggs: [{ fn: 'count', as: 'n' }] }];
    const corr: RuleIR = { ...rule(TRUE, stages), query: { source: {}, filter: TRUE, stages, inputs: [input('a', '\\a.exe'), input('b', '\\b.exe')] } };
    const r = render(corr, 'kql');
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column])).toEqual([['RB401', 9, 3]]);
  });

  it('a template function KQL does not render is an error, never a dropped assignment', () => {
    const r = render(rule(base, [hits, { kind: 'eval', assign: [{ field: 'all', expr: lit('') }] }, each(['hits_*'], [{ field: 'all', expr: { kind: 'call', fn: 'substr', args: [f('<<FIELD>>'), lit(2)], origin: at(5, 20) } }])]), 'kql', { dialect: 'defender' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column])).toEqual([['RB430', 5, 20]]);
  });
});
