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
});

describe('spath, mvfind, mvdedup, mvappend, min and max (Search Reference, evaluation functions)', () => {
  const JSON_ROW = {
    j: JSON.stringify({ a: { b: 'x', n: 3 }, list: [{ id: 1, k: 'p' }, { id: 2 }, { id: 3, k: 'q' }], obj: { z: [1, 2] }, nul: null }),
    top: '[{"k":"v1"},{"k":"v2"}]',
    parsed: { a: { b: 'y' } },
    bad: 'not json {',
    mv: ['aa', 'Ab', 'ab', 'aa', 'c'],
    nums: ['10', '9', '-1'],
    mixed: ['10', 'b', 'A'],
  };
  const cases: [string, ValueExpr, unknown][] = [
    ['spath of a key path', call('spath', f('j'), l('a.b')), 'x'],
    ['spath keeps a number a number', call('spath', f('j'), l('a.n')), 3],
    ['spath {} takes every element, a list', call('spath', f('j'), l('list{}.id')), [1, 2, 3]],
    ['spath {} skips elements without the key', call('spath', f('j'), l('list{}.k')), ['p', 'q']],
    ['spath of an object is its JSON text', call('spath', f('j'), l('obj')), '{"z":[1,2]}'],
    ['spath of an array without {} is its JSON text', call('spath', f('j'), l('obj.z')), '[1,2]'],
    ['spath of a top-level array', call('spath', f('top'), l('{}.k')), ['v1', 'v2']],
    ['spath of a top-level array with {} alone', call('spath', f('top'), l('{}')), ['{"k":"v1"}', '{"k":"v2"}']],
    ['spath of a missing path is null', call('spath', f('j'), l('a.c')), null],
    ['spath of a JSON null is null', call('spath', f('j'), l('nul')), null],
    ['spath {} over an object (not an array) is null', call('spath', f('j'), l('a{}.b')), null],
    ['spath over a value that is not JSON is null', call('spath', f('bad'), l('a')), null],
    ['spath over a missing field is null', call('spath', f('nope'), l('a')), null],
    ['spath over an already parsed object', call('spath', f('parsed'), l('a.b')), 'y'],
    ['mvfind: 0-based index of the first match', call('mvfind', f('mv'), l('^a')), 0],
    ['mvfind is case-sensitive', call('mvfind', f('mv'), l('^A')), 1],
    ['mvfind is unanchored', call('mvfind', f('mv'), l('b')), 1],
    ['mvfind with no match is null', call('mvfind', f('mv'), l('zz')), null],
    ['mvfind over a single value', call('mvfind', l('abc'), l('c$')), 0],
    ['mvfind over a missing field is null', call('mvfind', f('nope'), l('.')), null],
    ['mvdedup keeps the first of each value, in order, case-sensitive', call('mvdedup', f('mv')), ['aa', 'Ab', 'ab', 'c']],
    ['mvdedup of a single value', call('mvdedup', l('x')), 'x'],
    ['mvdedup of a missing field is null', call('mvdedup', f('nope')), null],
    ['mvappend flattens lists and skips missing', call('mvappend', f('nope'), l('x'), f('nums')), ['x', '10', '9', '-1']],
    ['mvappend of one value is that value', call('mvappend', f('nope'), l('x')), 'x'],
    ['mvappend of nothing is null', call('mvappend', f('nope')), null],
    ['min compares numbers numerically', call('min', f('nums')), -1],
    ['max compares numbers numerically', call('max', f('nums'), l(3)), 10],
    ['min: numbers sort before strings', call('min', f('mixed')), 10],
    ['max: strings sort after numbers, by code unit', call('max', f('mixed')), 'b'],
    ['max of the documented example', call('max', l(1), l(3), l(6), l(7), l('foo'), l('baz')), 'foo'],
    ['max of the documented example, name=zaz', call('max', l(1), l(3), l(6), l(7), l('foo'), l('zaz')), 'zaz'],
    ['min of missing fields is null', call('min', f('nope')), null],
  ];
  for (const [name, e, want] of cases) it(name, () => expect(value(e, JSON_ROW)).toEqual(want));

  it('a regex the linear-time engine rejects is RB503 at the call', () => {
    const diags: Diagnostic[] = [];
    compileValue({ kind: 'call', fn: 'match', args: [f('cmd'), l('a(?!b)')], origin: { file: 'r.yml', line: 7, column: 21 } }, diags);
    expect(diags.map((d) => [d.code, d.line, d.column])).toEqual([['RB503', 7, 21]]);
  });
  it('spath with an index or an XML attribute in a literal path is RB504 at the call', () => {
    const diags: Diagnostic[] = [];
    compileValue({ kind: 'call', fn: 'spath', args: [f('j'), l('a{1}.b')], origin: { file: 'r.yml', line: 4, column: 9 } }, diags);
    expect(diags.map((d) => [d.code, d.line, d.column])).toEqual([['RB504', 4, 9]]);
  });
  it('a wrong arity is RB504', () => {
    const diags: Diagnostic[] = [];
    compileValue({ kind: 'call', fn: 'len', args: [], origin: { file: 'r.yml', line: 2, column: 3 } }, diags);
    expect(diags.map((d) => [d.code, d.line, d.column])).toEqual([['RB504', 2, 3]]);
  });
});
