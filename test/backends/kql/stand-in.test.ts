/**
 * A group-by field the table lacks is shown as a stand-in constant after summarize (RB405). Where
 * its value would decide rows — a filter, a dedup, a lookup key — the flavour refuses (RB403 at the
 * stage) rather than deciding every row alike; where it is only shown, it stays a warning.
 */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { pred, TRUE, type Aggregate, type Stage } from '../../../src/ir/index.js';
import { at, rule } from './rule.js';

// Defender has no process GUID column.
const stats: Aggregate = { kind: 'aggregate', groupBy: [{ field: 'host.name', as: 'dest' }, { field: 'process.entity_id', as: 'guid' }], aggs: [{ fn: 'count', as: 'count' }] };
const kql = (...stages: Stage[]) => render(rule(TRUE, [stats, ...stages]), 'kql', { dialect: 'defender' });
const errors = (r: ReturnType<typeof kql>) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`);

describe('kql: a stand-in constant decides no row', () => {
  it('shown only (table): RB405 warning, the query renders', () => {
    const r = kql({ kind: 'project', mode: 'keep', fields: ['dest', 'guid'] });
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => d.code)).toContain('RB405');
  });
  it('a filter on it: RB403 at the predicate', () => {
    expect(errors(kql({ kind: 'filter', expr: pred('guid', 'eq', ['{abc}'], { origin: at(4, 9) }) }))).toEqual([
      "RB403 4:9 kql (defender): field 'guid' has no column (it is a constant here, which would decide every row alike)",
    ]);
  });
  it('a dedup on it: RB403 at the stage', () => {
    expect(errors(kql({ kind: 'dedup', fields: ['guid'], origin: at(5, 3) }))).toEqual([
      "RB403 5:3 kql (defender): dedup field 'guid' has no column (it is a constant here, which would decide every row alike)",
    ]);
  });
  it('through a rename and a table, still RB403 when filtered', () => {
    const r = kql({ kind: 'rename', pairs: [{ from: 'guid', to: 'g' }] }, { kind: 'project', mode: 'keep', fields: ['g'] }, { kind: 'filter', expr: pred('g', 'exists', [true], { origin: at(7, 2) }) });
    expect(errors(r)).toEqual(["RB403 7:2 kql (defender): field 'g' has no column (it is a constant here, which would decide every row alike)"]);
  });
  it('a field the table has is compared as usual', () => {
    expect(kql({ kind: 'filter', expr: pred('dest', 'eq', ['pc1']) }).ok).toBe(true);
  });
});
