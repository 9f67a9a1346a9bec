/**
 * Aggregation (SPL stats/tstats, Sigma correlations): rows are grouped by the group-by values
 * (a list value makes one group per element, as SPL stats does) and, with `span`, by a time
 * bucket. A missing group-by value groups as null (SPL stats would drop the row, tstats with
 * fillnull would say "unknown"; null is the neutral choice until the IR says which).
 * Output rows are sorted by their group keys, so the result does not depend on input order.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import type { Agg, Aggregate } from '../ir/index.js';
import { compileExpr } from './compile-expr.js';
import { Row, asString, isMissing, type Fields } from './row.js';
import { parseTime, toNumber } from './normalize/values.js';
import { TIME_MS } from './normalize/canonical.js';

/** Compares two output values: null first, numbers before strings, numbers numerically. */
export function compareValues(a: unknown, b: unknown): number {
  const am = isMissing(a), bm = isMissing(b);
  if (am || bm) return am === bm ? 0 : am ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  const sa = Array.isArray(a) ? JSON.stringify(a) : asString(a) ?? JSON.stringify(a);
  const sb = Array.isArray(b) ? JSON.stringify(b) : asString(b) ?? JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

interface Acc { add(f: Fields, v: unknown[]): void; result(): unknown }

function numbers(vs: unknown[]): number[] {
  const out: number[] = [];
  for (const v of vs) { const n = toNumber(v); if (n !== undefined) out.push(n); }
  return out;
}

/**
 * A row's event time: an event's own, or after an aggregate its `_time` column (a span bucket or
 * a by-_time key), which SPL's earliest()/latest() order the rows by.
 */
function timeOf(f: Fields): number | undefined {
  const t = f[TIME_MS];
  if (typeof t === 'number') return t;
  return parseTime(f['@timestamp'] ?? f['_time'])?.ms;
}

function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  // Linear interpolation between closest ranks (SPL exactperc, numpy's default).
  const pos = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

function makeAcc(a: Agg): Acc {
  switch (a.fn) {
    case 'count': { let n = 0; return { add: (_f, v) => { n += a.field ? (v.length ? 1 : 0) : 1; }, result: () => n }; }
    case 'dc': { const s = new Set<string>(); return { add: (_f, v) => { for (const x of v) s.add(asString(x) ?? JSON.stringify(x)); }, result: () => s.size }; }
    case 'min': case 'max': {
      const sign = a.fn === 'min' ? -1 : 1;
      let num: number | undefined, str: string | undefined;
      return {
        add: (_f, v) => {
          for (const x of v) {
            const n = toNumber(x);
            if (n !== undefined) { if (num === undefined || (n - num) * sign > 0) num = n; }
            else { const s = asString(x); if (s !== undefined && (str === undefined || (s > str ? sign : -sign) > 0)) str = s; }
          }
        },
        // SPL: numeric values win over strings when a field has both.
        result: () => num ?? str ?? null,
      };
    }
    case 'sum': { let s = 0, any = false; return { add: (_f, v) => { for (const n of numbers(v)) { s += n; any = true; } }, result: () => (any ? s : null) }; }
    case 'avg': { let s = 0, n = 0; return { add: (_f, v) => { for (const x of numbers(v)) { s += x; n++; } }, result: () => (n ? s / n : null) }; }
    case 'stdev': case 'var': case 'median': case 'percentile': case 'range': case 'mode': {
      const all: unknown[] = [];
      return {
        add: (_f, v) => { all.push(...v); },
        result: () => {
          if (a.fn === 'mode') {
            const counts = new Map<string, { v: unknown; n: number }>();
            for (const x of all) { const k = asString(x) ?? JSON.stringify(x); const c = counts.get(k); if (c) c.n++; else counts.set(k, { v: x, n: 1 }); }
            let best: { v: unknown; n: number } | undefined;
            for (const c of counts.values()) if (!best || c.n > best.n) best = c;
            return best?.v ?? null;
          }
          const ns = numbers(all).sort((x, y) => x - y);
          if (!ns.length) return null;
          if (a.fn === 'range') return ns[ns.length - 1]! - ns[0]!;
          if (a.fn === 'median') return percentile(ns, 50);
          if (a.fn === 'percentile') return percentile(ns, a.param ?? 50);
          if (ns.length < 2) return a.fn === 'var' || a.fn === 'stdev' ? 0 : null;
          const mean = ns.reduce((s, x) => s + x, 0) / ns.length;
          const v = ns.reduce((s, x) => s + (x - mean) ** 2, 0) / (ns.length - 1); // sample, as SPL
          return a.fn === 'var' ? v : Math.sqrt(v);
        },
      };
    }
    case 'values': { const s = new Set<string>(); return { add: (_f, v) => { for (const x of v) s.add(asString(x) ?? JSON.stringify(x)); }, result: () => [...s].sort() }; }
    case 'list': { const l: unknown[] = []; return { add: (_f, v) => { l.push(...v); }, result: () => l }; }
    case 'first': case 'last': {
      let val: unknown = null, seen = false;
      return { add: (_f, v) => { if (!v.length) return; if (a.fn === 'last' || !seen) val = v.length === 1 ? v[0] : v; seen = true; }, result: () => val };
    }
    case 'earliest': case 'latest': {
      let val: unknown = null, at: number | undefined;
      const later = a.fn === 'latest';
      return {
        add: (f, v) => {
          if (!v.length) return;
          const t = timeOf(f) ?? 0;
          if (at === undefined || (later ? t >= at : t < at)) { at = t; val = v.length === 1 ? v[0] : v; }
        },
        result: () => val,
      };
    }
  }
}

interface Group { key: unknown[]; accs: Acc[] }

/** An aggregate in progress: feed rows, then finish for the output rows. */
export interface Aggregator {
  add(f: Fields): void;
  finish(): Fields[];
  /** Set when a limit truncated the input (MAX_GROUPS, MAX_KEYS_PER_ROW): the RB505 message. */
  truncated?: string;
}

/** Most groups one aggregate keeps; rows of further groups are dropped with RB505. */
export const MAX_GROUPS = 1_000_000;
/** Most group keys one row makes by splitting list values; further ones are dropped with RB505. */
export const MAX_KEYS_PER_ROW = 10_000;

/** Compiles an aggregate stage into a factory of fresh aggregators. */
export function compileAggregate(s: Aggregate, diags: Diagnostic[]): () => Aggregator {
  const wheres = s.aggs.map((a) => (a.where ? compileExpr(a.where, diags) : undefined));
  const span = s.span;
  return () => {
    const groups = new Map<string, Group>();
    const values = (f: Fields, field: string | undefined): unknown[] => {
      if (!field) return [];
      const v = f[field];
      if (isMissing(v)) return [];
      return Array.isArray(v) ? v.filter((x) => !isMissing(x)) : [v];
    };
    const self: Aggregator = {
      add(f) {
        // One key tuple per combination of list elements (SPL stats splits multi-valued group-bys).
        let keys: unknown[][] = [[]];
        for (const g of s.groupBy) {
          const v = f[g.field];
          const opts = Array.isArray(v) ? (v.length ? v : [null]) : [v ?? null];
          keys = keys.flatMap((k) => opts.map((o) => [...k, o]));
          if (keys.length > MAX_KEYS_PER_ROW) {
            keys = keys.slice(0, MAX_KEYS_PER_ROW);
            self.truncated ??= `a row split into more than ${MAX_KEYS_PER_ROW} groups (list values); the rest were dropped`;
          }
        }
        if (span) {
          const t = span.field === '@timestamp' ? timeOf(f) : parseTime(f[span.field])?.ms;
          const bucket = t === undefined ? null : parseTime(Math.floor(t / 1000 / span.seconds) * span.seconds)!.iso;
          keys = keys.map((k) => [...k, bucket]);
        }
        let row: Row | undefined;
        for (const key of keys) {
          const id = JSON.stringify(key);
          let g = groups.get(id);
          if (!g) {
            if (groups.size >= MAX_GROUPS) {
              self.truncated ??= `more than ${MAX_GROUPS} groups; rows of further groups were dropped`;
              continue;
            }
            groups.set(id, (g = { key, accs: s.aggs.map(makeAcc) }));
          }
          for (let i = 0; i < s.aggs.length; i++) {
            const w = wheres[i];
            if (w && !w((row ??= new Row(f)))) continue;
            g.accs[i]!.add(f, values(f, s.aggs[i]!.field));
          }
        }
      },
      finish() {
        const list = [...groups.values()];
        list.sort((a, b) => { for (let i = 0; i < a.key.length; i++) { const c = compareValues(a.key[i], b.key[i]); if (c) return c; } return 0; });
        // SPL stats with no group-by and no rows still returns one row (count 0).
        if (!list.length && !s.groupBy.length && !span) list.push({ key: [], accs: s.aggs.map(makeAcc) });
        return list.map((g) => {
          const out: Fields = Object.create(null);
          s.groupBy.forEach((k, i) => { out[k.as] = g.key[i] ?? null; });
          if (span) out[span.as] = g.key[s.groupBy.length] ?? null;
          s.aggs.forEach((a, i) => { out[a.as] = g.accs[i]!.result(); });
          return out;
        });
      },
    };
    return self;
  };
}
