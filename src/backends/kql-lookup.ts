/**
 * SPL `lookup` in KQL, with the table's rows inlined: the caller loads the CSV (RenderOptions
 * lookupTables) and the rows become a `datatable` on the right of `lookup kind=leftouter`.
 * Semantics followed (Splunk transforms.conf, as the evaluator's lookup stage reads them): a row
 * matches when every key field equals its column (folded when the lookup is case-insensitive;
 * a WILDCARD(column) cell is a pattern where `*` is any run); the outputs get the matching rows'
 * values, and when nothing matches they are missing, or `default_match` with min_matches ≥ 1.
 * Several matching rows (at most the definition's max_matches, first rows first) give SPL a
 * multivalue output, the rows' non-empty cells in table order: a dynamic array here. Exact keys
 * are grouped here, one datatable row per key; wildcard rows are numbered by one case() (the
 * first matching row) when no two rows can match one value or max_matches is 1, and else
 * collected by kql-lookup-multi.ts.
 */
import { diag } from '../diagnostics/index.js';
import type { Lookup, Stage } from '../ir/index.js';
import { kqlIdent, kqlNumber, kqlString, globRegex } from './kql-literal.js';
import type { KqlType } from './kql-mapping.js';
import { at, clashesWithColumn, compared, type KqlCtx } from './kql-scope.js';
import { forOverlaps, intersects } from './kql-lookup-match.js';
import { multiMatch } from './kql-lookup-multi.js';
import { firstMvUse } from './kql-lookup-uses.js';

export { intersects };

/** Largest table inlined into a query. */
export const MAX_LOOKUP_ROWS = 5000;
/** transforms.conf: max_matches defaults to 1000 for lookups that are not time-based. */
const SPLUNK_MAX_MATCHES = 1000;

const KEY = 'LookupKey';
const OUT = 'LookupOut';
const ROW = 'LookupRow';
const MATCHED = 'LookupMatched';

/** A Splunk WILDCARD cell as an IR glob: only `*` is special, `?` and `\` are literal. */
const splunkGlob = (cell: string) => cell.replace(/[\\?]/g, (c) => '\\' + c);

