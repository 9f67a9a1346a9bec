/** Every predicate the Sigma frontend produces points into the rule file. */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { walkExpr } from '../../../src/ir/visit.js';
import { lowerText, ymlFiles } from './helpers.js';

const DIRS = [resolve(__dirname, '..', '..', 'fixtures', 'sigma'), resolve(__dirname, '..', '..', '..', 'rules', 'sigma')];

describe('sigma origins', () => {
  // Correlation and filter fixtures (multi-document, linked) have their own tests.
  for (const file of DIRS.flatMap((d) => ymlFiles(d)).filter((f) => !/[\\/](correlations|filters|placeholders)[\\/]/.test(f))) {
    it(file.split('/').slice(-2).join('/'), () => {
      const text = readFileSync(file, 'utf8');
      const [r] = lowerText(text, file);
      expect(r!.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const lines = text.split('\n');
      walkExpr(r!.rule!.query.filter, (n) => {
        if (n.kind !== 'pred') return;
        expect(n.origin?.file).toBe(file);
        // The position is the detection item's key (or the keyword's value), inside `detection:`.
        const line = lines[n.origin!.line! - 1]!;
        const at = line.slice(n.origin!.column! - 1);
        const sigmaName = at.replace(/^['"]/, '').split(/[|:]/)[0]!;
        if (n.op !== 'keyword') expect(sigmaName.length).toBeGreaterThan(0);
        expect(n.origin!.line!).toBeGreaterThan(lines.findIndex((l) => l.startsWith('detection:')) + 1);
      });
    });
  }
});
