import { describe, expect, it } from 'vitest';
import { sigmaStages, splitSpl, splStages, stageCommand } from '../../src/catalog/stages.js';
import { exprText } from '../../src/catalog/predicates.js';
import { and, not, or, pred } from '../../src/ir/build.js';

describe('splitSpl', () => {
  it('splits at top-level pipes only', () => {
    const spl = '| tstats count where x="a|b" y=\'c|d\' `m(a|b)` by z | where match(p, "(x|y)") | eval q=if(a, "|", b) [search k | head 1] | stats count';
    expect(splitSpl(spl)).toEqual([
      '| tstats count where x="a|b" y=\'c|d\' `m(a|b)` by z',
      '| where match(p, "(x|y)")',
      '| eval q=if(a, "|", b) [search k | head 1]',
      '| stats count',
    ]);
  });
  it('keeps escaped quotes inside strings', () => {
    expect(splitSpl('search a="x\\"|y" | head 1')).toEqual(['search a="x\\"|y"', '| head 1']);
  });
  it('names commands; a macro stage or a leading term is a search', () => {
    expect(splStages('`sysmon` EventCode=1 | `drop_dm_object_name(Processes)` | tstats count | where n>1').map((s) => s.command)).toEqual(['search', 'search', 'tstats', 'where']);
    expect(stageCommand('| stats count by x')).toBe('stats');
  });
  it('drops the indentation continuation lines share (a block scalar keeps its shape)', () => {
    const spl = '| tstats count FROM datamodel=Endpoint.Processes\n  WHERE a=1\n  BY x\n     y\n| `f`';
    expect(splitSpl(spl)).toEqual(['| tstats count FROM datamodel=Endpoint.Processes\n  WHERE a=1\n  BY x\n     y', '| `f`']);
  });
});

describe('sigmaStages', () => {
  it('shows the detection items and the condition', () => {
    const st = sigmaStages({ detection: { sel: { 'Image|endswith': '\\a.exe' }, condition: 'sel' } });
    expect(st.map((s) => s.command)).toEqual(['detection', 'condition']);
    expect(st[0]!.text).toContain('Image|endswith');
    expect(st[1]!.text).toBe('sel');
  });
});

describe('exprText', () => {
  it('keeps the parentheses that carry meaning', () => {
    const e = and([or([pred('a', 'eq', ['1']), pred('b', 'eq', ['2'])]), not(pred('c', 'contains', ['x', 'y']))]);
    expect(exprText(e)).toBe('(a eq "1" OR b eq "2") AND NOT c contains any("x", "y")');
  });
});
