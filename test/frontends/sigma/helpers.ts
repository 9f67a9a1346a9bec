/** Shared helpers of the Sigma tests: load a rule from text, strip origins, walk the corpus. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadYaml } from '../../../src/source/index.js';
import { sigmaFromDocs } from '../../../src/frontends/sigma/index.js';
import type { LoadedRule } from '../../../src/frontends/types.js';

/** Lowers every Sigma document of a YAML text. */
export function lowerText(text: string, file = 'rule.yml'): LoadedRule[] {
  const { docs, diagnostics } = loadYaml(file, text);
  if (diagnostics.length) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return sigmaFromDocs(docs.filter((d) => d.value !== null));
}

/** A deep copy without `origin` keys, for comparing IR regardless of positions. */
export function stripOrigins<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (k, x) => (k === 'origin' ? undefined : x))) as T;
}

/** Every .yml file under a folder, sorted. */
export function ymlFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? ymlFiles(p) : p.endsWith('.yml') || p.endsWith('.yaml') ? [p] : [];
  });
}

/**
 * A Sigma rule text around a detection body (indented by 4, one line per array item).
 * The header is 8 lines, so the detection body's first line is line 9 of the file.
 */
export function ruleText(detection: string[], logsource = ['    product: windows', '    category: process_creation']): string {
  return [
    'title: Test rule',
    'id: 0b0a1b4e-3a7c-4d2e-9c1f-5e6d7c8b9a01',
    'status: test',
    'logsource:',
    ...logsource,
    'level: low',
    'detection:',
    ...detection,
  ].join('\n') + '\n';
}

/** Lowers one rule text; throws when it did not lower (for tests of what lowers). */
export function lowerOk(text: string): import('../../../src/ir/nodes.js').RuleIR {
  const [r] = lowerText(text);
  if (!r?.rule) throw new Error('did not lower: ' + JSON.stringify(r?.diagnostics));
  return r.rule;
}
