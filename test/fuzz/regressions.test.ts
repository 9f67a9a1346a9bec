/**
 * Inputs the fuzz suite found breaking rulebridge, kept as fixed cases: each goes through every
 * target and must give a valid query or a located error (the fuzz oracles), never an exception.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadRuleText } from '../../src/frontends/load.js';
import { render } from '../../src/backends/index.js';
import { join } from 'node:path';
import { loadMacros } from '../../src/frontends/splunk/index.js';
import { REPO } from '../helpers/paths.js';
import { checkLoaded, checkRenders } from './oracles.js';

function splunkRule(search: string): string {
  return stringify({
    name: 'Regression', id: '6f0e8a4c-8c1e-4d63-9a9f-3a2f1b7c5e21', version: 1, date: '2024-01-01', author: 'fuzz', type: 'TTP', status: 'production',
    description: 'x', data_source: ['Sysmon EventID 1'], search, how_to_implement: 'x', known_false_positives: 'x', references: [],
    tags: { analytic_story: ['x'], asset_type: 'Endpoint', mitre_attack_id: ['T1059'], product: ['Splunk Enterprise'], security_domain: 'endpoint' },
  });
}

const TSTATS = '| tstats `security_content_summariesonly` count from datamodel=Endpoint.Processes where Processes.process_name=cmd.exe by Processes.dest';

/** [what broke, the search]. */
const CASES: [string, string][] = [
  ['a field named __proto__ crashed the SPL backend (mapping tables had a prototype)', 'Image=0 | table __proto__'],
  ['count(constructor) rendered countif(isnotnull(undefined)) in KQL', '| from datamodel:Endpoint.Processes | stats count(constructor) as c'],
  ['table x x declared a KQL column twice', `${TSTATS} | table Image Image`],
  ['stats by x x declared a KQL column twice', `${TSTATS} | stats count(Pu8Qd) as c by Image Image`],
  ['string > string is not KQL', '| from datamodel:Endpoint.Processes | eval Image=process_name>""'],
  ['string < string is not KQL', '| from datamodel:Endpoint.Processes | where process_name < "m"'],
  ['datetime < string is not KQL', '| from datamodel:Endpoint.Processes | eval Image=_time<""'],
  ['dedup x x declared a KQL column twice', '| from datamodel:Endpoint.Processes | dedup user user'],
  ['latest() after tstats rendered SELECT with no column', `${TSTATS} | stats latest(Image) as c`],
  ["a rename onto Sentinel's existing Image column declared it twice", '| from datamodel:Endpoint.Processes | rename Processes.process as Image'],
  ['a Sentinel project of an EventData field lacked the parse_xml of EventData', '`sysmon` AND | table A a'],
  ['case() with a string condition rendered a KQL case() Kusto rejects', '| from datamodel:Endpoint.Processes | eval A=case(Processes.process, 0)'],
  ['if() with a string condition rendered a KQL iff() Kusto rejects', '| from datamodel:Endpoint.Processes | eval A=if(Processes.process, 1, 0)'],
  ["an eval into Sentinel's Image column, which process_name reads, overwrote it (KS107)", '| from datamodel:Endpoint.Processes | eval Image=process_name="" | stats count(Image) as c by process_name'],
  ['a rename onto a column named __proto__ (a Kusto.Language JavaScript artefact, KS171; the oracle checks the query under another name)', `${TSTATS} | table __proto__ user | rename user as __proto__`],
];

