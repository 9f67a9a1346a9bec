import { describe, expect, it } from 'vitest';
import { and, not, or, pred } from '../../src/ir/build.js';
import type { Expr, RuleIR } from '../../src/ir/nodes.js';
import { canonicalParts, extractIndicators, indicatorKey, indicatorKeys } from '../../src/catalog/indicators.js';
import { countIndicators, formatCount, othersCount } from '../../src/catalog/counts.js';

function rule(format: 'splunk' | 'sigma', filter: Expr, extra: Partial<RuleIR['query']> = {}): RuleIR {
  return {
    format,
    file: `${format}.yml`,
    meta: { id: format, title: format, references: [], tags: [], falsepositives: [] },
    query: {
      source: format === 'splunk' ? { product: 'windows', category: 'process_creation', extra: { datamodel: 'Endpoint.Processes' } } : { product: 'windows', category: 'process_creation' },
      filter,
      stages: [],
      ...extra,
    },
  };
}

describe('indicator keys', () => {
  it('folds process.executable endswith \\X into process.name eq X, case-folded', () => {
    const sigma = pred('process.executable', 'endswith', ['\\MsiExec.exe']);
    const spl = pred('process.name', 'eq', ['msiexec.exe']);
    const a = indicatorKey(canonicalParts(sigma, sigma.values[0]!, false));
    const b = indicatorKey(canonicalParts(spl, spl.values[0]!, false));
    expect(a).toBe(b);
    expect(JSON.parse(a)).toEqual(['process.name', 'eq', 0, 0, 'msiexec.exe']);
  });
  it('does not fold an endswith without the separator, or with one inside the rest', () => {
    const p = pred('process.executable', 'endswith', ['msiexec.exe', '\\system32\\msiexec.exe']);
    expect(JSON.parse(indicatorKey(canonicalParts(p, p.values[0]!, false)))).toEqual(['process.executable', 'endswith', 0, 0, 'msiexec.exe']);
    expect(JSON.parse(indicatorKey(canonicalParts(p, p.values[1]!, false)))).toEqual(['process.executable', 'endswith', 0, 0, '\\system32\\msiexec.exe']);
  });
  it('keeps the case of case-sensitive values and separates them from insensitive ones', () => {
    const cased = pred('process.command_line', 'contains', ['-EncodedCommand'], { caseSensitive: true });
    const plain = pred('process.command_line', 'contains', ['-EncodedCommand']);
    const k1 = indicatorKey(canonicalParts(cased, cased.values[0]!, false));
    const k2 = indicatorKey(canonicalParts(plain, plain.values[0]!, false));
    expect(JSON.parse(k1)[4]).toBe('-EncodedCommand');
    expect(JSON.parse(k2)[4]).toBe('-encodedcommand');
    expect(k1).not.toBe(k2);
  });
  it('separates exclusions (under NOT) from matches', () => {
    const p = pred('process.parent.name', 'eq', ['explorer.exe']);
    expect(indicatorKey(canonicalParts(p, 'explorer.exe', true))).not.toBe(indicatorKey(canonicalParts(p, 'explorer.exe', false)));
  });
});

describe('extractIndicators', () => {
  it('shows SPL fields by their CIM names and SPL values as globs', () => {
    const r = rule('splunk', and([
      or([pred('process.name', 'eq', ['msiexec.exe']), pred('process.pe.original_file_name', 'eq', ['msiexec.exe'])]),
      pred('process.command_line', 'contains', [' /y', ' -y']),
    ]));
    const rows = extractIndicators(r);
    expect(rows.map((x) => [x.field, x.kind, x.values.map((v) => v.shown)])).toEqual([
      ['Processes.process_name', 'eq', ['"msiexec.exe"']],
      ['Processes.original_file_name', 'eq', ['"msiexec.exe"']],
      ['Processes.process', 'in', ['"* /y*"', '"* -y*"']],
    ]);
  });
  it('shows Sigma fields as written (from the origin pointer) and marks exclusions', () => {
    const r = rule('sigma', and([
      pred('process.executable', 'endswith', ['\\msiexec.exe'], { origin: { pointer: '/detection/selection_img/0/Image|endswith', line: 3, column: 11 } }),
      not(pred('process.parent.executable', 'endswith', ['\\explorer.exe'], { origin: { pointer: '/detection/filter/ParentImage|endswith' } })),
    ]));
    const rows = extractIndicators(r);
    expect(rows.map((x) => [x.field, x.kind, x.canonicalField, x.negated, x.line, x.column])).toEqual([
      ['Image', 'endswith', 'process.name', false, 3, 11],
      ['ParentImage', 'not endswith', 'process.parent.name', true, undefined, undefined],
    ]);
    expect(rows[0]!.values[0]!.shown).toBe('"\\msiexec.exe"');
  });
  it('includes filter stages before the first aggregate, not HAVING filters after it', () => {
    const r = rule('splunk', pred('process.name', 'eq', ['a.exe']), {
      stages: [
        { kind: 'filter', expr: pred('process.command_line', 'regex', ['x+'], { caseSensitive: true }) },
        { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'count', as: 'count' }] },
        { kind: 'filter', expr: pred('count', 'gt', [5]) },
      ],
    });
    const fields = extractIndicators(r).map((x) => x.canonicalField);
    expect(fields).toEqual(['process.name', 'process.command_line']);
  });
  it('lists an identical predicate once', () => {
    const p = pred('process.name', 'eq', ['a.exe']);
    const r = rule('splunk', or([and([p, pred('user.name', 'eq', ['x'])]), and([p, pred('user.name', 'eq', ['y'])])]));
    expect(extractIndicators(r).map((x) => x.field)).toEqual(['Processes.process_name', 'Processes.user', 'Processes.user']);
  });
});

