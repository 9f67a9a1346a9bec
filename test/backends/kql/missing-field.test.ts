/**
 * Conditions on a field the rows do not hold after an aggregate (a closed set of columns): SPL
 * reads the field as null, so the predicate is false and a test of absence true (RB432, info,
 * at the condition). Over a table, a field with no column stays RB403.
 */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { codes, col, splunk } from './windows-search.js';

const STATS = '`sysmon` EventCode=1 | stats count by Computer User';

describe('kql: a condition on a field missing after an aggregate', () => {
  it.each([
    ['search nope=a', 'where false', 'nope'],
    ['search NOT nope=a', 'where not(false)', 'nope'],
    ['where User != nope', 'where isnotempty(User) and false and not(false)', 'User != nope'],
    ['search nope=*', 'where false', 'nope'],
  ])('%s', (tail, where, at) => {
    const q = `${STATS} | ${tail}`;
    const r = render(splunk(q), 'kql', { dialect: 'sentinel' });
    expect(r.ok).toBe(true);
    expect(r.query!.trimEnd().split('\n').at(-1)).toBe(`| ${where}`);
    expect(codes(r).filter(([c]) => c === 'RB432')[0]).toEqual(['RB432', 10, col(q, at)]);
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });

  it('before the aggregate, over the table, a field with no column is RB403', () => {
    const q = '`sysmon` EventCode=1 nope=a | stats count by Computer';
    const r = render(splunk(q), 'kql', { dialect: 'sentinel' });
    expect(r.ok).toBe(false);
    expect(codes(r).filter(([c]) => c === 'RB403')).toHaveLength(1);
  });
});