describe('fuzz regressions', () => {
  it.each(CASES)('%s', (_what, search) => {
    const rules = loadRuleText('regression.yml', splunkRule(search), { macros: loadMacros([join(REPO, 'test', 'fixtures', 'splunk', 'macros')]) });
    checkLoaded(rules, 'regression.yml');
    for (const r of rules) if (r.rule) checkRenders(r.rule, true);
    expect(rules.length).toBe(1);
  });
  it('a Sigma title or description with YAML 1.1 line breaks (NEL, LS, PS) renders and reads back', () => {
    for (const d of ['?\u2028', 'a\u2028b', '\u0085x', 'x\u2029', '\ufeffx']) {
      const text = `title: ${JSON.stringify(d)}\ndescription: ${JSON.stringify(d)}\nlogsource:\n  product: windows\ndetection:\n  selection:\n    A: b\n  condition: selection\n`;
      const [r] = loadRuleText('regression.yml', text);
      const out = render(r!.rule!, 'sigma');
      expect(out.ok).toBe(true);
      const [back] = loadRuleText('back.yml', out.query!);
      expect([back!.rule!.meta.title, back!.rule!.meta.description]).toEqual([d, d]);
    }
  });
  it('a Sigma regex holding a newline renders in SPL without a raw control character', () => {
    const text = 'title: t\nlogsource:\n  product: windows\ndetection:\n  keywords:\n    a|re: "x\\n\\ty"\n  condition: keywords\n';
    const [r] = loadRuleText('regression.yml', text);
    expect(r!.rule!.query.filter).toMatchObject({ values: ['x\n\ty'] });
    checkRenders(r!.rule!, true);
    const out = render(r!.rule!, 'spl');
    const m = /match\(a, "((?:[^"\\]|\\.)*)"\)/.exec(out.query ?? '');
    expect(m?.[1]).toBe('x\\\\x{0a}\\\\x{09}y');
  });
  it('latest() after tstats is refused for SQL with an error, not rendered empty', () => {
    const [r] = loadRuleText('regression.yml', splunkRule(`${TSTATS} | stats latest(Image) as c`), {});
    const out = render(r!.rule!, 'sql');
    expect(out.ok).toBe(false);
    expect(out.diagnostics.map((d) => d.code)).toContain('RB401');
  });
  it('an EQL string holding a backtick keeps the parentheses around an OR', () => {
    const text = 'title: t\nlogsource: {}\ndetection:\n  filter:\n    Image: ["`", "*"]\n  selection:\n    - Image: ["", ""]\n  condition: all of them\n';
    const [r] = loadRuleText('regression.yml', text);
    checkRenders(r!.rule!, true);
    expect(render(r!.rule!, 'eql').query).toBe('any where (Image : "`" or Image : "*") and Image : ("", "")');
  });
  it.each([
    ['| tstats', 8],
    ['| tstats from datamodel=Endpoint.Processes by Processes.dest', 9],
    ['| from datamodel:Endpoint.Processes | stats by user', 44],
  ])('%s has no aggregate term: RB202 at it, not a SELECT with no column', (search, offset) => {
    const text = splunkRule(search);
    const [r] = loadRuleText('regression.yml', text);
    expect(r!.rule).toBeUndefined();
    const d = r!.diagnostics.find((x) => x.code === 'RB202');
    const line = text.split('\n').findIndex((l) => l.startsWith('search:')) + 1;
    const col = text.split('\n')[line - 1]!.indexOf(search) + 1 + offset;
    expect([d?.line, d?.column]).toEqual([line, col]);
  });
  it('Sigma detection keys and values with NEL, LS, PS or a BOM are written escaped in double quotes and read back the same', () => {
    const text = 'title: t\nlogsource:\n  product: windows\ndetection:\n  sel:\n    A: "x\\u2028y"\n    B: "p\\Nq"\n    "C\\u2029D|contains": ["a\\ufeff", "b"]\n  condition: sel\n';
    const [r] = loadRuleText('regression.yml', text);
    const out = render(r!.rule!, 'sigma');
    expect(out.ok).toBe(true);
    expect(out.query).not.toMatch(/[\u0085\u2028\u2029\ufeff]/);
    expect(out.query).toContain('A: "x\\u2028y"');
    const [back] = loadRuleText('back.yml', out.query!);
    const plain = (x: unknown) => JSON.parse(JSON.stringify(x, (k, v: unknown) => (k === 'origin' ? undefined : v)));
    expect(plain(back!.rule!.query.filter)).toEqual(plain(r!.rule!.query.filter));
  });
  it('a broken document beside a good one is an entry of its own: the good rule lowers with no error', () => {
    const text = 'a: [\n---\ntitle: t\nlogsource:\n  product: windows\ndetection:\n  sel:\n    A: b\n  condition: sel\n';
    const rules = loadRuleText('regression.yml', text);
    checkLoaded(rules, 'regression.yml');
    expect(rules.map((r) => [Boolean(r.rule), r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.line}:${d.column}`)])).toEqual([[false, ['RB102 2:1']], [true, []]]);
  });
});
