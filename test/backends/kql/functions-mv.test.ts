/**
 * SPL multivalue, trim and time functions in KQL. KQL cannot run here: each case asserts the
 * rendered text, its Kusto.Language cleanliness, and the evaluator's value (the reference SPL
 * semantics) for inputs with null, one value and several values; a comment says what the KQL
 * computes on the same inputs (a string null being '' in KQL, as everywhere in this backend).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { compileValue } from '../../../src/evaluator/compile-value.js';
import { Row } from '../../../src/evaluator/row.js';
import { pred, type ValueExpr } from '../../../src/ir/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { kqlExpr, type KVal } from './functions-mv-model.js';
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

describe('kql mvdedup() and mvfilter()', () => {
  it('mvdedup of a multivalue: set_union of the array with itself, null for none; a single value is itself', () => {
    const e = call('mvdedup', call('split', field('process.command_line'), lit(',')));
    expect(extendOf(e)).toBe("iff(array_length(split(ProcessCommandLine, ',')) > 0, set_union(split(ProcessCommandLine, ','), split(ProcessCommandLine, ',')), dynamic(null))");
    // KQL: set_union(['b','a','b'], ['b','a','b']) → ['b','a'] (first occurrences, in order, per its documented example).
    expect(spl(e, { 'process.command_line': 'b,a,b' })).toEqual(['b', 'a']);
    expect(extendOf(call('mvdedup', field('process.name')))).toBe('FileName');
    expect(spl(call('mvdedup', field('process.name')), { 'process.name': 'a' })).toBe('a');
    expect(spl(call('mvdedup', field('process.name')), {})).toBe(null);
  });
  const filter = call('mvfilter', lit('process.name'), { kind: 'unary', op: 'not', arg: call('match', field('process.name'), lit('false')) });
  it('mvfilter over a single value: kept when the condition holds, else null', () => {
    expect(extendOf(filter)).toBe("iff(isnotempty(FileName) and (not((FileName matches regex 'false'))), FileName, '')");
    // KQL: 'true' → 'true'; 'false' → ''; '' (null) → ''.
    expect(spl(filter, { 'process.name': 'true' })).toBe('true');
    expect(spl(filter, { 'process.name': 'false' })).toBe(null);
    expect(spl(filter, {})).toBe(null);
    const num = call('mvfilter', lit('process.pid'), { kind: 'binary', op: '>', left: field('process.pid'), right: lit(4) });
    expect(extendOf(num)).toBe('iff(isnotnull(ProcessId) and ((ProcessId > 4)), ProcessId, long(null))');
    expect(spl(num, { 'process.pid': 8 })).toBe(8);
    expect(spl(num, { 'process.pid': 2 })).toBe(null);
  });
  it('mvdedup(mvfilter()) as the remote-access exceptions macro writes it', () => {
    expect(extendOf(call('mvdedup', filter))).toBe("iff(isnotempty(FileName) and (not((FileName matches regex 'false'))), FileName, '')");
  });
  it('mvfilter over a multivalue field: RB430 at the call', () => {
    const over = (e: ValueExpr) => ({ kind: 'eval' as const, assign: [{ field: 'v', expr: e }], origin: at(3, 5) });
    const r = render(rule(pred('process.name', 'eq', ['x']), [over(call('split', field('process.command_line'), lit(' '))), { ...over({ ...call('mvfilter', lit('v'), call('match', field('v'), lit('a'))), origin: at(4, 9) }) }]), 'kql', { dialect: 'defender' });
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column])).toEqual([['RB430', 4, 9]]);
  });
});

const concat = (...xs: ValueExpr[]): ValueExpr => xs.reduce((l, r) => ({ kind: 'binary', op: '+', left: l, right: r }));
const DAY = 86400;

describe('kql now(), relative_time(), strptime()', () => {
  it('now(): whole epoch seconds of the query start', () => {
    expect(extendOf(call('now'))).toBe('tolong(((now() - datetime(1970-01-01)) / 1s))');
  });
  it('relative_time with a literal modifier: seconds added, then snapped', () => {
    const t = field('process.pid'); // a number column standing for an epoch time
    const rt = (spec: string) => extendOf(call('relative_time', t, lit(spec)));
    expect(rt('-24h')).toBe('(ProcessId + -24 * 3600)');
    expect(rt('-7d@d')).toBe('bin((ProcessId + -7 * 86400), 86400)');
    expect(rt('@h')).toBe('bin(ProcessId, 3600)');
    expect(rt('now')).toBe('ProcessId');
    expect(rt('@w')).toBe('((startofweek(unixtime_seconds_todatetime(ProcessId)) - datetime(1970-01-01)) / 1s)');
    // 2026-03-04 05:06:07 UTC (a Wednesday): evaluator values the KQL above also computes.
    const at0 = Date.UTC(2026, 2, 4, 5, 6, 7) / 1000;
    const v = (spec: string) => spl(call('relative_time', t, lit(spec)), { 'process.pid': at0 });
    expect(v('-24h')).toBe(at0 - DAY);
    expect(v('-7d@d')).toBe(Date.UTC(2026, 1, 25) / 1000);
    expect(v('@h')).toBe(Date.UTC(2026, 2, 4, 5) / 1000);
    expect(v('@w')).toBe(Date.UTC(2026, 2, 1) / 1000); // Sunday 1 March, as KQL's startofweek
    expect(spl(call('relative_time', t, lit('-1d')), {})).toBe(null); // KQL: null + … is null
  });
  it('relative_time by months and years: the day runs over past the month end, as the evaluator', () => {
    const t = field('process.pid');
    expect(extendOf(call('relative_time', t, lit('+1mon')))).toBe(
      "((datetime_add('month', 1, startofmonth(unixtime_seconds_todatetime(ProcessId))) + (unixtime_seconds_todatetime(ProcessId) - startofmonth(unixtime_seconds_todatetime(ProcessId))) - datetime(1970-01-01)) / 1s)",
    );
    // 31 January + 1 month: the evaluator runs over to 3 March (2026 is no leap year). KQL:
    // datetime_add('month', 1, 1 January) = 1 February, + 30 days 12:00 = 3 March 12:00.
    const jan31 = Date.UTC(2026, 0, 31, 12) / 1000;
    expect(spl(call('relative_time', t, lit('+1mon')), { 'process.pid': jan31 })).toBe(Date.UTC(2026, 2, 3, 12) / 1000);
    expect(spl(call('relative_time', t, lit('-1y@y')), { 'process.pid': jan31 })).toBe(Date.UTC(2025, 0, 1) / 1000);
    expect(extendOf(call('relative_time', t, lit('-1y@y')))).toBe(
      "((startofyear(unixtime_seconds_todatetime(((datetime_add('year', -1, startofmonth(unixtime_seconds_todatetime(ProcessId))) + (unixtime_seconds_todatetime(ProcessId) - startofmonth(unixtime_seconds_todatetime(ProcessId))) - datetime(1970-01-01)) / 1s))) - datetime(1970-01-01)) / 1s)",
    );
  });
  it('relative_time of the event time reads it as epoch seconds', () => {
    expect(extendOf(call('relative_time', field('@timestamp'), lit('@d')))).toBe('bin(((Timestamp - datetime(1970-01-01)) / 1s), 86400)');
  });
  it('relative_time with a computed count ("+" . ttl . "d"): digits only, else null', () => {
    const e = call('relative_time', field('process.pid'), concat(lit('+'), field('process.command_line'), lit('d')));
    expect(extendOf(e)).toBe("iff(ProcessCommandLine matches regex '^[0-9]+$', (ProcessId + tolong(ProcessCommandLine) * 86400), real(null))");
    // KQL: '30' → t + 30 days; '1.5', '-2' and '' (null) fail the regex → null.
    expect(spl(e, { 'process.pid': 1000, 'process.command_line': '30' })).toBe(1000 + 30 * DAY);
    expect(spl(e, { 'process.pid': 1000, 'process.command_line': '1.5' })).toBe(null);
    expect(spl(e, { 'process.pid': 1000, 'process.command_line': '-2' })).toBe(null);
    expect(spl(e, { 'process.pid': 1000 })).toBe(null);
  });
  it('relative_time modifiers it cannot write: RB430 at the call', () => {
    const bad = (spec: ValueExpr) => errorsOf({ ...call('relative_time', field('process.pid'), spec), origin: at(3, 20) });
    expect(bad(lit('-1d@d+6h'))).toEqual([['RB430', 3, 20]]); // chained snaps: the evaluator gives null
    expect(bad(concat(field('process.name'), field('process.command_line')))).toEqual([['RB430', 3, 20]]);
    expect(bad(concat(lit('+'), field('process.name'), lit('0d')))).toEqual([['RB430', 3, 20]]);
  });
  it('strptime %Y-%m-%d: the fields extracted, months and days added as the evaluator (Date.UTC) does', () => {
    const e = call('strptime', field('process.command_line'), lit('%Y-%m-%d'));
    const re = "'^(\\\\d{4})\\\\-(\\\\d{1,2})\\\\-(\\\\d{1,2})'";
    const g = (i: number) => `toint(extract(${re}, ${i}, ProcessCommandLine))`;
    expect(extendOf(e)).toBe(
      `iff(ProcessCommandLine matches regex ${re}, (((datetime_add('month', ${g(2)} - 1, make_datetime((${g(1)} + iff(${g(1)} <= 99, 1900, 0)), 1, 1)) - datetime(1970-01-01)) / 1s) + (${g(3)} - 1) * 86400), real(null))`,
    );
    const v = (s?: string) => spl(e, s === undefined ? {} : { 'process.command_line': s });
    expect(v('2026-03-04')).toBe(Date.UTC(2026, 2, 4) / 1000);
    expect(v('2026-3-4 trailing')).toBe(Date.UTC(2026, 2, 4) / 1000); // anchored at the start only
    expect(v('2026-02-30')).toBe(Date.UTC(2026, 2, 2) / 1000); // runs over, as datetime_add + days does
    expect(v('2026-13-01')).toBe(Date.UTC(2027, 0, 1) / 1000);
    expect(v('0050-01-01')).toBe(Date.UTC(1950, 0, 1) / 1000);
    expect(v('26-03-04')).toBe(null);
    expect(v()).toBe(null);
  });
  it('strptime with a time and %y; literals escaped', () => {
    const e = call('strptime', field('process.command_line'), lit('%y/%m/%d %H:%M:%S.'));
    expect(extendOf(e)).toContain("make_datetime((2000 + toint(extract('^(\\\\d{2})\\\\/(\\\\d{1,2})\\\\/(\\\\d{1,2}) (\\\\d{1,2}):(\\\\d{1,2}):(\\\\d{1,2})\\\\.', 1, ProcessCommandLine))), 1, 1)");
    expect(spl(e, { 'process.command_line': '26/03/04 05:06:07.' })).toBe(Date.UTC(2026, 2, 4, 5, 6, 7) / 1000);
    expect(spl(e, { 'process.command_line': '26/03/04 05:06:07x' })).toBe(null);
  });
  it('strptime specifiers the evaluator does not read, or a computed format: RB430 at the call', () => {
    for (const f of [lit('%b %d %Y'), field('process.name')]) expect(errorsOf({ ...call('strptime', field('process.command_line'), f), origin: at(3, 30) })).toEqual([['RB430', 3, 30]]);
  });
  it('the exceptions macro: relative_time(strptime(date, "%Y-%m-%d"), "+" . ttl . "d") against now()', () => {
    const end = call('relative_time', call('strptime', field('process.command_line'), lit('%Y-%m-%d')), concat(lit('+'), field('process.name'), lit('d')));
    const cmp: ValueExpr = { kind: 'binary', op: '>=', left: call('now'), right: end };
    const text = extendOf(call('if', cmp, lit('TRUE'), lit('FALSE')));
    expect(text).toMatch(/^iff\(\(tolong\(\(\(now\(\) - datetime\(1970-01-01\)\) \/ 1s\)\) >= iff\(FileName matches regex '\^\[0-9\]\+\$', \(iff\(ProcessCommandLine matches regex /);
    expect(spl(call('if', cmp, lit('TRUE'), lit('FALSE')), { 'process.command_line': '2020-01-01', 'process.name': '30' })).toBe('TRUE');
    expect(spl(end, { 'process.command_line': '2020-01-01', 'process.name': '30' })).toBe(Date.UTC(2020, 0, 31) / 1000);
  });
});

describe('kql arithmetic with the event time', () => {
  it('a datetime in arithmetic or beside another type reads as epoch seconds; two datetimes compare as datetimes', () => {
    const minus: ValueExpr = { kind: 'binary', op: '-', left: call('now'), right: field('@timestamp') };
    expect(extendOf(minus)).toBe('(tolong(((now() - datetime(1970-01-01)) / 1s)) - ((Timestamp - datetime(1970-01-01)) / 1s))');
    expect(extendOf({ kind: 'binary', op: '.', left: field('@timestamp'), right: lit('s') })).toBe("strcat(tostring(((Timestamp - datetime(1970-01-01)) / 1s)), 's')");
    expect(extendOf({ kind: 'binary', op: '=', left: field('@timestamp'), right: lit(0) })).toBe('(((Timestamp - datetime(1970-01-01)) / 1s) == 0)');
    expect(extendOf({ kind: 'binary', op: '<', left: field('@timestamp'), right: field('@timestamp') })).toBe('(Timestamp < Timestamp)');
    // SPL: now() - _time is the age in seconds.
    expect(spl(minus, { '@timestamp': 100 })).toBeGreaterThan(1e9);
  });
});

describe('kql values of a multivalue and of an absent field', () => {
  const stats = { kind: 'aggregate' as const, groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'values' as const, field: 'process.name', as: 'names' }], origin: at(2, 3) };
  const after = (e: ValueExpr, target = 'v') => render(rule(pred('process.name', 'eq', ['x']), [stats, { kind: 'eval', assign: [{ field: target, expr: e }], origin: at(3, 5) }]), 'kql', { dialect: 'defender' });
  const line = (e: ValueExpr, target = 'v') => {
    const r = after(e, target);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
    return r.query!.split('\n').find((l) => l.startsWith(`| extend ${target} = `))!.slice(`| extend ${target} = `.length);
  };
  it('after a summarize a field it lacks is absent: null, as SPL reads it (not RB403)', () => {
    expect(line(call('coalesce', field('src'), field('dest')))).toBe("coalesce(tostring(dynamic(null)), dest)");
    expect(line(call('isnotnull', field('src')))).toBe('false');
    expect(line(call('isnull', field('src')))).toBe('true');
    // (into an existing field: a new one computed from an absent field alone is left out, RB431)
    expect(line(call('mvfilter', lit('src'), call('match', field('src'), lit('a'))), 'dest')).toBe('dynamic(null)');
    expect(spl(call('coalesce', field('src'), field('dest')), { dest: 'h' })).toBe('h');
  });
  it('text functions read the first value of a multivalue, as the evaluator does', () => {
    expect(line(call('upper', field('names')))).toBe('toupper(tostring(names[0]))');
    expect(spl(call('upper', field('names')), { names: ['a.exe', 'b.exe'] })).toBe('A.EXE');
    expect(line(call('len', field('names')))).toBe('strlen(tostring(names[0]))');
  });
  it('isnull/isnotnull of a multivalue: no values is null', () => {
    expect(line(call('isnull', field('names')))).toBe('(isnull(names) or coalesce(array_length(names), 1) == 0)');
    expect(line(call('isnotnull', field('names')))).toBe('(isnotnull(names) and coalesce(array_length(names), 1) != 0)');
    expect(spl(call('isnull', field('names')), { names: [] })).toBe(true);
    expect(spl(call('isnotnull', field('names')), { names: ['a'] })).toBe(true);
  });
  it('match, like and cidrmatch over a multivalue (the evaluator tests each value): RB430 at the call', () => {
    for (const e of [call('match', field('names'), lit('a')), call('like', field('names'), lit('a%')), call('cidrmatch', lit('10.0.0.0/8'), field('names'))]) {
      const r = after({ ...e, origin: at(3, 9) } as ValueExpr);
      expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column])).toEqual([['RB430', 3, 9]]);
    }
    expect(spl(call('match', field('names'), lit('^b')), { names: ['a.exe', 'b.exe'] })).toBe(true);
  });
});

/** A KQL row for an SPL row: the columns these tests read, a string null being ''. */
function kqlRow(f: Record<string, unknown>): Record<string, KVal> {
  const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  const n = (v: unknown) => (v === undefined || v === null ? null : Number(v));
  return { FileName: s(f['process.name']), ProcessCommandLine: s(f['process.command_line']), ProcessId: n(f['process.pid']), Timestamp: f['@timestamp'] === undefined ? null : { dt: Number(f['@timestamp']) * 1000 } };
}