describe('corpus counts', () => {
  it('counts the same indicator in SPL and Sigma once per rule, excluding the rule itself', () => {
    const spl = rule('splunk', or([pred('process.name', 'eq', ['msiexec.exe']), pred('process.pe.original_file_name', 'eq', ['msiexec.exe'])]));
    const sig1 = rule('sigma', or([pred('process.executable', 'endswith', ['\\MSIEXEC.EXE']), pred('process.name', 'eq', ['msiexec.exe'])]));
    const sig2 = rule('sigma', pred('process.executable', 'endswith', ['\\msiexec.exe']));
    const spl2 = rule('splunk', pred('process.pe.original_file_name', 'eq', ['other.exe']));
    const all = [spl, sig1, sig2, spl2].map((r) => ({ format: r.format, keys: indicatorKeys(extractIndicators(r)) }));
    const counts = countIndicators(all);
    const key = extractIndicators(spl)[0]!.values[0]!.key;
    expect(counts.get(key)).toEqual({ total: 3, bySource: { splunk: 1, sigma: 2 } });
    const others = othersCount(counts, key, 'splunk');
    expect(others).toEqual({ total: 2, bySource: { sigma: 2 } });
    expect(formatCount(others)).toBe('corpus 2 (sigma 2)');
    const ofn = extractIndicators(spl)[1]!.values[0]!.key;
    expect(formatCount(othersCount(counts, ofn, 'splunk'))).toBe('');
  });
  it('orders sources by count, then name', () => {
    expect(formatCount({ total: 10, bySource: { splunk: 4, elastic: 1, sigma: 5 } })).toBe('corpus 10 (sigma 5, splunk 4, elastic 1)');
  });
});

describe('buildCatalog counts', () => {
  it('counts a rule once however many copies the catalog holds, and fills corpus texts', async () => {
    const { buildCatalog } = await import('../../src/catalog/site.js');
    const a = rule('splunk', pred('process.name', 'eq', ['x.exe']));
    const b = { ...rule('sigma', pred('process.executable', 'endswith', ['\\X.EXE'])), meta: { ...rule('sigma', pred('a', 'eq', ['b'])).meta, id: 's1' } };
    const input = (r: RuleIR, file: string) => ({ file, format: r.format, rule: r, diagnostics: [], text: 'title: t\n' });
    const cat = buildCatalog([input(a, 'a.yml'), input(b, 'b1.yml'), input(b, 'b2.yml')], { convert: false, generated: 'T' });
    expect(cat.rules.map((r) => r.page)).toEqual(['rules/splunk-splunk.html', 'rules/sigma-sigma.html', 'rules/sigma-sigma-2.html']);
    expect(cat.rules[0]!.indicators[0]!.values[0]!.corpusText).toBe('corpus 1 (sigma 1)');
    expect(cat.rules[1]!.indicators[0]!.values[0]!.corpusText).toBe('corpus 1 (splunk 1)');
    expect(cat.rules[2]!.indicators[0]!.values[0]!.corpus).toEqual({ total: 1, bySource: { splunk: 1 } });
  });
});

describe('keyword searches', () => {
  it('show as (any field) and count by value', () => {
    const r = rule('sigma', pred('', 'keyword', ['*Mimikatz*'], { origin: { pointer: '/detection/keywords/0' } }));
    const rows = extractIndicators(r);
    expect(rows.map((x) => [x.field, x.kind, x.values[0]!.shown])).toEqual([['(any field)', 'keyword', '"*Mimikatz*"']]);
    expect(JSON.parse(rows[0]!.values[0]!.key)).toEqual(['', 'keyword', 0, 0, '*mimikatz*']);
  });
});
