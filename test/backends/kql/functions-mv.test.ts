/**
 * SPL multivalue, trim and time functions in KQL. KQL cannot run here: each case asserts the
 * rendered text, its Kusto.Language cleanliness, and the evaluator's value (the reference SPL
 * semantics) for inputs with null, one value and several values; a comment says what the KQL
 * computes on the same inputs (a string null being '' in KQL, as everywhere in this backend).
 */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { compileValue } from '../../../src/evaluator/compile-value.js';
import { Row } from '../../../src/evaluator/row.js';
import { pred, type ValueExpr } from '../../../src/ir/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { at, rule } from './rule.js';

const call = (fn: string, ...args: ValueExpr[]): ValueExpr => ({ kind: 'call', fn, args });
const lit = (value: string | number | null): ValueExpr => ({ kind: 'lit', value });
const field = (name: string): ValueExpr => ({ kind: 'field', name });

/** The rendered `extend v = …` text of an eval of `e` (defender), after checking the query with Kusto.Language. */
function extendOf(e: ValueExpr): string {
  const r = render(rule(pred('process.name', 'eq', ['x']), [{ kind: 'eval', assign: [{ field: 'v', expr: e }], origin: at(3, 5) }]), 'kql', { dialect: 'defender' });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  const line = r.query!.split('\n').find((l) => l.startsWith('| extend v = '));
  expect(line).toBeDefined();
  return line!.slice('| extend v = '.length);
}

/** Errors (code, line, column) of an eval of `e`. */
function errorsOf(e: ValueExpr, dialect = 'defender') {
  const r = render(rule(pred('process.name', 'eq', ['x']), [{ kind: 'eval', assign: [{ field: 'v', expr: e }], origin: at(3, 5) }]), 'kql', { dialect });
  expect(r.ok).toBe(false);
  return r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column]);
}

/** The evaluator's value of `e` over one row (SPL field names). */
function spl(e: ValueExpr, fields: Record<string, unknown>): unknown {
  const diags: never[] = [];
  const v = compileValue(e, diags)(new Row(fields));
  expect(diags).toEqual([]);
  return v;
}

describe('kql mvappend()', () => {
  const e = call('mvappend', field('process.name'), field('process.pid'));
  it('each argument as an array (none for a null), concatenated; dynamic(null) when no value at all', () => {
    expect(extendOf(e)).toBe(
      'iff(array_length(array_concat(iff(isempty(FileName), dynamic([]), pack_array(FileName)), iff(isnull(ProcessId), dynamic([]), pack_array(ProcessId)))) == 0, dynamic(null), array_concat(iff(isempty(FileName), dynamic([]), pack_array(FileName)), iff(isnull(ProcessId), dynamic([]), pack_array(ProcessId))))',
    );
  });
  it('matches the evaluator: nulls skipped, one value, several values', () => {
    // KQL: FileName '' and ProcessId null give [] + [] → dynamic(null); 'a', null → ['a']; 'a', 7 → ['a', 7].
    expect(spl(e, {})).toBe(null);
    expect(spl(e, { 'process.name': 'a' })).toBe('a'); // SPL's single value; KQL's ['a'], which mvcount/mvindex/mvjoin read alike
    expect(spl(e, { 'process.name': 'a', 'process.pid': 7 })).toEqual(['a', 7]);
  });
  it('a multivalue argument is spliced in; a literal value makes the result never null', () => {
    const m = call('mvappend', call('split', field('process.command_line'), lit(' ')), lit('end'));
    expect(extendOf(m)).toBe("array_concat(iff(isnull(split(ProcessCommandLine, ' ')), dynamic([]), split(ProcessCommandLine, ' ')), pack_array('end'))");
    expect(spl(m, { 'process.command_line': 'a b' })).toEqual(['a', 'b', 'end']);
    expect(spl(call('mvappend', lit(null), lit('x')), {})).toBe('x');
    expect(extendOf(call('mvappend', lit(null), lit('x')))).toBe("array_concat(dynamic([]), pack_array('x'))");
  });
  it('the event time (@timestamp, SPL _time) goes in as epoch seconds', () => {
    expect(extendOf(call('mvappend', field('@timestamp'), lit(1)))).toBe('array_concat(iff(isnull(((Timestamp - datetime(1970-01-01)) / 1s)), dynamic([]), pack_array(((Timestamp - datetime(1970-01-01)) / 1s))), pack_array(1))');
  });
});

