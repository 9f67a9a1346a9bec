/**
 * Indexes of mappings/windows.json (and windows-security.json) built once: which Sigma
 * categories a (channel, event id) pair belongs to, and the canonical spelling of a channel
 * (renderers disagree on case: `security` vs `Security`).
 */
import { loadMapping, type WindowsCategory, type WindowsMapping } from '../../ir/index.js';

/** One event of mappings/windows-security.json. */
export interface SecurityEventMap {
  category: string;
  fields: Record<string, string>;
  hex?: string[];
  user?: { name: string; domain: string; to: string };
  /** Values translated into another field (MandatoryLabel SID → Sysmon's IntegrityLevel word). */
  values?: Record<string, { to: string; map: Record<string, string> }>;
}

interface Index {
  mapping: WindowsMapping;
  /** lower-case channel → event id → categories (in mapping order). */
  byChannel: Map<string, Map<number, string[]>>;
  /** lower-case channel → canonical spelling. */
  channelName: Map<string, string>;
  /** lower-case channel → event id → Security-style renames. */
  security: Map<string, Map<number, SecurityEventMap>>;
}

let index: Index | undefined;

/** The mapping indexes (loaded on first use). */
export function windowsIndex(): Index {
  if (index) return index;
  const mapping = loadMapping<WindowsMapping>('windows');
  const sec = loadMapping<{ events: Record<string, Record<string, SecurityEventMap>> }>('windows-security');
  const byChannel = new Map<string, Map<number, string[]>>();
  const channelName = new Map<string, string>();
  for (const [cat, def] of Object.entries(mapping.categories)) {
    for (const [ch, ids] of Object.entries(def.channels)) {
      const key = ch.toLowerCase();
      channelName.set(key, ch);
      let m = byChannel.get(key);
      if (!m) byChannel.set(key, (m = new Map()));
      for (const id of ids) {
        const list = m.get(id) ?? [];
        list.push(cat);
        m.set(id, list);
      }
    }
  }
  for (const s of Object.values(mapping.services)) for (const ch of s.channels) channelName.set(ch.toLowerCase(), ch);
  const security = new Map<string, Map<number, SecurityEventMap>>();
  for (const [ch, evs] of Object.entries(sec.events)) {
    channelName.set(ch.toLowerCase(), ch);
    const m = new Map<number, SecurityEventMap>();
    for (const [id, def] of Object.entries(evs)) m.set(Number(id), def);
    security.set(ch.toLowerCase(), m);
  }
  index = { mapping, byChannel, channelName, security };
  return index;
}

/** The canonical spelling of a channel name (unknown channels are kept as written). */
export function canonChannel(ch: string): string {
  return windowsIndex().channelName.get(ch.toLowerCase()) ?? ch;
}

/** The Sigma categories of an event, by its channel and event id. */
export function categoriesOf(channel: string | undefined, code: number | undefined): string[] {
  if (channel === undefined || code === undefined) return [];
  return windowsIndex().byChannel.get(channel.toLowerCase())?.get(code) ?? [];
}

/** A category's definition. */
export function category(name: string): WindowsCategory | undefined {
  return windowsIndex().mapping.categories[name];
}

/** Security-style renames for an event, if any. */
export function securityMap(channel: string | undefined, code: number | undefined): SecurityEventMap | undefined {
  if (channel === undefined || code === undefined) return undefined;
  return windowsIndex().security.get(channel.toLowerCase())?.get(code);
}
