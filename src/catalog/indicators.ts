/**
 * Indicators: the (field, operator, value) triples a rule matches on, read from its IR.
 *
 * One indicator is counted by a canonical key, so the same test written in SPL and in Sigma
 * counts once: the canonical (ECS) field, the operator, the polarity (under a NOT or not) and
 * the value, case-folded when the predicate is case-insensitive.
 *
 * Folding of derived fields: mappings/windows.json says how a Sigma rule expresses a derived
 * field, e.g. `process.name` = basename of `process.executable`, written `Image|endswith:
 * '\X'`. So `process.executable endswith \X` (X without a backslash or glob character) means
 * exactly `process.name eq X` (the basename is X), and is counted as that: a Sigma
 * `Image|endswith: '\msiexec.exe'` and a CIM `process_name=msiexec.exe` are one indicator.
 * The fold is exact, not a heuristic: a path ends in `\X` iff its last segment is X.
 */
import { loadMapping, type Expr, type Pred, type RuleIR, type Scalar, type WindowsMapping } from '../ir/index.js';
import { escapeGlob } from '../ir/index.js';
import { displayField } from './display-field.js';

/** One value of an indicator row, with its canonical key. */
export interface IndicatorValue {
  /** The value as shown (the rule's own spelling where known). */
  shown: string;
  /** The canonical key: rules with the same key share this indicator. */
  key: string;
  /** How many OTHER rules of the catalog contain the key, by source (set by the catalog). */
  corpus?: { total: number; bySource: Record<string, number> };
  /** `corpus 10 (sigma 5, splunk 4)`, or '' (set by the catalog). */
  corpusText?: string;
}

/** One row of a rule's indicator table: a predicate of its filter. */
export interface Indicator {
  /** The field as the rule wrote it where known (`Processes.process_name`, `Image`). */
  field: string;
  /** The canonical field of the key (after folding). */
  canonicalField: string;
  /** The operator as shown (`eq`, `in`, `contains`, `not eq`, …). */
  kind: string;
  /** `all` when every value must match (Sigma `|all`). */
  quantifier: 'any' | 'all';
  caseSensitive: boolean;
  /** True when the predicate sits under an odd number of NOTs (an exclusion). */
  negated: boolean;
  values: IndicatorValue[];
  /** Where the predicate came from (line/column in the rule file). */
  line?: number;
  column?: number;
}

/** A canonical indicator before display: field, operator, polarity, case and value. */
export interface CanonicalParts {
  field: string;
  op: string;
  negated: boolean;
  caseSensitive: boolean;
  value: string;
}

interface Fold {
  from: string;
  prefix: string;
  to: string;
}

let folds: Fold[] | undefined;

/** The endswith folds that mappings/windows.json declares (derived basename fields). */
export function derivedFolds(): Fold[] {
  if (folds) return folds;
  const m = loadMapping<WindowsMapping>('windows');
  const seen = new Map<string, Fold>();
  for (const cat of Object.values(m.categories)) {
    for (const [to, d] of Object.entries(cat.derived ?? {})) {
      if (d.fn !== 'basename' || !d.sigma || d.sigma.op !== 'endswith') continue;
      seen.set(`${d.from}\0${to}`, { from: d.from, prefix: d.sigma.prefix, to });
    }
  }
  folds = [...seen.values()];
  return folds;
}

function scalarText(v: Scalar): string {
  return v === null ? 'null' : typeof v === 'string' ? v : String(v);
}

/**
 * The canonical parts of one value of a predicate. Exported for the tests and for callers that
 * want to count indicators of their own.
 */
export function canonicalParts(p: Pred, v: Scalar, negated: boolean): CanonicalParts {
  let field = p.field;
  let op: string = p.op;
  let value = scalarText(v);
  if (p.op === 'endswith' && typeof v === 'string') {
    for (const f of derivedFolds()) {
      if (f.from !== p.field || !value.startsWith(f.prefix)) continue;
      const rest = value.slice(f.prefix.length);
      if (rest && !rest.includes(f.prefix)) {
        field = f.to;
        op = 'eq';
        value = rest;
      }
      break;
    }
  }
  if (p.op === 'fieldref' && p.refOp && p.refOp !== 'eq') op = `fieldref:${p.refOp}`;
  if (p.part) op = `${op}:${p.part}`;
  if (p.flags) op = `${op}/${p.flags}`;
  // Case folding only where the comparison ignores case: a case-sensitive value keeps its case.
  const caseSensitive = p.caseSensitive && typeof v === 'string';
  if (!caseSensitive && typeof v === 'string' && p.op !== 'fieldref') value = value.toLowerCase();
  return { field, op, negated, caseSensitive, value };
}

