/**
 * The IR: one serializable representation of a detection, whatever language it came from.
 * Every union is keyed on `kind`; visitors typed as `Record<Kind, …>` make a missing case a
 * compile error. The JSON Schema of this file is schemas/ir.schema.json.
 *
 * Semantics are explicit, never implied by the source language:
 * - `caseSensitive` says how strings compare (SPL `field=value` and Sigma: false; SPL `where`,
 *   `match()`, Sigma `|cased`: true).
 * - String values are literal (escapes already resolved). Only `wildcard` and `keyword` values
 *   are glob patterns, in the syntax of src/ir/glob.ts: `*` any run, `?` one character, `\`
 *   escapes the next `*`, `?` or `\`.
 * - Field names are canonical (ECS, with `winlog.event_data.<Field>` for Windows fields ECS
 *   does not name). After an aggregate, filters and stages name the output columns instead.
 */
import type { Origin } from '../diagnostics/index.js';

export type { Origin };

/** A literal value of a predicate. */
export type Scalar = string | number | boolean | null;

/** Predicate operators. */
export type PredOp =
  | 'eq' // equality; `null` value = the field is null or missing
  | 'wildcard' // glob pattern (see glob.ts), anchored at both ends
  | 'contains'
  | 'startswith'
  | 'endswith'
  | 'regex' // ECMAScript-compatible RE2 subset, unanchored (as Sigma `|re` and SPL `match()`)
  | 'cidr' // IPv4 or IPv6 network, e.g. 10.0.0.0/8
  | 'lt' | 'le' | 'gt' | 'ge' // numeric comparison
  | 'exists' // values: [true] the field exists, [false] it does not
  | 'fieldref' // the field equals (or `refOp`) the field named by each value
  | 'keyword' // value-only search: the glob matches any field of the event (Sigma keywords)
  | 'placeholder'; // the field compares (by `refOp`, default eq) to any entry of the named list in values[0] (Sigma |expand)

/** Parts of a timestamp that a predicate may compare (Sigma `|minute` … `|year`). */
export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

/** One comparison of a field against one or more values. */
export interface Pred {
  kind: 'pred';
  field: string;
  op: PredOp;
  values: Scalar[];
  caseSensitive: boolean;
  /** `any`: one value suffices (OR); `all`: every value must match (AND, Sigma `|all`). */
  quantifier: 'any' | 'all';
  /** Regex flags beyond case: `m` multi-line, `s` dot-all. */
  flags?: string;
  /** With `fieldref` and `placeholder`: how the two sides compare (default `eq`). */
  refOp?: 'eq' | 'contains' | 'startswith' | 'endswith';
  /** Compare this part of the field's timestamp instead of the whole value. */
  part?: TimePart;
  origin?: Origin;
}

export interface And { kind: 'and'; args: Expr[]; origin?: Origin }
export interface Or { kind: 'or'; args: Expr[]; origin?: Origin }
export interface Not { kind: 'not'; arg: Expr; origin?: Origin }
/** `true` matches every event (SPL `search *`); `false` none. */
export interface Const { kind: 'const'; value: boolean; origin?: Origin }
/** A boolean computed expression (SPL `where` with functions) that is not a plain predicate. */
export interface Test { kind: 'test'; expr: ValueExpr; origin?: Origin }

/** A boolean condition over one event or one row. */
export type Expr = And | Or | Not | Pred | Const | Test;
export type ExprKind = Expr['kind'];

/** Computed values (SPL eval/where). */
export interface FieldRef { kind: 'field'; name: string; origin?: Origin }
export interface Lit { kind: 'lit'; value: Scalar; origin?: Origin }
/** A function call; the function names are the table in src/ir/functions.ts. */
export interface Call { kind: 'call'; fn: string; args: ValueExpr[]; origin?: Origin }
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '.' | '=' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or';
export interface Binary { kind: 'binary'; op: BinaryOp; left: ValueExpr; right: ValueExpr; origin?: Origin }
export interface Unary { kind: 'unary'; op: 'not' | '-'; arg: ValueExpr; origin?: Origin }
export type ValueExpr = FieldRef | Lit | Call | Binary | Unary;
export type ValueExprKind = ValueExpr['kind'];

