/** One rule → its compiled parts: log source selector, filter closure and pipeline stages. */
import { diag, type Diagnostic } from '../diagnostics/index.js';
import { normalizeQuery, type RuleIR } from '../ir/index.js';
import { compileExpr, type RowTest } from './compile-expr.js';
import { compileLogSource, type SourceSelector } from './logsource.js';
import { compileStage, renameNames, type CompiledStage } from './stages.js';

/** A rule ready to run. */
export interface CompiledRule {
  /** The rule's id (its file when it has none): what matches and aggregates name. */
  id: string;
  file: string;
  rule: RuleIR;
  source: SourceSelector;
  filter: RowTest;
  /** Per-event steps before the first aggregate or sort. */
  prefix: CompiledStage[];
  /** The rest, from the first aggregate or sort on. */
  rest: CompiledStage[];
  /** True when the output is a table of aggregate rows. */
  aggregates: boolean;
  /** The output columns that are group keys (the rest are values). */
  groupNames: string[];
}

/** Compiles one rule; returns undefined when it has an error (the diagnostics say why). */
export function compileRule(rule: RuleIR, diags: Diagnostic[]): CompiledRule | undefined {
  const local: Diagnostic[] = [];
  const q = normalizeQuery(rule.query);
  const source = compileLogSource(q.source, rule.file, local);
  const filter = compileExpr(q.filter, local);
  if (q.inputs) local.push(diag('RB504', 'the evaluator does not run correlations of several rules', q.inputs[0]?.origin ?? { file: rule.file }));
  const stages = q.stages.map((s) => compileStage(s, local));
  const cut = stages.findIndex((s) => s.kind !== 'step');
  const prefix = cut < 0 ? stages : stages.slice(0, cut);
  const rest = cut < 0 ? [] : stages.slice(cut);
  let groupNames: string[] = [];
  let aggregates = false;
  q.stages.forEach((s, i) => {
    const c = stages[i]!;
    if (c.kind === 'aggregate') { aggregates = true; groupNames = c.names; }
    else if (!aggregates) return;
    else if (s.kind === 'rename') groupNames = renameNames(groupNames, s.pairs);
    else if (s.kind === 'project') groupNames = groupNames.filter((n) => s.fields.includes(n) === (s.mode === 'keep'));
  });
  for (const d of local) if (d.file === undefined) d.file = rule.file;
  diags.push(...local);
  if (!source || local.some((d) => d.severity === 'error')) return undefined;
  return { id: rule.meta.id || rule.file, file: rule.file, rule, source, filter, prefix, rest, aggregates, groupNames };
}
