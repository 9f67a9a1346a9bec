/**
 * SPL rex in KQL into fields that exist (a failed match keeps the value) and with max_match (a
 * list of the first N matches). Each rendered assignment is replayed (its regex under RE2, which
 * KQL uses, its group number and bound read from the query text) over the same rows as the
 * evaluator's extract stage, the reference of rex; refusals are asserted by code, line, column.
 */
import { describe, expect, it } from 'vitest';
import { RE2JS } from 're2js';
import { render } from '../../../src/backends/index.js';
import { compileStage, type CompileContext } from '../../../src/evaluator/stages.js';
import { pred, type Extract, type Stage } from '../../../src/ir/index.js';
import { alwaysParticipates } from '../../../src/backends/kql-extract-groups.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { at, rule } from './rule.js';

const HEAD: Stage[] = [
  { kind: 'aggregate', groupBy: [{ field: 'process.command_line', as: 'cmd' }], aggs: [{ fn: 'values', field: 'process.name', as: 'names' }, { fn: 'count', as: 'count' }] },
  { kind: 'eval', assign: [{ field: 'tag', expr: { kind: 'lit', value: 'orig' } }] },
];
const rex = (field: string, pattern: string, names: string[], max?: number): Extract =>
  ({ kind: 'extract', field, pattern, names, ...(max !== undefined ? { max } : {}), origin: at(7, 4) });
const run = (s: Extract) => render(rule(pred('process.name', 'eq', ['x.exe']), [...HEAD, s]), 'kql', { dialect: 'defender' });
const ROWS = ['alice@host tag=red k1=v1 k2=v2 k3=v3', 'no match here', 'bob@x tag=blue', undefined];

/** The rows after HEAD, as the evaluator holds them. */
const rowOf = (cmd: string | undefined): Record<string, unknown> => ({ ...(cmd !== undefined ? { cmd } : {}), names: ['a.exe', 'b.exe'], count: 1, tag: 'orig' });

/** A value as a list: missing or '' → [], one value → [v]. */
const asList = (v: unknown): unknown[] => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]);

function unquote(lit: string): string {
  return lit.slice(1, -1).replace(/\\(u[0-9a-f]{4}|.)/g, (_, e: string) => (e.length > 1 ? String.fromCharCode(parseInt(e.slice(1), 16)) : ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[e] ?? e));
}
const LIT = String.raw`'(?:[^'\\]|\\.)*'`;

/** What the rendered extend gives `name` on a row, read from the query text. */
function replay(q: string, name: string, row: Record<string, unknown>): unknown[] {
  const line = q.split('\n').find((l) => l.startsWith('| extend ') && l.includes(`${name} = `) && /extract/.test(l))!;
  const source = q.includes('| extend ExtractSource = cmd') ? 'ExtractSource' : 'cmd';
  const text = String(row.cmd ?? '');
  const old = row[name];
  const single = new RegExp(String.raw`${name} = (iff\(.* matches regex ${LIT}, )?(pack_array\()?extract\((${LIT}), (\d+), ${source}\)`).exec(line);
  const multi = new RegExp(String.raw`${name} = iff\(array_length\(extract_all\((${LIT}), dynamic\(\[(\d+)\]\), ${source}\)\) > 0, (array_slice\(extract_all\(${LIT}, dynamic\(\[\d+\]\), ${source}\), 0, (\d+)\)|extract_all)`).exec(line);
  if (multi) {
    const m = RE2JS.compile(unquote(multi[1]!)).matcher(text);
    const out: string[] = [];
    const max = multi[4] ? Number(multi[4]) + 1 : Infinity;
    while (out.length < max && m.find()) out.push(m.group(Number(multi[2]))!);
    return out.length ? out : asList(old);
  }
  const re = RE2JS.compile(unquote(single![3]!));
  const m = re.matcher(text);
  if (!m.find()) return single![1] ? asList(old) : [];
  return asList(m.group(Number(single![4])) ?? '');
}

describe('kql rex against the evaluator', () => {
  it.each<[string, Extract]>([
    ['a new field', rex('cmd', '(?<user>\\w+)@', ['user'])],
    ['an existing field keeps its value without a match', rex('cmd', 'tag=(?<tag>\\w+)', ['tag'])],
    ['an existing multivalue field: a list of the one value, else the list', rex('cmd', '^(?<names>\\w+)@', ['names'])],
    ['the source itself and another name: the source read once', rex('cmd', '^(?<user>\\w+)@(?<cmd>\\S+)', ['user', 'cmd'])],
    ['max_match=2, a new field', rex('cmd', '(?<kv>\\w+=\\w+)', ['kv'], 2)],
    ['max_match=0, an existing field', rex('cmd', '(?<tag>k\\d)=', ['tag'], 0)],
  ])('%s', (_name, s) => {
    const r = run(s);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
    const step = compileStage(s, [], {} as CompileContext);
    if (step.kind !== 'step') throw new Error('rex is a row step');
    const evaluate = step.make();
    for (const cmd of ROWS) {
      const c = { f: rowOf(cmd), shared: false };
      evaluate(c as never);
      for (const name of s.names) expect([cmd, name, replay(r.query!, name, rowOf(cmd))]).toEqual([cmd, name, asList(c.f[name])]);
    }
  });
});

describe('kql rex refusals', () => {
  it.each<[string, Extract]>([
    ['an optional group into an existing field', rex('cmd', 'x(?<tag>y)?', ['tag'])],
    ['a group in one branch of an alternation', rex('cmd', '(?<tag>a)|b', ['tag'])],
    ['max_match with a pattern that matches the empty string', rex('cmd', '(?<kv>\\w*)', ['kv'], 3)],
    ['rex over a multivalue field', rex('names', '(?<first>\\w+)', ['first'])],
    ['into an existing number', rex('cmd', '(?<count>\\d+)', ['count'])],
  ])('%s: RB401 at the stage', (_name, s) => {
    expect(run(s).diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column])).toEqual([['RB401', 7, 4]]);
  });
  it('max_match, then stats by the list: RB401 at the stats (SPL counts the row under each value)', () => {
    const r = render(rule(pred('process.name', 'eq', ['x.exe']), [...HEAD, rex('cmd', '(?<kv>\\w+=\\w+)', ['kv'], 2), { kind: 'aggregate', groupBy: [{ field: 'kv', as: 'kv' }], aggs: [{ fn: 'count', as: 'n' }], origin: at(8, 2) }]), 'kql', { dialect: 'defender' });
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column])).toEqual([['RB401', 8, 2]]);
  });
});

describe('groups that take part in every match', () => {
  it.each<[string, string, boolean]>([
    ['(?P<a>x)y', 'a', true],
    ['(?P<a>x|z)y', 'a', true],
    ['((?P<a>x)+)y', 'a', true],
    ['(?P<a>x)?y', 'a', false],
    ['(?P<a>x)*', 'a', false],
    ['(?P<a>x){0,2}', 'a', false],
    ['(?P<a>x){1,2}', 'a', true],
    ['((?P<a>x))?', 'a', false],
    ['(?P<a>x)|y', 'a', false],
    ['(y|(?P<a>x))', 'a', false],
    ['[(|]?(?P<a>x)\\|', 'a', true],
    ['(?i)(?P<a>[^)]+)', 'a', true],
    ['(?P<b>x)', 'a', false],
  ])('%s: %s → %s', (pattern, name, want) => {
    expect(alwaysParticipates(pattern, name)).toBe(want);
  });
});
