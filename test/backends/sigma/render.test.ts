/** The Sigma backend: escapes, quoting, field rewrites, metadata and honest refusals. */
import { describe, it, expect } from 'vitest';
import { parse } from 'yaml';
import { render, BACKENDS } from '../../../src/backends/index.js';
import { pred, and, not, or } from '../../../src/ir/build.js';
import type { Expr, RuleIR, Stage } from '../../../src/ir/nodes.js';
import { validateValue } from '../../../src/source/index.js';
import { lowerText, stripOrigins } from '../../frontends/sigma/helpers.js';

const WIN = { product: 'windows', category: 'process_creation' };

function rule(filter: Expr, opts: { source?: RuleIR['query']['source']; stages?: Stage[]; meta?: Partial<RuleIR['meta']> } = {}): RuleIR {
  return {
    format: 'splunk',
    file: 'x.yml',
    meta: { id: 'fdb59aef-d88f-4909-8369-ec2afbd2c398', title: 'T', references: [], tags: [], falsepositives: [], ...opts.meta },
    query: { source: opts.source ?? WIN, filter, stages: opts.stages ?? [] },
  };
}

/** Renders and parses the emitted rule; fails the test when rendering fails. */
function emit(r: RuleIR): { doc: Record<string, any>; text: string; codes: string[] } {
  const out = render(r, 'sigma');
  expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const doc = parse(out.query!);
  expect(validateValue('sigma-rule', doc)).toEqual([]);
  return { doc, text: out.query!, codes: out.diagnostics.map((d) => d.code) };
}

function errors(r: RuleIR): string[] {
  const out = render(r, 'sigma');
  expect(out.ok).toBe(false);
  expect(out.query).toBeUndefined();
  return out.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
}

describe('sigma backend values', () => {
  it('escapes literal *, ? and the backslash before them; single backslashes stay single', () => {
    const r = rule(pred('process.command_line', 'contains', ['a*b', 'c?d', 'dir\\', '\\*', 'C:\\Windows\\']));
    const { doc } = emit(r);
    expect(doc.detection.selection['CommandLine|contains']).toEqual(['a\\*b', 'c\\?d', 'dir\\', '\\\\\\*', 'C:\\Windows\\']);
    const [back] = lowerText(emit(r).text);
    expect(stripOrigins(back!.rule!.query.filter)).toEqual(stripOrigins(r.query.filter));
  });

  it('keeps ? as one character and * as a run in globs', () => {
    const { doc } = emit(rule(pred('process.executable', 'wildcard', ['*\\prog?.exe', 'C:\\*\\x?.exe'])));
    expect(doc.detection.selection.Image).toEqual(['*\\prog?.exe', 'C:\\*\\x?.exe']);
  });

  it('a glob wrapped in * becomes |contains with the inner pattern', () => {
    const { doc } = emit(rule(pred('process.command_line', 'wildcard', ['*foo*bar*'])));
    expect(doc.detection.selection).toEqual({ 'CommandLine|contains': 'foo*bar' });
  });

  it('operators become modifiers', () => {
    const f = and([
      pred('process.command_line', 'regex', ['^a.b'], { flags: 's' }),
      pred('process.parent.command_line', 'eq', ['X'], { caseSensitive: true }),
      pred('user.name', 'exists', [true]),
      pred('process.pid', 'gt', [4]),
      pred('process.working_directory', 'contains', ['a', 'b'], { quantifier: 'all' }),
      pred('process.parent.executable', 'fieldref', ['process.executable'], { refOp: 'endswith' }),
    ]);
    expect(Object.keys(emit(rule(f)).doc.detection.selection)).toEqual([
      'CommandLine|re|i|s', 'ParentCommandLine|cased', 'User|exists', 'ProcessId|gt', 'CurrentDirectory|contains|all', 'ParentImage|fieldref|endswith',
    ]);
  });

  it('null never shares a list', () => {
    const { doc } = emit(rule(pred('user.name', 'eq', ['a', null, 'b'])));
    expect(doc.detection.selection).toEqual([{ User: 'a' }, { User: null }, { User: 'b' }]);
  });

  it('rule text cannot break the YAML', () => {
    const evil = "x'\n  injected: true\n# c: d";
    const r = rule(pred('process.command_line', 'eq', [evil]), { meta: { title: 'a: b\nlevel: critical', description: "multi\nline: '\"", falsepositives: ["it's: fine"] } });
    const { doc } = emit(r);
    expect(doc.title).toBe('a: b\nlevel: critical');
    expect(doc.level).toBeUndefined();
    expect(doc.detection.selection).toEqual({ CommandLine: evil });
    expect(doc.description).toBe("multi\nline: '\"");
  });
});

describe('sigma backend for YAML 1.1 readers (pySigma)', () => {
  it('quotes strings a YAML 1.1 parser would read as booleans or numbers; dates stay plain', () => {
    const { text } = emit(rule(pred('user.name', 'eq', ['yes']), { meta: { title: 'On', author: '0x17', date: '2024-01-02' } }));
    expect(text).toContain("title: 'On'\n");
    expect(text).toContain("author: '0x17'\n");
    expect(text).toContain('date: 2024-01-02\n');
    expect(text).toContain("User: 'yes'\n");
  });
});

