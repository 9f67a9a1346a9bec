/**
 * What a KQL pipeline can read at one point: before an aggregate, the table's mapped fields
 * plus the fields earlier stages computed; after it, only the aggregate's output columns.
 */
import { diag, type Diagnostic, type Origin } from '../diagnostics/index.js';
import { INPUT_FIELD } from '../ir/index.js';
import { resolveField, type KqlMapping, type KqlType, type Resolved, type TableSource } from './kql-mapping.js';
import { kqlIdent } from './kql-literal.js';
import type { LookupSource } from './types.js';

/** The names readable at one point of the pipeline. */
export class Scope {
  private readonly cols = new Map<string, Resolved>();
  private readonly removed = new Set<string>();

  constructor(readonly table: TableSource | undefined) {}

  /** How a field reads here, or undefined when nothing provides it. */
  resolve(field: string): Resolved | undefined {
    const own = this.cols.get(field);
    if (own) return own;
    if (!this.table || this.removed.has(field)) return undefined;
    const r = resolveField(this.table, field);
    if (r?.eventData) this.readsEventData = true;
    return r;
  }

  /** Set when any stage read a field from the table's parsed EventData XML (the query must parse it). */
  readsEventData = false;

  /** Declares a column computed by a stage; it is read by its (quoted) name. */
  define(field: string, type: KqlType, standIn = false): void {
    this.removed.delete(field);
    this.cols.set(field, { text: kqlIdent(field), type, exact: true, ...(standIn ? { standIn } : {}) });
  }

  /** Forgets a field (renamed away or projected out). */
  remove(field: string): void {
    this.cols.delete(field);
    this.removed.add(field);
  }

  /** Every name this scope knows by itself or through its table's mapping. */
  names(): string[] {
    const table = this.table ? Object.keys(this.table.fields).filter((f) => !this.removed.has(f)) : [];
    return [...new Set([...this.cols.keys(), ...table])];
  }

  /** A scope holding only the given columns (after summarize or project). */
  static of(columns: Iterable<[string, KqlType, boolean?]>): Scope {
    const s = new Scope(undefined);
    for (const [n, t, standIn] of columns) s.define(n, t, standIn);
    return s;
  }
}

/** Rendering state shared by the KQL helpers. */
export interface KqlCtx {
  mapping: KqlMapping;
  scope: Scope;
  diags: Diagnostic[];
  file: string;
  /** Fields already warned about (one RB404 per field). */
  warned: Set<string>;
  /** Origin of the stage being rendered, for nodes that carry none. */
  here?: Origin;
  /** How many `not` enclose the expression being rendered. */
  negated?: number;
  /** Set when a field was read from the parsed EventData XML. */
  eventData?: boolean;
  /** The lookup tables the caller loaded (RenderOptions lookupTables). */
  lookups?: LookupSource;
}

/** The origin of a node, else of the stage being rendered, else the rule's file. */
export function at(ctx: KqlCtx, origin: Origin | undefined): Origin {
  return origin ?? ctx.here ?? { file: ctx.file };
}

/**
 * A field whose value decides which rows are kept or paired (a filter, dedup, lookup or join
 * key). A stand-in constant there would change the result, not only what is shown: RB403.
 */
export function compared(ctx: KqlCtx, field: string, origin: Origin | undefined, role: string): Resolved | undefined {
  const r = column(ctx, field, origin);
  if (r?.standIn) {
    ctx.diags.push(diag('RB403', `kql (${ctx.mapping.flavour}): ${role} '${field}' has no column (it is a constant here, which would decide every row alike)`, at(ctx, origin)));
    return undefined;
  }
  return r;
}

/** Resolves a field; reports RB403 when it has no column here, RB404 once when it is not exact. */
export function column(ctx: KqlCtx, field: string, origin: Origin | undefined): Resolved | undefined {
  const r = ctx.scope.resolve(field);
  if (!r) {
    const where = ctx.scope.table ? `table ${ctx.scope.table.name}` : 'the columns at this point of the pipeline';
    ctx.diags.push(diag('RB403', `kql (${ctx.mapping.flavour}): ${where} has no column for field '${field}'`, at(ctx, origin)));
    return undefined;
  }
  if (r.eventData) ctx.eventData = true;
  if (!r.exact && !ctx.warned.has(field)) {
    ctx.warned.add(field);
    ctx.diags.push(diag('RB404', `kql (${ctx.mapping.flavour}): field '${field}' is rendered as ${r.text}${r.note ? `: ${r.note}` : ''}`, at(ctx, origin)));
  }
  return r;
}

/**
 * A field the rows do not hold: after a summarize, project or join of known columns the rows
 * hold exactly those, so a field outside them is 'absent' (SPL reads it as null); 'dotted' when
 * its name reads like SPL's `.` between two known columns (`a.b`: Splunk's eval may concatenate
 * there); undefined where the field resolves or the columns are not all known (a table).
 */
export function missingHere(ctx: KqlCtx, name: string): 'absent' | 'dotted' | undefined {
  if (ctx.scope.table || ctx.scope.resolve(name) || ctx.scope.names().includes(INPUT_FIELD)) return undefined;
  const parts = name.split('.');
  return parts.length > 1 && parts.every((p) => ctx.scope.resolve(p)) ? 'dotted' : 'absent';
}

/**
 * True when a stage would write `name` over a column of the table that is not that field's own
 * column: other fields read the column (Sentinel's SysmonEvent `Image` holds process.executable),
 * so overwriting it would change what they read.
 */
export function clashesWithColumn(ctx: KqlCtx, name: string): boolean {
  return !!ctx.scope.table && Object.hasOwn(ctx.scope.table.columns, name) && ctx.scope.resolve(name)?.text !== kqlIdent(name);
}
