/**
 * The precompiled schema validators (src/source/validators/) are what ajv generates from the
 * schema files today, and they report what a freshly compiled validator reports.
 * `UPDATE_VALIDATORS=1 npx vitest run test/source` rewrites them after a schema change.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRECOMPILED, newAjv, validatorModule } from '../../src/source/schema-codegen.js';
import { readSchema, validator } from '../../src/source/index.js';
import { REPO } from '../helpers/paths.js';

const UPDATE = process.env.UPDATE_VALIDATORS === '1';

describe('precompiled schema validators', () => {
  for (const name of PRECOMPILED) {
    it(`${name}: the generated module matches the schema`, () => {
      const file = join(REPO, 'src', 'source', 'validators', `${name}.ts`);
      const want = validatorModule(REPO, name);
      if (UPDATE) writeFileSync(file, want);
      expect(existsSync(file) ? readFileSync(file, 'utf8') : '', `${file} is stale: run UPDATE_VALIDATORS=1 npx vitest run test/source`).toBe(want);
    });
  }

  it('report the same errors as ajv compiling the schema', () => {
    const fresh = newAjv().compile(readSchema('sigma-rule'));
    const pre = validator('sigma-rule');
    expect(pre).not.toBe(fresh);
    const docs: unknown[] = [
      { title: 'x', logsource: {}, detection: { condition: 'sel', sel: { a: 1 } } },
      { title: 7, id: 'not-a-uuid', logsource: { product: 3 }, detection: {}, level: 'extreme', extra: true },
      { logsource: {}, detection: { condition: [] }, falsepositives: ['a', 'a'] },
    ];
    for (const d of docs) {
      const a = fresh(d), b = pre(d);
      expect(b).toBe(a);
      expect(pre.errors ?? null).toEqual(fresh.errors ?? null);
    }
    expect(fresh(docs[1])).toBe(false);
  });
});
