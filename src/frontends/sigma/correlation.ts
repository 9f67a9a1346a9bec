/**
 * Sigma correlation rules (sigma-correlation-rules-specification.md v2.1.0) lowered to a Query
 * with `inputs` (one per referenced rule) and stages:
 * - event_count → aggregate count by group-by, value_count → dc(field), value_sum / value_avg /
 *   value_percentile / value_median → sum / avg / percentile(param) / median, each followed by a
 *   filter with the condition over the aggregate column;
 * - temporal → dc(rule.name) ≥ the number of rules (or the given condition);
 * - temporal_ordered → a `sequence` stage (steps in listed order, by group-by, maxspan timespan).
 * The aggregate's `span` is the timespan as fixed (tumbling) buckets: the specification's
 * sliding window is approximated by static boundaries, as pySigma's backends do (the spec's
 * "Compatibility" section names this restriction), so events straddling a boundary are missed.
 */
import { diag, type Diagnostic, type Origin } from '../../diagnostics/index.js';
import { and, not, pred, TRUE } from '../../ir/build.js';
import { windowsToCanonical } from '../../ir/fields.js';
import { INPUT_FIELD, type AggFn, type Expr, type GroupKey, type Query, type QueryInput, type RuleIR, type Stage } from '../../ir/nodes.js';
import { originAt, type SourceDoc } from '../../source/index.js';

/** Correlation types, with the aggregate function and output column of the metric ones. */
const METRIC: Record<string, { fn: AggFn; as: string }> = {
  event_count: { fn: 'count', as: 'event_count' },
  value_count: { fn: 'dc', as: 'value_count' },
  value_sum: { fn: 'sum', as: 'value_sum' },
  value_avg: { fn: 'avg', as: 'value_avg' },
  value_percentile: { fn: 'percentile', as: 'value_percentile' },
  value_median: { fn: 'median', as: 'value_median' },
};
/** The output column of a temporal correlation: how many distinct rules matched. */
export const TEMPORAL_COLUMN = 'rule_count';
/** Condition keys and their predicate operators (`neq` is the negation of `eq`). */
const CMP: Record<string, 'gt' | 'ge' | 'lt' | 'le' | 'eq'> = { gt: 'gt', gte: 'ge', lt: 'lt', lte: 'le', eq: 'eq', neq: 'eq' };
const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** A referenced rule, as linking found it. */
export interface ResolvedRef { name: string; id?: string; rule: RuleIR }

/** The `correlation:` section as YAML gives it (validated against the schema). */
interface CorrelationDoc {
  type: string;
  rules: string[];
  'group-by'?: string[];
  timespan: string;
  aliases?: Record<string, Record<string, string>>;
  condition?: Record<string, unknown>;
}

/** `90m` → 5400; undefined when the text is not a number and one of s, m, h, d (or w). */
export function timespanSeconds(text: string): number | undefined {
  const m = /^(\d+)([smhdw])$/.exec(text.trim());
  return m && Number(m[1]) > 0 ? Number(m[1]) * UNIT[m[2]!]! : undefined;
}

/** The canonical name of a Sigma field in the events of one referenced rule. */
function canonicalIn(rule: RuleIR, field: string): string {
  const s = rule.query.source;
  return s.product === 'windows' ? windowsToCanonical(field, s.category).name : field;
}

/**
 * Lowers a correlation document whose references are resolved (`refs[i]` for `rules[i]`).
 * Returns the query, or undefined with error diagnostics in `ds`.
 */
