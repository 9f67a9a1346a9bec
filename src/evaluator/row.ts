/**
 * A row seen by compiled closures: an event before any aggregate, an output row after. Field
 * values are lower-cased at most once per row and field, however many predicates read them.
 */
import type { FieldValue } from './normalize/canonical.js';
import { LazyFlat } from './normalize/lazy.js';

/** Fields of a row: canonical event or aggregate output. */
export type Fields = Record<string, unknown>;

/** The string a value compares as (numbers and booleans as written in JSON). */
export function asString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** A row with a per-field cache of lower-cased values. */
export class Row {
  private low: Map<string, unknown> | undefined;
  private lazy: LazyFlat | undefined;
  private eager: Fields | undefined;
  /**
   * @param fields the row's fields, or a lazily normalized event (whose fields are computed
   *   as they are read: `fields` computes them all)
   * @param raw the flat Windows record an event was normalized from, for the prefilter's
   *   keyword atoms (raw-keywords.ts); never read by filters or stages.
   */
  constructor(fields: Fields | LazyFlat, readonly raw?: Record<string, unknown>) {
    if (fields instanceof LazyFlat) this.lazy = fields;
    else this.eager = fields;
  }

  /** Every field (a lazy row computes them all on first use). */
  get fields(): Fields {
    return (this.eager ??= this.lazy!.full());
  }

  get(f: string): unknown {
    return this.eager ? this.eager[f] : this.lazy!.get(f);
  }

  /** The value lower-cased (lists element-wise); undefined for missing or non-scalar values. */
  lower(f: string): unknown {
    if (!this.low) this.low = new Map();
    else {
      const hit = this.low.get(f);
      if (hit !== undefined || this.low.has(f)) return hit;
    }
    const v = this.get(f);
    const out = typeof v === 'string' ? v.toLowerCase() : Array.isArray(v) ? v.map((x) => asString(x)?.toLowerCase()) : asString(v)?.toLowerCase();
    this.low.set(f, out);
    return out;
  }

  private all: [string[] | undefined, string[] | undefined] = [undefined, undefined];

  /**
   * Every distinct string value of the row (list elements included, `skip` left out), lower-cased
   * or not: the haystack of keyword searches, built once per row however many rules search it.
   */
  values(lower: boolean, skip: string): string[] {
    const i = lower ? 1 : 0;
    const cached = this.all[i];
    if (cached) return cached;
    const seen = new Set<string>();
    for (const k in this.fields) {
      if (k === skip) continue;
      const v = this.fields[k];
      if (Array.isArray(v)) for (const x of v) { const s = asString(x); if (s !== undefined) seen.add(lower ? s.toLowerCase() : s); }
      else { const s = asString(v); if (s !== undefined) seen.add(lower ? s.toLowerCase() : s); }
    }
    const out = [...seen];
    this.all[i] = out;
    return out;
  }

  private joinedCache: [string | undefined, string | undefined] = [undefined, undefined];

  /**
   * The string values (as in `values`) joined by NUL: one indexOf finds a NUL-free literal in
   * any of them. Repeats are harmless to that question, so only a value equal to the one just
   * before (a field copied under several names, written one after another) is left out.
   */
  joined(lower: boolean, skip: string): string {
    const i = lower ? 1 : 0;
    if (this.joinedCache[i] === undefined) {
      // Lower-casing the joined string once is much cheaper than lower-casing each value (and
      // the same: NUL is not cased, so no letter's lower case depends on another value).
      const plain = (this.joinedCache[0] ??= joinValues(this.fields, skip));
      if (lower) this.joinedCache[1] = plain.toLowerCase();
    }
    return this.joinedCache[i]!;
  }

  /** Forgets cached values (after a stage changed the fields). */
  touch(): void {
    this.low = undefined;
    this.all = [undefined, undefined];
    this.joinedCache = [undefined, undefined];
  }
}

function joinValues(fields: Fields, skip: string): string {
  const parts: string[] = [];
  let prev: string | undefined;
  const add = (x: unknown) => {
    const s = asString(x);
    if (s !== undefined && s !== prev) parts.push((prev = s));
  };
  for (const k in fields) {
    if (k === skip) continue;
    const v = fields[k];
    if (Array.isArray(v)) for (const x of v) add(x);
    else add(v);
  }
  return parts.join('\u0000');
}

/** True when a value counts as absent: missing, null, or an empty list. */
export function isMissing(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0);
}

export type { FieldValue };
