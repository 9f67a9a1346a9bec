/**
 * The default KQL dialect (unified): the Defender XDR table when Defender has one with every
 * column the rule reads, else the Sentinel table of the same events, marked by a comment line.
 */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { and, pred } from '../../../src/ir/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { at, rule } from './rule.js';

const codes = (r: ReturnType<typeof render>) => r.diagnostics.map((d) => [d.code, d.line, d.column]);

describe('kql unified dialect', () => {
  it('reads the Defender XDR table when it has one, with no comment line', () => {
    const r = render(rule(pred('process.name', 'eq', ['x'])), 'kql');
    expect(r.query).toBe("DeviceProcessEvents\n| where FileName =~ 'x'\n");
    expect(render(rule(pred('process.name', 'eq', ['x'])), 'kql', { dialect: 'unified' }).query).toBe(r.query);
  });
  it('falls back to SecurityEvent for the Security service, and says so in a comment', () => {
    const r = render(rule(and([pred('event.code', 'eq', [4688]), pred('winlog.event_data.NewProcessName', 'endswith', ['\\whoami.exe'])]), [], { product: 'windows', service: 'security', origin: at(3, 3) }), 'kql');
    expect(r.query).toBe("// Microsoft Sentinel table SecurityEvent: Defender XDR has no table or column for this rule\nSecurityEvent\n| where EventID == 4688 and NewProcessName endswith '\\\\whoami.exe'\n");
    expect(r.diagnostics).toEqual([]);
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
  it('falls back to the Sysmon table when Defender lacks a column the rule filters on', () => {
    const r = render(rule(pred('process.working_directory', 'eq', ['C:\\'], { origin: at(7, 5) })), 'kql');
    expect(r.query!.split('\n').slice(1, 3)).toEqual(['SysmonEvent', "| where EventID == 1 and CurrentDirectory =~ 'C:\\\\'"]);
    if (!KUSTO_SKIP) expect(kustoErrors(r.query!)).toEqual([]);
  });
  it('reports Sentinel\'s errors when Defender has no table and Sentinel lacks the field', () => {
    const r = render(rule(pred('process.entity_id', 'eq', ['x'], { origin: at(5, 7) }), [], { product: 'windows', service: 'security', origin: at(3, 3) }), 'kql');
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual([['RB403', 5, 7]]);
  });
  it('reports Defender\'s errors when neither flavour has the columns', () => {
    const r = render(rule(pred('process.parent.entity_id', 'eq', ['x'], { origin: at(5, 7) }), [], { category: 'file_rename', origin: at(3, 3) }), 'kql');
    expect(r.ok).toBe(false);
    expect(codes(r).filter((c) => c[0] !== 'RB404')).toEqual([['RB403', 5, 7]]);
    expect(r.diagnostics.find((d) => d.code === 'RB403')!.message).toContain('defender');
  });
  it('does not fall back past an error that is not a mapping gap', () => {
    const r = render(rule(pred('process.command_line', 'regex', ['a(?=b)'], { origin: at(8, 9) })), 'kql');
    expect(codes(r)).toEqual([['RB430', 8, 9]]);
  });
});
