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
