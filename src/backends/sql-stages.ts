/**
 * A query and its stages as one SELECT, nesting a subquery wherever a stage must see the
 * previous one's output columns:
 *   SELECT * FROM events WHERE <logsource> AND (<filter>)
 *   aggregate → SELECT <key> AS "alias", COUNT(*) AS "count", … GROUP BY <key> [HAVING …]
 *   eval/rename/project/fillnull → an outer SELECT listing the columns
 *   sort/head → ORDER BY / LIMIT
 * The scope tracks which names are columns at each point; before any projection, a name that is
 * not a column is read from the JSON column.
 */
import { renameColumns, walkValue, type Eval, type Origin, type Query, type Stage, type ValueExpr } from '../ir/index.js';
import { lit, num, report, textOf, type SqlCol, type SqlCtx, type SqlScope as Scope, type SqlType } from './sql-context.js';
import { aggregate } from './sql-aggregate.js';
import { renderExpr } from './sql-expr.js';
import { JSON_KEY, MULTI_VALUED, sqlLayout, type SqlLayout } from './sql-layout.js';
import type { SqlDialect } from './sql-dialect.js';
import { inputsFrom } from './sql-inputs.js';
import { logsourceSql } from './sql-logsource.js';
import { renderValue } from './sql-value.js';
import { eventstatsCols } from './sql-window.js';


interface Select {
  kind: 'base' | 'agg' | 'wrap';
  cols: string[];
  from: string;
  where: string[];
  groupBy: string[];
  having: string[];
  orderBy: string[];
  limit?: number;
}

function toSql(s: Select): string {
  const lines = [`SELECT ${s.cols.join(', ')}`, `FROM ${s.from}`];
  if (s.where.length) lines.push(`WHERE ${s.where.join(' AND ')}`);
  if (s.groupBy.length) lines.push(`GROUP BY ${s.groupBy.join(', ')}`);
  if (s.having.length) lines.push(`HAVING ${s.having.join(' AND ')}`);
  if (s.orderBy.length) lines.push(`ORDER BY ${s.orderBy.join(', ')}`);
  if (s.limit !== undefined) lines.push(`LIMIT ${s.limit}`);
  return lines.join('\n');
}

type KeywordColumns = NonNullable<SqlCtx['keywordColumns']>;
const keywordCache = new WeakMap<object, { layout: SqlLayout; kc: KeywordColumns }>();

/** Keywords search the event's own values: not its time or the log source it was collected as (once per dialect). */
function keywordColumnsOf(d: SqlDialect, layout: SqlLayout): KeywordColumns {
  const hit = keywordCache.get(d);
  if (hit && hit.layout === layout) return hit.kc;
  const kc = {
    columns: layout.columns.filter((c) => c.type === 'text' && !c.name.startsWith('logsource.')).map((c) => ({ sql: d.ident(c.name), type: 'text' as const })),
    json: d.ident(layout.jsonColumn),
  };
  keywordCache.set(d, { layout, kc });
  return kc;
}