/**
 * One value as both sides can show it: no value (null, '', []) is null, a list of one is its
 * value, a number is its text (SPL values have no type; mvindex() gives KQL strings).
 */
function norm(v: unknown): unknown {
  if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return null;
  if (Array.isArray(v)) return v.length === 1 ? norm(v[0]) : v.map(norm);
  return typeof v === 'number' ? String(v) : v;
}

describe('the rendered KQL replayed over rows (functions-mv-model.ts) gives the evaluator\'s values', () => {
  const replay = (e: ValueExpr, rows: Record<string, unknown>[]) => {
    const q = kqlExpr(extendOf(e), 0);
    for (const f of rows) expect([f, norm(q(kqlRow(f)))]).toEqual([f, norm(spl(e, f))]);
  };
  const rows = [{}, { 'process.name': 'a' }, { 'process.pid': 7 }, { 'process.name': 'b', 'process.pid': 0, 'process.command_line': 'x y  x' }, { 'process.command_line': ' \t y\r\n' }];
  it('mvappend, mvjoin, mvdedup, mvcount and mvindex of them: null, one value, several', () => {
    replay(call('mvappend', field('process.name'), field('process.pid')), rows);
    replay(call('mvjoin', call('mvappend', field('process.name'), lit(null), field('process.pid'), lit('z')), lit('+')), rows);
    replay(call('mvjoin', call('split', field('process.command_line'), lit(' ')), lit(',')), rows.filter((r) => 'process.command_line' in r));
    replay(call('mvdedup', call('split', field('process.command_line'), lit(' '))), rows.filter((r) => 'process.command_line' in r));
    replay(call('mvcount', call('mvappend', field('process.name'), field('process.pid'))), rows.slice(1));
    replay(call('mvindex', call('mvappend', field('process.name'), field('process.pid')), lit(-1)), rows);
  });
  it('trim, ltrim, rtrim: default and given characters', () => {
    for (const fn of ['trim', 'ltrim', 'rtrim']) {
      replay(call(fn, field('process.command_line')), rows);
      replay(call(fn, field('process.command_line'), lit('x ')), rows);
    }
  });
  it('mvfilter over a single value', () => {
    replay(call('mvfilter', lit('process.name'), { kind: 'unary', op: 'not', arg: call('match', field('process.name'), lit('^a')) }), rows);
  });
  it('relative_time: every unit and snap, from random times (months and years running over the month end)', () => {
    const specs = ['-1s', '+90m@h', '-24h', '-7d@d', '@w', '+2w@w', '-1mon', '+13mon@d', '-1mon@mon', '+1y', '-3y@y', 'now', '@s', '-0d@m'];
    fc.assert(fc.property(fc.integer({ min: 0, max: 4102444800 }), fc.constantFrom(...specs), (t, spec) => {
      const e = call('relative_time', field('process.pid'), lit(spec));
      const f = { 'process.pid': t };
      expect(kqlExpr(extendOf(e), 0)(kqlRow(f))).toBe(spl(e, f));
    }), { numRuns: 300 });
  });
  it('relative_time with a computed count', () => {
    const e = call('relative_time', field('process.pid'), concat(lit('-'), field('process.command_line'), lit('mon@d')));
    replay(e, [{ 'process.pid': 1711843200, 'process.command_line': '1' }, { 'process.pid': 1711843200, 'process.command_line': '13' }, { 'process.pid': 1711843200, 'process.command_line': 'x' }, { 'process.pid': 1711843200 }]);
  });
  it('strptime: random dates, with months, days and hours running over, and text that does not parse', () => {
    const fmt = '%Y-%m-%d %H:%M:%S';
    const e = call('strptime', field('process.command_line'), lit(fmt));
    const p2 = (n: number) => String(n).padStart(2, '0');
    fc.assert(fc.property(fc.integer({ min: 1900, max: 2100 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 99 }), (y, m, d, h, mi, s) => {
      const f = { 'process.command_line': `${y}-${p2(m)}-${p2(d)} ${p2(h)}:${p2(mi)}:${p2(s)}` };
      expect(kqlExpr(extendOf(e), 0)(kqlRow(f))).toBe(spl(e, f));
    }), { numRuns: 200 });
    replay(e, [{}, { 'process.command_line': '2026-03-04' }, { 'process.command_line': '0099-1-2 3:4:5 tail' }]);
    replay(call('strptime', field('process.command_line'), lit('%d/%m/%y')), [{ 'process.command_line': '31/12/99' }, { 'process.command_line': '1/2/3' }]);
  });
});

