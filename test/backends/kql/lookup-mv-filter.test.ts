/**
 * Filters over a multivalue field (a dynamic array: values(), a lookup output with several
 * matching rows): SPL `x=v` holds when any value equals v (the evaluator's rule), so the KQL
 * tests each element instead of the array's JSON text, or refuses with RB430 at the predicate.
 */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { pred, not, type Expr, type Pred } from '../../../src/ir/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { at, rule } from './rule.js';

const at9 = (p: Pred): Pred => ({ ...p, origin: at(9, 3) });
const run = (e: Expr) => render(rule(pred('process.name', 'eq', ['x.exe']), [
  { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'values', field: 'process.command_line', as: 'cmds' }] },
  { kind: 'filter', expr: e, origin: at(9, 1) },
]), 'kql', { dialect: 'defender' });
const last = (e: Expr) => {
  const r = run(e);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  return r.query!.trimEnd().split('\n').pop()!.replace(/^\| where /, '');
};
const errors = (e: Expr) => run(e).diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column]);

describe('kql filters over a multivalue field', () => {
  it.each<[string, Expr, string]>([
    ['eq, case-insensitive: the lower-cased array holds the lower-cased value', pred('cmds', 'eq', ['Run.EXE']), "coalesce(set_has_element(todynamic(tolower(tostring(cmds))), 'run.exe'), false)"],
    ['eq, case-sensitive: the array as it is', { ...pred('cmds', 'eq', ['Run.EXE']), caseSensitive: true }, "coalesce(set_has_element(cmds, 'Run.EXE'), false)"],
    ['eq with a number: its text or its number', pred('cmds', 'eq', ['42']), "coalesce(set_has_element(cmds, '42') or set_has_element(cmds, 42), false)"],
    ['eq null: no value', pred('cmds', 'eq', [null]), 'not(isnotnull(cmds) and coalesce(array_length(cmds), 0) != 0)'],
    ['two values, any', pred('cmds', 'eq', ['a', 'b']), "(coalesce(set_has_element(todynamic(tolower(tostring(cmds))), 'a'), false) or coalesce(set_has_element(todynamic(tolower(tostring(cmds))), 'b'), false))"],
    ['contains: the values joined by a newline', pred('cmds', 'contains', ['stop']), "coalesce(strcat_array(cmds, '\\n') contains 'stop', false)"],
    ['contains a newline: joined by another character', pred('cmds', 'contains', ['a\nb']), "coalesce(strcat_array(cmds, '\\u0001') contains 'a\\nb', false)"],
    ['a wildcard with one literal between stars is contains', pred('cmds', 'wildcard', ['*usn*']), "coalesce(strcat_array(cmds, '\\n') contains 'usn', false)"],
    ['a wildcard without a star is eq', pred('cmds', 'wildcard', ['usn']), "coalesce(set_has_element(todynamic(tolower(tostring(cmds))), 'usn'), false)"],
    ['`*` is presence', pred('cmds', 'wildcard', ['*']), '(isnotnull(cmds) and coalesce(array_length(cmds), 0) != 0)'],
    ['exists', pred('cmds', 'exists', [true]), '(isnotnull(cmds) and coalesce(array_length(cmds), 0) != 0)'],
    ['not eq: no value equals', not(pred('cmds', 'eq', ['a'])), "not(coalesce(set_has_element(todynamic(tolower(tostring(cmds))), 'a'), false))"],
  ])('%s', (_name, e, want) => {
    expect(last(e)).toBe(want);
  });
  it.each<[string, Pred]>([
    ['startswith', at9(pred('cmds', 'startswith', ['a']))],
    ['a wildcard with two literals', at9(pred('cmds', 'wildcard', ['a*b']))],
    ['regex', at9(pred('cmds', 'regex', ['^a']))],
    ['a number comparison', at9(pred('cmds', 'gt', [3]))],
  ])('%s has no exact array form: RB430 at the predicate', (_name, p) => {
    expect(errors(p)).toEqual([['RB430', 9, 3]]);
  });
});
