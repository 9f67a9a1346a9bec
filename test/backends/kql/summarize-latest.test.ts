/**
 * latest() and earliest() in a summarize after another aggregate: SPL orders the rows by their
 * `_time` (a span bucket or a by _time key), so KQL takes arg_max/arg_min over that column;
 * without a `_time` column the rows have no time and the aggregate is refused.
 */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { splunk } from './windows-search.js';

const USER = "iff(isempty(InitiatingProcessAccountDomain), InitiatingProcessAccountName, strcat(InitiatingProcessAccountDomain, '\\\\', InitiatingProcessAccountName))";

describe('kql: latest() and earliest() over aggregated rows', () => {
  it('after tstats … by _time span=1h they order by the _time bucket, skipping rows without the value', () => {
    const q = '| tstats count latest(Filesystem.user) as user from datamodel=Endpoint.Filesystem by Filesystem.file_name Filesystem.dest _time span=1h | `drop_dm_object_name(Filesystem)` | stats latest(user) as user earliest(file_name) as first_file dc(file_name) as files by dest';
    const r = render(splunk(q), 'kql', { dialect: 'defender' });
    expect(r.ok).toBe(true);
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
    expect(r.query!.split('\n')).toEqual([
      'DeviceFileEvents',
      `| summarize ['count'] = count(), (AggTime0, user) = arg_max(iff(isnotempty(${USER}), Timestamp, datetime(null)), ${USER}) by file_name = FileName, dest = DeviceName, _time = bin(Timestamp, 3600s)`,
      '| project-away AggTime0',
      '| summarize (AggTime0, user) = arg_max(iff(isnotempty(user), _time, datetime(null)), user), (AggTime1, first_file) = arg_min(iff(isnotempty(file_name), _time, datetime(null)), file_name), files = count_distinctif(file_name, isnotempty(file_name)) by dest',
      '| project-away AggTime0, AggTime1',
      '',
    ]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['RB404', 'RB404']);
  });

  it('after a stats with no _time column there is no time to order by: RB401 at the second stats', () => {
    const q = '| tstats count from datamodel=Endpoint.Filesystem by Filesystem.file_name Filesystem.user | `drop_dm_object_name(Filesystem)` | stats latest(user) as user by file_name';
    const r = render(splunk(q), 'kql', { dialect: 'defender' });
    expect(r.ok).toBe(false);
    const errors = r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column, d.message]);
    expect(errors).toEqual([['RB401', 10, 3 + q.lastIndexOf('stats'), 'kql cannot express latest() here: no event time to order the rows by']]);
  });

  it('a _time that is no time (renamed from a text column) is not ordered by', () => {
    const q = '| tstats count from datamodel=Endpoint.Filesystem by Filesystem.file_name Filesystem.user | `drop_dm_object_name(Filesystem)` | rename file_name as _time | stats earliest(user) as user by _time';
    const r = render(splunk(q), 'kql', { dialect: 'defender' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.column])).toEqual([['RB401', 10, 3 + q.lastIndexOf('stats')]]);
  });
});
