/**
 * An aggregate named like a group-by key. values(x) as x by x repeats the key and renders as one
 * column; a tstats whose prefix rename makes the names meet keeps the key (the rename folds into
 * the aggregate as SPL's rename means it); a stats naming another aggregate like a key: RB401.
 */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { col, splunk } from './windows-search.js';

describe('kql: an aggregate under a group-by key\'s name', () => {
  it('values() of the key itself is the key: one column', () => {
    const q = '| tstats count values(Processes.process_name) as process_name from datamodel=Endpoint.Processes by Processes.process_name | `drop_dm_object_name(Processes)`';
    const r = render(splunk(q), 'kql', { dialect: 'defender' });
    expect(r.ok).toBe(true);
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
    expect(r.query).toBe("DeviceProcessEvents\n| summarize ['count'] = count() by process_name = FileName\n");
  });

  it('values() of another field renamed onto a key: the key wins, as SPL\'s rename keeps it', () => {
    const q = '| tstats values(Processes.parent_process_name) as parent_process from datamodel=Endpoint.Processes by Processes.parent_process | `drop_dm_object_name(Processes)`';
    const r = render(splunk(q), 'kql', { dialect: 'defender' });
    expect(r.ok).toBe(true);
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
    expect(r.query).toBe('DeviceProcessEvents\n| summarize by parent_process = InitiatingProcessCommandLine\n');
  });

  it('a stats naming another aggregate like its key is refused at the stats, saying why', () => {
    const q = '`sysmon` EventCode=1 | stats values(ParentImage) as Image by Image';
    const r = render(splunk(q), 'kql', { dialect: 'defender' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB401', 10, col(q, 'stats')]]);
    expect(r.diagnostics[0]!.message).toMatch(/^kql cannot express two output columns named '.+' \(a group-by key and values\(\)\): which one SPL shows is not defined$/);
  });
});
