/**
 * Pipeline stages over rows. A rule's pipeline runs continuation-style: the stages before the
 * first aggregate or sort run per event as it streams by (a row is copied before its first
 * change, since events are shared by all rules); an aggregate accumulates incrementally; the
 * stages after it run on the (small) table of output rows.
 */
import { diag, type Diagnostic } from '../diagnostics/index.js';
import { renameColumns, renamePair, visitStage, type RenamePair, type Stage } from '../ir/index.js';
import { compileExpr } from './compile-expr.js';
import { compileValue } from './compile-value.js';
import { compileRegex } from './regex.js';
import { compileGlob } from './glob-match.js';
import { compileAggregate, compareValues, type Aggregator } from './aggregate.js';
import { Row, asString, isMissing, type Fields } from './row.js';
import { compileEventStats, compileMvExpand } from './stage-table.js';
import { compileLookup } from './stage-lookup.js';
import { compileJoin } from './stage-join.js';
import { compileSequence } from './sequence.js';
import { compileForEach } from './stage-foreach.js';
import { compileSpathAll } from './stage-spath.js';
import { compileIpLocation } from './stage-iplocation.js';
import type { CompileContext, RunEnv } from './pipeline.js';

export type { CompileContext, RunEnv } from './pipeline.js';

/** A row on its way through a pipeline, with the event's place when it is still an event. */
export interface Carrier {
  f: Fields;
  /** True while `f` is the shared canonical event: copy before changing it. */
  shared: boolean;
  file?: string;
  line?: number;
  /** The event's number in the run (1-based): tells apart the same line of a replayed file. */
  seq?: number;
}

/** Makes a carrier's fields its own. */
export function own(c: Carrier): Fields {
  if (c.shared) {
    c.f = Object.assign(Object.create(null) as Fields, c.f);
    c.shared = false;
  }
  return c.f;
}

/** A per-row step: returns false to drop the row. */
export type Step = (c: Carrier) => boolean;

/**
 * A compiled stage: a factory of per-row steps (fresh state per run), or a table operation over
 * all rows (sort, eventstats, mvexpand, join, sequence), which reads a join's sub-query rows
 * from the run's `env`.
 */
export type CompiledStage =
  | { kind: 'step'; make: () => Step }
  | { kind: 'table'; run: (rows: Carrier[], env: RunEnv) => Carrier[] }
  | { kind: 'aggregate'; make: () => Aggregator; names: string[] };

/**
 * Renames a set of column names as a rename stage would (for tracking group-by columns), with
 * the stage's meaning (src/ir/rename.ts).
 */
export function renameNames(names: string[], pairs: RenamePair[]): string[] {
  return renameColumns(names.map((n): [string, string] => [n, n]), pairs).map(([n]) => n);
}

const keyOf = (f: Fields, fields: string[]) => JSON.stringify(fields.map((x) => f[x] ?? null));

