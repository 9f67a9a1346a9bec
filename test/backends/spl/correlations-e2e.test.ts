/**
 * Sigma correlations end to end (the Sigma frontend's fixtures): every type lowers and renders
 * for SPL as a tagged multisearch or search, bin, stats and where; for EQL a temporal_ordered
 * correlation is a sequence and the aggregating types are refused with RB401 at a position in
 * the file. Every output re-parses with the test grammars.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { loadRuleText } from '../../../src/frontends/load.js';
import { parseEql } from '../../helpers/eql-parse.js';
import { parseSpl } from '../../helpers/spl-parse.js';

const DIR = resolve(__dirname, '../../fixtures/sigma/correlations');

describe('sigma correlations → spl, eql', () => {
  for (const name of readdirSync(DIR).filter((n) => n.endsWith('.yml'))) {
    it(name, () => {
      const file = join(DIR, name);
      const corr = loadRuleText(file, readFileSync(file, 'utf8')).find((r) => r.rule?.query.inputs)?.rule;
      expect(corr).toBeDefined();
      const spl = render(corr!, 'spl');
      const eql = render(corr!, 'eql');
      if (name === 'temporal_ordered.yml') {
        expect(spl.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['RB401']);
        expect(eql.ok).toBe(true);
        expect(parseEql(eql.query!).steps!.length).toBeGreaterThanOrEqual(2);
        return;
      }
      expect(spl.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const cmds = parseSpl(spl.query!);
      expect(cmds.map((c) => c.name)).toContain('stats');
      expect(spl.query).toMatch(/rule_name="/);
      expect(eql.ok).toBe(false);
      const errors = eql.diagnostics.filter((d) => d.severity === 'error');
      expect(errors.length).toBeGreaterThan(0);
      for (const d of errors) expect([d.code, d.file, typeof d.line]).toEqual(['RB401', file, 'number']);
    });
  }
});