describe('kql mvjoin()', () => {
  it('a multivalue: strcat_array with the separator', () => {
    const e = call('mvjoin', call('split', field('process.command_line'), lit(' ')), lit(','));
    expect(extendOf(e)).toBe("strcat_array(split(ProcessCommandLine, ' '), ',')");
    expect(spl(e, { 'process.command_line': 'a b c' })).toBe('a,b,c');
    expect(spl(e, { 'process.command_line': 'a' })).toBe('a');
  });
  it('a single value is itself; a number as text; null stays null', () => {
    expect(extendOf(call('mvjoin', field('process.name'), lit(' ')))).toBe('FileName');
    expect(extendOf(call('mvjoin', field('process.pid'), lit(' ')))).toBe('tostring(ProcessId)');
    // KQL: tostring(long(null)) is '', this backend's string null.
    expect(spl(call('mvjoin', field('process.pid'), lit(' ')), {})).toBe(null);
    expect(spl(call('mvjoin', field('process.pid'), lit(' ')), { 'process.pid': 4 })).toBe('4');
  });
  it('of an mvappend: the values joined, nulls left out', () => {
    const e = call('mvjoin', call('mvappend', field('process.name'), field('process.pid'), lit('z')), lit(' '));
    expect(extendOf(e)).toBe("strcat_array(array_concat(iff(isempty(FileName), dynamic([]), pack_array(FileName)), iff(isnull(ProcessId), dynamic([]), pack_array(ProcessId)), pack_array('z')), ' ')");
    // KQL: FileName 'a', ProcessId null → ['a', 'z'] → 'a z'.
    expect(spl(e, { 'process.name': 'a' })).toBe('a z');
    expect(spl(e, { 'process.name': 'a', 'process.pid': 5 })).toBe('a 5 z');
  });
});

describe('kql trim(), ltrim(), rtrim()', () => {
  it("default characters (the evaluator's space, tab, LF, CR) as one regex character class", () => {
    expect(extendOf(call('trim', field('process.name')))).toBe("trim('[ \\t\\n\\r]+', FileName)");
    expect(extendOf(call('ltrim', field('process.name')))).toBe("trim_start('[ \\t\\n\\r]+', FileName)");
    expect(extendOf(call('rtrim', field('process.name')))).toBe("trim_end('[ \\t\\n\\r]+', FileName)");
    // KQL: trim of '\t a b \r\n' by [ \t\n\r]+ at both ends → 'a b'.
    expect(spl(call('trim', field('process.name')), { 'process.name': '\t a b \r\n' })).toBe('a b');
    expect(spl(call('ltrim', field('process.name')), { 'process.name': '  a  ' })).toBe('a  ');
    expect(spl(call('rtrim', field('process.name')), { 'process.name': '  a  ' })).toBe('  a');
    expect(spl(call('trim', field('process.name')), {})).toBe(null); // KQL: trim of '' is ''
  });
  it('given characters are escaped inside the class (regex metacharacters are literal)', () => {
    expect(extendOf(call('trim', field('process.name'), lit('"]^-\\.')))).toBe("trim('[\"\\\\]\\\\^\\\\-\\\\\\\\\\\\.]+', FileName)");
    // KQL: the class [\"\]\^\-\\\.] removes exactly these six characters from both ends.
    expect(spl(call('trim', field('process.name'), lit('"]^-\\.')), { 'process.name': '.-"x^y"]\\' })).toBe('x^y');
    expect(spl(call('trim', field('process.name'), lit('ab')), { 'process.name': 'abcab' })).toBe('c');
  });
  it('no characters: the value unchanged; a number as text; the first of a multivalue', () => {
    expect(extendOf(call('trim', field('process.name'), lit('')))).toBe('FileName');
    expect(extendOf(call('trim', field('process.pid'), lit('0')))).toBe("trim('[0]+', tostring(ProcessId))");
    expect(spl(call('trim', field('process.pid'), lit('0')), { 'process.pid': 1020 })).toBe('102');
    expect(extendOf(call('rtrim', call('split', field('process.command_line'), lit(' '))))).toBe("trim_end('[ \\t\\n\\r]+', tostring(split(ProcessCommandLine, ' ')[0]))");
    expect(spl(call('rtrim', call('split', field('process.command_line'), lit(','))), { 'process.command_line': 'a ,b' })).toBe('a');
  });
  it('computed characters: RB430 at the call', () => {
    expect(errorsOf({ ...call('trim', field('process.name'), field('process.command_line')), origin: at(3, 14) })).toEqual([['RB430', 3, 14]]);
  });
});
