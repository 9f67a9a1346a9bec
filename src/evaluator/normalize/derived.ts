/** Derived fields of mappings/windows.json (`basename`, `hash:<ALGO>`), computed once per event. */
import type { DerivedField } from '../../ir/index.js';
import type { CanonicalEvent, FieldValue } from './canonical.js';

/** The last path segment after `\` or `/`. */
export function basename(p: string): string {
  const i = Math.max(p.lastIndexOf('\\'), p.lastIndexOf('/'));
  return i >= 0 ? p.slice(i + 1) : p;
}

/** One hash out of a Sysmon `Hashes` list (`SHA1=…,MD5=…,SHA256=…`). */
export function pickHash(list: string, algo: string): string | undefined {
  const want = algo.toUpperCase() + '=';
  for (const part of list.split(',')) {
    const p = part.trim();
    if (p.toUpperCase().startsWith(want)) return p.slice(want.length);
  }
  return undefined;
}

/** A derived value (`basename`, `hash:<ALGO>`) of a value, element-wise over lists; undefined when none. */
export function derive(v: FieldValue, fn: string): FieldValue | undefined {
  if (Array.isArray(v)) {
    const out = v.map((x) => derive(x, fn)).filter((x): x is FieldValue => x !== undefined);
    return out.length ? out : undefined;
  }
  if (typeof v !== 'string') return undefined;
  if (fn === 'basename') return basename(v);
  if (fn.startsWith('hash:')) return pickHash(v, fn.slice(5));
  return undefined;
}

/**
 * Adds every derived field whose source is present and which the event does not already have
 * (the mapping's `derived` object, or its entries, which a caller may keep from event to event).
 */
export function addDerived(ev: CanonicalEvent, derived: Record<string, DerivedField> | [string, DerivedField][] | undefined): void {
  if (!derived) return;
  for (const [name, d] of Array.isArray(derived) ? derived : Object.entries(derived)) {
    if (ev[name] !== undefined) continue;
    const src = ev[d.from];
    if (src === undefined || src === null) continue;
    const v = derive(src, d.fn);
    if (v !== undefined) ev[name] = v;
  }
}