export function lowerCorrelation(src: SourceDoc, refs: ResolvedRef[], ds: Diagnostic[]): Query | undefined {
  const c = (src.value as { correlation: CorrelationDoc }).correlation;
  const at = (...p: (string | number)[]): Origin => originAt(src, '/' + ['correlation', ...p].map(String).join('/'));
  const errors = ds.length;
  const seconds = timespanSeconds(String(c.timespan));
  if (seconds === undefined) ds.push(diag('RB357', `timespan '${c.timespan}' is not a number followed by s, m, h or d`, at('timespan')));

  // Aliases: per input, the alias name and the input's own field (spec "Field Name Aliases").
  const inputs: QueryInput[] = refs.map((r, i) => ({ name: r.name, source: r.rule.query.source, filter: r.rule.query.filter, aliases: [], origin: at('rules', i) }));
  const aliasNames = new Set(Object.keys(c.aliases ?? {}));
  for (const [alias, perRule] of Object.entries(c.aliases ?? {})) {
    for (const [ruleName, field] of Object.entries(perRule ?? {})) {
      const i = refs.findIndex((r, j) => r.name === ruleName || r.id === ruleName || c.rules[j] === ruleName);
      if (i < 0) {
        ds.push(diag('RB351', `alias '${alias}' names rule '${ruleName}', which the correlation does not reference`, originAt(src, `/correlation/aliases/${alias}/${ruleName}`, true)));
        continue;
      }
      inputs[i]!.aliases.push({ as: alias, field: canonicalIn(refs[i]!.rule, String(field)) });
    }
  }
  // A field the inputs name differently becomes an alias of its Sigma name; the same canonical name stays as is.
  const fieldOf = (f: string): string => {
    if (aliasNames.has(f)) return f;
    const names = [...new Set(refs.map((r) => canonicalIn(r.rule, f)))];
    if (names.length === 1) return names[0]!;
    refs.forEach((r, i) => inputs[i]!.aliases.push({ as: f, field: canonicalIn(r.rule, f) }));
    aliasNames.add(f);
    return f;
  };
  const groupBy: GroupKey[] = (c['group-by'] ?? []).map((g) => {
    const f = fieldOf(String(g));
    return { field: f, as: f };
  });
  const span = seconds === undefined ? undefined : { field: '@timestamp', seconds, as: '_time' };
  const stages: Stage[] = [];
  const origin = at('type');

  if (c.type === 'temporal_ordered') {
    const cond = conditionOf(src, c.condition, TEMPORAL_COLUMN, ds, at);
    // A sequence matches only when every step occurs; a condition asking for fewer cannot be kept.
    if (c.condition && !isAtLeast(c.condition, refs.length)) ds.push(diag('RB350', `a temporal_ordered condition other than 'gte: ${refs.length}' (every rule, in order) cannot be lowered`, at('condition')));
    void cond;
    stages.push({ kind: 'sequence', by: groupBy.map((g) => g.field), maxspan: seconds ?? 0, steps: refs.map((r) => r.name), origin });
  } else if (c.type === 'temporal') {
    const cond = c.condition ? conditionOf(src, c.condition, TEMPORAL_COLUMN, ds, at) : pred(TEMPORAL_COLUMN, 'ge', [refs.length], { origin: at('rules') });
    stages.push({ kind: 'aggregate', groupBy, aggs: [{ fn: 'dc', field: INPUT_FIELD, as: TEMPORAL_COLUMN }], ...(span ? { span } : {}), origin });
    if (cond) stages.push({ kind: 'filter', expr: cond, origin: at('condition') });
  } else {
    const m = METRIC[c.type]!;
    if (!c.condition) ds.push(diag('RB356', `a ${c.type} correlation needs a condition`, at()));
    const raw = c.condition?.field;
    const fields = raw === undefined ? [] : Array.isArray(raw) ? raw.map(String) : [String(raw)];
    if (c.type !== 'event_count' && !fields.length) ds.push(diag('RB356', `a ${c.type} correlation needs 'field' in its condition`, c.condition ? at('condition') : at()));
    if (c.type !== 'value_count' && fields.length > 1) ds.push(diag('RB356', `a ${c.type} correlation takes one field`, at('condition', 'field')));
    let param: number | undefined;
    if (c.type === 'value_percentile') {
      const p = c.condition?.percentile;
      if (typeof p !== 'number' || p < 0 || p > 100) ds.push(diag('RB356', "a value_percentile correlation needs 'percentile: <0..100>' in its condition (the rank to compute)", c.condition ? at('condition') : at()));
      else param = p;
    }
    if (!c['group-by']) ds.push(diag('RB356', `a ${c.type} correlation needs group-by`, at()));
    if (ds.length > errors) return undefined;
    // Several value_count fields are linked by AND (spec "Value Count"): one column per field.
    const cols = c.type === 'event_count' ? [m.as] : fields.map((_, i) => (fields.length > 1 ? `${m.as}_${i + 1}` : m.as));
    const aggs = c.type === 'event_count'
      ? [{ fn: m.fn, as: m.as }]
      : fields.map((f, i) => ({ fn: m.fn, field: fieldOf(f), ...(param !== undefined ? { param } : {}), as: cols[i]! }));
    const conds = cols.map((col) => conditionOf(src, c.condition, col, ds, at));
    stages.push({ kind: 'aggregate', groupBy, aggs, ...(span ? { span } : {}), origin });
    if (conds.every((x): x is Expr => !!x)) stages.push({ kind: 'filter', expr: conds.length === 1 ? conds[0]! : and(conds, at('condition')), origin: at('condition') });
  }
  if (ds.length > errors) return undefined;
  return { source: { origin: at() }, filter: TRUE, stages, inputs };
}

/** True when a condition is exactly `gte: n` (or `gt: n - 1`). */
function isAtLeast(cond: Record<string, unknown>, n: number): boolean {
  const keys = Object.keys(cond).filter((k) => k in CMP);
  return keys.length === 1 && ((keys[0] === 'gte' && cond.gte === n) || (keys[0] === 'gt' && cond.gt === n - 1));
}

/** The condition map as a filter over one aggregate column (keys are ANDed: a range). */
function conditionOf(src: SourceDoc, cond: Record<string, unknown> | undefined, column: string, ds: Diagnostic[], at: (...p: (string | number)[]) => Origin): Expr | undefined {
  if (!cond) return undefined;
  const parts: Expr[] = [];
  for (const [k, v] of Object.entries(cond)) {
    if (k === 'field' || k === 'percentile') continue;
    const op = CMP[k];
    if (!op) {
      ds.push(diag('RB356', `unknown condition key '${k}' (known: gt, gte, lt, lte, eq, neq, field)`, originAt(src, `/correlation/condition/${k}`, true)));
      continue;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      ds.push(diag('RB356', `condition '${k}' must be a number`, at('condition', k)));
      continue;
    }
    const p = pred(column, op, [v], { origin: at('condition', k) });
    parts.push(k === 'neq' ? not(p, at('condition', k)) : p);
  }
  if (!parts.length) {
    ds.push(diag('RB356', 'the condition has no comparison (gt, gte, lt, lte, eq or neq)', at('condition')));
    return undefined;
  }
  return parts.length === 1 ? parts[0] : and(parts, at('condition'));
}
