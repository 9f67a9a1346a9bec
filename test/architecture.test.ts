/**
 * Imports flow one way: cli → index → {frontends, backends, evaluator, catalog} → ir →
 * {source, diagnostics}. A file importing against the flow fails this test.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const SRC = resolve(__dirname, '..', 'src');

/** What each layer may import (besides itself). */
const ALLOWED: Record<string, string[]> = {
  diagnostics: [],
  source: ['diagnostics'],
  ir: ['diagnostics', 'source'],
  frontends: ['ir', 'source', 'diagnostics'],
  backends: ['ir', 'source', 'diagnostics'],
  evaluator: ['ir', 'source', 'diagnostics'],
  catalog: ['ir', 'source', 'diagnostics', 'backends'],
  testing: ['evaluator', 'ir', 'source', 'diagnostics'],
  index: ['frontends', 'backends', 'evaluator', 'catalog', 'testing', 'ir', 'source', 'diagnostics'],
  cli: ['index', 'frontends', 'backends', 'evaluator', 'catalog', 'testing', 'ir', 'source', 'diagnostics'],
};

function layerOf(file: string): string {
  const rel = relative(SRC, file).split(/[\\/]/);
  return rel.length === 1 ? rel[0]!.replace(/\.ts$/, '') : rel[0]!;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('architecture', () => {
  const files = tsFiles(SRC);
  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(10);
  });
  it('imports flow one way', () => {
    const bad: string[] = [];
    let crossLayer = 0;
    for (const f of files) {
      const from = layerOf(f);
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
        const target = resolve(dirname(f), m[1]!);
        if (!target.startsWith(SRC)) continue;
        const to = layerOf(target.replace(/\.js$/, '.ts'));
        if (to === from) continue;
        crossLayer++;
        if (!(ALLOWED[from] ?? []).includes(to)) bad.push(`${relative(SRC, f)} (${from}) imports ${m[1]} (${to})`);
      }
    }
    expect(crossLayer).toBeGreaterThan(20); // the scan really sees imports
    expect(bad).toEqual([]);
  });
  it('never evaluates rule text as code', () => {
    const offenders = files.filter((f) => /\bnew Function\s*\(|\beval\s*\(/.test(readFileSync(f, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')));
    expect(offenders.map((f) => relative(SRC, f))).toEqual([]);
  });
});
