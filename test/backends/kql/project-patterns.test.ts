/**
 * SPL `fields`/`table` with `*` patterns in KQL: expanded over the known columns (after an
 * aggregate), refused over a table (which fields the events hold is not known there).
 */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { codes, col, splunk } from './windows-search.js';

const STATS = '`sysmon` EventCode=1 | stats count values(CommandLine) as req_cmd values(ParentImage) as req_parent by Computer';

describe('kql: field patterns in fields and table', () => {
  it.each([
    [`${STATS} | fields - req_*`, '| project-away req_cmd, req_parent'],
    [`${STATS} | table Computer req_*`, '| project Computer, req_cmd, req_parent'],
    [`${STATS} | fields - *_parent`, '| project-away req_parent'],
  ])('%s', (q, line) => {
    const r = render(splunk(q), 'kql', { dialect: 'sentinel' });
    expect(r.ok).toBe(true);
    expect(r.query!.trimEnd().split('\n').at(-1)).toBe(line);
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });

  it('a pattern that matches no column drops nothing; a table of only such a pattern is refused', () => {
    expect(render(splunk(`${STATS} | fields - nope_*`), 'kql', { dialect: 'sentinel' }).query).not.toContain('project-away');
    const q = `${STATS} | table nope_*`;
    const r = render(splunk(q), 'kql', { dialect: 'sentinel' });
    expect(codes(r).filter(([c]) => c === 'RB401')).toEqual([['RB401', 10, col(q, 'table')]]);
  });

  it('over the table, before any aggregate: RB401 at the stage', () => {
    const q = '`sysmon` EventCode=1 | fields - Parent*';
    const r = render(splunk(q), 'kql', { dialect: 'sentinel' });
    expect(r.ok).toBe(false);
    expect(codes(r).filter(([c]) => c === 'RB401')).toEqual([['RB401', 10, col(q, 'fields')]]);
    expect(r.diagnostics.find((d) => d.code === 'RB401')!.message).toMatch(/field pattern 'process\.parent\.\*'|field pattern '.*\*'/);
  });
});