/** Compiles one stage; `ctx` resolves lookup tables and compiles a join's sub-query. */
export function compileStage(s: Stage, diags: Diagnostic[], ctx: CompileContext): CompiledStage {
  return visitStage<CompiledStage>(s, {
    eventstats: (n) => compileEventStats(n, diags),
    mvexpand: (n) => compileMvExpand(n),
    join: (n) => compileJoin(n, diags, ctx),
    lookup: (n) => compileLookup(n, diags, ctx),
    sequence: (n) => compileSequence(n),
    foreach: (n) => compileForEach(n, diags),
    spath: (n) => compileSpathAll(n),
    iplocation: (n) => compileIpLocation(n, diags),
    filter: (n) => {
      const t = compileExpr(n.expr, diags);
      return { kind: 'step', make: () => (c) => t(new Row(c.f)) };
    },
    eval: (n) => {
      const assigns = n.assign.map((a) => ({ field: a.field, v: compileValue(a.expr, diags) }));
      return { kind: 'step', make: () => (c) => {
        for (const a of assigns) {
          const v = a.v(new Row(c.f));
          // SPL: a null result leaves the field absent (ctime of a missing field is a no-op).
          if (v === undefined || v === null) { if (a.field in c.f) delete own(c)[a.field]; }
          else own(c)[a.field] = v;
        }
        return true;
      } };
    },
    rename: (n) => {
      // Pairs apply one after another (see renameNames); the fields one wildcard pair matches move at once.
      const rs = n.pairs.map(renamePair);
      return { kind: 'step', make: () => (c) => {
        for (const r of rs) {
          const moves: [string, string][] = [];
          for (const k in c.f) { const to = r(k); if (to !== undefined && to !== k) moves.push([k, to]); }
          if (!moves.length) continue;
          const f = own(c);
          const vals = moves.map(([k]) => f[k]);
          for (const [k] of moves) delete f[k];
          moves.forEach(([, to], i) => { f[to] = vals[i]; });
        }
        return true;
      } };
    },
    project: (n) => {
      const globs = n.fields.map((p) => compileGlob(p));
      const hit = (k: string) => globs.some((g) => g(k));
      return { kind: 'step', make: () => (c) => {
        const out: Fields = Object.create(null);
        for (const k in c.f) if (hit(k) === (n.mode === 'keep')) out[k] = c.f[k];
        c.f = out;
        c.shared = false;
        return true;
      } };
    },
    dedup: (n) => ({ kind: 'step', make: () => {
      const seen = new Set<string>();
      return (c) => {
        // SPL dedup drops rows that lack any of the fields.
        if (n.fields.some((x) => isMissing(c.f[x]))) return false;
        const k = keyOf(c.f, n.fields);
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      };
    } }),
    head: (n) => ({ kind: 'step', make: () => { let left = n.n; return () => left-- > 0; } }),
    fillnull: (n) => ({ kind: 'step', make: () => (c) => {
      const fields = n.fields.length ? n.fields : Object.keys(c.f);
      for (const x of fields) if (isMissing(c.f[x])) own(c)[x] = n.value;
      return true;
    } }),
    extract: (n) => {
      const re = compileRegex(n.pattern, { caseSensitive: true });
      if (typeof re === 'string') {
        diags.push(diag('RB503', `rex pattern is not supported by the linear-time engine: ${re}`, n.origin));
        return { kind: 'step', make: () => () => false };
      }
      return { kind: 'step', make: () => (c) => {
        const s = asString(c.f[n.field]);
        if (s === undefined) return true;
        if (n.max !== undefined && n.max !== 1) {
          // rex max_match: each name gets the values of every match (one value stays single).
          const ms = re.execAll(s, n.max);
          for (const name of n.names) {
            const vals = ms.map((m) => m[name]).filter((v): v is string => v !== undefined && v !== null);
            if (vals.length) own(c)[name] = vals.length === 1 ? vals[0] : vals;
          }
          return true;
        }
        const m = re.exec(s);
        if (m) for (const name of n.names) if (m[name] !== undefined && m[name] !== null) own(c)[name] = m[name];
        return true;
      } };
    },
    sort: (n) => ({ kind: 'table', run: (rows) => [...rows].sort((a, b) => {
      for (const k of n.keys) {
        const av = a.f[k.field], bv = b.f[k.field];
        // Missing values sort last whatever the direction.
        if (isMissing(av) !== isMissing(bv)) return isMissing(av) ? 1 : -1;
        const c = compareValues(av, bv);
        if (c) return k.desc ? -c : c;
      }
      return 0;
    }) }),
    aggregate: (n) => ({ kind: 'aggregate', make: compileAggregate(n, diags), names: [...n.groupBy.map((g) => g.as), ...(n.span ? [n.span.as] : [])] }),
  });
}

/** Runs compiled stages on a table of rows (after an aggregate, or when a table stage needs all rows). */
export function runTable(stages: CompiledStage[], rows: Carrier[], env: RunEnv): Carrier[] {
  let cur = rows;
  for (const st of stages) {
    if (st.kind === 'table') cur = st.run(cur, env);
    else if (st.kind === 'aggregate') {
      const agg = st.make();
      for (const c of cur) agg.add(c.f);
      cur = agg.finish().map((f) => ({ f, shared: false }));
    } else {
      const step = st.make();
      cur = cur.filter((c) => step(c));
    }
  }
  return cur;
}
