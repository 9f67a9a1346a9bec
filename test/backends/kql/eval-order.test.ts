/**
 * One SPL eval with several assignments: each sees the ones before it (SPL eval: "evaluated
 * left to right"); a KQL extend reads the columns as they were before it, so a dependent
 * assignment starts a new extend. Kusto.Language checks each output.
 */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { splunk } from './windows-search.js';

const STATS = '`sysmon` EventCode=1 | stats count by Computer';

describe('kql: eval assignments in order', () => {
  it.each([
    ['independent assignments share one extend', 'eval a=1, b=2', ["extend a = 1, b = 2"]],
    ['a new name read by a later assignment', 'eval a=1, b=a+1', ['extend a = 1', 'extend b = (a + 1)']],
    ['a field redefined then read', "eval Computer=lower(Computer), c=Computer.\"x\"", ['extend Computer = tolower(Computer)', "extend c = strcat(Computer, 'x')"]],
    ['one name assigned twice', 'eval a=1, a=2', ['extend a = 1', 'extend a = 2']],
  ])('%s', (_why, evalText, want) => {
    const r = render(splunk(`${STATS} | ${evalText}`), 'kql', { dialect: 'sentinel' });
    expect(r.ok).toBe(true);
    const lines = r.query!.trimEnd().split('\n').map((l) => l.replace(/^\| /, ''));
    expect(lines.slice(-want.length)).toEqual(want);
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
});
