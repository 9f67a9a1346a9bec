/**
 * The KQL column of the capability table is honest: every feature it declares native or a
 * rewrite renders (and Kusto.Language accepts the query); every feature it declares
 * unsupported is refused with RB401.
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS, FEATURES, featuresUsed, render, type Feature, type LookupSource } from '../../../src/backends/index.js';
import { FUNCTIONS, pred, type AggFn, type Expr, type LogSource, type RuleIR, type Stage, type ValueExpr } from '../../../src/ir/index.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';
import { rule } from './rule.js';

const NET: LogSource = { category: 'network_connection' };
const f = (name: string): ValueExpr => ({ kind: 'field', name });
const lit = (value: string | number): ValueExpr => ({ kind: 'lit', value });
const agg = (extra: Partial<Stage & { kind: 'aggregate' }>, then: Stage[] = [{ kind: 'filter', expr: pred('n', 'gt', [0]) }]): Stage[] => [
  { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }], aggs: [{ fn: 'count', as: 'n' }], ...extra },
  ...then,
];

const ARGS: Partial<Record<string, ValueExpr[]>> = {
  strftime: [f('@timestamp'), lit('%Y-%m-%d')],
  if: [{ kind: 'binary', op: '=', left: f('process.name'), right: lit('a') }, lit('x'), lit('y')],
  match: [f('process.name'), lit('^a')],
  like: [f('process.name'), lit('a%')],
  abs: [f('process.pid')],
  round: [f('process.pid')],
  cidrmatch: [lit('10.0.0.0/8'), f('process.name')],
  replace: [f('process.command_line'), lit('-e(nc)?'), lit('[\\1]')],
  split: [f('process.command_line'), lit(' ')],
  strptime: [f('process.command_line'), lit('%Y-%m-%d')],
  relative_time: [f('process.pid'), lit('-1d@d')],
  mvfilter: [lit('process.name'), { kind: 'binary', op: '=', left: f('process.name'), right: lit('a') }],
  case: [{ kind: 'binary', op: '=', left: f('process.name'), right: lit('a') }, lit(1), { kind: 'binary', op: '=', left: f('process.name'), right: lit('b') }, lit(2)],
  mvindex: [{ kind: 'call', fn: 'split', args: [f('process.command_line'), lit(' ')] }, lit(-1)],
};

/** The rows of the lookup table the stage.lookup rule names. */
const TABLES: LookupSource = { get: (name) => (name === 'known_hosts' ? { file: 'known_hosts.csv', columns: ['host', 'owner'], rows: [['WS1', 'alice']], wildcard: new Set<string>() } : `no table '${name}'`) };

