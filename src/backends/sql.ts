/**
 * The SQL target: SQLite (default), DuckDB, PostgreSQL and Spark SQL over the event table of
 * mappings/sql.json (`rulebridge sql-ddl --dialect X` prints its CREATE TABLE). The per-dialect
 * differences live in sql-<dialect>.ts; query shape in sql-stages.ts, predicates in sql-expr.ts.
 *
 * The capability column is the union of the dialects; what one dialect lacks is reported at
 * render time with RB401 at the node: a regex RE2 cannot run (SQLite's REGEXP calls the host's
 * regexp() function, which must be RE2: see sql-sqlite.ts), cidr (postgres only). PostgreSQL regexes are POSIX AREs: a warning
 * (RB404) says the match may differ in corner cases. SQLite folds ASCII case only (RB404 when a
 * case-insensitive value has other cased letters). GROUP BY keeps groups whose keys are NULL.
 */
import { hasErrors } from '../diagnostics/index.js';
import { column, type Feature, type Support } from './capabilities.js';
import { report, type SqlCtx } from './sql-context.js';
import { sqlDialect } from './sql-dialects.js';
import { buildQuery } from './sql-stages.js';
import { compileTemplate } from './template.js';
import type { Backend, RenderOptions, RenderResult } from './types.js';
import type { RuleIR } from '../ir/index.js';

const NATIVE: Feature[] = [
  'op.eq', 'op.wildcard', 'op.contains', 'op.startswith', 'op.endswith', 'op.regex', 'op.cidr',
  'op.lt', 'op.le', 'op.gt', 'op.ge', 'op.exists', 'op.fieldref', 'op.keyword', 'op.placeholder', 'query.inputs',
  'value.null', 'case-sensitive', 'quantifier.all', 'regex.flags', 'expr.test', 'time-part',
  'stage.aggregate', 'stage.filter', 'stage.eval', 'stage.rename', 'stage.project', 'stage.sort', 'stage.head', 'stage.fillnull', 'stage.dedup', 'stage.eventstats',
  'aggregate.having', 'aggregate.span', 'agg.where', 'agg.count', 'agg.dc', 'agg.min', 'agg.max', 'agg.sum', 'agg.avg', 'agg.values', 'agg.earliest', 'agg.latest',
  'fn.strftime', 'fn.lower', 'fn.upper', 'fn.len', 'fn.coalesce', 'fn.if', 'fn.isnull', 'fn.isnotnull',
  'fn.abs', 'fn.round', 'fn.tostring', 'fn.tonumber', 'fn.trim', 'fn.ltrim', 'fn.rtrim', 'fn.case', 'fn.match',
];

/** Native where listed, unsupported otherwise (extract, list, first, last, …). */
export const SQL_CAPABILITIES = column('unsupported', Object.fromEntries(NATIVE.map((f) => [f, 'native' as Support])));

/** Keeps a rule's title on one comment line: control characters would end the `--` comment. */
function comment(s: unknown): string {
  return String(s ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}

function renderSql(rule: RuleIR, opts: RenderOptions): RenderResult {
  const d = sqlDialect(opts.dialect);
  const ctx: SqlCtx = { d: d!, file: rule.file, diags: [], resolve: () => undefined };
  if (!d) {
    report(ctx, 'RB411', `unknown SQL dialect '${opts.dialect}' (known: sqlite, duckdb, postgres, spark)`);
    return { ok: false, diagnostics: ctx.diags };
  }
  const query = buildQuery(rule.query, ctx);
  if (hasErrors(ctx.diags)) return { ok: false, diagnostics: ctx.diags };
  try {
    const text = compileTemplate(opts.template ?? 'sql').render(
      { rule, meta: rule.meta, query, target: 'sql', dialect: d.name },
      { comment },
    );
    return { ok: true, query: text, diagnostics: ctx.diags };
  } catch (e) {
    report(ctx, 'RB410', `sql template failed: ${(e as Error).message}`);
    return { ok: false, diagnostics: ctx.diags };
  }
}

export const sqlBackend: Backend = {
  name: 'sql',
  ext: 'sql',
  capabilities: SQL_CAPABILITIES,
  render: renderSql,
};
