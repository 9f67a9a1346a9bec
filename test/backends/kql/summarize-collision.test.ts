/**
 * An aggregate named like a group-by key. values(x) as x by x repeats the key and renders as one
 * column; another aggregate under a key's name has no defined value (a tstats whose prefix
 * rename makes the names meet keeps the key in SPL, the aggregate stage keeps the aggregate): RB401.
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

  it('values() of another field renamed onto a key is refused at the tstats, saying why', () => {
    const q = '| tstats values(Processes.parent_process_name) as parent_process from datamodel=Endpoint.Processes by Processes.parent_process | `drop_dm_object_name(Processes)`';
    const r = render(splunk(q), 'kql', { dialect: 'defender' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['RB401', 10, col(q, 'tstats')]]);
    expect(r.diagnostics[0]!.message).toBe("kql cannot express two output columns named 'parent_process' (a group-by key and values()): SPL keeps the key where a rename made the names meet, the aggregate stage keeps values()");
  });
});
