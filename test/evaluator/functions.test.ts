/** Eval functions (src/ir/functions.ts) as the evaluator implements them, with SPL semantics. */
import { describe, it, expect } from 'vitest';
import type { ValueExpr } from '../../src/ir/index.js';
import { compileValue } from '../../src/evaluator/compile-value.js';
import { Row } from '../../src/evaluator/row.js';
import type { Diagnostic } from '../../src/diagnostics/index.js';

const f = (name: string): ValueExpr => ({ kind: 'field', name });
const l = (value: string | number | boolean | null): ValueExpr => ({ kind: 'lit', value });
const call = (fn: string, ...args: ValueExpr[]): ValueExpr => ({ kind: 'call', fn, args });
const ROW = { cmd: 'powershell -enc AAA', p: 'powershell', n: '0x1f', list: ['a', 'b', 'c'], t: 1767225600, s: 'a%20b+c', e: '' };

function value(e: ValueExpr, row: Record<string, unknown> = ROW): unknown {
  const diags: Diagnostic[] = [];
  const v = compileValue(e, diags);
  expect(diags).toEqual([]);
  return v(new Row(row));
}

describe('eval functions', () => {
  const cases: [string, ValueExpr, unknown][] = [
    ['match is unanchored and case-sensitive', call('match', f('cmd'), l('-enc\\s')), true],
    ['match case-sensitive miss', call('match', f('cmd'), l('-ENC')), false],
    ['match with a computed regex', call('match', f('cmd'), { kind: 'binary', op: '.', left: l('^'), right: f('p') }), true],
    ['like % and _', call('like', f('cmd'), l('power_hell%')), true],
    ['like is anchored', call('like', f('cmd'), l('shell%')), false],
    ['like with a computed pattern', call('like', f('cmd'), { kind: 'binary', op: '.', left: f('p'), right: l('%') }), true],
    ['replace with a back-reference', call('replace', f('cmd'), l('-(e)nc'), l('/\\1/')), 'powershell /e/ AAA'],
    ['substr is 1-based', call('substr', f('cmd'), l(1), l(5)), 'power'],
    ['substr negative start', call('substr', f('cmd'), l(-3)), 'AAA'],
    ['len', call('len', f('p')), 10],
    ['lower/upper', call('upper', f('p')), 'POWERSHELL'],
    ['coalesce skips missing', call('coalesce', f('nope'), f('p')), 'powershell'],
    ['if', call('if', { kind: 'binary', op: '=', left: f('p'), right: l('powershell') }, l('y'), l('n')), 'y'],
    ['case', call('case', { kind: 'binary', op: '=', left: f('p'), right: l('x') }, l(1), l(true), l(2)), 2],
    ['isnull of a missing field', call('isnull', f('nope')), true],
    ['tonumber of hex', call('tonumber', f('n'), l(16)), 31],
    ['tonumber decimal of hex text', call('tonumber', l('0x10')), 16],
    ['mvcount', call('mvcount', f('list')), 3],
    ['mvindex range', call('mvindex', f('list'), l(1), l(-1)), ['b', 'c']],
    ['mvjoin', call('mvjoin', f('list'), l(',')), 'a,b,c'],
    ['split', call('split', l('a;b'), l(';')), ['a', 'b']],
    ['relative_time snaps', call('relative_time', f('t'), l('-1d@d')), 1767225600 - 86400],
    ['strftime of epoch', call('strftime', f('t'), l('%Y-%m-%d %H:%M:%S')), '2026-01-01 00:00:00'],
    ['strptime', call('strptime', l('2026-01-01 00:00:00'), l('%Y-%m-%d %H:%M:%S')), 1767225600],
    ['urldecode', call('urldecode', f('s')), 'a b c'],
    ['round', call('round', l(2.456), l(2)), 2.46],
    ['cidrmatch', call('cidrmatch', l('10.0.0.0/8'), l('10.9.8.7')), true],
    ['trim with characters', call('trim', l('xxaxx'), l('x')), 'a'],
    ['null propagates through arithmetic', { kind: 'binary', op: '+', left: f('nope'), right: l(1) }, null],
    ['+ concatenates strings', { kind: 'binary', op: '+', left: l('a'), right: l('b') }, 'ab'],
    ['= compares numbers numerically', { kind: 'binary', op: '=', left: l('10'), right: l(10) }, true],
    ['< compares strings case-sensitively', { kind: 'binary', op: '<', left: l('B'), right: l('a') }, true],
  ];
  for (const [name, e, want] of cases) it(name, () => expect(value(e)).toEqual(want));

  it('a regex the linear-time engine rejects is RB503 at the call', () => {
    const diags: Diagnostic[] = [];
    compileValue({ kind: 'call', fn: 'match', args: [f('cmd'), l('a(?!b)')], origin: { file: 'r.yml', line: 7, column: 21 } }, diags);
    expect(diags.map((d) => [d.code, d.line, d.column])).toEqual([['RB503', 7, 21]]);
  });
  it('a wrong arity is RB504', () => {
    const diags: Diagnostic[] = [];
    compileValue({ kind: 'call', fn: 'len', args: [], origin: { file: 'r.yml', line: 2, column: 3 } }, diags);
    expect(diags.map((d) => [d.code, d.line, d.column])).toEqual([['RB504', 2, 3]]);
  });
});