/** The counting key of canonical parts. */
export function indicatorKey(c: CanonicalParts): string {
  return JSON.stringify([c.field, c.op, c.negated ? 1 : 0, c.caseSensitive ? 1 : 0, c.value]);
}

/** How a value is shown: SPL rules as globs (as SPL writes them), Sigma values as written. */
function shownValue(p: Pred, v: Scalar, format: RuleIR['format']): string {
  // Quoted as written, not JSON-escaped: a Windows path keeps its single backslashes.
  if (typeof v !== 'string') return v === null ? 'null' : String(v);
  if (format === 'splunk' && !p.caseSensitive) {
    const g = escapeGlob(v);
    const glob = p.op === 'contains' ? `*${g}*` : p.op === 'startswith' ? `${g}*` : p.op === 'endswith' ? `*${g}` : p.op === 'eq' ? g : p.op === 'wildcard' ? v : null;
    if (glob !== null) return `"${glob}"`;
  }
  return `"${v}"`;
}

/** How the operator is shown. SPL `field=glob` and `IN (…)` show as eq/in, like the rule reads. */
function shownKind(p: Pred, format: RuleIR['format'], negated: boolean): string {
  let k: string = p.op;
  if (format === 'splunk' && !p.caseSensitive && ['eq', 'wildcard', 'contains', 'startswith', 'endswith'].includes(p.op)) k = p.values.length > 1 ? 'in' : 'eq';
  if (p.op === 'fieldref' && p.refOp && p.refOp !== 'eq') k = `fieldref ${p.refOp}`;
  if (p.quantifier === 'all' && p.values.length > 1) k += ' all';
  if (p.caseSensitive && typeof p.values[0] === 'string') k += ' (cased)';
  if (p.part) k += ` (${p.part})`;
  return negated ? `not ${k}` : k;
}

/** Every predicate of an expression with its polarity, in source order. */
export function predicatesOf(e: Expr, negated = false, out: { pred: Pred; negated: boolean }[] = []): { pred: Pred; negated: boolean }[] {
  switch (e.kind) {
    case 'pred':
      out.push({ pred: e, negated });
      break;
    case 'and':
    case 'or':
      for (const a of e.args) predicatesOf(a, negated, out);
      break;
    case 'not':
      predicatesOf(e.arg, !negated, out);
      break;
    case 'const':
    case 'test':
      break;
  }
  return out;
}

/** The filters a rule applies to raw events: its filter and any filter stage before the first aggregate. */
export function eventFilters(rule: RuleIR): Expr[] {
  const out: Expr[] = [rule.query.filter];
  for (const s of rule.query.stages) {
    if (s.kind === 'aggregate' || s.kind === 'rename' || s.kind === 'eval' || s.kind === 'extract') break;
    if (s.kind === 'filter') out.push(s.expr);
  }
  return out;
}

/** The indicator rows of a rule; identical rows (same field, kind and values) appear once. */
export function extractIndicators(rule: RuleIR): Indicator[] {
  const rows: Indicator[] = [];
  const seen = new Set<string>();
  for (const f of eventFilters(rule)) {
    for (const { pred: p, negated } of predicatesOf(f)) {
      const values = p.values.map((v) => {
        const c = canonicalParts(p, v, negated);
        return { shown: shownValue(p, v, rule.format), key: indicatorKey(c), canonicalField: c.field };
      });
      const canonicalField = values.length && values.every((v) => v.canonicalField === values[0]!.canonicalField) ? values[0]!.canonicalField : p.field;
      const row: Indicator = {
        // A keyword search names no field: it matches the value in any field of the event.
        field: p.op === 'keyword' ? '(any field)' : displayField(p.field, rule, p.origin?.pointer),
        canonicalField,
        kind: shownKind(p, rule.format, negated),
        quantifier: p.quantifier,
        caseSensitive: p.caseSensitive,
        negated,
        values: values.map(({ shown, key }) => ({ shown, key })),
      };
      if (p.origin?.line !== undefined) row.line = p.origin.line;
      if (p.origin?.column !== undefined) row.column = p.origin.column;
      const id = JSON.stringify([row.field, row.kind, row.values.map((v) => v.key)]);
      if (seen.has(id)) continue;
      seen.add(id);
      rows.push(row);
    }
  }
  return rows;
}

/** The distinct indicator keys of a rule (what corpus counts count). */
export function indicatorKeys(indicators: readonly Indicator[]): Set<string> {
  const keys = new Set<string>();
  for (const i of indicators) for (const v of i.values) keys.add(v.key);
  return keys;
}
