import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import type { Stage } from '../../../src/ir/index.js';
import { parseSpl, passes } from '../../helpers/spl-parse.js';
import { ruleOf, seedRule } from '../eql/helpers.js';
import { pred } from '../../../src/ir/index.js';

describe('seed rule → spl', () => {
  const out = render(seedRule(), 'spl');
  it('renders the tstats form', () => {
    expect(out.diagnostics).toEqual([]);
    expect(out.query).toBe(readFileSync(resolve(__dirname, '../../fixtures/spl/seed.spl'), 'utf8').trimEnd());
  });
  it('re-parses and filters as the seed does', () => {
    const cmds = parseSpl(out.query!);
    expect(cmds.map((c) => c.name)).toEqual(['tstats', 'rename', 'eval', 'eval']);
    const ev = (name: string, ofn: string, cmd: string) => ({ 'Processes.process_name': name, 'Processes.original_file_name': ofn, 'Processes.process': cmd });
    expect(passes(cmds, ev('MsiExec.exe', '-', 'msiexec /Y a.dll'))).toBe(true);
    expect(passes(cmds, ev('x.exe', 'msiexec.exe', 'x -y a.dll'))).toBe(true);
    expect(passes(cmds, ev('msiexec.exe', 'msiexec.exe', 'msiexec /i a.msi'))).toBe(false);
  });
});

describe('spl aggregates outside tstats', () => {
  const agg = (extra: Partial<Extract<Stage, { kind: 'aggregate' }>> = {}): Stage => ({ kind: 'aggregate', groupBy: [{ field: 'process.name', as: 'process_name' }], aggs: [{ fn: 'count', as: 'count' }], ...extra });
  it('a threshold becomes a where after the aggregate', () => {
    const out = render(ruleOf(pred('process.name', 'eq', ['a']), [agg(), { kind: 'filter', expr: pred('count', 'gt', [5]) }]), 'spl');
    expect(out.query).toBe('| tstats summariesonly=true count from datamodel=Endpoint.Processes where Processes.process_name="a" by Processes.process_name\n| rename Processes.* AS *\n| where count>5');
    parseSpl(out.query!);
  });
  it('a where-only filter uses from datamodel and stats; span buckets with bin', () => {
    const out = render(ruleOf(pred('process.name', 'wildcard', ['a?']), [agg({ span: { field: '@timestamp', seconds: 3600, as: '_time' }, aggs: [{ fn: 'dc', field: 'user.name', as: 'users' }, { fn: 'percentile', field: 'process.pid', param: 95, as: 'p95' }] })]), 'spl');
    expect(out.query).toBe('| from datamodel:"Endpoint.Processes"\n| where match(\'Processes.process_name\', "(?is)\\\\Aa.\\\\z")\n| bin _time span=3600s\n| stats dc(Processes.user) as users perc95(Processes.process_id) as p95 by Processes.process_name _time\n| rename Processes.* AS *');
    parseSpl(out.query!);
  });
  it('raw searches compute a derived group key and rename it', () => {
    const out = render(ruleOf(pred('winlog.event_data.Signed', 'eq', ['false']), [agg({ groupBy: [{ field: 'process.name', as: 'proc' }], aggs: [{ fn: 'count', as: 'n', where: pred('host.name', 'eq', ['h1']) }] }), { kind: 'sort', keys: [{ field: 'n', desc: true }] }, { kind: 'head', n: 10 }]), 'spl', {});
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(out.query).toBe('sourcetype="XmlWinEventLog" source="XmlWinEventLog:Microsoft-Windows-Sysmon/Operational" EventCode=1 Signed="false"\n| eval proc=replace(Image, "^.*\\\\\\\\", "")\n| stats count(eval(if(match(Computer, "(?is)\\\\Ah1\\\\z"), 1, null()))) as n by proc\n| sort 0 -n\n| head 10');
    parseSpl(out.query!);
  });
});