/** Builds the SQL of a query; errors go to ctx.diags. */
export function buildQuery(q: Query, base: SqlCtx): string {
  const d = base.d;
  const layout = sqlLayout();
  let scope: Scope = { names: new Map<string, SqlType>(), json: true };
  for (const c of layout.columns) scope.names.set(c.name, c.type);
  scope.names.set(layout.jsonColumn, 'text');
  let n = 0;

  const keywordColumns = keywordColumnsOf(d, layout);
  const ctxFor = (sc: Scope): SqlCtx => ({
    ...base,
    ...(sc.json && !sc.exprs ? { keywordColumns } : {}),
    resolve(field: string, origin?: Origin): SqlCol | undefined {
      const e = sc.exprs?.get(field);
      if (e) return e;
      const t = sc.names.get(field);
      if (t) return { sql: d.ident(field), type: t };
      if (sc.json && field !== layout.jsonColumn) {
        if (JSON_KEY.test(field)) return { sql: d.jsonText(d.ident(layout.jsonColumn), field), type: 'text', ...(MULTI_VALUED.has(field) ? { multi: true } : {}) };
        report(base, 'RB403', `sql: field '${field}' has no column and its name cannot be read from the JSON column`, origin);
        return undefined;
      }
      // SPL reads an absent field as null (`where`, `eval` over a field the stats did not keep).
      report(base, 'RB405', `sql: no column '${field}' at this point of the pipeline; it reads as NULL`, origin);
      return { sql: 'NULL', type: 'text' };
    },
  });

  // A correlation reads the union of its inputs' events instead of the table.
  const inputs = q.inputs ? inputsFrom(q.inputs, layout, base, () => ctxFor(scope)) : undefined;
  if (inputs) scope = { names: inputs.names, json: true };
  const ls = inputs ? undefined : logsourceSql(q.source, base);
  const filter = q.filter.kind === 'const' && q.filter.value ? undefined : renderExpr(q.filter, ctxFor(scope));
  const from = inputs ? `(\n${inputs.sql}\n) AS ${d.ident('inputs')}` : d.ident(layout.table);
  let sel: Select = { kind: 'base', cols: ['*'], from, where: [], groupBy: [], having: [], orderBy: [] };
  if (ls) sel.where.push(ls);
  if (filter) sel.where.push(ls ? `(${filter})` : filter);

  const wrap = (at?: Origin): Select => {
    if (sel.orderBy.length && sel.limit === undefined) report(base, 'RB404', 'sql: the order of an earlier sort is not kept by the stages after it', at);
    const s: Select = { kind: 'wrap', cols: ['*'], from: `(\n${toSql(sel)}\n) AS ${d.ident('t' + ++n)}`, where: [], groupBy: [], having: [], orderBy: [] };
    scope = { names: scope.names, json: scope.json };
    return s;
  };
  const open = () => !sel.orderBy.length && sel.limit === undefined;

  for (const st of mergeEvals(q.stages)) {
    base.at = st.origin; // a node of the stage without its own position reports at the stage
    switch (st.kind) {
      case 'aggregate': {
        if (sel.kind !== 'base' || !open()) sel = wrap(st.origin);
        const r = aggregate(st, ctxFor(scope));
        sel = { ...sel, kind: 'agg', cols: r.cols, groupBy: r.groupBy };
        scope = r.scope;
        break;
      }
      case 'filter': {
        if (sel.kind === 'agg' && open()) sel.having.push(renderExpr(st.expr, ctxFor(scope)));
        else {
          if (!(sel.kind === 'base' && open())) sel = wrap(st.origin);
          sel.where.push(wrapParens(renderExpr(st.expr, ctxFor(scope)), d.name === 'spark'));
        }
        break;
      }
      case 'eval':
        for (const layer of evalLayers(withoutNoOps(st, scope))) {
          sel = wrap(st.origin);
          const ctx = ctxFor(scope);
          const assigned = new Map(layer.map((a) => [a.field, a.expr]));
          const names = new Map(scope.names);
          for (const a of layer) names.set(a.field, typeOf(a.expr, scope));
          const cols = scope.json && layer.every((a) => !scope.names.has(a.field))
            ? ['*', ...layer.map((a) => `${renderValue(a.expr, ctx)} AS ${d.ident(a.field)}`)]
            : [...names.keys()].map((k) => (assigned.has(k) ? `${renderValue(assigned.get(k)!, ctx)} AS ${d.ident(k)}` : d.ident(k)));
          sel.cols = cols;
          scope = { names, json: scope.json };
        }
        break;
      case 'rename': {
        sel = wrap(st.origin);
        const ctx = ctxFor(scope);
        // Pairs apply one after another, left to right (the evaluator's rename): a renamed column
        // replaces one of the same name. Each output column keeps the SQL it is read from.
        let cur: [string, { sql: string; type: SqlType }][] = [...scope.names].map(([k, t]) => [k, { sql: d.ident(k), type: t }]);
        for (const pair of st.pairs) {
          const before = cur;
          cur = renameColumns(cur, [pair]);
          if (!pair.from.includes('*') && !before.some(([k]) => k === pair.from) && scope.json) {
            // A field of the JSON document that no column holds yet.
            const c = ctx.resolve(pair.from, st.origin);
            if (c) cur = [...cur.filter(([k]) => k !== pair.to), [pair.to, { sql: c.sql, type: c.type }]];
          }
        }
        const names = new Map<string, SqlType>([...cur].map(([k, v]) => [k, v.type]));
        sel.cols = [...cur].map(([k, v]) => (v.sql === d.ident(k) ? v.sql : `${v.sql} AS ${d.ident(k)}`));
        scope = { names, json: scope.json && names.has(layout.jsonColumn) };
        break;
      }
      case 'project': {
        sel = wrap(st.origin);
        const ctx = ctxFor(scope);
        const match = (k: string) => st.fields.some((f) => globMatch(f, k));
        const names = new Map<string, SqlType>();
        const cols: string[] = [];
        if (st.mode === 'drop') {
          for (const [k, t] of scope.names) if (!match(k)) { names.set(k, t); cols.push(d.ident(k)); }
        } else {
          for (const f of st.fields) {
            if (f.includes('*')) {
              for (const [k, t] of scope.names) if (globMatch(f, k) && !names.has(k)) { names.set(k, t); cols.push(d.ident(k)); }
            } else if (!names.has(f)) {
              const c = ctx.resolve(f, st.origin);
              if (c) { names.set(f, c.type); cols.push(c.sql === d.ident(f) ? c.sql : `${c.sql} AS ${d.ident(f)}`); }
            }
          }
        }
        if (!cols.length) report(base, 'RB401', 'sql: the projection leaves no column', st.origin);
        sel.cols = cols;
        scope = { names, json: scope.json && names.has(layout.jsonColumn) };
        break;
      }
      case 'fillnull': {
        sel = wrap(st.origin);
        const ctx = ctxFor(scope);
        // A number fills a numeric column as a number; any other column is text, filled with the value's text.
        const vText = st.value === null ? 'NULL' : lit(ctx, String(st.value), st.origin);
        const vNum = typeof st.value === 'number' ? num(ctx, st.value, st.origin) : undefined;
        const targets = st.fields.length ? st.fields : [...scope.names.keys()].filter((k) => k !== layout.jsonColumn);
        const names = new Map(scope.names);
        const cols = [...scope.names.keys()].map((k) => {
          if (!targets.includes(k)) return d.ident(k);
          const t = scope.names.get(k)!;
          if (t === 'number' && vNum !== undefined) return `COALESCE(${d.ident(k)}, ${vNum}) AS ${d.ident(k)}`;
          names.set(k, t === 'list' ? t : 'text');
          return `COALESCE(${textOf(ctx, { sql: d.ident(k), type: t })}, ${vText}) AS ${d.ident(k)}`;
        });
        for (const f of targets) {
          if (names.has(f)) continue;
          const c = scope.json ? ctx.resolve(f, st.origin) : undefined;
          cols.push(`COALESCE(${c ? textOf(ctx, c) : 'NULL'}, ${vText}) AS ${d.ident(f)}`);
          names.set(f, 'text');
        }
        sel.cols = cols;
        scope = { names, json: scope.json };
        break;
      }
      case 'sort': {
        if (sel.limit !== undefined) sel = wrap(st.origin);
        const ctx = ctxFor(scope);
        sel.orderBy = st.keys.map((k) => {
          const c = ctx.resolve(k.field, st.origin);
          return `${c ? c.sql : 'NULL'} ${k.desc ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`;
        });
        break;
      }
      case 'head':
        if (sel.limit !== undefined) sel = wrap(st.origin);
        if (!sel.orderBy.length) report(base, 'RB404', 'sql: rows have no defined order, so head keeps some n rows, not the first n', st.origin);
        sel.limit = Math.max(0, Math.floor(st.n));
        break;
      case 'dedup': {
        // SPL dedup: rows lacking a key are dropped; of each key, the earliest row is kept (the
        // evaluator keeps the first in file order; Splunk's newest-first order would keep the latest).
        sel = wrap(st.origin);
        const ctx = ctxFor(scope);
        const keys = st.fields.map((f) => ctx.resolve(f, st.origin)?.sql ?? 'NULL');
        const time = scope.names.has('@timestamp') ? d.ident('@timestamp') : undefined;
        if (!time && scope.names.size > st.fields.length) report(base, 'RB404', 'sql: rows have no time here, so dedup keeps some row of each key, not the first', st.origin);
        const rn = d.ident('rb_dedup_row');
        sel.cols = ['*', `ROW_NUMBER() OVER (PARTITION BY ${keys.join(', ')}${time ? ` ORDER BY ${time} ASC` : ''}) AS ${rn}`];
        sel.where.push(...keys.map((k) => `${k} IS NOT NULL`));
        const names = scope.names;
        sel = wrap(st.origin);
        sel.cols = [...names.keys()].map((k) => d.ident(k));
        sel.where.push(`${rn} = 1`);
        break;
      }
      case 'eventstats': {
        sel = wrap(st.origin);
        const win = eventstatsCols(st, ctxFor(scope));
        if (!win) break;
        const names = new Map(scope.names);
        for (const w of win) names.set(w.name, w.type);
        const byName = new Map(win.map((w) => [w.name, w.sql]));
        sel.cols = scope.json && win.every((w) => !scope.names.has(w.name))
          ? ['*', ...win.map((w) => `${w.sql} AS ${d.ident(w.name)}`)]
          : [...names.keys()].map((k) => (byName.has(k) ? `${byName.get(k)} AS ${d.ident(k)}` : d.ident(k)));
        scope = { names, json: scope.json };
        break;
      }
      case 'extract':
        report(base, 'RB401', `sql cannot express stage.${st.kind}`, st.origin);
        break;
    }
  }
  return toSql(sel);
}

