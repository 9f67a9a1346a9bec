/**
 * The capability check: before rendering, every feature the rule uses is looked up in the
 * target's column; each unsupported one is an error at the node's position. A rule that fails
 * here is never rendered, so no target ever emits an empty or partial query.
 */
import { diag, type Diagnostic, type Origin } from '../diagnostics/index.js';
import { walkExpr, walkValue, type Expr, type RuleIR, type ValueExpr } from '../ir/index.js';
import type { Feature } from './capabilities.js';
import type { Backend } from './types.js';

/** Every feature a rule uses, each with the position of its first use. */
export function featuresUsed(rule: RuleIR): Map<Feature, Origin | undefined> {
  const used = new Map<Feature, Origin | undefined>();
  const add = (f: Feature, o?: Origin) => {
    if (!used.has(f)) used.set(f, o);
  };
  const value = (v: ValueExpr) =>
    walkValue(v, (n) => {
      if (n.kind === 'call') add(`fn.${n.fn}` as Feature, n.origin);
    });
  const expr = (e: Expr) =>
    walkExpr(e, (n) => {
      if (n.kind === 'test') {
        add('expr.test', n.origin);
        value(n.expr);
      }
      if (n.kind !== 'pred') return;
      add(`op.${n.op}` as Feature, n.origin);
      if (n.op === 'eq' && n.values.includes(null)) add('value.null', n.origin);
      const stringy = ['eq', 'wildcard', 'contains', 'startswith', 'endswith', 'regex', 'keyword', 'fieldref'].includes(n.op);
      if (n.caseSensitive && stringy && n.values.some((v) => typeof v === 'string')) add('case-sensitive', n.origin);
      if (n.quantifier === 'all' && n.values.length > 1) add('quantifier.all', n.origin);
      if (n.flags) add('regex.flags', n.origin);
      if (n.part) add('time-part', n.origin);
      if (n.op === 'fieldref' && n.refOp && n.refOp !== 'eq') add('fieldref.partial', n.origin);
    });
  expr(rule.query.filter);
  if (rule.query.inputs) {
    add('query.inputs', rule.query.inputs[0]?.origin);
    for (const i of rule.query.inputs) expr(i.filter);
  }
  let aggregated = false;
  for (const s of rule.query.stages) {
    add(`stage.${s.kind}` as Feature, s.origin);
    if (s.kind === 'aggregate') {
      aggregated = true;
      if (s.span) add('aggregate.span', s.origin);
      for (const a of s.aggs) {
        add(`agg.${a.fn}` as Feature, s.origin);
        if (a.where) {
          add('agg.where', s.origin);
          expr(a.where);
        }
      }
    } else if (s.kind === 'filter') {
      if (aggregated) add('aggregate.having', s.origin);
      expr(s.expr);
    } else if (s.kind === 'eval') {
      for (const a of s.assign) value(a.expr);
    } else if (s.kind === 'eventstats') {
      for (const a of s.aggs) {
        add(`agg.${a.fn}` as Feature, s.origin);
        if (a.where) expr(a.where);
      }
    } else if (s.kind === 'extract') {
      if (s.max !== undefined && s.max !== 1) add('extract.multi', s.origin);
    } else if (s.kind === 'join') {
      expr(s.query.filter);
    }
  }
  return used;
}

/** Diagnostics for every feature the target cannot express. */
export function checkCapabilities(rule: RuleIR, backend: Backend): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [feature, origin] of featuresUsed(rule)) {
    const support = backend.capabilities[feature] ?? 'unsupported';
    if (support === 'unsupported') {
      out.push(diag('RB401', `${backend.name} cannot express ${feature}`, origin ?? { file: rule.file }));
    }
  }
  return out;
}
