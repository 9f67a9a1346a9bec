/** `rulebridge convert` (`validate` is validate.ts: it loads no backend). */
import { basename, extname, join, resolve } from 'node:path';
import { hasErrors } from '../diagnostics/index.js';
import { BACKENDS, TARGETS, type Target } from '../backends/index.js';
import { convert } from '../index/convert-rules.js';
import { printDiagnostics, writeAtomic } from './output.js';
import { finish } from './summary.js';

export interface ConvertFlags {
  to: string;
  out?: string;
  macros?: string[];
  report?: string;
  dialect?: string;
  template?: string;
  /** A bundled wrapper: sentinel (kql), elastic (eql), savedsearches (spl). */
  wrap?: string;
  /** A user's mapping file for the one target converted. */
  mapping?: string;
  json?: boolean;
  quiet?: boolean;
  /** A YAML file of Sigma placeholder values. */
  placeholders?: string;
  lookups?: string[];
}

/** Parses `--to kql,sql,ir`; `all` means every target. */
export function parseTargets(to: string): { targets: string[]; bad: string[] } {
  const names = to.split(',').map((s) => s.trim()).filter(Boolean);
  const expanded = names.flatMap((n) => (n === 'all' ? [...TARGETS] : [n]));
  const known = new Set<string>([...TARGETS, 'ir']);
  return { targets: [...new Set(expanded)], bad: expanded.filter((n) => !known.has(n)) };
}

/** Converts rules; returns the exit code (0 ok, 1 some rule had an error, 2 usage). */
export function runConvert(paths: string[], flags: ConvertFlags): number {
  const parsed = parseTargets(flags.to);
  // A wrapper holds one target's query: --wrap picks it (with --to all, the default) or must match it.
  const wrapTarget = flags.wrap !== undefined ? WRAP_TARGET[flags.wrap] : undefined;
  if (wrapTarget && flags.to !== 'all' && parsed.targets.some((t) => t !== wrapTarget)) {
    process.stderr.write(`rulebridge: --wrap ${flags.wrap} holds a ${wrapTarget} query (use --to ${wrapTarget})\n`);
    return 2;
  }
  const { targets, bad } = wrapTarget ? { targets: [wrapTarget], bad: [] } : parsed;
  if (bad.length) {
    process.stderr.write(`rulebridge: unknown target(s): ${bad.join(', ')} (known: ${[...TARGETS, 'ir'].join(', ')})\n`);
    return 2;
  }
  if (flags.wrap !== undefined && flags.template !== undefined) {
    process.stderr.write('rulebridge: --wrap and --template exclude each other\n');
    return 2;
  }
  if (flags.wrap !== undefined && !Object.hasOwn(WRAP_TARGET, flags.wrap)) {
    process.stderr.write(`rulebridge: unknown wrapper '${flags.wrap}' (known: ${Object.keys(WRAP_TARGET).join(', ')})\n`);
    return 2;
  }
  // A template file is passed as a path (resolve() keeps a separator in it), a wrapper by name.
  const template = flags.wrap ?? (flags.template !== undefined ? resolve(flags.template) : undefined);
  // A mapping file has the shape of one target's bundled mapping, so it goes with one target.
  if (flags.json && !flags.out && targets.includes('ir')) {
    process.stderr.write('rulebridge: --json prints the report alone, which holds no IR; give --out DIR with --to ir\n');
    return 2;
  }
  if (flags.mapping !== undefined && targets.filter((t) => t !== 'ir').length !== 1) {
    process.stderr.write('rulebridge: --mapping goes with exactly one target in --to\n');
    return 2;
  }
  const opts = { to: targets.filter((t) => t !== 'ir'), ...(flags.macros ? { macros: flags.macros } : {}), ...(flags.dialect ? { dialect: flags.dialect } : {}), ...(template ? { template } : {}), ...(flags.mapping !== undefined ? { mapping: resolve(flags.mapping) } : {}) };
  const { rules, diagnostics } = convert(paths, { ...opts, ...(flags.placeholders ? { placeholders: flags.placeholders } : {}), ...(flags.lookups ? { lookups: flags.lookups } : {}) });
  let failed = hasErrors(diagnostics);
  printDiagnostics(diagnostics);
  const single = rules.length === 1 && targets.length === 1;
  for (const r of rules) {
    const loaded = r;
    if (!flags.json) printDiagnostics(r.diagnostics, loaded.text, flags.quiet ? 'error' : 'info');
    if (hasErrors(r.diagnostics)) failed = true;
    for (const t of targets) {
      if (t === 'ir') continue;
      const res = r.outputs[t];
      if (!res) continue;
      if (!flags.json) printDiagnostics(res.diagnostics, loaded.text, flags.quiet ? 'error' : 'info');
      if (!res.ok) failed = true;
    }
    const stem = basename(r.file, extname(r.file)) + (r.id && rules.filter((x) => x.file === r.file).length > 1 ? `.${r.id}` : '');
    for (const t of targets) {
      const text = t === 'ir' ? irText(r) : r.outputs[t]?.ok ? r.outputs[t]!.query! : undefined;
      if (text === undefined) continue;
      const ext = t === 'ir' ? 'ir.json' : flags.wrap ? WRAP_EXT[flags.wrap]! : BACKENDS[t as Target].ext;
      if (flags.out) {
        if (!writeAtomic(join(flags.out, `${stem}.${ext}`), text.endsWith('\n') ? text : text + '\n')) failed = true;
      }
      else if (flags.json) continue; // the queries are in the JSON report, which stdout holds alone
      else if (single) process.stdout.write(text.endsWith('\n') ? text : text + '\n');
      else process.stdout.write(`=== ${r.file} [${t}] ===\n${text}${text.endsWith('\n') ? '' : '\n'}\n`);
    }
  }
  if (!finish('convert', rules, diagnostics, targets, flags, single)) failed = true;
  return failed ? 1 : 0;
}

/** The bundled wrappers (src/backends/template.ts) and the extensions of their files. */
const WRAP_EXT: Record<string, string> = { sentinel: 'yaml', elastic: 'ndjson', savedsearches: 'conf' };
const WRAP_TARGET: Record<string, string> = { sentinel: 'kql', elastic: 'eql', savedsearches: 'spl' };

function irText(r: { rule?: object }): string | undefined {
  return r.rule ? JSON.stringify(r.rule, null, 2) : undefined;
}