/** A rule that uses the feature (checked below with featuresUsed). */
function ruleFor(feature: Feature): RuleIR {
  const [group, name] = feature.split('.') as [string, string];
  const where = (e: Expr, src?: LogSource) => rule(e, [], src);
  if (group === 'op') {
    const values: Record<string, [string, unknown[], LogSource?]> = {
      eq: ['process.name', ['a']], wildcard: ['process.name', ['a?b*']], contains: ['process.name', ['a']],
      startswith: ['process.name', ['a']], endswith: ['process.name', ['a']], regex: ['process.name', ['a.b']],
      cidr: ['source.ip', ['10.0.0.0/8'], NET], lt: ['process.pid', [5]], le: ['process.pid', [5]], gt: ['process.pid', [5]],
      ge: ['process.pid', [5]], exists: ['process.name', [true]], fieldref: ['process.name', ['process.pe.original_file_name']],
      keyword: ['', ['x']], placeholder: ['process.name', ['admin_tools']],
    };
    const [field, vals, src] = values[name]!;
    return where(pred(field, name as never, vals as never), src);
  }
  if (group === 'agg' && feature !== 'agg.where') {
    const a = { fn: name as AggFn, field: 'process.pid', as: 'v', ...(name === 'percentile' ? { param: 90 } : {}) };
    return rule(pred('process.name', 'eq', ['a']), agg({ aggs: [{ fn: 'count', as: 'n' }, a] }));
  }
  if (group === 'fn') {
    const spec = FUNCTIONS[name as keyof typeof FUNCTIONS];
    const args = ARGS[name] ?? Array.from({ length: spec.min }, () => f('process.name'));
    return rule(pred('process.name', 'eq', ['a']), [{ kind: 'eval', assign: [{ field: 'x', expr: { kind: 'call', fn: name, args } }] }]);
  }
  const stages: Partial<Record<string, Stage[]>> = {
    'stage.aggregate': agg({}), 'stage.filter': [{ kind: 'filter', expr: pred('process.pid', 'gt', [1]) }],
    'stage.eval': [{ kind: 'eval', assign: [{ field: 'x', expr: { kind: 'call', fn: 'lower', args: [f('process.name')] } }] }],
    'stage.rename': [{ kind: 'rename', pairs: [{ from: 'process.name', to: 'pn' }] }],
    'stage.project': [{ kind: 'project', fields: ['process.name', 'host.name'], mode: 'keep' }],
    'stage.dedup': [{ kind: 'dedup', fields: ['host.name'] }], 'stage.sort': [{ kind: 'sort', keys: [{ field: 'process.name', desc: true }] }],
    'stage.head': [{ kind: 'head', n: 5 }],
    'stage.extract': [{ kind: 'extract', field: 'process.command_line', pattern: '-(?<flag>\\w+)', names: ['flag'] }],
    'extract.multi': [{ kind: 'extract', field: 'process.command_line', pattern: '-(?<flag>\\w+)', names: ['flag'], max: 0 }],
    'stage.fillnull': [{ kind: 'fillnull', fields: ['process.name'], value: 'none' }],
    'aggregate.span': agg({ span: { field: '@timestamp', seconds: 3600, as: '_time' } }),
    'aggregate.having': agg({}),
    'agg.where': agg({ aggs: [{ fn: 'count', as: 'n', where: pred('process.name', 'eq', ['b']) }] }),
    'stage.eventstats': [{ kind: 'eventstats', groupBy: [{ field: 'host.name', as: 'host.name' }], aggs: [{ fn: 'count', as: 'n' }] }],
    'stage.mvexpand': [{ kind: 'mvexpand', field: 'process.name' }],
    'stage.join': [{ kind: 'join', type: 'inner', on: ['host.name'], overwrite: true, query: { source: { category: 'process_creation' }, filter: pred('process.name', 'eq', ['b']), stages: [{ kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'host.name' }], aggs: [{ fn: 'count', as: 'm' }] }] } }],
    'stage.lookup': [{ kind: 'lookup', table: 'known_hosts', keys: [{ field: 'host.name', column: 'host' }], outputs: [{ column: 'owner', as: 'owner' }], caseSensitive: false }],
    'stage.sequence': [{ kind: 'sequence', by: ['host.name'], maxspan: 60, steps: ['a', 'b'] }],
    'stage.foreach': agg({}, [{ kind: 'foreach', patterns: ['n*'], assign: [{ field: 'twice_<<FIELD>>', expr: { kind: 'binary', op: '*', left: f('<<FIELD>>'), right: lit(2) } }] }]),
  };
  if (feature === 'query.inputs' || feature === 'stage.sequence') {
    const r = rule({ kind: 'const', value: true }, feature === 'stage.sequence' ? stages[feature]! : agg({}));
    const inp = (name: string) => ({ name, source: { category: 'process_creation' }, filter: pred('process.name', 'eq', [name]), aliases: [] });
    return { ...r, query: { ...r.query, source: {}, inputs: [inp('a'), inp('b')] } };
  }
  if (stages[feature]) return rule(pred('process.name', 'eq', ['a']), stages[feature]!);
  // A stage kind without a builder here (one the SPL frontend added later): the bare node.
  if (group === 'stage') return rule(pred('process.name', 'eq', ['a']), [{ kind: name } as unknown as Stage]);
  const preds: Partial<Record<string, Expr>> = {
    'value.null': pred('process.name', 'eq', [null]),
    'case-sensitive': pred('process.name', 'eq', ['a'], { caseSensitive: true }),
    'quantifier.all': pred('process.command_line', 'contains', ['a', 'b'], { quantifier: 'all' }),
    'regex.flags': pred('process.command_line', 'regex', ['^a'], { flags: 'm' }),
    'time-part': pred('@timestamp', 'eq', [3], { part: 'hour' }),
    'fieldref.partial': pred('process.command_line', 'fieldref', ['process.name'], { refOp: 'contains' }),
    'expr.test': { kind: 'test', expr: { kind: 'binary', op: '>', left: f('process.pid'), right: lit(4) } },
    'op.placeholder': pred('process.name', 'placeholder', ['admin_tools']),
  };
  return where(preds[feature]!);
}

describe('the KQL capability column', () => {
  const caps = BACKENDS.kql.capabilities;
  for (const feature of FEATURES) {
    it(`${feature}: ${caps[feature]}`, () => {
      const r = ruleFor(feature);
      expect([...featuresUsed(r).keys()]).toContain(feature);
      const res = render(r, 'kql', { lookupTables: TABLES });
      if (caps[feature] === 'unsupported') {
        expect(res.ok).toBe(false);
        expect(res.diagnostics.map((d) => d.code)).toContain('RB401');
      } else {
        expect(res.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(res.ok).toBe(true);
        if (!KUSTO_SKIP) expect(kustoErrors(res.query!)).toEqual([]);
      }
    });
  }
  for (const feature of FEATURES.filter((x) => x.startsWith('agg.') && x !== 'agg.where' && caps[x] !== 'unsupported')) {
    it(`${feature} with a where (count(eval(…)) style)`, () => {
      const fn = feature.slice(4) as AggFn;
      const a = { fn, field: 'process.pid', as: 'v', where: pred('process.name', 'eq', ['b']), ...(fn === 'percentile' ? { param: 90 } : {}) };
      const res = render(rule(pred('process.name', 'eq', ['a']), agg({ aggs: [{ fn: 'count', as: 'n' }, a] })), 'kql');
      expect(res.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      if (!KUSTO_SKIP) expect(kustoErrors(res.query!)).toEqual([]);
    });
  }
});
