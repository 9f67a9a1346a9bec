/**
 * IR correlation queries (`inputs` + stages) → a Sigma correlation rule
 * (sigma-correlation-rules-specification.md v2.1.0). The shapes the Sigma frontend lowers come
 * back as what they came from: aggregate(count | dc | sum | avg | percentile | median) with a
 * `span` and an optional filter on the aggregate's column, or one `sequence` stage. Any other
 * pipeline is refused (RB401), never approximated.
 */
import { diag, type Diagnostic } from '../diagnostics/index.js';
import { canonicalToWindows, INPUT_FIELD, type Aggregate, type Expr, type LogSource, type Pred, type QueryInput, type RuleIR } from '../ir/index.js';

/** Correlation types by aggregate function (dc of the input tag is `temporal`). */
const TYPE_OF: Partial<Record<string, string>> = { count: 'event_count', dc: 'value_count', sum: 'value_sum', avg: 'value_avg', percentile: 'value_percentile', median: 'value_median' };
const KEY_OF: Partial<Record<Pred['op'], string>> = { gt: 'gt', ge: 'gte', lt: 'lt', le: 'lte', eq: 'eq' };

/** The Sigma name of a canonical field in one input's log source, or undefined. */
export function sigmaFieldName(name: string, source: LogSource): string | undefined {
  return source.product === 'windows' ? canonicalToWindows(name, source.category) : name;
}

/** `5400` → `90m`: the largest of d, h, m, s that divides the seconds. */
export function timespanText(seconds: number): string {
  for (const [u, n] of [['d', 86400], ['h', 3600], ['m', 60]] as const) if (seconds % n === 0) return `${seconds / n}${u}`;
  return `${seconds}s`;
}

/** The `correlation:` section of a correlation query; undefined with RB401/RB403 when it has none. */
export function correlationSection(rule: RuleIR, ds: Diagnostic[]): Record<string, unknown> | undefined {
  const q = rule.query;
  const inputs = q.inputs ?? [];
  const at = q.stages[0]?.origin ?? { file: rule.file };
  const fail = (msg: string) => {
    ds.push(diag('RB401', `sigma correlation: ${msg}`, at));
    return undefined;
  };
  if (!inputs.length) return fail('a correlation needs at least one input rule');
  const aliasNames = new Set(inputs.flatMap((i) => i.aliases.map((a) => a.as)));
  const field = (name: string): string | undefined => {
    if (aliasNames.has(name)) return name;
    const names = new Set(inputs.map((i) => sigmaFieldName(name, i.source)));
    const one = [...names][0];
    if (names.size !== 1 || !one) {
      ds.push(diag('RB403', `sigma has no single field name for '${name}' in the correlated rules' log sources`, at));
      return undefined;
    }
    return one;
  };
  const section: Record<string, unknown> = {};
  const aliases = aliasSection(inputs, ds, at);
  if (!aliases) return undefined;
  const [s0, s1, ...rest] = q.stages;
  if (s0?.kind === 'sequence' && !s1) {
    if (s0.steps.join('\0') !== inputs.map((i) => i.name).join('\0')) return fail('sequence steps must be the inputs in their order');
    const by = s0.by.map(field);
    if (by.some((b) => b === undefined)) return undefined;
    Object.assign(section, { type: 'temporal_ordered', rules: s0.steps });
    if (Object.keys(aliases).length) section.aliases = aliases;
    Object.assign(section, { 'group-by': by, timespan: timespanText(s0.maxspan) });
    return section;
  }
  if (s0?.kind !== 'aggregate' || rest.length || (s1 && s1.kind !== 'filter')) return fail(`sigma expresses only an aggregate with its condition, or a sequence (got ${q.stages.map((s) => s.kind).join(', ') || 'no stage'})`);
  const agg: Aggregate = s0;
  if (!agg.span || agg.span.field !== '@timestamp') return fail('the aggregate needs time buckets over @timestamp (the timespan)');
  if (!agg.aggs.length || agg.aggs.some((a) => a.fn !== agg.aggs[0]!.fn || a.where)) return fail('one aggregate function, without a where');
  if (agg.groupBy.some((g) => g.as !== g.field)) return fail('group-by columns keep their field names');
  const fn = agg.aggs[0]!.fn;
  const temporal = fn === 'dc' && agg.aggs.length === 1 && agg.aggs[0]!.field === INPUT_FIELD;
  const type = temporal ? 'temporal' : TYPE_OF[fn];
  if (!type) return fail(`the aggregate function ${fn} is no correlation type`);
  if (agg.aggs.length > 1 && type !== 'value_count') return fail(`${type} takes one field`);
  const groupBy = agg.groupBy.map((g) => field(g.field));
  if (groupBy.some((g) => g === undefined)) return undefined;
  const cond = s1 ? conditionOf(s1.expr, agg.aggs.map((a) => a.as)) : {};
  if (!cond) return fail('the condition must compare the aggregate column with numbers (gt, gte, lt, lte, eq, neq)');
  if (type === 'event_count' && agg.aggs[0]!.field) return fail('event_count counts events, not a field');
  const condition: Record<string, unknown> = {};
  if (!temporal && type !== 'event_count') {
    const fields = agg.aggs.map((a) => (a.field ? field(a.field) : undefined));
    if (fields.some((f) => f === undefined)) return undefined;
    condition.field = fields.length === 1 ? fields[0] : fields;
    if (type === 'value_percentile') condition.percentile = agg.aggs[0]!.param;
  }
  Object.assign(condition, cond);
  if (!temporal && !Object.keys(cond).length) return fail(`${type} needs a condition (a filter on its column)`);
  Object.assign(section, { type, rules: inputs.map((i) => i.name) });
  if (Object.keys(aliases).length) section.aliases = aliases;
  Object.assign(section, { 'group-by': groupBy, timespan: timespanText(agg.span.seconds) });
  // temporal without a condition means every rule (spec "Temporal Proximity"); say it only when it differs.
  if (temporal) {
    const every = Object.keys(cond).length === 1 && cond.gte === inputs.length;
    if (!every) section.condition = Object.keys(cond).length ? cond : { gte: 1 };
  } else section.condition = condition;
  return section;
}

