/** The condition language: precedence (or < and < not < x of < parentheses), patterns, lists. */
import { describe, it, expect } from 'vitest';
import { parseCondition, type CondNode } from '../../../src/frontends/sigma/index.js';
import { lowerOk, ruleText, stripOrigins } from './helpers.js';

/** A compact form of a parsed condition: (and a b), (or …), (not a), (1of x*). */
function show(n: CondNode): string {
  switch (n.k) {
    case 'id': return n.name;
    case 'not': return `(not ${show(n.arg)})`;
    case 'of': return `(${n.quant === 'all' ? 'all' : '1'}of ${n.pattern})`;
    default: return `(${n.k} ${n.args.map(show).join(' ')})`;
  }
}
function parsed(s: string): string {
  const r = parseCondition(s);
  if ('error' in r) throw new Error(r.error.message);
  return show(r.node);
}

describe('sigma condition precedence', () => {
  const rows: [string, string][] = [
    ['a or b and c', '(or a (and b c))'],
    ['a and b or c', '(or (and a b) c)'],
    ['not a and b', '(and (not a) b)'],
    ['not a or b', '(or (not a) b)'],
    ['a and not b or not c and d', '(or (and a (not b)) (and (not c) d))'],
    ['(a or b) and c', '(and (or a b) c)'],
    ['not (a or b)', '(not (or a b))'],
    ['not not a', '(not (not a))'],
    ['1 of sel* and not all of filter_*', '(and (1of sel*) (not (allof filter_*)))'],
    ['all of them', '(allof them)'],
    ['1 of them or x', '(or (1of them) x)'],
    ['a AND b OR NOT c', '(or (and a b) (not c))'],
    ['a and b and c', '(and a b c)'],
    ['any of sel*', '(1of sel*)'],
  ];
  for (const [src, want] of rows) it(src, () => expect(parsed(src)).toBe(want));

  it('reports the offset of a bad token', () => {
    expect(parseCondition('a and or b')).toEqual({ error: { message: "expected a search identifier but found 'or'", at: 6, unsupported: false } });
    expect(parseCondition('(a or b')).toMatchObject({ error: { at: 7 } });
    expect(parseCondition('a | count() > 5')).toMatchObject({ error: { at: 2, unsupported: true } });
  });
});

describe('sigma conditions lowered', () => {
  const P = (field: string, value: string) => ({ kind: 'pred', field, op: 'eq', values: [value], caseSensitive: false, quantifier: 'any' });
  const detection = (cond: string) => ruleText([
    '    sel_a:', "        CommandLine: 'a'",
    '    sel_b:', "        User: 'b'",
    '    filter_x:', "        Image: 'x'",
    '    _hidden:', "        Description: 'h'",
    `    condition: ${cond}`,
  ]);
  const A = P('process.command_line', 'a');
  const B = P('user.name', 'b');
  const X = P('process.executable', 'x');
  const H = P('process.pe.description', 'h');

  it('1 of pattern = OR of the matching identifiers, in their order', () => {
    expect(stripOrigins(lowerOk(detection('1 of sel_*')).query.filter)).toEqual({ kind: 'or', args: [A, B] });
  });
  it('all of pattern and not', () => {
    expect(stripOrigins(lowerOk(detection('all of sel_* and not filter_x')).query.filter)).toEqual({ kind: 'and', args: [A, B, { kind: 'not', arg: X }] });
  });
  it('them leaves out identifiers that start with _', () => {
    expect(stripOrigins(lowerOk(detection('1 of them')).query.filter)).toEqual({ kind: 'or', args: [A, B, X] });
  });
  it('a pattern may still name an _identifier explicitly', () => {
    expect(stripOrigins(lowerOk(detection('sel_a and 1 of _h*')).query.filter)).toEqual({ kind: 'and', args: [A, H] });
  });
  it('a list of conditions is their OR', () => {
    const text = ruleText(['    sel_a:', "        CommandLine: 'a'", '    sel_b:', "        User: 'b'", '    condition:', '        - sel_a', '        - sel_b']);
    expect(stripOrigins(lowerOk(text).query.filter)).toEqual({ kind: 'or', args: [A, B] });
  });
  it('precedence holds after lowering: a or b and not x', () => {
    expect(stripOrigins(lowerOk(detection('sel_a or sel_b and not filter_x')).query.filter)).toEqual({
      kind: 'or', args: [A, { kind: 'and', args: [B, { kind: 'not', arg: X }] }],
    });
  });
});
