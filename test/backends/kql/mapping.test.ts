/**
 * The KQL mapping data (mappings/defender.json, mappings/sentinel.json): every table and column
 * it names exists in Microsoft's table reference, and every field, column or rewrite reads as
 * valid KQL over its table.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KqlMapping } from '../../../src/backends/kql-mapping.js';
import { kqlIdent } from '../../../src/backends/kql-literal.js';
import { REPO } from '../../helpers/paths.js';
import { KUSTO_SKIP, kustoErrors, kustoReference } from '../../helpers/kusto.js';

describe.skipIf(!!KUSTO_SKIP)('kql mappings', () => {
  const ref = kustoReference ? (JSON.parse(readFileSync(kustoReference, 'utf8')) as { tables: Record<string, Record<string, string>> }) : { tables: {} };
  for (const dialect of ['defender', 'sentinel']) {
    const m = JSON.parse(readFileSync(join(REPO, 'mappings', `${dialect}.json`), 'utf8')) as KqlMapping;
    it(`${dialect}: every log source names a known table and field map`, () => {
      for (const [cat, e] of Object.entries(m.logsources)) {
        expect(ref.tables[e.table], `${cat} → ${e.table}`).toBeDefined();
        expect(m.tables[e.fieldsOf ?? e.table], `${cat} field map`).toBeDefined();
      }
    });
    it(`${dialect}: every column type matches the reference`, () => {
      for (const [key, t] of Object.entries(m.tables)) {
        const table = ref.tables[key.split(':')[0]!]!;
        for (const [c, type] of Object.entries(t.columns)) expect(`${key}.${c}:${table[c]}`).toBe(`${key}.${c}:${type}`);
      }
    });
    it(`${dialect}: every field reads as valid KQL over its table`, () => {
      for (const [key, t] of Object.entries(m.tables)) {
        const table = key.split(':')[0]!;
        const fields = Object.entries(t.fields).map(([f, e]) => `${kqlIdent(`f_${f}`)} = ${typeof e === 'string' ? kqlIdent(e) : 'column' in e ? kqlIdent(e.column) : e.expr}`);
        expect(kustoErrors(`${table} | extend ${fields.join(', ')}`), key).toEqual([]);
      }
    });
  }
});
if (KUSTO_SKIP) it.skip(KUSTO_SKIP, () => {});

describe("Splunk's host field", () => {
  // Splunk's default `host` (the sender of the event) reads the device name in every Defender
  // table, with an RB404 note: it is the device only where the endpoint forwards its own events.
  const defender = JSON.parse(readFileSync(join(REPO, 'mappings', 'defender.json'), 'utf8')) as KqlMapping;
  it.each(Object.keys(defender.tables).filter((t) => 'host.name' in defender.tables[t]!.fields))('%s: host is DeviceName, not exact', (t) => {
    expect(defender.tables[t]!.fields['host']).toMatchObject({ column: 'DeviceName', exact: false });
  });
});
