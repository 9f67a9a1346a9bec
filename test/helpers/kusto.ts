/**
 * Microsoft's Kusto.Language (the @kusto/language-service-next bridge) as a test oracle: a
 * database built from ../shared/reference/kusto-tables.json, and the parser's and binder's
 * diagnostics for a query over it. When the reference folder is absent, `kustoReference` is
 * undefined and `KUSTO_SKIP` says why, so callers can skip with that message.
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SHARED } from './paths.js';

const REF = resolve(SHARED, 'reference', 'kusto-tables.json');

/** Path of the table reference, or undefined when ../shared/reference is absent. */
export const kustoReference: string | undefined = existsSync(REF) ? REF : undefined;
/** Why Kusto checks are skipped (empty when they run). */
export const KUSTO_SKIP = kustoReference ? '' : `Kusto checks skipped: ${REF} is absent`;

/** One diagnostic of Kusto.Language. */
export interface KustoDiagnostic {
  severity: string;
  code: string;
  message: string;
  start: number;
  length: number;
}

// The bridge is a Bridge.NET build that defines the globals `Bridge` and `Kusto`.
/* eslint-disable @typescript-eslint/no-explicit-any */
let kusto: any;
let globals: any;

function load(): void {
  if (globals) return;
  if (!kustoReference) throw new Error(KUSTO_SKIP);
  const require = createRequire(import.meta.url);
  require('@kusto/language-service-next/bridge.min.js');
  require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
  kusto = (globalThis as any).Kusto.Language;
  const ref = JSON.parse(readFileSync(kustoReference, 'utf8')) as { database: string; tables: Record<string, Record<string, string>> };
  const S = kusto.Symbols;
  const tables = Object.entries(ref.tables).map(([name, cols]) => {
    const schema = '(' + Object.entries(cols).map(([c, t]) => `['${c}']:${t}`).join(', ') + ')';
    return new S.TableSymbol.$ctor7(name, schema, null);
  });
  globals = kusto.GlobalState.Default.WithDatabase(new S.DatabaseSymbol.ctor(ref.database, tables));
}

/** Every diagnostic Kusto.Language reports for a query over the reference database. */
export function kustoDiagnostics(query: string): KustoDiagnostic[] {
  load();
  const ds = kusto.KustoCode.ParseAndAnalyze(query, globals).GetDiagnostics();
  const out: KustoDiagnostic[] = [];
  for (let i = 0; i < ds.Count; i++) {
    const d = ds.getItem(i);
    out.push({ severity: String(d.Severity), code: String(d.Code), message: String(d.Message), start: d.Start, length: d.Length });
  }
  return out;
}

/** The error diagnostics only, each with the text it points at (handy in failure output). */
export function kustoErrors(query: string): (KustoDiagnostic & { at: string })[] {
  return kustoDiagnostics(query)
    .filter((d) => d.severity === 'Error')
    .map((d) => ({ ...d, at: query.slice(d.start, d.start + Math.max(d.length, 1)) }));
}

/** The value Kusto.Language reads from a string literal (quotes included). */
export function kustoStringValue(literal: string): string {
  load();
  return String(kusto.KustoFacts.GetStringLiteralValue(literal));
}

/** The values of every string literal of a query, as Kusto.Language reads them, in order. */
export function kustoStringLiterals(query: string): string[] {
  load();
  const code = kusto.KustoCode.Parse(query);
  const kind = kusto.Syntax.SyntaxKind.StringLiteralToken;
  const out: string[] = [];
  for (let t = code.Syntax.GetFirstToken(true); t; t = t.GetNextToken(true)) {
    if (t.Kind === kind) out.push(String(kusto.KustoFacts.GetStringLiteralValue(t.Text)));
  }
  return out;
}
