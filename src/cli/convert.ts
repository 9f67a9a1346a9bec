/** `rulebridge convert` and `rulebridge validate`. */
import { basename, extname, join, resolve } from 'node:path';
import { BACKENDS, TARGETS, convert, hasErrors, type Target } from '../index.js';
import { printDiagnostics, writeAtomic, writeReport } from './output.js';

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
export function runConvert(paths: string[], flags: ConvertFlags, validateOnly = false): number {
  const parsed = validateOnly ? { targets: [], bad: [] } : parseTargets(flags.to);
  // A wrapper holds one target's query: --wrap picks it (with --to all, the default) or must match it.
  const wrapTarget = flags.wrap !== undefined ? WRAP_TARGET[flags.wrap] : undefined;
  if (wrapTarget && !validateOnly && flags.to !== 'all' && parsed.targets.some((t) => t !== wrapTarget)) {
    process.stderr.write(`rulebridge: --wrap ${flags.wrap} holds a ${wrapTarget} query (use --to ${wrapTarget})\n`);
    return 2;
  }
  const { targets, bad } = wrapTarget && !validateOnly ? { targets: [wrapTarget], bad: [] } : parsed;
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
  if (flags.mapping !== undefined && !validateOnly && targets.filter((t) => t !== 'ir').length !== 1) {
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
    if (validateOnly) continue;
    const stem = basename(r.file, extname(r.file)) + (r.id && rules.filter((x) => x.file === r.file).length > 1 ? `.${r.id}` : '');
    for (const t of targets) {
      const text = t === 'ir' ? irText(r) : r.outputs[t]?.ok ? r.outputs[t]!.query! : undefined;
      if (text === undefined) continue;
      const ext = t === 'ir' ? 'ir.json' : flags.wrap ? WRAP_EXT[flags.wrap]! : BACKENDS[t as Target].ext;
      if (flags.out) {
        if (!writeAtomic(join(flags.out, `${stem}.${ext}`), text.endsWith('\n') ? text : text + '\n')) failed = true;
      }
      else if (single) process.stdout.write(text.endsWith('\n') ? text : text + '\n');
      else process.stdout.write(`=== ${r.file} [${t}] ===\n${text}${text.endsWith('\n') ? '' : '\n'}\n`);
    }
  }
  const summary = summarize(rules, targets);
  if (flags.report) {
    const stripped = rules.map(({ file, id, title, format, diagnostics: d, outputs }) => ({ file, id, title, format, diagnostics: d, outputs }));
    if (!writeReport(flags.report, { command: validateOnly ? 'validate' : 'convert', rules: stripped, files: diagnostics.length ? [{ file: '<args>', diagnostics }] : [], summary })) failed = true;
  }
  if (flags.json) process.stdout.write(JSON.stringify({ rules: rules.map(({ file, id, title, format, diagnostics: d, outputs }) => ({ file, id, title, format, diagnostics: d, outputs })), summary }, null, 2) + '\n');
  else if (!single) process.stderr.write(summaryLine(summary) + '\n');
  return failed ? 1 : 0;
}

/** The bundled wrappers (src/backends/template.ts) and the extensions of their files. */
const WRAP_EXT: Record<string, string> = { sentinel: 'yaml', elastic: 'ndjson', savedsearches: 'conf' };
const WRAP_TARGET: Record<string, string> = { sentinel: 'kql', elastic: 'eql', savedsearches: 'spl' };

function irText(r: { rule?: object }): string | undefined {
  return r.rule ? JSON.stringify(r.rule, null, 2) : undefined;
}

function summarize(rules: ReturnType<typeof convert>['rules'], targets: string[]) {
  const perTarget: Record<string, { ok: number; failed: number }> = {};
  for (const t of targets) {
    if (t === 'ir') continue;
    perTarget[t] = { ok: 0, failed: 0 };
    for (const r of rules) {
      const o = r.outputs[t];
      if (o?.ok) perTarget[t]!.ok++;
      else perTarget[t]!.failed++;
    }
  }
  return { rules: rules.length, loaded: rules.filter((r) => !hasErrors(r.diagnostics)).length, withErrors: rules.filter((r) => hasErrors(r.diagnostics)).length, targets: perTarget };
}

function summaryLine(s: ReturnType<typeof summarize>): string {
  const t = Object.entries(s.targets).map(([k, v]) => `${k} ${v.ok}/${v.ok + v.failed}`).join(', ');
  return `rulebridge: ${s.rules} rule(s), ${s.withErrors} with errors${t ? `; converted: ${t}` : ''}`;
}
