/**
 * Golden files: each folder of test/golden/ names a rule (case.json) and pins its output for every
 * target (expected.<target>) and its IR (expected.ir.json). A target that refuses the rule pins its
 * error diagnostics instead (`ERROR <code> <line>:<column> <message>` lines), so a regression either
 * way shows up as a diff. `UPDATE_GOLDEN=1` rewrites them.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { TARGETS, convertRule, loadRules } from '../src/index.js';
import { REPO } from './helpers/paths.js';

const GOLDEN = join(REPO, 'test', 'golden');

interface Case { rule: string; macros?: string; dialect?: string }

/** The IR without positions and with the file relative to the repository, so goldens hold on any clone. */
function stripOrigins(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (k, x) => (k === 'origin' ? undefined : k === 'file' && typeof x === 'string' ? relative(REPO, x) : x)));
}

for (const name of readdirSync(GOLDEN).sort()) {
  const dir = join(GOLDEN, name);
  if (!existsSync(join(dir, 'case.json'))) continue;
  const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as Case;
  describe(`golden ${name}`, () => {
    const { rules } = loadRules([join(REPO, c.rule)], c.macros ? { macros: [join(REPO, c.macros)] } : {});
    const loaded = rules[0]!;
    it('lowers with no error', () => {
      expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(loaded.rule).toBeDefined();
    });
    const check = (file: string, actual: string) => {
      const path = join(dir, file);
      // In CI a missing golden file is a failure, never a silent first write.
      if (process.env.CI && !existsSync(path)) throw new Error(`missing golden file ${path}`);
      if (process.env.UPDATE_GOLDEN || !existsSync(path)) writeFileSync(path, actual);
      expect(actual).toBe(readFileSync(path, 'utf8'));
    };
    it('IR', () => {
      check('expected.ir.json', JSON.stringify(stripOrigins(loaded.rule), null, 2) + '\n');
    });
    for (const t of TARGETS) {
      it(t, () => {
        const res = convertRule(loaded.rule!, [t], c.dialect ? { dialect: c.dialect } : {})[t]!;
        const text = res.ok
          ? res.query!.replace(/\n?$/, '\n')
          : res.diagnostics.filter((d) => d.severity === 'error').map((d) => `ERROR ${d.code} ${d.line ?? 0}:${d.column ?? 0} ${d.message}`).join('\n') + '\n';
        check(`expected.${t}`, text);
      });
    }
  });
}
