/** The evaluator's foreach (wildcard fields), spath without a path and iplocation stages, row by row. */
import { describe, it, expect } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/index.js';
import type { Stage, ValueExpr } from '../../src/ir/index.js';
import { compileStage, type Carrier, type CompileContext } from '../../src/evaluator/stages.js';
import { spathLeaves } from '../../src/evaluator/stage-spath.js';

/** Runs one per-row stage over one row; returns the row's fields and the compile diagnostics. */
function run(s: Stage, f: Record<string, unknown>): { f: Record<string, unknown>; diags: Diagnostic[] } {
  const diags: Diagnostic[] = [];
  const c = compileStage(s, diags, {} as CompileContext);
  if (c.kind !== 'step') throw new Error('expected a per-row stage');
  const carrier: Carrier = { f: { ...f }, shared: true };
  expect(c.make()(carrier)).toBe(true);
  return { f: { ...carrier.f }, diags };
}
const field = (name: string): ValueExpr => ({ kind: 'field', name });
const lit = (value: string): ValueExpr => ({ kind: 'lit', value });
const call = (fn: string, ...args: ValueExpr[]): ValueExpr => ({ kind: 'call', fn, args });

describe('foreach over a wildcard field list', () => {
  // The linux_auditd_normalized_execve_process macro: the a* fields appended in name order.
  const execve: Stage = { kind: 'foreach', patterns: ['a*'], assign: [{ field: 'args', expr: call('mvappend', field('args'), field('<<FIELD>>')) }] };

  it('runs the template once per matching field, in code-unit order of the names', () => {
    const { f } = run(execve, { type: 'EXECVE', argc: 3, a0: 'base64', a2: 'x.b64', a1: '-d', b0: 'no' });
    expect(f.args).toEqual(['base64', '-d', 'x.b64', 3]);
  });

  it('matches only the fields the row has (a row without any leaves the target absent)', () => {
    expect(run(execve, { type: 'EXECVE', b: 1 }).f).toEqual({ type: 'EXECVE', b: 1 });
    expect(run(execve, { a0: 'x', a1: null, a2: [] }).f.args).toBe('x');
    // a10 sorts before a2, as in Splunk's field order.
    expect(run(execve, { a2: 'z', a10: 'y', a1: 'x' }).f.args).toEqual(['x', 'y', 'z']);
  });

  it('fills <<FIELD>>, <<MATCHSTR>> and <<MATCHSEGn>> in names and string values', () => {
    const s: Stage = { kind: 'foreach', patterns: ['hits_*_of_*'], assign: [
      { field: '<<FIELD>>_pct', expr: { kind: 'binary', op: '*', left: field('<<FIELD>>'), right: { kind: 'lit', value: 100 } } },
      { field: 'seen_<<MATCHSEG2>>', expr: lit('<<MATCHSEG1>>/<<MATCHSTR>>') },
    ] };
    const { f } = run(s, { hits_a_of_b: 2, other: 1 });
    expect(f).toEqual({ hits_a_of_b: 2, other: 1, hits_a_of_b_pct: 200, seen_b: 'a/a' });
  });

  it('takes the names before the first run: a field the template creates is not iterated', () => {
    const s: Stage = { kind: 'foreach', patterns: ['x*'], assign: [{ field: 'x_<<FIELD>>', expr: lit('1') }] };
    expect(Object.keys(run(s, { x1: 'a' }).f).sort()).toEqual(['x1', 'x_x1']);
  });
});

describe('spath without a path', () => {
  const spath: Stage = { kind: 'spath', input: 'doc' };

  it('names JSON leaves by their path, {} after arrays, repeated paths as lists', () => {
    const doc = JSON.stringify({ a: { b: [{ c: 1 }, { c: 2 }], d: 'x' }, e: true, n: null, empty: {} });
    expect(run(spath, { doc }).f).toEqual({ doc, 'a.b{}.c': [1, 2], 'a.d': 'x', e: true });
  });

  it('a top-level array starts the path with {}', () => {
    const doc = '[{"ResourceAppId":"r1","Perms":[{"Id":"p1"},{"Id":"p2"}]}]';
    expect(run(spath, { doc }).f).toMatchObject({ '{}.ResourceAppId': 'r1', '{}.Perms{}.Id': ['p1', 'p2'] });
  });

  it('reads XML: elements joined by dots from the root, attributes as {@name}, entities decoded', () => {
    const doc = '<?xml version="1.0"?><RuleAndFileData xmlns="urn:x"><PolicyName>EXE</PolicyName><FilePath>C:\\a &amp; b</FilePath><FilePath>C:\\c</FilePath><!-- c --><Empty/></RuleAndFileData>';
    expect(run(spath, { doc }).f).toEqual({
      doc,
      'RuleAndFileData{@xmlns}': 'urn:x',
      'RuleAndFileData.PolicyName': 'EXE',
      'RuleAndFileData.FilePath': ['C:\\a & b', 'C:\\c'],
    });
  });

  it('leaves the row as it is when the input is neither JSON nor well-formed XML, or missing', () => {
    for (const doc of ['plain text', '{"a":', '<a><b></a>', '<a/><b/>']) expect(run(spath, { doc }).f).toEqual({ doc });
    expect(run(spath, { other: 1 }).f).toEqual({ other: 1 });
    expect(spathLeaves('<a>x</a> trailing')).toBeUndefined();
  });

  it('reads the first value of a list input; a leaf overwrites a field of the same name', () => {
    expect(run(spath, { doc: ['{"a":1}', '{"a":2}'], a: 0 }).f.a).toBe(1);
  });
});

describe('iplocation', () => {
  const ipl: Stage = { kind: 'iplocation', field: 'src', prefix: 'src_', allFields: true, origin: { file: 'r.yml', line: 3, column: 5 } };

  it('warns once at compile time (RB507, at the command) and leaves the location fields null', () => {
    const { f, diags } = run(ipl, { src: '8.8.8.8', src_City: 'stale', src_x: 1 });
    expect(f).toEqual({ src: '8.8.8.8', src_x: 1 });
    expect(diags.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['RB507@3:5']);
    expect(diags[0]!.message).toContain('src_City, src_Country, src_Region, src_lat, src_lon, src_Continent, src_MetroCode, src_Timezone');
  });
});

describe('makemv as the frontend lowers it (split, then mvfilter of the empty values)', () => {
  const makemv: Stage = { kind: 'eval', assign: [
    { field: 's', expr: call('split', field('s'), lit(',')) },
    { field: 's', expr: call('mvfilter', lit('s'), { kind: 'binary', op: '!=', left: field('s'), right: lit('') }) },
  ] };
  it('splits and drops the empty values; nothing left leaves the field absent', () => {
    expect(run(makemv, { s: 'a,,b,' }).f.s).toEqual(['a', 'b']);
    expect(run(makemv, { s: ',,' }).f).toEqual({});
    expect(run(makemv, { t: 1 }).f).toEqual({ t: 1 });
  });
});

describe('mvmap()', () => {
  it('evaluates the expression once per value, the null results left out', () => {
    const s: Stage = { kind: 'eval', assign: [{ field: 'd', expr: call('mvmap', lit('a'), call('if', call('isnull', call('mvfind', field('b'), field('a'))), field('a'), { kind: 'lit', value: null })) }] };
    expect(run(s, { a: ['x.com', 'y.com', 'z.com'], b: ['y.com'] }).f.d).toEqual(['x.com', 'z.com']);
    expect(run(s, { a: 'y.com', b: 'y.com' }).f.d).toBeUndefined();
    expect(run(s, { a: 'x.com', b: 'y.com' }).f.d).toBe('x.com');
  });
});
