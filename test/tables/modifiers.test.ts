/**
 * Sigma modifiers × targets (sigma-appendix-modifiers.md, sigma-rules-specification.md "Values"):
 * one row per modifier, modifier combination, value shape and pitfall of
 * ../shared/reference/fields-and-pitfalls.md, each run through every target and the evaluator by
 * harness.ts. The rows live in one module per table; one test file loads the engines once.
 * Golden outputs: test/fixtures/tables/<table>/<row>.txt; `UPDATE_TABLES=1` rewrites them.
 */
import { describe, it } from 'vitest';
import { runRow, type TableRow } from './harness.js';
import { KUSTO_SKIP } from '../helpers/kusto.js';
import { ROWS as strings } from './strings.js';
import { ROWS as encodings } from './encodings.js';
import { ROWS as types } from './types.js';
import { ROWS as values } from './values.js';
import { ROWS as pitfalls } from './pitfalls.js';
import { ROWS as edges } from './edges.js';
import { ROWS as errors } from './errors.js';
import { ROWS as sources } from './sources.js';

const TABLES: [string, string, TableRow[]][] = [
  ['strings', 'string values and positional modifiers', strings],
  ['encodings', 'encoding modifiers and windash', encodings],
  ['types', 'comparison modifiers (re, cidr, exists, fieldref, lt…gte, neq, expand, time parts)', types],
  ['values', 'value shapes (null, empty, keywords, lists of maps, booleans, numbers)', values],
  ['pitfalls', 'known mis-translations', pitfalls],
  ['edges', 'edge cases', edges],
  ['errors', 'modifier uses the specification rules out', errors],
  ['sources', 'other log sources', sources],
];

if (KUSTO_SKIP) console.warn(KUSTO_SKIP);

for (const [table, title, rows] of TABLES) {
  describe(`${title} × targets`, () => {
    const names = new Set<string>();
    for (const row of rows) {
      if (names.has(row.name)) throw new Error(`duplicate row name '${row.name}' in ${table}`);
      names.add(row.name);
      it(row.name, () => runRow(table, row));
    }
  });
}
