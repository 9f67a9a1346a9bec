/**
 * SPL `lookup` in KQL, with the table's rows inlined: the caller loads the CSV (RenderOptions
 * lookupTables) and the rows become a `datatable` on the right of `lookup kind=leftouter`.
 * Semantics followed (Splunk transforms.conf, as the evaluator's lookup stage reads them): a row
 * matches when every key field equals its column (folded when the lookup is case-insensitive;
 * a WILDCARD(column) cell is a pattern where `*` is any run); the outputs get the matching rows'
 * values, and when nothing matches they are missing, or `default_match` with min_matches ≥ 1.
 * Several matching rows give SPL a multivalue output: that is refused, so every rendered table
 * has at most one row per key (exact keys grouped here, wildcard rows proven pairwise disjoint).
 */
import { diag } from '../diagnostics/index.js';
import type { Lookup } from '../ir/index.js';
import { kqlIdent, kqlNumber, kqlString, globRegex } from './kql-literal.js';
import { at, compared, type KqlCtx } from './kql-scope.js';

/** Largest table inlined into a query. */
export const MAX_LOOKUP_ROWS = 5000;

const KEY = 'LookupKey';
const OUT = 'LookupOut';
const ROW = 'LookupRow';
const MATCHED = 'LookupMatched';

/** A Splunk WILDCARD cell as an IR glob: only `*` is special, `?` and `\` are literal. */
const splunkGlob = (cell: string) => cell.replace(/[\\?]/g, (c) => '\\' + c);

/** The lookup stage as operators, or undefined after reporting why it cannot be rendered exactly. */
export function lookup(ctx: KqlCtx, s: Lookup): string[] | undefined {
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
    const clash = ctx.scope.table && Object.hasOwn(ctx.scope.table.columns, o.as) && ctx.scope.resolve(o.as)?.text !== kqlIdent(o.as);
    if (clash) return fail(`the output '${o.as}' is a column of ${ctx.scope.table!.name} under another field`);
  }

  // One right-side row per key: its outputs (values of the matching row) and a match marker.
  type Entry = { key: string[]; outs: string[] };
  const entries: Entry[] = [];
  if (!star) {
    const byKey = new Map<string, Entry>();
    for (const { r } of rows) {
      const key = keyCols.map((i) => fold(r[i]!));
      const id = JSON.stringify(key);
      const outs = outputs.map((o) => r[o.i] ?? '');
      const e = byKey.get(id);
      if (!e) { byKey.set(id, { key, outs }); entries.push(byKey.get(id)!); continue; }
      // A second matching row with a value for an output makes a multivalue in SPL.
      for (const [j, v] of outs.entries()) {
        if (v === '') continue;
        if (e.outs[j] !== '') return fail(`several rows share the key ${key.map((k) => `'${k}'`).join(', ')} (SPL outputs a multivalue field, KQL one value)`);
        e.outs[j] = v;
      }
    }
  } else {
    const overlap = firstOverlap(rows.map(({ r }) => keyCols.map((i, j) => (table.wildcard.has(s.keys[j]!.column) ? fold(r[i]!).split('*') : [fold(r[i]!)]))));
    if (overlap) return fail(`rows ${rows[overlap[0]]!.n + 2} and ${rows[overlap[1]]!.n + 2} of ${table.file} can both match one value (SPL outputs a multivalue field)`);
    rows.forEach(({ r }, n) => entries.push({ key: [String(n)], outs: outputs.map((o) => r[o.i] ?? '') }));
  }

  const ops: string[] = [];
  const keyNames = star ? [ROW] : s.keys.map((_, j) => `${KEY}${j}`);
  const outNames = outputs.map((_, j) => `${OUT}${j}`);
  if (star) {
    // The first (the only) matching row's number; -1 when none matches.
    const conds = rows.map(({ r }) => keyCols.map((i, j) => {
      const cell = fold(r[i]!);
      if (!table.wildcard.has(s.keys[j]!.column) || !cell.includes('*')) return `${left[j]} == ${kqlString(cell)}`;
      return `${left[j]} matches regex ${kqlString(globRegex(splunkGlob(cell), true))}`;
    }).join(' and '));
    // A missing key matches no row, not even a `*` pattern (which would match KQL's '').
    const present = left.map((l) => `isnotempty(${l})`).join(' and ');
    ops.push(`extend ${ROW} = iff(${present}, case(${conds.map((c, n) => `${c}, ${n}`).join(', ')}, -1), -1)`);
  } else ops.push(`extend ${left.map((l, j) => `${keyNames[j]} = ${l}`).join(', ')}`);
  const schema = [...keyNames.map((n) => `${n}:${star ? 'long' : 'string'}`), ...outNames.map((n) => `${n}:string`), `${MATCHED}:bool`];
  const cells = entries.flatMap((e) => [...e.key.map((k) => (star ? kqlNumber(Number(k))! : kqlString(k))), ...e.outs.map(kqlString), 'true']);
  ops.push(`lookup kind=leftouter (datatable(${schema.join(', ')})[${cells.join(', ')}]) on ${keyNames.join(', ')}`);
  // No matching row: the outputs are missing ('' in KQL), or default_match when the table sets it.
  const dflt = table.defaultMatch;
  const assign = outputs.map((o, j) => `${kqlIdent(o.as)} = ${dflt === undefined ? outNames[j] : `iff(isnull(${MATCHED}), ${kqlString(dflt)}, ${outNames[j]})`}`);
  ops.push(`extend ${assign.join(', ')}`);
  ops.push(`project-away ${[...keyNames, ...outNames, MATCHED].join(', ')}`);
  for (const o of outputs) ctx.scope.define(o.as, 'string');
  return ops;
}

/**
 * The first two rows (indexes) whose keys can match one value, or undefined when every pair is
 * disjoint. A key is a pattern as its literal parts between stars; rows overlap when every key does.
 */
function firstOverlap(rows: string[][][]): [number, number] | undefined {
  for (let a = 0; a < rows.length; a++) {
    for (let b = a + 1; b < rows.length; b++) if (rows[a]!.every((p, j) => intersects(p, rows[b]![j]!))) return [a, b];
  }
  return undefined;
}

/**
 * Whether two star patterns (their literal parts between stars) match a common string. Two
 * literals: when equal. A literal and a pattern: when the pattern matches it. Two patterns with
 * a star each: exactly when their literal prefixes agree (one starts the other) and their
 * suffixes agree, since the string made of the longer prefix, every middle part of both, and
 * the longer suffix matches both.
 */
export function intersects(ps: string[], qs: string[]): boolean {
  if (ps.length === 1 && qs.length === 1) return ps[0] === qs[0];
  if (ps.length === 1) return globMatches(qs, ps[0]!);
  if (qs.length === 1) return globMatches(ps, qs[0]!);
  const [p0, q0, p1, q1] = [ps[0]!, qs[0]!, ps[ps.length - 1]!, qs[qs.length - 1]!];
  return (p0.startsWith(q0) || q0.startsWith(p0)) && (p1.endsWith(q1) || q1.endsWith(p1));
}

/** Whether the parts of a star pattern match the literal: first part a prefix, last a suffix, middles in order. */
function globMatches(parts: string[], s: string): boolean {
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) return false;
  let pos = first.length;
  const end = s.length - last.length;
  for (const m of parts.slice(1, -1)) {
    const k = s.indexOf(m, pos);
    if (k < 0 || k + m.length > end) return false;
    pos = k + m.length;
  }
  return true;
}
