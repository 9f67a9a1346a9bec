/**
 * One SPL eval with several assignments: each sees the ones before it (SPL eval: "evaluated
 * left to right"); a KQL extend reads the columns as they were before it, so a dependent
 * assignment starts a new extend. Kusto.Language checks each output.
 */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { codes, col, splunk } from './windows-search.js';

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

describe('kql: an eval into a table column other fields read', () => {
  it("Sentinel's SysmonEvent Image (process.executable) is not overwritten: RB401 at the eval", () => {
    const q = '| from datamodel:Endpoint.Processes | eval Image=process_name="" | stats count(Image) as c by process_name';
    const r = render(splunk(q), 'kql', { dialect: 'sentinel' });
    expect(r.ok).toBe(false);
    expect(codes(r).filter(([c]) => c === 'RB401')).toEqual([['RB401', 10, col(q, 'eval')]]);
    expect(r.diagnostics.find((d) => d.code === 'RB401')!.message).toBe("kql cannot express an eval into 'Image', which is a column of SysmonEvent under another field");
  });
  it('an eval into a name the table does not have renders; into the Splunk name of a column whose field is mapped, it refuses', () => {
    expect(render(splunk('`sysmon` EventCode=1 | eval Image2=lower(Image)'), 'kql', { dialect: 'sentinel' }).ok).toBe(true);
    // The eval writes the name `Image` while reads of Image go to process.executable's column:
    // overwriting that column would change every field read from it.
    expect(codes(render(splunk('`sysmon` EventCode=1 | eval Image=lower(Image)'), 'kql', { dialect: 'sentinel' })).filter(([c]) => c === 'RB401')).toHaveLength(1);
  });
});
