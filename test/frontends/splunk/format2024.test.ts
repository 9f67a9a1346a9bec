import { describe, it, expect } from 'vitest';
import { fromFixture, noOrigins } from './load.js';

describe('2024-format detection over raw Sysmon events', () => {
  const r = fromFixture('suspicious_certutil_2024.yml');

  it('lowers with no error', () => {
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.rule).toBeDefined();
  });

  it('turns the sysmon macro and EventCode=1 into the log source', () => {
    const s = noOrigins(r.rule!.query.source);
    expect(s).toMatchObject({ product: 'windows', service: 'sysmon', category: 'process_creation' });
    expect(s.extra?.sourcetype).toBe('XmlWinEventLog:Microsoft-Windows-Sysmon/Operational');
  });

  it('lowers the search terms with SPL semantics', () => {
    expect(noOrigins(r.rule!.query.filter)).toEqual({
      kind: 'and',
      args: [
        // `\\` in the YAML single-quoted string is `\\` in SPL, which is one literal backslash.
        { kind: 'pred', field: 'process.executable', op: 'endswith', values: ['\\certutil.exe'], caseSensitive: false, quantifier: 'any' },
        // `?` is a literal in SPL (no one-character wildcard): `*-split?*` is contains `-split?`.
        { kind: 'pred', field: 'process.command_line', op: 'contains', values: ['urlcache', '-split?'], caseSensitive: false, quantifier: 'any' },
        { kind: 'not', arg: { kind: 'pred', field: 'user.name', op: 'eq', values: ['NT AUTHORITY\\SYSTEM'], caseSensitive: false, quantifier: 'any' } },
      ],
    });
  });

  it('lowers stats, the threshold, rename and table to stages', () => {
    const st = noOrigins(r.rule!.query.stages);
    expect(st[0]).toEqual({
      kind: 'aggregate',
      groupBy: [{ field: 'host.name', as: 'Computer' }, { field: 'user.name', as: 'User' }],
      aggs: [
        { fn: 'count', as: 'count' },
        { fn: 'dc', field: 'process.command_line', as: 'cmdlines' },
        { fn: 'min', field: '@timestamp', as: 'firstTime' },
      ],
    });
    expect(st[1]).toEqual({
      kind: 'filter',
      expr: {
        kind: 'and',
        args: [
          { kind: 'pred', field: 'count', op: 'gt', values: [5], caseSensitive: false, quantifier: 'any' },
          // like(): case-sensitive, `%` → `*`, `_` → `?`.
          { kind: 'pred', field: 'User', op: 'wildcard', values: ['*adm?*'], caseSensitive: true, quantifier: 'any' },
        ],
      },
    });
    expect(st[2]).toEqual({ kind: 'rename', pairs: [{ from: 'Computer', to: 'dest' }] });
    expect(st[3]).toEqual({ kind: 'project', fields: ['dest', 'User', 'count', 'cmdlines', 'firstTime'], mode: 'keep' });
    expect(st).toHaveLength(4);
  });

  it('maps 2024 metadata: date, impact × confidence level, tags', () => {
    expect(r.rule!.meta).toMatchObject({ date: '2024-05-06', tags: ['attack.t1105'], level: 'medium', dataSources: ['Sysmon EventID 1'] });
  });
});
