/**
 * SPL eventstats in KQL: the rows so far are named (`as hint.materialized=true`, evaluated once),
 * summarized per key and joined back (`join kind=leftouter … on keys`), so every row keeps its
 * columns and gains its group's aggregates. A row lacking a key belongs to no group in SPL and
 * gets no aggregates; KQL strings are never null (and empty keys would join each other), so
 * those rows have their aggregates cleared. Also SPL mvexpand as mv-expand.
 */
import { diag } from '../diagnostics/index.js';
import type { EventStats, MvExpand } from '../ir/index.js';
import { kqlIdent } from './kql-literal.js';
import type { KqlType } from './kql-mapping.js';
import { at, column, type KqlCtx } from './kql-scope.js';
import { summarize } from './kql-summarize.js';

/** The name a plain or bracketed column text stands for, or undefined for a computed expression. */
function columnName(text: string): string | undefined {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) return text;
  const m = /^\['([^'\\]*)'\]$/.exec(text);
  return m ? m[1] : undefined;
}

const ROWS = 'EventStatsRows';
const WHOLE = 'EventStatsKey';

/** eventstats as operators, or undefined after reporting why it cannot be rendered. */
export function eventstats(ctx: KqlCtx, s: EventStats): string[] | undefined {
  const fail = (why: string): undefined => {
    ctx.diags.push(diag('RB401', `kql cannot express ${why}`, at(ctx, s.origin)));
    return undefined;
  };
  // Without a by clause, one group of all rows: a constant key to join on.
  const whole = !s.groupBy.length;
  if (whole) ctx.scope.define(WHOLE, 'long');
  const keys: { field: string; name: string; type: KqlType }[] = whole ? [{ field: WHOLE, name: WHOLE, type: 'long' }] : [];
  for (const g of s.groupBy) {
    const r = column(ctx, g.field, s.origin);
    if (!r) return undefined;
    const name = columnName(r.text);
    if (name === undefined) return fail(`eventstats by '${g.field}', which is computed here (${r.text})`);
    if (!keys.some((k) => k.name === name)) keys.push({ field: g.field, name, type: r.type });
  }
  for (const a of s.aggs) if (ctx.scope.resolve(a.as) || keys.some((k) => k.name === a.as)) return fail(`eventstats into the existing field '${a.as}'`);
  const saved = ctx.scope;
  const op = summarize(ctx, { kind: 'aggregate', groupBy: keys.map((k) => ({ field: k.field, as: k.name })), aggs: s.aggs, ...(s.origin ? { origin: s.origin } : {}) });
  const out = ctx.scope;
  ctx.scope = saved;
  if (whole) ctx.scope.remove(WHOLE);
  if (op === undefined) return undefined;
  // Constant columns (an aggregate of a field with no column) would be cleared for keyless rows
  // by name only; a project-away of arg_max's time columns stays inside the summary.
  if (Array.isArray(op) && op.some((o) => o.startsWith('extend '))) return fail('eventstats of a field with no column');
  const summary = Array.isArray(op) ? op.join(' | ') : op;
  const on = keys.map((k) => kqlIdent(k.name));
  const missing = keys.map((k) => (k.type === 'string' ? `isempty(${kqlIdent(k.name)})` : `isnull(${kqlIdent(k.name)})`)).join(' or ');
  const cleared: string[] = [];
  for (const a of s.aggs) {
    const t = out.resolve(a.as)?.type ?? 'string';
    ctx.scope.define(a.as, t);
    const none = t === 'string' ? "''" : `${t}(null)`;
    cleared.push(`${kqlIdent(a.as)} = iff(${missing}, ${none}, ${kqlIdent(a.as)})`);
  }
  return [
    ...(whole ? [`extend ${WHOLE} = 1`] : []),
    `as hint.materialized=true ${ROWS}`,
    `join kind=leftouter (${ROWS} | ${summary}) on ${on.join(', ')}`,
    `project-away ${[...(whole ? [WHOLE] : []), ...keys.map((k) => kqlIdent(k.name + '1'))].join(', ')}`,
    ...(whole ? [] : [`extend ${cleared.join(', ')}`]),
  ];
}

/**
 * SPL mvexpand: one row per value of a multi-value field (a dynamic array here, from values() or
 * list()); as in SPL, an empty list leaves no row and a missing value keeps its row
 * (learn.microsoft.com/kusto/query/mv-expand-operator). Each row then holds one value, typed
 * string (SPL values are text; numeric tests read it through todouble), so later predicates
 * compare that value and not a list. A single-valued column needs nothing.
 */
export function mvexpand(ctx: KqlCtx, s: MvExpand): string | null | undefined {
  const r = column(ctx, s.field, s.origin);
  if (!r) return undefined;
  if (r.type !== 'dynamic') return null;
  const own = kqlIdent(s.field);
  ctx.scope.define(s.field, 'string');
  return `mv-expand ${r.text === own ? own : `${own} = ${r.text}`} to typeof(string)`;
}
