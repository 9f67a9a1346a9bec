/** What the SQL target cannot express is an error at the node's position, never a wrong query. */
import { describe, it, expect } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { pred, type Origin, type Stage } from '../../../src/ir/index.js';
import { ruleOf } from './rules.js';
import { bothEngines } from './engines.js';

const at = (line: number, column: number): Origin => ({ file: 'rules/t.yml', line, column });
const codes = (r: ReturnType<typeof render>) => r.diagnostics.map((d) => [d.code, d.severity, d.line, d.column]);

describe('sql diagnostics', () => {
  it('regex: sqlite REGEXP (a host-registered RE2 function) and duckdb refuse what RE2 cannot run; others render it', () => {
    const rule = ruleOf(pred('process.command_line', 'regex', ['a.b'], { origin: at(7, 9) }));
    const r = render(rule, 'sql');
    expect(r.ok).toBe(true);
    expect(r.query).toContain(`("process.command_line" REGEXP '(?i)a.b')`);
    expect(render(rule, 'sql', { dialect: 'duckdb' }).ok).toBe(true);
    // RE2 has no lookahead: DuckDB (and SQLite's RE2 regexp()) would fail at run time, so it is refused at the predicate
    const look = ruleOf(pred('process.command_line', 'regex', ['a(?!b)'], { origin: at(7, 9) }));
    expect(codes(render(look, 'sql', { dialect: 'duckdb' }))).toEqual([['RB401', 'error', 7, 9]]);
    expect(codes(render(look, 'sql'))).toEqual([['RB401', 'error', 7, 9]]);
    expect(render(look, 'sql', { dialect: 'spark' }).ok).toBe(true);
    const pg = render(rule, 'sql', { dialect: 'postgres' });
    expect(pg.ok).toBe(true);
    expect(codes(pg)).toEqual([['RB404', 'warning', 7, 9]]);
  });

  it('cidr: postgres inet; elsewhere text with a warning, other IPv6 networks an error', () => {
    const v4 = ruleOf(pred('source.ip', 'cidr', ['10.0.0.0/8'], { origin: at(3, 5) }));
    for (const d of ['sqlite', 'duckdb', 'spark']) {
      const r = render(v4, 'sql', { dialect: d });
      expect(r.ok).toBe(true);
      expect(codes(r)).toEqual([['RB404', 'warning', 3, 5]]);
    }
    const v6 = ruleOf(pred('source.ip', 'cidr', ['10.0.0.0/8', '2001:db8::/32'], { origin: at(3, 5) }));
    expect(codes(render(v6, 'sql'))).toEqual([['RB404', 'warning', 3, 5], ['RB401', 'error', 3, 5]]);
    const pg = render(v6, 'sql', { dialect: 'postgres' });
    expect(codes(pg)).toEqual([]);
    expect(pg.query).toContain(`CAST("source.ip" AS inet) <<= CAST('2001:db8::/32' AS inet)`);
  });

  it('log sources: a hint only is RB402 at the logsource; other sources select by the logsource.* columns', () => {
    const f = pred('process.name', 'eq', ['x']);
    expect(codes(render(ruleOf(f, [], { extra: { macro: 'cloudtrail' }, origin: at(2, 1) }), 'sql'))).toEqual([['RB402', 'error', 2, 1]]);
    const svc = render(ruleOf(f, [], { product: 'windows', service: 'applocker' }), 'sql');
    expect(svc.query).toContain(`lower("winlog.channel") IN (lower('Microsoft-Windows-AppLocker/MSI and Script'), `);
    expect(render(ruleOf(f, [], { category: 'nope' }), 'sql').query).toContain(`WHERE lower("logsource.category") = lower('nope') AND `);
    expect(render(ruleOf(f, [], { product: 'windows', service: 'nope' }), 'sql').query).toContain(`WHERE lower("logsource.service") = lower('nope') AND `);
    expect(render(ruleOf(f, [], { product: 'linux', category: 'process_creation' }), 'sql').query)
      .toContain(`WHERE (lower("logsource.product") = lower('linux') AND lower("logsource.category") = lower('process_creation')) AND `);
  });

  it('log sources: rows tagged with their Sigma log source are selected by it, in SQLite and DuckDB', async () => {
    const EV = [
      { 'winlog.record_id': '1', 'logsource.product': 'Linux', 'logsource.service': 'auditd', 'process.name': 'x' },
      { 'winlog.record_id': '2', 'logsource.product': 'linux', 'logsource.service': 'sshd', 'process.name': 'x' },
      { 'winlog.record_id': '3', 'process.name': 'x' },
    ];
    for (const eng of await bothEngines(EV)) {
      const q = render(ruleOf(pred('process.name', 'eq', ['x']), [], { product: 'linux', service: 'auditd' }), 'sql', { dialect: eng.name }).query!;
      expect((await eng.all(q)).map((r) => r['winlog.record_id'])).toEqual(['1']);
    }
  });

  it('sqlite folds ASCII only: a warning for a case-insensitive non-ASCII letter', () => {
    const r = render(ruleOf(pred('user.name', 'eq', ['JOSÉ'], { origin: at(9, 14) })), 'sql');
    expect(r.ok).toBe(true);
    expect(codes(r)).toEqual([['RB404', 'warning', 9, 14]]);
    expect(codes(render(ruleOf(pred('user.name', 'eq', ['JOSÉ'], { origin: at(9, 14) })), 'sql', { dialect: 'duckdb' }))).toEqual([]);
    expect(codes(render(ruleOf(pred('user.name', 'eq', ['JOSÉ'], { caseSensitive: true, origin: at(9, 14) })), 'sql'))).toEqual([]);
  });

  it('features outside the capability column fail the check (extract); a time part of a non-timestamp is RB401', () => {
    expect(codes(render(ruleOf(pred('@timestamp', 'contains', ['3'], { part: 'hour', origin: at(3, 3) })), 'sql'))).toEqual([['RB401', 'error', 3, 3]]);
    expect(codes(render(ruleOf(pred('host.name', 'eq', [3], { part: 'hour', origin: at(3, 4) })), 'sql'))).toEqual([['RB401', 'error', 3, 4]]);
    const extract: Stage = { kind: 'extract', field: 'process.command_line', pattern: '(?<x>a)', names: ['x'], origin: at(4, 4) };
    expect(codes(render(ruleOf(pred('host.name', 'exists', [true]), [extract]), 'sql'))).toEqual([['RB401', 'error', 4, 4]]);
  });

  it('fields: an unreadable JSON key is RB403; an absent column after an aggregate is RB405', () => {
    expect(codes(render(ruleOf(pred(`winlog.event_data.a"b`, 'eq', ['x'], { origin: at(5, 7) })), 'sql'))).toEqual([['RB403', 'error', 5, 7]]);
    const agg: Stage = { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'count', as: 'count' }] };
    const having: Stage = { kind: 'filter', expr: pred('host.name', 'eq', ['a'], { origin: at(8, 2) }), origin: at(8, 1) };
    // after an aggregate an absent field reads as NULL, as in SPL: a warning, and the filter holds for no row
    const r = render(ruleOf(pred('host.name', 'exists', [true]), [agg, having]), 'sql');
    expect(r.ok).toBe(true);
    expect(codes(r)).toEqual([['RB405', 'warning', 8, 2]]);
    expect(r.query).toContain("HAVING lower(NULL) = lower('a')");
  });

  it('strftime: unsupported directive and non-literal format are RB401 at the call', () => {
    const ev = (fmt: string): Stage => ({ kind: 'eval', assign: [{ field: 't', expr: { kind: 'call', fn: 'strftime', args: [{ kind: 'field', name: '@timestamp' }, { kind: 'lit', value: fmt }], origin: at(6, 11) } }] });
    expect(codes(render(ruleOf(pred('host.name', 'exists', [true]), [ev('%s')]), 'sql', { dialect: 'duckdb' }))).toEqual([['RB401', 'error', 6, 11]]);
    expect(codes(render(ruleOf(pred('host.name', 'exists', [true]), [ev('%y')]), 'sql'))).toEqual([['RB401', 'error', 6, 11]]);
    expect(render(ruleOf(pred('host.name', 'exists', [true]), [ev('%y')]), 'sql', { dialect: 'duckdb' }).ok).toBe(true);
  });

  it('a NUL character cannot be written in a literal; an unknown dialect is RB411', () => {
    expect(codes(render(ruleOf(pred('host.name', 'eq', ['a\u0000b'], { origin: at(2, 8) })), 'sql'))).toEqual([['RB401', 'error', 2, 8]]);
    expect(codes(render(ruleOf(pred('host.name', 'eq', ['a'])), 'sql', { dialect: 'oracle' }))).toEqual([['RB411', 'error', undefined, undefined]]);
  });
});
