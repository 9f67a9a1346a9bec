/**
 * One log source as the head of a KQL query: its table, the exact filters that select the
 * source's rows (ActionType, EventLog, EventID), the EventData parsing when a field needs it, and
 * the rule's filter: `Table | where <selection> [| <EventData parse>] | where <filter>`.
 */
import { diag, type Diagnostic, type Origin } from '../diagnostics/index.js';
import type { Expr, LogSource, RuleIR } from '../ir/index.js';
import { renderExpr } from './kql-expr.js';
import { kqlIdent, kqlNumber, kqlString } from './kql-literal.js';
import { eventDataOperators, kqlMapping, tableFor, variantFor, type KqlMapping, type TableSource } from './kql-mapping.js';
import { Scope, type KqlCtx } from './kql-scope.js';
import { compileTemplate } from './template.js';
import type { RenderOptions, RenderResult } from './types.js';

/** Errors that only say a flavour has no table or column for the rule: another flavour may have them. */
export const MAPPING_GAPS = new Set(['RB402', 'RB403']);

/** The flavours to try, in order: unified is Defender XDR, then Sentinel. Undefined for an unknown dialect. */
export function flavours(dialect: string | undefined, path: string | undefined): KqlMapping[] | undefined {
  if (path || (dialect !== undefined && dialect !== 'unified')) {
    const m = kqlMapping(dialect, path);
    return m ? [m] : undefined;
  }
  // The Sentinel mapping (~300 KB of JSON) is read only when a rule falls back to it: the
  // second element is a getter, so the callers' loops load it on first access.
  const list: KqlMapping[] = [kqlMapping('defender', undefined)!];
  let sentinel: KqlMapping | undefined;
  Object.defineProperty(list, 1, { enumerable: true, get: () => (sentinel ??= kqlMapping('sentinel', undefined)!) });
  return list;
}

/** True when every error is a mapping gap, so the next flavour may render the rule. */
export function onlyGaps(ds: Diagnostic[]): boolean {
  return ds.filter((d) => d.severity === 'error').every((d) => MAPPING_GAPS.has(d.code));
}

/** A source resolved in one flavour, with the rendering context its fields resolve in. */
export interface SourceHead { table: TableSource; ctx: KqlCtx; filter: string | undefined; selects: string[]; /** The table's scope (later stages may replace ctx.scope). */ scope: Scope }

/** Resolves the table and renders the filter; undefined (with RB402 in `diags`) when the flavour has no table. */
export function sourceHead(mapping: KqlMapping, src: LogSource, filter: Expr, file: string, diags: Diagnostic[], fallbackAt?: Origin): SourceHead | undefined {
  const srcAt = src.origin ?? fallbackAt ?? { file };
  const name = [src.product, src.category, src.service].filter(Boolean).join('/') || JSON.stringify(src.extra ?? {});
  const base = tableFor(mapping, src);
  // A source read differently by the rows the rule selects (auditd's record type): that reading.
  const table = base && variantFor(mapping, base, filter);
  if (!table) {
    diags.push(diag('RB402', `kql (${mapping.flavour}) has no table for log source '${name}'`, srcAt));
    return undefined;
  }
  const variant = base!.entry.variants;
  if ('none' in table) {
    diags.push(diag('RB402', `kql (${mapping.flavour}) has no table for log source '${name}' with ${variant!.field} ${table.value}: ${table.none}`, table.origin ?? srcAt));
    return undefined;
  }
  const ctx: KqlCtx = { mapping, scope: new Scope(table), diags, file, warned: new Set() };
  if (table.entry.exact === false) {
    // A variant's note is about its rows: say which (auditd's type EXECVE records).
    const rows = table !== base ? ` (${variant!.field} ${Object.keys(variant!.byValue).find((k) => variant!.byValue[k] === table.entry)})` : '';
    diags.push(diag('RB404', `kql (${mapping.flavour}): log source '${src.category ?? src.service ?? src.extra?.sourcetype}'${rows} is read from ${table.name}${table.entry.note ? `: ${table.entry.note}` : ''}`, srcAt));
  }
  const selects: string[] = [];
  const actions = table.entry.actionTypes ?? [];
  const actionCol = kqlIdent(mapping.actionColumn ?? 'ActionType');
  // ActionType values are fixed identifiers, compared exactly.
  const rows = [...(actions.length ? [{ column: actionCol, values: actions }] : []), ...(table.entry.select ?? []).map((s) => ({ ...s, column: kqlIdent(s.column) }))];
  for (const { column, values } of rows) {
    const lits = values.map((v) => (typeof v === 'number' ? kqlNumber(v)! : kqlString(v)));
    selects.push(lits.length === 1 ? `${column} == ${lits[0]}` : `${column} in (${lits.join(', ')})`);
  }
  const f = renderExpr(ctx, filter);
  const text = f === undefined || f === 'true' ? f : filter.kind === 'or' && selects.length ? `(${f})` : f;
  return { table, ctx, filter: text, selects, scope: ctx.scope };
}

/**
 * The operators after the table name. Call it after every field of the query was resolved, so
 * that the EventData parse is there when any field (in the filter or a later stage) needs it.
 */
export function headOperators(h: SourceHead): string[] {
  const where = [...h.selects];
  const ops: string[] = [];
  // A stage (project, rename, …) may read EventData through the scope without the ctx flag.
  if ((h.ctx.eventData || h.scope.readsEventData) && h.table.eventData) {
    // The source's selection first, so only its events have their XML parsed.
    if (where.length) ops.push(`where ${where.splice(0).join(' and ')}`);
    ops.push(...eventDataOperators(h.table.eventData));
  }
  if (h.filter !== undefined && h.filter !== 'true') where.push(h.filter);
  if (where.length) ops.push(`where ${where.join(' and ')}`);
  return ops;
}

/** The comment line naming the Sentinel tables a unified query reads. */
export function familyNote(tables: string[]): string {
  const names = [...new Set(tables)];
  // SysmonEvent is no built-in table: say what fills it (mappings/sentinel.json).
  const parser = names.includes('SysmonEvent') ? ' (SysmonEvent: the Sysmon parser function\'s output over Event)' : '';
  return `Microsoft Sentinel table${names.length > 1 ? 's' : ''} ${names.join(', ')}: Defender XDR has no table or column for this rule${parser}`;
}

/** Lays out the query through templates/kql.hbs, then through the user's template if any. */
export function fill(rule: RuleIR, opts: RenderOptions, ctx: { family: string; table: string; operators: string[] }, meta: { table: string; flavour: string }, diagnostics: Diagnostic[]): RenderResult {
  try {
    let query = compileTemplate('kql').render(ctx);
    if (opts.template) query = compileTemplate(opts.template).render({ rule, meta: rule.meta, query, target: 'kql', table: meta.table, family: meta.flavour, operators: ctx.operators });
    return { ok: true, query, diagnostics };
  } catch (err) {
    return { ok: false, diagnostics: [...diagnostics, diag('RB410', `kql template: ${(err as Error).message}`, { file: rule.file })] };
  }
}