/** Aggregation functions. */
export type AggFn =
  | 'count' | 'dc' | 'min' | 'max' | 'sum' | 'avg' | 'stdev' | 'median' | 'percentile'
  | 'values' | 'list' | 'earliest' | 'latest' | 'first' | 'last' | 'mode' | 'range' | 'var';

/** One aggregate column: `fn(field) as as`. */
export interface Agg {
  fn: AggFn;
  /** The input field; absent for a plain count. */
  field?: string;
  /** Only rows where this holds are counted (SPL `count(eval(…))`). */
  where?: Expr;
  /** Parameter of the function (the percentile). */
  param?: number;
  as: string;
}

/** One group-by key: the input field and the output column's name. */
export interface GroupKey { field: string; as: string }

/** Group rows and compute aggregates: SPL stats/tstats, KQL summarize, SQL GROUP BY. */
export interface Aggregate {
  kind: 'aggregate';
  groupBy: GroupKey[];
  aggs: Agg[];
  /** Time buckets: group also by `field` floored to `seconds` (SPL `by _time span=1h`). */
  span?: { field: string; seconds: number; as: string };
  origin?: Origin;
}
/** Keep the rows for which `expr` holds; after an aggregate this is a HAVING. */
export interface Filter { kind: 'filter'; expr: Expr; origin?: Origin }
/** Compute fields (SPL eval, convert). */
export interface Eval { kind: 'eval'; assign: { field: string; expr: ValueExpr }[]; origin?: Origin }
/** Rename fields; `from` may end in `*` to rename a prefix (SPL `rename Processes.* AS *`). */
export interface Rename { kind: 'rename'; pairs: { from: string; to: string }[]; origin?: Origin }
/** Keep (`table`, `fields`) or drop (`fields -`) columns. */
export interface Project { kind: 'project'; fields: string[]; mode: 'keep' | 'drop'; origin?: Origin }
export interface Dedup { kind: 'dedup'; fields: string[]; origin?: Origin }
export interface Sort { kind: 'sort'; keys: { field: string; desc: boolean }[]; origin?: Origin }
export interface Head { kind: 'head'; n: number; origin?: Origin }
/** Extract named groups of a regex over a field into new fields (SPL rex). */
export interface Extract {
  kind: 'extract'; field: string; pattern: string; names: string[];
  /** Up to `max` matches (0: every one), each name holding the list of its values (SPL rex max_match); absent: the first match. */
  max?: number;
  origin?: Origin;
}
/** Fill null fields with a value (SPL fillnull). */
export interface FillNull { kind: 'fillnull'; fields: string[]; value: Scalar; origin?: Origin }

/** Aggregates computed per group and added to every row of the group, the rows kept (SPL eventstats). */
export interface EventStats { kind: 'eventstats'; groupBy: GroupKey[]; aggs: Agg[]; origin?: Origin }
/** One row per value of a multi-valued field (SPL mvexpand). */
export interface MvExpand { kind: 'mvexpand'; field: string; origin?: Origin }
/**
 * Join the rows with the rows of a sub-query over the same events on equal `on` fields
 * (SPL `join type=inner|left f [search …]`). The sub-query's fields are added to the row; on a
 * name clash `overwrite` says whether the sub-query's value wins (SPL's default, overwrite=true).
 */
export interface Join {
  kind: 'join';
  type: 'inner' | 'left';
  on: string[];
  query: Query;
  overwrite: boolean;
  /** How many matching sub-query rows (the first, in its order) join each row (SPL `max`); absent: 1, SPL's default; 0: every one. */
  max?: number;
  origin?: Origin;
}
/**
 * Enrich rows from a named lookup table (SPL `lookup`): rows whose `keys` equal a table row
 * (row field = table column) get the table's `outputs`; rows without a match keep going
 * with the outputs missing.
 */
