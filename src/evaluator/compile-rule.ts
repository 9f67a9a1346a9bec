/**
 * One rule → its compiled parts: feeds (log source selector + filter closure, one per input of
 * a correlation), pipeline stages, and the sub-queries of its joins.
 */
import { diag, type Diagnostic } from '../diagnostics/index.js';
import { normalizeQuery, type Expr, type Query, type RuleIR } from '../ir/index.js';
import { compileExpr } from './compile-expr.js';
import { compileLogSource } from './logsource.js';
import { compileStage, renameNames } from './stages.js';
import { LookupResolver } from './lookup-tables.js';
import type { CompileContext, CompiledQuery, Feed } from './pipeline.js';

export type { CompiledQuery, Feed } from './pipeline.js';

/** A rule ready to run. */
export interface CompiledRule extends CompiledQuery {
  /** The rule's id (its file when it has none): what matches and aggregates name. */
  id: string;
  file: string;
  rule: RuleIR;
}

/** Options of compileRules. */
export interface CompileOptions {
  /** Folders where lookup tables are found (Splunk lookup definitions `<name>.yml` + CSV, or `<name>.csv`). */
  lookups?: string[];
  /** Values of Sigma placeholders (`|expand`): list name → values. A placeholder without values is RB504. */
  placeholders?: Record<string, string[]>;
}

/** Replaces placeholder predicates whose list has values by the predicate they stand for. */
function expandPlaceholders(e: Expr, lists: Record<string, string[]>): Expr {
  switch (e.kind) {
    case 'and': case 'or': return { ...e, args: e.args.map((a) => expandPlaceholders(a, lists)) };
    case 'not': return { ...e, arg: expandPlaceholders(e.arg, lists) };
    case 'pred': {
      const vals = e.op === 'placeholder' ? lists[String(e.values[0])] : undefined;
      if (!vals) return e;
      const { refOp, ...rest } = e;
      return { ...rest, op: refOp ?? 'eq', values: vals };
    }
    default: return e;
  }
}

function compileQuery(q0: Query, file: string, diags: Diagnostic[], ctx: CompileContext, opts: CompileOptions): CompiledQuery | undefined {
  const q = normalizeQuery(q0);
  const expand = (e: Expr) => (opts.placeholders ? expandPlaceholders(e, opts.placeholders) : e);
  const feeds: Feed[] = [];
  const before = diags.length;
  if (q.inputs) {
    for (const inp of q.inputs) {
      const source = compileLogSource(inp.source, file, diags);
      const filter = compileExpr(expand(inp.filter), diags);
      if (source) feeds.push({ source, filter, tag: { name: inp.name, aliases: inp.aliases } });
    }
    if (!q.inputs.length) diags.push(diag('RB504', 'a correlation without inputs', { file }));
  } else {
    const source = compileLogSource(q.source, file, diags);
    const filter = compileExpr(expand(q.filter), diags);
    if (source) feeds.push({ source, filter });
  }
  const stages = q.stages.map((s) => compileStage(s, diags, ctx));
  const cut = stages.findIndex((s) => s.kind !== 'step');
  const prefix = cut < 0 ? stages : stages.slice(0, cut);
  const rest = cut < 0 ? [] : stages.slice(cut);
  let groupNames: string[] = [];
  let aggregates = false;
  q.stages.forEach((s, i) => {
    const c = stages[i]!;
    if (c.kind === 'aggregate') { aggregates = true; groupNames = c.names; }
    else if (s.kind === 'sequence') { aggregates = true; groupNames = [...s.by]; }
    else if (!aggregates) return;
    else if (s.kind === 'rename') groupNames = renameNames(groupNames, s.pairs);
    else if (s.kind === 'project') groupNames = groupNames.filter((n) => s.fields.includes(n) === (s.mode === 'keep'));
  });
  if (diags.slice(before).some((d) => d.severity === 'error')) return undefined;
  return { feeds, prefix, rest, aggregates, groupNames, subs: [] };
}

/** Compiles one rule; returns undefined when it has an error (the diagnostics say why). */
export function compileRule(rule: RuleIR, diags: Diagnostic[], opts: CompileOptions = {}, lookups = new LookupResolver(opts.lookups ?? [])): CompiledRule | undefined {
  const local: Diagnostic[] = [];
  const subs: CompiledQuery[] = [];
  const empty: CompiledQuery = { feeds: [], prefix: [], rest: [], aggregates: false, groupNames: [], subs: [] };
  const ctx: CompileContext = {
    lookups,
    subQuery: (q, d) => {
      const c = compileQuery(q, rule.file, d, ctx, opts) ?? empty;
      subs.push(c);
      return c;
    },
  };
  const main = compileQuery(rule.query, rule.file, local, ctx, opts);
  for (const d of local) if (d.file === undefined) d.file = rule.file;
  diags.push(...local);
  if (!main || local.some((d) => d.severity === 'error')) return undefined;
  return { ...main, subs, id: rule.meta.id || rule.file, file: rule.file, rule };
}
