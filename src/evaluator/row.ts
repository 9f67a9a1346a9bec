/**
 * A row seen by compiled closures: an event before any aggregate, an output row after. Field
 * values are lower-cased at most once per row and field, however many predicates read them.
 */
import type { FieldValue } from './normalize/canonical.js';

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
  constructor(public fields: Fields) {}

  get(f: string): unknown {
    return this.fields[f];
  }

  /** The value lower-cased (lists element-wise); undefined for missing or non-scalar values. */
  lower(f: string): unknown {
    if (!this.low) this.low = new Map();
    else if (this.low.has(f)) return this.low.get(f);
    const v = this.fields[f];
    const out = Array.isArray(v) ? v.map((x) => asString(x)?.toLowerCase()) : asString(v)?.toLowerCase();
    this.low.set(f, out);
    return out;
  }

  /** Forgets cached values (after a stage changed the fields). */
  touch(): void {
    this.low = undefined;
  }
}

/** True when a value counts as absent: missing, null, or an empty list. */
export function isMissing(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0);
}

export type { FieldValue };