/** Parenthesizes a stage filter joined to others by AND, unless one pair already encloses it. */
function wrapParens(s: string, backslashEscapes: boolean): string {
  return enclosed(s, backslashEscapes) ? s : `(${s})`;
}

/**
 * True when the first `(` of `s` is closed by its last character: `(a) OR (b)` is not enclosed.
 * Quoted strings and identifiers are skipped (a doubled quote stays inside); a backslash inside
 * one makes the answer "no" in Spark, which reads it as an escape (the others do not).
 */
export function enclosed(s: string, backslashEscapes: boolean): boolean {
  if (!s.startsWith('(') || !s.endsWith(')')) return false;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      for (; j < s.length; j++) {
        if (backslashEscapes && s[j] === '\\') return false;
        if (s[j] === ch) {
          if (s[j + 1] !== ch) break;
          j++;
        }
      }
      if (j >= s.length) return false;
      i = j;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0 && i < s.length - 1) return false;
  }
  return depth === 0;
}

function globMatch(glob: string, name: string): boolean {
  if (!glob.includes('*')) return glob === name;
  const re = new RegExp('^' + glob.split('*').map((p) => p.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')).join('.*') + '$', 's');
  return re.test(name);
}

/** Consecutive eval stages as one (evalLayers still splits where an assignment reads an earlier one). */
function mergeEvals(stages: Stage[]): Stage[] {
  const out: Stage[] = [];
  for (const s of stages) {
    const prev = out[out.length - 1];
    if (s.kind === 'eval' && prev?.kind === 'eval') out[out.length - 1] = { ...prev, assign: [...prev.assign, ...s.assign] };
    else out.push(s);
  }
  return out;
}

/**
 * `security_content_ctime(f)` (`eval f = strftime(f, …)`) is a no-op on a field that does not
 * exist (fields-and-pitfalls.md), so such an assignment adds no column.
 */
function withoutNoOps(e: Eval, scope: Scope): Eval {
  const assign = e.assign.filter((a) => {
    const x = a.expr;
    const self = x.kind === 'call' && x.fn === 'strftime' && x.args[0]?.kind === 'field' && x.args[0].name === a.field;
    return !(self && !scope.json && !scope.names.has(a.field));
  });
  return { ...e, assign };
}

/** SPL eval assigns in order: an assignment that reads an earlier one of the same stage starts a new SELECT. */
function evalLayers(e: Eval): Eval['assign'][] {
  const layers: Eval['assign'][] = [];
  let cur: Eval['assign'] = [];
  for (const a of e.assign) {
    const reads = new Set<string>();
    walkValue(a.expr, (v) => { if (v.kind === 'field') reads.add(v.name); });
    if (cur.some((c) => reads.has(c.field) || c.field === a.field)) {
      layers.push(cur);
      cur = [];
    }
    cur.push(a);
  }
  if (cur.length) layers.push(cur);
  return layers;
}

function typeOf(v: ValueExpr, scope: Scope): SqlType {
  if (v.kind === 'field') return scope.names.get(v.name) ?? 'text';
  if (v.kind === 'lit') return typeof v.value === 'number' ? 'number' : 'text';
  if (v.kind === 'binary') return ['+', '-', '*', '/', '%'].includes(v.op) ? 'number' : 'text';
  if (v.kind === 'call') return ['len', 'abs', 'round', 'tonumber'].includes(v.fn) ? 'number' : 'text';
  return v.op === '-' ? 'number' : 'text';
}
