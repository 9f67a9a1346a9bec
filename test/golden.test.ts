/**
 * Golden files: each folder of test/golden/ names a rule (case.json) and pins its output for every
 * target (expected.<target>) and its IR (expected.ir.json). A target that refuses the rule pins its
 * error diagnostics instead (`ERROR <code> <line>:<column> <message>` lines), so a regression either
 * way shows up as a diff. `UPDATE_GOLDEN=1` rewrites them.
 *
 * A case may also hold events.jsonl: events the evaluator must match (`"_expect": true`) and must
 * not (`false`), and in case.json `rows`, the output rows an aggregating rule must give (each
 * compared on the columns it lists), with the case's lookups/ folder as the lookup tables. While
 * the evaluator cannot run one of the rule's stages, `evaluatorPending` says why (a todo, until
 * the evaluator compiles the rule without an error).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { TARGETS, compileRules, convertRule, evaluateFiles, loadRules } from '../src/index.js';
import { REPO } from './helpers/paths.js';
import { LookupResolver } from '../src/evaluator/lookup-tables.js';

const GOLDEN = join(REPO, 'test', 'golden');

interface Case { rule: string; macros?: string; dialect?: string; rows?: Record<string, unknown>[]; evaluatorPending?: string }

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
    // A backend that inlines lookup rows (KQL) reads them from the case's lookups/ folder, as `convert` would.
    const lookupTables = new LookupResolver(existsSync(join(dir, 'lookups')) ? [join(dir, 'lookups')] : []);
    for (const t of TARGETS) {
      it(t, () => {
        const res = convertRule(loaded.rule!, [t], { lookupTables, ...(c.dialect ? { dialect: c.dialect } : {}) })[t]!;
        const text = res.ok
          ? res.query!.replace(/\n?$/, '\n')
          : res.diagnostics.filter((d) => d.severity === 'error').map((d) => `ERROR ${d.code} ${d.line ?? 0}:${d.column ?? 0} ${d.message}`).join('\n') + '\n';
        check(`expected.${t}`, text);
      });
    }
    if (!existsSync(join(dir, 'events.jsonl'))) return;
    // A pending case turns on by itself once the evaluator compiles the rule without an error.
    const lookups = existsSync(join(dir, 'lookups')) ? [join(dir, 'lookups')] : [];
    if (c.evaluatorPending && (!loaded.rule || compileRules([loaded.rule], { lookups }).diagnostics.some((d) => d.severity === 'error'))) {
      it.todo(`evaluator: ${c.evaluatorPending}`);
      return;
    }
    it('evaluator: the events marked _expect match, the others do not', async () => {
      const lines = readFileSync(join(dir, 'events.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
      const expected = new Set<number>();
      const events = lines.map((l, i) => {
        const { _expect, ...ev } = JSON.parse(l) as { _expect?: boolean };
        if (_expect) expected.add(i + 1);
        return JSON.stringify(ev);
      });
      expect(expected.size, 'some event must match').toBeGreaterThan(0);
      expect(expected.size, 'some event must not match').toBeLessThan(lines.length);
      const file = join(mkdtempSync(join(tmpdir(), 'rb-golden-')), 'events.jsonl');
      writeFileSync(file, events.join('\n') + '\n');
      const { compiled, diagnostics } = compileRules([loaded.rule!], { lookups });
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const matched = new Set<number>();
      const res = await evaluateFiles(compiled, [file], (m) => matched.add(m.line));
      expect(res.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect([...matched].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
      if (c.rows) expect(res.aggregates.map((r) => ({ ...r.group, ...r.values }))).toMatchObject(c.rows);
    });
  });
}
