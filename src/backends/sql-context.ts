/** State shared by the SQL renderer's parts: the dialect, the diagnostics and field resolution. */
import { diag, type Code, type Diagnostic, type Origin } from '../diagnostics/index.js';
import type { SqlDialect } from './sql-dialect.js';

/** How a value of a column compares: text, a timestamp, a number or a list (aggregate outputs). */
export type SqlType = 'text' | 'timestamp' | 'number' | 'list';

/**
 * A field resolved to SQL. `multi`: the value may be a list, stored as JSON array text (see
 * MULTI_VALUED in sql-layout.ts), and a predicate tests each element.
 */
export interface SqlCol { sql: string; type: SqlType; multi?: boolean }

/** The names visible after a SELECT: its columns (ordered, typed), JSON fallback, aggregate expressions. */
export interface SqlScope { names: Map<string, SqlType>; json: boolean; exprs?: Map<string, SqlCol> }

/** Rendering context. */
export interface SqlCtx {
  d: SqlDialect;
  file: string;
  diags: Diagnostic[];
  /** Position of the enclosing node, for parts (a call inside a `where`) that carry none. */
  at?: Origin;
  /** At the event table (before any stage): the columns a keyword search looks in. */
  keywordColumns?: { columns: SqlCol[]; json: string };
  /** Resolves a field name in the current scope; reports and returns undefined when it has none. */
  resolve(field: string, origin?: Origin): SqlCol | undefined;
}

/** Records a diagnostic at a node (or at the rule's file when the node has no origin). */
export function report(ctx: SqlCtx, code: Code, message: string, origin?: Origin): void {
  ctx.diags.push(diag(code, message, origin ?? ctx.at ?? { file: ctx.file }));
}

/** A string literal through the dialect's escape helper; text it cannot hold is an error. */
export function lit(ctx: SqlCtx, s: string, origin?: Origin): string {
  const out = ctx.d.str(s);
  if (out === undefined) {
    report(ctx, 'RB401', `sql (${ctx.d.name}) cannot write a string containing a NUL character`, origin);
    return "''";
  }
  return out;
}

/** A numeric literal; NaN and infinities are errors. */
export function num(ctx: SqlCtx, n: number, origin?: Origin): string {
  if (!Number.isFinite(n)) {
    report(ctx, 'RB401', `sql cannot write the number ${n}`, origin);
    return '0';
  }
  return String(n);
}

/**
 * Joins boolean terms with AND/OR as a balanced tree of parenthesized groups, so a long value
 * list never builds an expression deeper than SQLite's limit of 1000.
 */
export function joinBool(parts: string[], op: 'AND' | 'OR'): string {
  if (parts.length === 1) return parts[0]!;
  if (parts.length <= 16) return '(' + parts.join(` ${op} `) + ')';
  const chunk = Math.ceil(parts.length / 16);
  const groups: string[] = [];
  for (let i = 0; i < parts.length; i += chunk) groups.push(joinBool(parts.slice(i, i + chunk), op));
  return joinBool(groups, op);
}

/** `x` as text, casting a non-text column. */
export function textOf(ctx: SqlCtx, c: SqlCol): string {
  return c.type === 'text' ? c.sql : ctx.d.toText(c.sql);
}
