import { describe, it, expect } from 'vitest';
import { expandMacros, type MacroTable } from '../../../src/frontends/splunk/index.js';
import { MACROS } from './load.js';

const at = (offset: number) => ({ line: 1, column: offset + 1 });
const table: MacroTable = new Map([
  ['two(2)', { name: 'two', definition: 'a=$x$ b=$y$', args: ['x', 'y'] }],
  ['outer', { name: 'outer', definition: '`two(1, "p, q")` c=3', args: [] }],
]);

describe('macro expansion', () => {
  it('loads macro files with their arguments', () => {
    expect(MACROS.get('security_content_ctime(1)')?.args).toEqual(['field']);
    expect(MACROS.get('process_msiexec')?.definition).toMatch(/msiexec\.exe/);
  });

  it('substitutes $arg$, recursively, splitting arguments at top-level commas only', () => {
    const { expanded, diagnostics } = expandMacros('x `outer` y', table, at);
    expect(diagnostics).toEqual([]);
    expect(expanded.text.replace(/\s+/g, ' ').trim()).toBe('x a=1 b="p, q" c=3 y');
  });

  it('maps every expanded character to the call site, and the rest to itself', () => {
    const { expanded } = expandMacros('x `outer` y', table, at);
    const a = expanded.text.indexOf('a=1');
    expect(expanded.offs[a]).toBe(2);
    expect(expanded.offs[expanded.text.lastIndexOf('y')]).toBe(10);
  });

  it('built-ins: drop_dm_object_name, <name>_filter, security_content_summariesonly', () => {
    const { expanded, diagnostics } = expandMacros('`security_content_summariesonly` | `drop_dm_object_name("Web")` | `my_rule_filter`', new Map(), at);
    expect(diagnostics).toEqual([]);
    expect(expanded.text.replace(/\s+/g, ' ').trim()).toBe('| rename Web.* AS * | search *');
  });

  it('skips triple-backquote comments and backquotes inside quoted strings', () => {
    const { expanded, diagnostics } = expandMacros('a ```comment `nope` ``` b="`x`"', new Map(), at);
    expect(diagnostics).toEqual([]);
    expect(expanded.text.replace(/\s+/g, ' ')).toBe('a b="`x`"');
  });

  it('reports unknown (RB204), wrong arity (RB205), unterminated (RB207) at the backquote', () => {
    const cases: [string, string, number][] = [['a `nope` b', 'RB204', 3], ['`two(1)`', 'RB205', 1], ['a `two(1,2)', 'RB207', 3]];
    for (const [text, code, column] of cases) {
      const { diagnostics } = expandMacros(text, table, at);
      expect(diagnostics.map((d) => [d.code, d.column])).toEqual([[code, column]]);
    }
  });
});
