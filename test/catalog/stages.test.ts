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

describe('ruleDocument', async () => {
  const { ruleDocument } = await import('../../src/catalog/entry.js');
  it('takes one document of a multi-document file, with its own text', () => {
    const text = 'title: A\nid: a\n---\ntitle: B\nid: b\ncorrelation:\n  type: event_count\n';
    const d = ruleDocument(text, 1);
    expect(d.value['title']).toBe('B');
    expect(d.body).toBe('title: B\nid: b\ncorrelation:\n  type: event_count');
    expect(ruleDocument('title: A\n').body).toBe('title: A');
  });
});

describe('a rule that did not lower', async () => {
  const { buildCatalog } = await import('../../src/catalog/site.js');
  const { rulePage } = await import('../../src/catalog/pages.js');
  const text = 'name: Broken <Rule>\nid: b-1\nstatus: production\nauthor: someone\nmitre_attack_id:\n- T1110.003\nsearch: \'`wineventlog_security` EventCode=4625 | transaction user | where x\'\n';
  const cat = buildCatalog([{ file: 'broken.yml', format: 'splunk', diagnostics: [{ code: 'RB250', severity: 'error', stage: 'lower', message: 'transaction is not supported', file: 'broken.yml', line: 7, column: 54 }], text }], { generated: 'T' });
  const r = cat.rules[0]!;
  it('keeps its metadata, stages and source from the YAML', () => {
    expect([r.title, r.status, r.author, r.lowered, r.techniques, r.logsource.label]).toEqual(['Broken <Rule>', 'production', 'someone', false, ['T1110.003'], 'macro=wineventlog_security']);
    expect(r.stages.map((s) => s.command)).toEqual(['search', 'transaction', 'where']);
    expect(r.indicators).toEqual([]);
    expect(r.conversions).toEqual([]);
  });
  it('shows its diagnostics with code and position on its page', () => {
    const html = rulePage(r);
    expect(html).toContain('<section id="diagnostics">');
    expect(html).toContain('RB250 error 7:54 transaction is not supported');
    expect(html).toContain('Broken &lt;Rule&gt;');
  });
});
