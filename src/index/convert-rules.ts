/**
 * Converting loaded rules to targets: the `convert` command as functions. Re-exported by
 * src/index.ts; kept apart from loading so that what only loads rules loads no backend.
 */
import { diag, hasErrors, type Diagnostic } from '../diagnostics/index.js';
import { render, TARGETS, type RenderOptions, type RenderResult } from '../backends/index.js';
import type { RuleIR } from '../ir/index.js';
import { loadRules, reportRule, type LoadRulesOptions, type ReportRule } from './load-rules.js';
import { LookupResolver } from '../evaluator/lookup-tables.js';
import { lookupDirsFor } from '../frontends/splunk/lookups.js';

/** Renders one lowered rule for each target. */
export function convertRule(rule: RuleIR, targets: readonly string[] = TARGETS, opts: RenderOptions = {}): Record<string, RenderResult> {
  const out: Record<string, RenderResult> = {};
  for (const t of targets) {
    try {
      out[t] = render(rule, t, opts);
    } catch (e) {
      out[t] = { ok: false, diagnostics: [diag('RB410', `internal error while rendering: ${(e as Error).message}`, { file: rule.file })] };
    }
  }
  return out;
}

/** Loads and converts: the `convert` command as a function. */
export function convert(paths: readonly string[], opts: LoadRulesOptions & RenderOptions & { to?: readonly string[] } = {}): { rules: ReportRule[]; diagnostics: Diagnostic[] } {
  const { rules, diagnostics } = loadRules(paths, opts);
  const targets = (opts.to ?? TARGETS).filter((t) => t !== 'ir');
  // Lookup rows for a backend that writes them into the query (KQL), from the folders the
  // frontend read the definitions from: the ones given, else lookups/ beside or above the rule.
  const resolvers = new Map<string, LookupResolver>();
  const lookupTables = (file: string): LookupResolver => {
    const dirs = opts.lookups ?? lookupDirsFor(file);
    const key = dirs.join('\0');
    if (!resolvers.has(key)) resolvers.set(key, new LookupResolver(dirs));
    return resolvers.get(key)!;
  };
  return {
    diagnostics,
    rules: rules.map((r) => reportRule(r, r.rule && !hasErrors(r.diagnostics) ? convertRule(r.rule, targets, { lookupTables: lookupTables(r.file), ...opts }) : {})),
  };
}