export interface Lookup {
  kind: 'lookup';
  table: string;
  keys: { field: string; column: string }[];
  outputs: { column: string; as: string }[];
  caseSensitive: boolean;
  origin?: Origin;
}
/**
 * An ordered sequence over the tagged inputs of a correlation (Sigma `temporal_ordered`, EQL
 * `sequence`): a group (same `by` values) matches when events of `steps` (input names) occur in
 * that order within `maxspan` seconds.
 */
export interface Sequence { kind: 'sequence'; by: string[]; maxspan: number; steps: string[]; origin?: Origin }

/**
 * Runs `assign` once for each field of the row whose name matches one of `patterns` (`*` any
 * run), the names taken before the first run, in code-unit order (SPL `foreach a* [eval …]`,
 * multifield mode, Search Reference "foreach"). In the template's field names and string values
 * `<<FIELD>>` stands for the name, `<<MATCHSTR>>` for what the `*` matched and `<<MATCHSEGn>>`
 * for what the n-th `*` matched. The set of fields depends on the row, so most targets refuse it.
 */
export interface ForEach { kind: 'foreach'; patterns: string[]; assign: { field: string; expr: ValueExpr }[]; origin?: Origin }
/**
 * Every path of the JSON or XML document in `input` becomes a field named by the path (SPL
 * `spath` without a path): object keys and XML elements joined by `.`, `{}` after an array,
 * `{@a}` for an XML attribute; a path with several values gives a list.
 */
export interface SpathAll { kind: 'spath'; input: string; origin?: Origin }
/**
 * Geo-IP fields of the address in `field` (SPL iplocation): City, Country, Region, lat, lon, and
 * with `allFields` also Continent, MetroCode, Timezone, each name preceded by `prefix`.
 */
export interface IpLocation { kind: 'iplocation'; field: string; prefix: string; allFields: boolean; origin?: Origin }

/** A transformation of the rows that leave the filter. */
export type Stage =
  | Aggregate | Filter | Eval | Rename | Project | Dedup | Sort | Head | Extract | FillNull
  | EventStats | MvExpand | Join | Lookup | Sequence | ForEach | SpathAll | IpLocation;
export type StageKind = Stage['kind'];

/** The log source, in the Sigma taxonomy; `extra` keeps source-specific hints (data model, macro). */
export interface LogSource {
  product?: string;
  category?: string;
  service?: string;
  /** Source hints that do not fit the taxonomy, e.g. `{datamodel: "Endpoint.Processes"}`. */
  extra?: Record<string, string>;
  origin?: Origin;
}

/**
 * One input of a correlation: the events a referenced rule matches, tagged with the rule's
 * name in the field `INPUT_FIELD`, with `aliases` copying the input's field to a shared name.
 */
export interface QueryInput {
  name: string;
  source: LogSource;
  filter: Expr;
  aliases: { as: string; field: string }[];
  origin?: Origin;
}

/** The field that names the input (referenced rule) an event of a correlation came from. */
export const INPUT_FIELD = 'rule.name';

/**
 * What a rule searches: a log source, a filter over its events and a pipeline of stages.
 * With `inputs` (a correlation), the events are the union of the inputs' events; `source` is
 * then empty and `filter` is `const true`.
 */
export interface Query {
  source: LogSource;
  filter: Expr;
  stages: Stage[];
  inputs?: QueryInput[];
}

/** A rule's metadata, shared by every frontend and used by every backend. */
export interface RuleMeta {
  id: string;
  title: string;
  description?: string;
  author?: string;
  date?: string;
  modified?: string;
  status?: string;
  /** informational | low | medium | high | critical */
  level?: string;
  references: string[];
  /** Sigma-style tags, e.g. `attack.t1218.007`. */
  tags: string[];
  falsepositives: string[];
  /** Data sources named by the rule (security_content `data_source`). */
  dataSources?: string[];
}

/** A lowered rule: what every backend, the evaluator and the catalog consume. */
export interface RuleIR {
  format: 'splunk' | 'sigma';
  file: string;
  meta: RuleMeta;
  query: Query;
}
