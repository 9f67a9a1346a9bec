/** Derived fields of mappings/windows.json (`basename`, `hash:<ALGO>`, `coalesce`), computed once per event. */
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
  if (fn === 'coalesce') return v;
  if (fn === 'basename') return basename(v);
  if (fn.startsWith('hash:')) return pickHash(v, fn.slice(5));
  return undefined;
}

/** True for a value a Splunk search-time extraction would not have made a field of (none, '', []). */
function blank(v: FieldValue | null | undefined): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/**
 * The value a derived field reads: `from`, or for `coalesce` its `fallback` where `from` is
 * blank. An empty value counts as missing because the Splunk add-ons extract Sysmon's EventData
 * with a REPORT transform (`<Data Name='(.*?)'>(.*?)</Data>`), whose empty values Splunk drops
 * (transforms.conf.spec: KEEP_EMPTY_VALS, default false), so the add-on's
 * `if(isnotnull(SourceHostname), SourceHostname, SourceIp)` takes SourceIp there.
 */
export function derivedSource(get: (name: string) => FieldValue | null | undefined, d: DerivedField): FieldValue | undefined {
  const v = get(d.from);
  if (d.fn !== 'coalesce' || d.fallback === undefined) return v ?? undefined;
  if (!blank(v)) return v ?? undefined;
  const w = get(d.fallback);
  return blank(w) ? undefined : w ?? undefined;
}

/**
 * Adds every derived field whose source is present and which the event does not already have
 * (the mapping's `derived` object, or its entries, which a caller may keep from event to event).
 */
export function addDerived(ev: CanonicalEvent, derived: Record<string, DerivedField> | [string, DerivedField][] | undefined): void {
  if (!derived) return;
  for (const [name, d] of Array.isArray(derived) ? derived : Object.entries(derived)) {
    if (ev[name] !== undefined) continue;
    const src = derivedSource((n) => ev[n], d);
    if (src === undefined) continue;
    const v = derive(src, d.fn);
    if (v !== undefined) ev[name] = v;
  }
}