describe('kql multivalue and time functions of an absent field (after a summarize)', () => {
  const stats = { kind: 'aggregate' as const, groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'count' as const, as: 'n' }] };
  const into = (e: ValueExpr) => {
    const r = render(rule(pred('process.name', 'eq', ['x']), [stats, { kind: 'eval', assign: [{ field: 'dest', expr: e }] }]), 'kql', { dialect: 'defender' });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
    return r.query!.trimEnd().split('\n').pop();
  };
  it('null in, null out, as the evaluator gives', () => {
    expect(into(call('mvdedup', field('gone')))).toBe('| extend dest = dynamic(null)');
    expect(into(call('strptime', field('gone'), lit('%Y')))).toBe('| extend dest = real(null)');
    expect(into(call('mvjoin', field('gone'), lit(',')))).toBe("| extend dest = strcat_array(dynamic(null), ',')");
    expect(into(call('mvappend', field('gone'), field('dest')))).toBe('| extend dest = iff(array_length(array_concat(dynamic([]), iff(isempty(dest), dynamic([]), pack_array(dest)))) == 0, dynamic(null), array_concat(dynamic([]), iff(isempty(dest), dynamic([]), pack_array(dest))))');
    for (const fn of ['mvdedup', 'mvjoin', 'strptime']) expect(spl(call(fn, field('gone'), ...(fn === 'mvdedup' ? [] : [lit('%Y')])), {})).toBe(null);
  });
});

