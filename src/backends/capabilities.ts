/**
 * The capability table: every IR feature × every target is native, a rewrite (expressible
 * through an equivalent construct) or unsupported. The check pass reports every unsupported
 * feature a rule uses before rendering; the README's support matrix is generated from it.
 */
import { FUNCTIONS, type AggFn, type PredOp, type StageKind } from '../ir/index.js';

export type Support = 'native' | 'rewrite' | 'unsupported';

const AGG_FNS: readonly AggFn[] = ['count', 'dc', 'min', 'max', 'sum', 'avg', 'stdev', 'median', 'percentile', 'values', 'list', 'earliest', 'latest', 'first', 'last', 'mode', 'range', 'var'];
const OPS: readonly PredOp[] = ['eq', 'wildcard', 'contains', 'startswith', 'endswith', 'regex', 'cidr', 'lt', 'le', 'gt', 'ge', 'exists', 'fieldref', 'keyword', 'placeholder'];
const STAGES: readonly StageKind[] = ['aggregate', 'filter', 'eval', 'rename', 'project', 'dedup', 'sort', 'head', 'extract', 'fillnull', 'eventstats', 'mvexpand', 'join', 'lookup', 'sequence', 'foreach', 'spath', 'iplocation'];

/** Every feature name, in table order. */
export const FEATURES = [
  ...OPS.map((o) => `op.${o}` as const),
  'value.null', // eq null: the field is null or missing
  'case-sensitive', // a string comparison that must respect case
  'quantifier.all', // all values must match (Sigma |all)
  'regex.flags', // regex m/s flags
  'time-part', // compare a part of a timestamp (Sigma |hour)
  'fieldref.partial', // fieldref with contains/startswith/endswith
  'expr.test', // computed boolean expression
  ...STAGES.map((s) => `stage.${s}` as const),
  'query.inputs', // a correlation: the union of several rules' events, tagged by rule
  'aggregate.span',
  'aggregate.having', // a filter after an aggregate
  'extract.multi', // an extraction of every match (SPL rex max_match), each name a list
  'agg.where', // conditional aggregate (count(eval(...)))
  ...AGG_FNS.map((f) => `agg.${f}` as const),
  ...(Object.keys(FUNCTIONS) as (keyof typeof FUNCTIONS)[]).map((f) => `fn.${f}` as const),
] as const;

export type Feature = (typeof FEATURES)[number];

/** One target's column. */
export type Capabilities = Record<Feature, Support>;

/**
 * Stages whose field set depends on the row or on a geo-IP database (SPL foreach over a
 * wildcard, spath without a path, iplocation): unsupported in a column unless it names them.
 */
const SPL_ONLY: ReadonlySet<Feature> = new Set<Feature>(['stage.foreach', 'stage.spath', 'stage.iplocation']);

/**
 * Builds a column: every feature gets `base`, then the listed ones are overridden. Keeping the
 * overrides short makes each backend's differences easy to read.
 */
export function column(base: Support, overrides: Partial<Record<Feature, Support>>): Capabilities {
  const col = {} as Capabilities;
  for (const f of FEATURES) col[f] = overrides[f] ?? (SPL_ONLY.has(f) ? 'unsupported' : base);
  return col;
}

/** The features of one group (`op.`, `stage.`, `agg.`, `fn.`). */
export function featuresOf(prefix: string): Feature[] {
  return FEATURES.filter((f) => f.startsWith(prefix));
}
