/** Rendering a lowered rule for a target: capability check, then the target's renderer. */
import { diag, hasErrors, type Diagnostic } from '../diagnostics/index.js';
import type { RuleIR } from '../ir/index.js';
import { BACKENDS, TARGETS } from './registry.js';
import { checkCapabilities } from './check.js';
import type { RenderOptions, RenderResult, Target } from './types.js';

export * from './types.js';
export * from './capabilities.js';
export { BACKENDS, TARGETS } from './registry.js';
export { checkCapabilities, featuresUsed } from './check.js';

/** Checks and renders one rule for one target. Never throws for a rule's content. */
export function render(rule: RuleIR, target: string, opts: RenderOptions = {}): RenderResult {
  const backend = BACKENDS[target as Target];
  if (!backend) return { ok: false, diagnostics: [diag('RB411', `unknown target '${target}' (known: ${TARGETS.join(', ')})`)] };
  const checked: Diagnostic[] = checkCapabilities(rule, backend);
  if (hasErrors(checked)) return { ok: false, diagnostics: checked };
  const out = backend.render(rule, opts);
  const diagnostics = [...checked, ...out.diagnostics];
  if (!out.ok || hasErrors(diagnostics) || !out.query) return { ok: false, diagnostics };
  return { ok: true, query: out.query, diagnostics };
}
