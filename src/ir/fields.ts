/**
 * Field mappings are data (mappings/*.json), not code. This module loads them once and answers
 * lookups; frontends, backends and the evaluator all read the same tables.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cache = new Map<string, unknown>();

/** Loads mappings/<name>.json (or an absolute/relative path a user gave), cached. */
export function loadMapping<T = unknown>(nameOrPath: string): T {
  let m = cache.get(nameOrPath);
  if (m === undefined) {
    const path = nameOrPath.endsWith('.json') ? nameOrPath : join(ROOT, 'mappings', `${nameOrPath}.json`);
    // Objects without a prototype: rules look names up in these tables, and a field or log
    // source named `__proto__`, `constructor` or `toString` must find nothing, not Object's own.
    m = JSON.parse(readFileSync(path, 'utf8'), (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.assign(Object.create(null) as object, v) : v));
    cache.set(nameOrPath, m);
  }
  return m as T;
}

/** A field computed from another canonical field (process.name = basename of process.executable). */
export interface DerivedField {
  from: string;
  /**
   * `basename`, `hash:<ALGO>` to pick one hash out of a Sysmon `Hashes` list, or `coalesce`:
   * the value of `from`, or of `fallback` where `from` is missing or empty.
   */
  fn: string;
  /** For `coalesce`: the field read where `from` is missing or empty. */
  fallback?: string;
  /** How a Sigma rule says the same thing: `<field>|<op>: <prefix><value>`. */
  sigma?: { field: string; op: 'endswith'; prefix: string };
}

/** One Sigma log source category of mappings/windows.json. */
export interface WindowsCategory {
  channels: Record<string, number[]>;
  fields: Record<string, string>;
  derived?: Record<string, DerivedField>;
}

/** The shape of mappings/windows.json. */
export interface WindowsMapping {
  common: Record<string, string>;
  categories: Record<string, WindowsCategory>;
  services: Record<string, { channels: string[] }>;
}

/** Prefix of canonical names for Windows event fields that ECS does not name. */
export const EVENT_DATA_PREFIX = 'winlog.event_data.';

/** Canonical name of a Windows/Sysmon event field in a Sigma log source category. */
export function windowsToCanonical(field: string, category?: string): { name: string; mapped: boolean } {
  const m = loadMapping<WindowsMapping>('windows');
  const byCat = category ? m.categories[category]?.fields[field] : undefined;
  const name = byCat ?? m.common[field];
  return name ? { name, mapped: true } : { name: EVENT_DATA_PREFIX + field, mapped: false };
}

/** The Windows/Sysmon field name of a canonical field in a category, or undefined (derived or unknown). */
export function canonicalToWindows(name: string, category?: string): string | undefined {
  const m = loadMapping<WindowsMapping>('windows');
  const cat = category ? m.categories[category] : undefined;
  if (cat) for (const [k, v] of Object.entries(cat.fields)) if (v === name) return k;
  for (const [k, v] of Object.entries(m.common)) if (v === name) return k;
  if (name.startsWith(EVENT_DATA_PREFIX)) return name.slice(EVENT_DATA_PREFIX.length);
  return undefined;
}

/** The derivation of a canonical field in a category, if it is derived. */
export function derivedField(name: string, category?: string): DerivedField | undefined {
  const m = loadMapping<WindowsMapping>('windows');
  return category ? m.categories[category]?.derived?.[name] : undefined;
}
