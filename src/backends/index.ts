/** Rendering a lowered rule for a target: capability check, then the target's renderer. */
import { diag, hasErrors, type Diagnostic } from '../diagnostics/index.js';
import { summaryTailStart, type RuleIR } from '../ir/index.js';
import { BACKENDS, TARGETS } from './registry.js';
import { checkCapabilities } from './check.js';
import { isTemplateFile, wrapQuery, WRAPPERS, type Wrapper } from './template.js';
import type { RenderOptions, RenderResult, Target } from './types.js';

export * from './types.js';
export * from './capabilities.js';
export { BACKENDS, TARGETS } from './registry.js';
export { checkCapabilities, featuresUsed } from './check.js';
export { supportMatrixMarkdown } from './matrix.js';
export { WRAPPERS, wrapContext, type Wrapper } from './template.js';

/**
 * Checks and renders one rule for one target. Never throws for a rule's content.
 * When the target cannot express a summary tail (an aggregate that no filter follows), the
 * rule is rendered without it and a warning names what was left out: the same events match.
 */
export function render(rule: RuleIR, target: string, opts: RenderOptions = {}): RenderResult {
  const backend = BACKENDS[target as Target];
  if (!backend) return { ok: false, diagnostics: [diag('RB411', `unknown target '${target}' (known: ${TARGETS.join(', ')})`)] };
  // A wrapper applies to the rendered query, whatever the target: the backend never sees it.
  const { template, ...rest } = opts;
  if (template !== undefined && !isTemplateFile(template)) {
    const fits = WRAPPERS[template as Wrapper];
    if (!fits) return { ok: false, diagnostics: [diag('RB412', `unknown wrapper '${template}' (bundled: ${Object.keys(WRAPPERS).join(', ')}; a template file ends in .hbs)`, { file: rule.file })] };
    if (fits !== target) return { ok: false, diagnostics: [diag('RB412', `the ${template} wrapper holds a ${fits} query, not ${target}`, { file: rule.file })] };
    if (template === 'sentinel' && rest.dialect === undefined) rest.dialect = 'sentinel';
  }
  opts = rest;
  let subject = rule;
  let checked: Diagnostic[] = checkCapabilities(subject, backend);
  const tail = summaryTailStart(rule.query.stages);
  if (hasErrors(checked) && tail >= 0) {
    const trimmed: RuleIR = { ...rule, query: { ...rule.query, stages: rule.query.stages.slice(0, tail) } };
    const again = checkCapabilities(trimmed, backend);
    if (!hasErrors(again)) {
      const dropped = rule.query.stages.slice(tail).map((s) => s.kind).join(', ');
      const at = rule.query.stages[tail]!.origin ?? { file: rule.file };
      subject = trimmed;
      checked = [
        ...again,
        diag('RB404', `${target} renders the matching events only; the summary stages (${dropped}) are left to the SIEM's alert grouping`, at),
      ];
    }
  }
  if (hasErrors(checked)) return { ok: false, diagnostics: checked };
  const out = backend.render(subject, opts);
  const diagnostics = [...checked, ...out.diagnostics];
  if (!out.ok || hasErrors(diagnostics) || !out.query) return { ok: false, diagnostics };
  if (template === undefined) return { ok: true, query: out.query, diagnostics };
  try {
    return { ok: true, query: wrapQuery(template, rule, target, out.query, opts.dialect), diagnostics };
  } catch (err) {
    return { ok: false, diagnostics: [...diagnostics, diag('RB410', `${target} template ${template}: ${(err as Error).message}`, { file: rule.file })] };
  }
}
