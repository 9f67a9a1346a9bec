/** `rulebridge catalog <paths…> --out DIR`: load every rule and write the catalog site. */
import { resolve } from 'node:path';
import { hasErrors } from '../diagnostics/index.js';
import { loadRules } from '../index/load-rules.js';
import { buildCatalog, writeSite } from '../catalog/index.js';
import { printDiagnostics } from './output.js';

/** Flags of the catalog command. */
export interface CatalogFlags {
  out: string;
  macros?: string[];
}

/**
 * Builds the catalog of the rules under `paths` into `flags.out`. Returns the exit code: 0 when
 * written (rules that did not lower get a page with their diagnostics), 1 when a path could not
 * be read, 2 on a usage or write error.
 */
export async function runCatalog(paths: string[], flags: CatalogFlags): Promise<number> {
  if (!flags.out) {
    process.stderr.write('rulebridge catalog: --out DIR is required\n');
    return 2;
  }
  if (!paths.length) {
    process.stderr.write('rulebridge catalog: give at least one rule file or folder\n');
    return 2;
  }
  const started = Date.now();
  const { rules, diagnostics } = loadRules(paths, flags.macros ? { macros: flags.macros } : {});
  printDiagnostics(diagnostics);
  const catalog = buildCatalog(rules);
  let files: string[];
  try {
    files = writeSite(catalog, resolve(flags.out));
  } catch (e) {
    process.stderr.write(`rulebridge catalog: cannot write ${flags.out}: ${(e as Error).message}\n`);
    return 2;
  }
  const failed = rules.filter((r) => !r.rule).length;
  const bySource = Object.entries(catalog.sources).map(([s, n]) => `${s} ${n}`).join(', ');
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  process.stderr.write(`catalog: ${catalog.rules.length} rules (${bySource}), ${failed} did not lower; ${files.length} files in ${flags.out} (${secs}s)\n`);
  return hasErrors(diagnostics) ? 1 : 0;
}