/** `aliases:` — alias → input name → the input's Sigma field. */
function aliasSection(inputs: QueryInput[], ds: Diagnostic[], at: object): Record<string, Record<string, string>> | undefined {
  const out: Record<string, Record<string, string>> = {};
  for (const i of inputs) {
    for (const a of i.aliases) {
      const f = sigmaFieldName(a.field, i.source);
      if (!f) {
        ds.push(diag('RB403', `sigma has no field for '${a.field}' (alias '${a.as}') in the log source of '${i.name}'`, i.origin ?? at));
        return undefined;
      }
      (out[a.as] ??= {})[i.name] = f;
    }
  }
  return out;
}

/**
 * The condition keys of a filter over the aggregate columns: comparisons with numbers, ANDed,
 * each column compared the same way; undefined for anything else.
 */
function conditionOf(e: Expr, cols: string[]): Record<string, number> | undefined {
  const parts = e.kind === 'and' ? e.args : [e];
  const perCol = new Map<string, Record<string, number>>();
  for (const p of parts) {
    const neg = p.kind === 'not';
    const x = neg ? p.arg : p;
    if (x.kind !== 'pred' || !cols.includes(x.field) || x.values.length !== 1 || typeof x.values[0] !== 'number') return undefined;
    const key = neg ? (x.op === 'eq' ? 'neq' : undefined) : KEY_OF[x.op];
    if (!key) return undefined;
    const m = perCol.get(x.field) ?? {};
    if (key in m) return undefined;
    m[key] = x.values[0];
    perCol.set(x.field, m);
  }
  const texts = new Set(cols.map((c) => JSON.stringify(perCol.get(c) ?? {})));
  if (texts.size !== 1) return undefined;
  return perCol.get(cols[0]!) ?? {};
}
