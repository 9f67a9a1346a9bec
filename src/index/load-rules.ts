/**
 * Loading rules of any supported format from files and folders (the frontends only: no backend,
 * no evaluator), and the report entry of a loaded rule. Re-exported by src/index.ts; the CLI
 * imports it directly so that `validate`, `inspect` and `eval` load no backend.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { diag, type Diagnostic } from '../diagnostics/index.js';
import { collectFiles, YAML_LIMITS } from '../source/index.js';
import { linkRules, loadRuleText, readPlaceholders } from '../frontends/load.js';
import { loadMacros, type MacroTable } from '../frontends/splunk/index.js';
import type { LoadedRule } from '../frontends/types.js';
import type { RenderResult } from '../backends/types.js';
import type { RuleIR } from '../ir/index.js';

/** Options for loading rules. */
export interface LoadRulesOptions {
  /** Macro folders; when absent, a `macros/` folder beside or above each rule's folder is used. */
  macros?: string[];
  /** A YAML file of Sigma `|expand` placeholder values (name → list); without it placeholders stay named lists. */
  placeholders?: string;
  /** Folders of Splunk lookup definitions (`<name>.yml`); default: a `lookups/` folder beside or above each rule. */
  lookups?: string[];
}

/** Rule file extensions read from directories. */
export const RULE_EXTENSIONS = ['.yml', '.yaml'];

const macroCache = new Map<string, MacroTable>();
const folderCache = new Map<string, MacroTable>();

/**
 * The macro table of a rule file. The `macros/` folder is looked up once per rule folder, and
 * only when a search first looks into the table (Sigma rules never do).
 */
function macrosFor(file: string, explicit?: string[]): MacroTable {
  if (explicit) return tableFor(explicit);
  const folder = dirname(resolve(file));
  let t = folderCache.get(folder);
  if (!t) {
    t = lazyMacros(() => tableFor(findMacroDirs(file)));
    folderCache.set(folder, t);
  }
  return t;
}

function tableFor(dirs: string[]): MacroTable {
  const key = dirs.join('\0');
  let t = macroCache.get(key);
  if (!t) {
    t = lazyMacros(() => loadMacros(dirs));
    macroCache.set(key, t);
  }
  return t;
}

/**
 * A macro table whose files are read when first looked into: a Sigma rule, or an SPL search
 * without a macro call, never reads them.
 */
function lazyMacros(load: () => MacroTable): MacroTable {
  let table: MacroTable | undefined;
  return new Proxy(new Map(), {
    get(_empty, prop) {
      table ??= load();
      const v: unknown = Reflect.get(table, prop, table);
      // Map methods need the real map as `this`.
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(table) : v;
    },
  });
}

/** The nearest `macros/` folder beside or above a rule's folder (security_content layout). */
export function findMacroDirs(file: string): string[] {
  let dir = dirname(resolve(file));
  for (let i = 0; i < 8; i++) {
    const m = join(dir, 'macros');
    if (existsSync(m) && statSync(m).isDirectory()) return [m];
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return [];
}

/** Loads every rule under the given files and folders. Unreadable paths become diagnostics. */
export function loadRules(paths: readonly string[], opts: LoadRulesOptions = {}): { rules: LoadedRule[]; diagnostics: Diagnostic[] } {
  const { files, diagnostics } = collectFiles(paths, RULE_EXTENSIONS, { maxBytes: YAML_LIMITS.maxBytes });
  const rules: LoadedRule[] = [];
  const ph = opts.placeholders ? readPlaceholders(opts.placeholders) : undefined;
  if (ph) diagnostics.push(...ph.diagnostics);
  const sigmaOpts = ph ? { placeholders: ph.table } : {};
  for (const file of files) {
    if (file.split(/[\\/]/).includes('macros') && !paths.includes(file)) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      rules.push({ file, format: 'sigma', doc: 0, diagnostics: [diag('RB101', `cannot read: ${(e as Error).message}`, { file })] });
      continue;
    }
    try {
      rules.push(...loadRuleText(file, text, { macros: macrosFor(file, opts.macros), ...sigmaOpts, ...(opts.lookups ? { lookups: opts.lookups.map((d) => resolve(d)) } : {}) }));
    } catch (e) {
      // A frontend bug must not stop the batch; report it against the file.
      rules.push({ file, format: 'sigma', doc: 0, diagnostics: [diag('RB103', `internal error while reading this rule: ${(e as Error).message}`, { file, line: 1, column: 1 })], text });
    }
  }
  // Sigma correlations and filters may name rules of other files of the batch.
  return { rules: linkRules(rules, sigmaOpts), diagnostics };
}

/** One rule's entry in a report (schemas/report.schema.json). */
export interface ReportRule {
  file: string;
  id: string | null;
  title: string | null;
  format: 'splunk' | 'sigma';
  diagnostics: Diagnostic[];
  outputs: Record<string, RenderResult>;
  /** The lowered rule (not part of the JSON report). */
  rule?: RuleIR;
  /** The file's text, for printing diagnostics (not part of the JSON report). */
  text?: string;
}

/** A loaded rule's report entry, with the outputs rendered for it (none when only validated). */
export function reportRule(r: LoadedRule, outputs: Record<string, RenderResult>): ReportRule {
  return {
    file: r.file,
    id: r.rule?.meta.id ?? r.id ?? null,
    title: r.rule?.meta.title ?? r.title ?? null,
    format: r.format,
    diagnostics: r.diagnostics,
    outputs,
    ...(r.rule ? { rule: r.rule } : {}),
    ...(r.text !== undefined ? { text: r.text } : {}),
  };
}
