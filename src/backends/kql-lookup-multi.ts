/**
 * A wildcard lookup where one value can match several rows (max_matches > 1): SPL outputs a
 * multivalue field holding the values of the first max_matches matching rows in table order, an
 * empty cell adding nothing (the evaluator's lookup stage). In KQL the matching rows' numbers go
 * into an array (one entry per table row, -1 when the row does not match), `mv-apply` expands it
 * in order (learn.microsoft.com/kusto/query/mv-apply-operator: "order is preserved"), sorts it
 * (make_list follows a sorted input, learn.microsoft.com/kusto/query/make-list-aggregation-function),
 * ranks the matching rows, and make_list_if collects each output's cells of the first ones.
 */
import { kqlIdent, kqlNumber, kqlString } from './kql-literal.js';

const ROW = 'LookupRow';
const RANK = 'LookupRank';
const OUT = 'LookupOut';
const MATCHED = 'LookupMatched';

/** The table as the multi-match rendering needs it. */
export interface MultiTable {
  /** Per table row (in order), its condition over the row's key fields. */
  conds: string[];
  /** The condition that every key field has a value (a missing key matches no row). */
  present: string;
  /** Per output, its cell of each table row. */
  cells: string[][];
  /** Per output, its name and whether it can hold several values (a dynamic array). */
  outputs: { as: string; multi: boolean }[];
  max: number;
  defaultMatch?: string;
}

/** The operators of the multi-match lookup; every output ends as a string or a dynamic array. */
export function multiMatch(t: MultiTable): string[] {
  const rows = `pack_array(${t.conds.map((c, n) => `iff(${c}, ${n}, -1)`).join(', ')})`;
  const outNames = t.outputs.map((_, j) => `${OUT}${j}`);
  // Each output's cell of the row numbered LookupRow (a constant list indexed; -1 reads nothing kept).
  const cells = t.cells.map((cells, j) => `${outNames[j]} = tostring(pack_array(${cells.map(kqlString).join(', ')})[${ROW}])`);
  const lists = outNames.map((o) => `${o} = make_list_if(${o}, ${ROW} >= 0 and ${RANK} <= ${kqlNumber(t.max)} and isnotempty(${o}))`);
  const apply = [
    `order by ${ROW} asc`,
    `extend ${[`${RANK} = row_cumsum(iff(${ROW} >= 0, 1, 0))`, ...cells].join(', ')}`,
    `summarize ${[...lists, `${MATCHED} = countif(${ROW} >= 0) > 0`].join(', ')}`,
  ].join(' | ');
  const assign = t.outputs.map((o, j) => {
    const l = outNames[j]!;
    const value = o.multi ? `iff(array_length(${l}) == 0, dynamic(null), ${l})` : `tostring(${l}[0])`;
    if (t.defaultMatch === undefined) return `${kqlIdent(o.as)} = ${value}`;
    const dflt = o.multi ? `pack_array(${kqlString(t.defaultMatch)})` : kqlString(t.defaultMatch);
    return `${kqlIdent(o.as)} = iff(${MATCHED}, ${value}, ${dflt})`;
  });
  return [
    // A row without every key value gets no row numbers but -1, so the summary still has one row.
    `mv-apply ${ROW} = iff(${t.present}, ${rows}, pack_array(-1)) to typeof(long) on (${apply})`,
    `extend ${assign.join(', ')}`,
    `project-away ${[...outNames, MATCHED].join(', ')}`,
  ];
}
