import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadYaml, collectFiles } from '../../../src/source/index.js';
import { splunkFromDoc, loadMacros } from '../../../src/frontends/splunk/index.js';
import { CORPUS, HAS_CORPUS, skipNote } from '../../helpers/paths.js';

const ROOT = join(CORPUS, 'splunk');

/** The construct an error diagnostic names, for the tally (`the 'lookup' command`, `unknown macro`). */
function construct(message: string, code: string): string {
  const m = /^cannot lower (the '[^']+' command|the [a-z ]+ '[^']*'|[^(']+)/.exec(message);
  if (m) return `${code} ${m[1]!.trim()}`;
  if (code === 'RB253') return `${code} ${message.replace(/^.*'([^']+)\(\)'.*$/, '$1()')}`;
  if (code === 'RB203') return `${code} ${message}`;
  return `${code} ${message.replace(/'[^']*'/g, "'…'").slice(0, 60)}`;
}

describe('Splunk frontend over the security_content corpus', () => {
  skipNote('splunk corpus lowering test');
  it.skipIf(!HAS_CORPUS)('lowers most production detections without an error', () => {
    const macros = loadMacros([join(ROOT, 'macros')]);
    const { files } = collectFiles([join(ROOT, 'detections')], ['.yml']);
    const perFolder = new Map<string, { total: number; ok: number }>();
    const constructs = new Map<string, number>();
    let total = 0;
    let ok = 0;
    for (const f of files) {
      const { docs } = loadYaml(f, readFileSync(f, 'utf8'));
      const doc = docs[0]!;
      if ((doc.value as { status?: string }).status !== 'production') continue;
      const folder = relative(join(ROOT, 'detections'), f).split(/[\\/]/)[0]!;
      const r = splunkFromDoc(doc, { macros });
      const row = perFolder.get(folder) ?? { total: 0, ok: 0 };
      row.total++;
      total++;
      if (r.rule) { row.ok++; ok++; }
      const seen = new Set<string>();
      for (const d of r.diagnostics) {
        if (d.severity !== 'error') continue;
        expect(d.line, `${f}: ${d.code} has a line`).toBeGreaterThan(0);
        const k = construct(d.message, d.code);
        if (!seen.has(k)) constructs.set(k, (constructs.get(k) ?? 0) + 1);
        seen.add(k);
      }
      perFolder.set(folder, row);
    }
    const lines = [...perFolder].map(([k, v]) => `  ${k}: ${v.ok}/${v.total} (${((100 * v.ok) / v.total).toFixed(1)}%)`);
    const top = [...constructs].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, n]) => `  ${n}\t${k}`);
    console.log(`production detections lowered: ${ok}/${total} (${((100 * ok) / total).toFixed(1)}%)\n${lines.join('\n')}\ntop unsupported constructs:\n${top.join('\n')}`);
    expect(ok / total).toBeGreaterThan(0.8);
  });
});