describe('kql: an absent dotted field whose parts exist (SPL eval may concatenate them)', () => {
  it('RB403 at the field, not null', () => {
    const stats = { kind: 'aggregate' as const, groupBy: [{ field: 'host.name', as: 'a' }, { field: 'process.name', as: 'b' }], aggs: [{ fn: 'count' as const, as: 'n' }] };
    const r = render(rule(pred('process.name', 'eq', ['x']), [stats, { kind: 'eval', assign: [{ field: 'a', expr: { kind: 'field', name: 'a.b', origin: at(6, 14) } }] }]), 'kql', { dialect: 'defender' });
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column])).toEqual([['RB403', 6, 14]]);
    // A dotted name whose parts are not all columns is simply absent: null.
    const ok = render(rule(pred('process.name', 'eq', ['x']), [stats, { kind: 'eval', assign: [{ field: 'a', expr: { kind: 'field', name: 'a.c' } }] }]), 'kql', { dialect: 'defender' });
    expect(ok.query!.trimEnd().split('\n').pop()).toBe('| extend a = dynamic(null)');
  });
});

describe('kql = and != between a number and text', () => {
  it('a numeric literal string compares with the number; other mixed values as SPL compares them', () => {
    const eq = (l: ValueExpr, r: ValueExpr, op: '=' | '!=' = '='): ValueExpr => ({ kind: 'binary', op, left: l, right: r });
    expect(extendOf(eq(field('process.pid'), lit('4')))).toBe('(ProcessId == 4)');
    expect(extendOf(eq(lit('4'), field('process.pid'), '!='))).toBe('(4 != ProcessId)');
    expect(extendOf(eq(field('process.pid'), field('process.name')))).toBe('iff(isnotnull(todouble(ProcessId)) and isnotnull(todouble(FileName)), todouble(ProcessId) == todouble(FileName), tostring(ProcessId) == FileName)');
    expect(spl(eq(field('process.pid'), lit('4')), { 'process.pid': 4 })).toBe(true);
    expect(spl(eq(field('process.pid'), field('process.name')), { 'process.pid': 4, 'process.name': '4.0' })).toBe(true);
    const q = kqlExpr(extendOf(eq(field('process.pid'), field('process.name'))), 0);
    expect(q(kqlRow({ 'process.pid': 4, 'process.name': '4.0' }))).toBe(true);
    expect(q(kqlRow({ 'process.pid': 4, 'process.name': 'a' }))).toBe(false);
  });
});

describe('kql = and != with a null (\'\') string side', () => {
  const ne: ValueExpr = call('if', { kind: 'binary', op: '!=', left: field('process.name'), right: lit('x') }, lit(1), lit(0));
  const same: ValueExpr = call('if', { kind: 'binary', op: '=', left: field('process.name'), right: field('process.command_line') }, lit(1), lit(0));
  it('!= of a null is null (the else branch), and so is = of two nulls', () => {
    expect(extendOf(ne)).toBe("iff(iff(isempty(FileName), bool(null), (FileName != 'x')), 1, 0)");
    expect(extendOf(same)).toBe('iff(iff(isempty(FileName) or isempty(ProcessCommandLine), bool(null), (FileName == ProcessCommandLine)), 1, 0)');
    const rows = [{}, { 'process.name': 'x' }, { 'process.name': 'y' }, { 'process.name': 'y', 'process.command_line': 'y' }];
    for (const e of [ne, same]) {
      const q = kqlExpr(extendOf(e), 0);
      for (const f of rows) expect([f, q(kqlRow(f))]).toEqual([f, spl(e, f)]);
    }
  });
});