describe('sigma backend structure', () => {
  it('names selections and filters and writes the condition with precedence', () => {
    const f = and([
      or([pred('process.executable', 'endswith', ['\\a.exe']), pred('process.pe.original_file_name', 'eq', ['a.exe'])]),
      pred('process.command_line', 'contains', ['x']),
      not(or([pred('process.parent.executable', 'endswith', ['\\b.exe']), and([pred('user.name', 'eq', ['u']), not(pred('process.pid', 'eq', [4]))])])),
    ]);
    const { doc } = emit(rule(f));
    // `all of selection_*` would also take the selection inside the filter, so the names are spelled out.
    expect(doc.detection.condition).toBe('selection_img and selection_cli and not (filter_parent or filter_user and not selection_processid)');
    expect(Object.keys(doc.detection)).toEqual(['selection_img', 'selection_cli', 'filter_parent', 'filter_user', 'selection_processid', 'condition']);
  });

  it('a CIM process rule comes out as an idiomatic Sigma rule, the summary left to the SIEM', () => {
    const r = rule(
      and([
        or([pred('process.name', 'eq', ['msiexec.exe']), pred('process.pe.original_file_name', 'eq', ['msiexec.exe'])]),
        pred('process.command_line', 'contains', [' /y', ' -y']),
      ]),
      {
        source: { ...WIN, extra: { datamodel: 'Endpoint.Processes' } },
        stages: [{ kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'count', as: 'count' }] }],
        meta: { status: 'production', level: 'medium', tags: ['attack.t1218.007'], date: '2022-06-17', author: 'Michael Haag, Splunk' },
      },
    );
    const { doc, codes } = emit(r);
    expect(doc.status).toBe('stable');
    expect(doc.logsource).toEqual({ category: 'process_creation', product: 'windows' });
    expect(doc.detection).toEqual({
      selection_img: [{ 'Image|endswith': '\\msiexec.exe' }, { OriginalFileName: 'msiexec.exe' }],
      selection_cli: { 'CommandLine|contains': [' /y', ' -y'] },
      condition: 'all of selection_*',
    });
    // RB404 twice: the summary tail left out, and the basename rewrite that is close, not exact.
    expect(codes).toEqual(['RB404', 'RB404']);
  });

  it('derived names are written on their full path: registry value, file name existence', () => {
    const reg = emit(rule(pred('registry.value', 'eq', ['Debugger']), { source: { product: 'windows', category: 'registry_set' } }));
    expect(reg.doc.detection.selection).toEqual({ 'TargetObject|endswith': '\\Debugger' });
    expect(reg.codes).toEqual(['RB404']);
    const ex = emit(rule(pred('process.name', 'exists', [true])));
    expect(ex.doc.detection.selection).toEqual({ 'Image|exists': true });
    expect(ex.codes).toEqual([]); // exact: the file name exists exactly when the path does
  });

  it('folds windash expansions back', () => {
    const [src] = lowerText(['title: w', 'logsource:', '    product: windows', '    category: process_creation', 'detection:', '    selection:', "        CommandLine|windash|contains: ' -f'", '    condition: selection', ''].join('\n'));
    expect(emit(src!.rule!).doc.detection.selection).toEqual({ 'CommandLine|contains|windash': ' -f' });
  });
});

describe('sigma backend refusals', () => {
  it('RB401 for an aggregate with a threshold', () => {
    const stages: Stage[] = [
      { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'host' }], aggs: [{ fn: 'count', as: 'count' }] },
      { kind: 'filter', expr: pred('count', 'gt', [5]) },
    ];
    expect(errors(rule(pred('process.command_line', 'contains', ['x']), { stages }))).toContain('RB401');
  });
  it('RB401 for a rule that matches every event', () => {
    expect(errors(rule({ kind: 'const', value: true }))).toEqual(['RB401']);
  });
  it('RB401 for an anchored keyword', () => {
    expect(errors(rule(pred('', 'keyword', ['exact'])))).toEqual(['RB401']);
  });
  it('RB403 for a canonical field with no Sigma name in the log source', () => {
    expect(errors(rule(pred('registry.key', 'eq', ['x'])))).toEqual(['RB403']);
    expect(errors(rule(pred('process.hash.sha256', 'eq', ['ab'])))).toEqual(['RB403']);
    expect(errors(rule(pred('process.name', 'regex', ['^a'])))).toEqual(['RB403']);
  });
  it('RB402 without a log source', () => {
    expect(errors(rule(pred('x', 'eq', ['y']), { source: {} }))).toEqual(['RB402']);
  });
  it('declares every predicate operator, and stages only in their correlation forms', () => {
    const caps = BACKENDS.sigma.capabilities;
    expect(caps['op.keyword']).toBe('native');
    expect(caps['op.wildcard']).toBe('native');
    expect(caps['op.placeholder']).toBe('native');
    expect(caps['query.inputs']).toBe('native');
    expect(caps['stage.aggregate']).toBe('rewrite');
    expect(caps['stage.eval']).toBe('unsupported');
    expect(caps['expr.test']).toBe('unsupported');
  });
});
