/**
 * `rulebridge inspect <rule> [--json]`: a rule's stages as its source wrote them ("Stage 1:
 * tstats …"), its lowered predicates and its indicators (field, kind, values), as the catalog's
 * rule page shows them; the catalog's entry builder does the work.
 */
import { readFileSync } from 'node:fs';
import { hasErrors } from '../diagnostics/index.js';
import { loadRules } from '../index/load-rules.js';
import { buildEntry, type CatalogEntry } from '../catalog/index.js';
import { printDiagnostics } from './output.js';

/** Flags of the inspect command. */
export interface InspectFlags {
  json?: boolean;
  macros?: string[];
  lookups?: string[];
}

/** The text form of one rule's inspection. */
export function inspectText(e: CatalogEntry): string {
  const out: string[] = [`${e.title} (${e.format}, ${e.file})`, ''];
  out.push('Stages');
  e.stages.forEach((s, i) => {
    out.push('', `Stage ${i + 1}: ${s.command}`, '', ...s.text.split('\n').map((l) => `  ${l}`));
  });
  out.push('', 'Predicates', '');
  if (!e.lowered) out.push('  (the rule did not lower; see its diagnostics)');
  for (const p of e.predicates) out.push(`  ${p}`);
  out.push('', 'Indicators', '');
  if (e.indicators.length) {
    const rows = e.indicators.map((i) => [i.field, `${i.negated ? 'not ' : ''}${i.kind}${i.caseSensitive ? ' (cased)' : ''}`, i.values.map((v) => v.shown).join(', ')]);
    const head = ['Field', 'Kind', 'Values'];
    const w = [0, 1].map((k) => Math.max(head[k]!.length, ...rows.map((r) => r[k]!.length)));
    const line = (r: string[]) => `  ${r[0]!.padEnd(w[0]!)}  ${r[1]!.padEnd(w[1]!)}  ${r[2]}`.trimEnd();
    out.push(line(head), ...rows.map(line));
  } else out.push('  (none)');
  return out.join('\n') + '\n';
}

/** Inspects every rule of `paths`; returns the exit code (1 when a rule has an error). */
export function runInspect(paths: string[], flags: InspectFlags): number {
  const { rules, diagnostics } = loadRules(paths, { ...(flags.macros ? { macros: flags.macros } : {}), ...(flags.lookups ? { lookups: flags.lookups } : {}) });
  printDiagnostics(diagnostics);
  const entries: CatalogEntry[] = [];
  for (const r of rules) {
    const text = r.text ?? readFileSync(r.file, 'utf8');
    printDiagnostics(r.diagnostics, text);
    entries.push(buildEntry(r, '', text, { convert: false }));
  }
  if (flags.json) {
    const view = entries.map((e) => ({ title: e.title, id: e.id, file: e.file, format: e.format, lowered: e.lowered, stages: e.stages, predicates: e.predicates, indicators: e.indicators, diagnostics: e.diagnostics }));
    process.stdout.write(JSON.stringify(view.length === 1 ? view[0] : view, null, 2) + '\n');
  } else process.stdout.write(entries.map(inspectText).join('\n'));
  return hasErrors(diagnostics) || rules.some((r) => hasErrors(r.diagnostics)) ? 1 : 0;
}
