/**
 * `rulebridge validate`: load, validate and lower rules, and print every diagnostic. It renders
 * nothing, so it imports no backend (nor Handlebars): only the frontends load.
 */
import { hasErrors } from '../diagnostics/index.js';
import { loadRules, reportRule } from '../index/load-rules.js';
import { printDiagnostics } from './output.js';
import { finish } from './summary.js';

/** Flags of the validate command. */
export interface ValidateFlags {
  macros?: string[];
  lookups?: string[];
  report?: string;
  json?: boolean;
  quiet?: boolean;
}

/** Validates rules; returns the exit code (0 ok, 1 some rule had an error). */
export function runValidate(paths: string[], flags: ValidateFlags): number {
  const loaded = loadRules(paths, { ...(flags.macros ? { macros: flags.macros } : {}), ...(flags.lookups ? { lookups: flags.lookups } : {}) });
  const { diagnostics } = loaded;
  const rules = loaded.rules.map((r) => reportRule(r, {}));
  let failed = hasErrors(diagnostics);
  printDiagnostics(diagnostics);
  for (const r of rules) {
    if (!flags.json) printDiagnostics(r.diagnostics, r.text, flags.quiet ? 'error' : 'info');
    if (hasErrors(r.diagnostics)) failed = true;
  }
  if (!finish('validate', rules, diagnostics, [], flags, false)) failed = true;
  return failed ? 1 : 0;
}