/** The lookup stage as operators, or undefined after reporting why it cannot be rendered exactly. */
export function lookup(ctx: KqlCtx, s: Lookup, after: Stage[] = []): string[] | undefined {
  const fail = (why: string): undefined => {
    ctx.diags.push(diag('RB401', `kql cannot express lookup '${s.table}': ${why}`, at(ctx, s.origin)));
    return undefined;
  };
  const table = ctx.lookups?.get(s.table);
  if (table === undefined) return fail('its rows are not available (no lookup folder was given to the conversion)');
  if (typeof table === 'string') return fail(table);
  if (table.rows.length > MAX_LOOKUP_ROWS) return fail(`${table.file} has ${table.rows.length} rows; at most ${MAX_LOOKUP_ROWS} are written into a query`);
  const col = (c: string) => table.columns.indexOf(c);
  const missing = [...s.keys.map((k) => k.column), ...s.outputs.map((o) => o.column)].filter((c) => col(c) < 0);
  if (missing.length) return fail(`${table.file} has no column ${missing.map((c) => `'${c}'`).join(', ')}`);
  const keyCols = s.keys.map((k) => col(k.column));
  const outputs = s.outputs.length ? s.outputs.map((o) => ({ i: col(o.column), as: o.as })) : table.columns.map((c, i) => ({ i, as: c })).filter((o) => !keyCols.includes(o.i));
  const fold = (v: string) => (s.caseSensitive ? v : v.toLowerCase());
  // tolower() in KQL and toLowerCase() here agree on ASCII; other letters may fold differently.
  if (!s.caseSensitive && table.rows.some((r) => keyCols.some((i) => /[^\x00-\x7f]/.test(r[i] ?? '')))) return fail('a case-insensitive key with non-ASCII letters (KQL tolower() may fold them differently)');
  // Rows with an empty key cell match no present value (KQL writes a missing string as '').
  const rows = table.rows.map((r, n) => ({ r, n })).filter(({ r }) => keyCols.every((i) => (r[i] ?? '') !== ''));
  const star = keyCols.some((i, j) => table.wildcard.has(s.keys[j]!.column) && rows.some(({ r }) => r[i]!.includes('*')));

  // The key fields of the row, as strings (a number as its decimal text, as Splunk compares it).
  const left: string[] = [];
  for (const k of s.keys) {
    const c = compared(ctx, k.field, s.origin, 'lookup field');
    if (!c) return undefined;
    if (c.type === 'string') left.push(s.caseSensitive ? c.text : `tolower(${c.text})`);
    else if (c.type === 'long' || c.type === 'int') left.push(`tostring(${c.text})`);
    else return fail(`the key field '${k.field}' is ${c.type === 'dynamic' ? 'multivalued' : `a ${c.type}`}, which is not compared as Splunk compares it`);
  }
  for (const o of outputs) {
    if (clashesWithColumn(ctx, o.as)) return fail(`the output '${o.as}' is a column of ${ctx.scope.table!.name} under another field`);
  }

  const max = table.maxMatches ?? SPLUNK_MAX_MATCHES;
  const parts = rows.map(({ r }) => keyCols.map((i, j) => (table.wildcard.has(s.keys[j]!.column) ? fold(r[i]!).split('*') : [fold(r[i]!)])));
  // An output is multivalued when two rows that can match one value both have a cell for it.
  // With max_matches 1 the first matching row wins, so rows that can match one value need no care.
  const cells = outputs.map((o) => rows.map(({ r }) => r[o.i] ?? ''));
  const multi = outputs.map(() => false);
  const overlap = star && max > 1 && forOverlaps(parts, (a, b) => {
    cells.forEach((c, j) => { multi[j] ||= c[a] !== '' && c[b] !== ''; });
    return multi.every(Boolean);
  });
  const ops: string[] = [];
  const types: KqlType[] = [];
  if (star) {
    const conds = rows.map(({ r }) => keyCols.map((i, j) => {
      const cell = fold(r[i]!);
      if (!table.wildcard.has(s.keys[j]!.column) || !cell.includes('*')) return `${left[j]} == ${kqlString(cell)}`;
      return `${left[j]} matches regex ${kqlString(globRegex(splunkGlob(cell), true))}`;
    }).join(' and '));
    // A missing key matches no row, not even a `*` pattern (which would match KQL's '').
    const present = left.map((l) => `isnotempty(${l})`).join(' and ');
    if (overlap) {
      ops.push(...multiMatch({ conds, present, cells, outputs: outputs.map((o, j) => ({ as: o.as, multi: multi[j]! })), max, ...(table.defaultMatch !== undefined ? { defaultMatch: table.defaultMatch } : {}) }));
      types.push(...multi.map((m): KqlType => (m ? 'dynamic' : 'string')));
    } else {
      // The first matching row's number; -1 when none matches.
      ops.push(`extend ${ROW} = iff(${present}, case(${conds.map((c, n) => `${c}, ${n}`).join(', ')}, -1), -1)`);
      const entries = rows.map((_, n) => ({ key: [kqlNumber(n)!], outs: cells.map((c) => [c[n]!].filter((v) => v !== '')) }));
      ops.push(...joined(entries, [`${ROW}:long`], outputs, types, table.defaultMatch));
    }
  } else {
    // Rows of one key in table order; the first max_matches of them give the outputs' values.
    const byKey = new Map<string, { key: string[]; rows: string[][] }>();
    for (const { r } of rows) {
      const key = keyCols.map((i) => fold(r[i]!));
      const id = JSON.stringify(key);
      const e = byKey.get(id) ?? byKey.set(id, { key, rows: [] }).get(id)!;
      if (e.rows.length < max) e.rows.push(r);
    }
    const entries = [...byKey.values()].map((e) => ({ key: e.key.map(kqlString), outs: outputs.map((o) => e.rows.map((r) => r[o.i] ?? '').filter((v) => v !== '')) }));
    ops.push(`extend ${left.map((l, j) => `${KEY}${j} = ${l}`).join(', ')}`);
    ops.push(...joined(entries, s.keys.map((_, j) => `${KEY}${j}:string`), outputs, types, table.defaultMatch));
  }
  const use = firstMvUse(outputs.filter((_, j) => types[j] === 'dynamic').map((o) => o.as), after);
  if (use) {
    ctx.diags.push(diag('RB401', `kql cannot express lookup '${s.table}' here: its output '${use.field}' can hold several values (several matching rows), which this ${use.stage} reads as one value`, at(ctx, use.origin ?? s.origin)));
    return undefined;
  }
  outputs.forEach((o, j) => ctx.scope.define(o.as, types[j]!));
  return ops;
}

/**
 * `lookup kind=leftouter` of a datatable with one row per key (its outputs' values and a match
 * marker), then the outputs assigned. An output with several values for some key is a dynamic
 * array (its cells JSON text, parsed by todynamic); else a string. No matching row: the outputs
 * are missing ('' or null in KQL), or default_match when the table sets it.
 */
function joined(entries: { key: string[]; outs: string[][] }[], keySchema: string[], outputs: { as: string }[], types: KqlType[], dflt: string | undefined): string[] {
  const keyNames = keySchema.map((k) => k.slice(0, k.indexOf(':')));
  const outNames = outputs.map((_, j) => `${OUT}${j}`);
  const multi = outputs.map((_, j) => entries.some((e) => e.outs[j]!.length > 1));
  types.push(...multi.map((m): KqlType => (m ? 'dynamic' : 'string')));
  const cell = (vs: string[], j: number) => kqlString(multi[j] ? (vs.length ? JSON.stringify(vs) : '') : (vs[0] ?? ''));
  const schema = [...keySchema, ...outNames.map((n) => `${n}:string`), `${MATCHED}:bool`];
  const cells = entries.flatMap((e) => [...e.key, ...e.outs.map(cell), 'true']);
  const assign = outputs.map((o, j) => {
    const l = outNames[j]!;
    const value = multi[j] ? `iff(isempty(${l}), dynamic(null), todynamic(${l}))` : l;
    if (dflt === undefined) return `${kqlIdent(o.as)} = ${value}`;
    return `${kqlIdent(o.as)} = iff(isnull(${MATCHED}), ${multi[j] ? `pack_array(${kqlString(dflt)})` : kqlString(dflt)}, ${value})`;
  });
  return [
    `lookup kind=leftouter (datatable(${schema.join(', ')})[${cells.join(', ')}]) on ${keyNames.join(', ')}`,
    `extend ${assign.join(', ')}`,
    `project-away ${[...keyNames, ...outNames, MATCHED].join(', ')}`,
  ];
}
