/**
 * A rule's log source as an event selector: Sigma category → (channel, event id) pairs of
 * mappings/windows.json, service → channels; both → the category's pairs on the service's
 * channels; a channel the source names outside any service (extra.channel) → that channel.
 * Channels compare case-insensitively (renderers disagree on `Security`/`security`).
 * An ECS event without a channel is selected by its event.category/event.type instead.
 */
import { diag, type Diagnostic } from '../diagnostics/index.js';
import type { LogSource } from '../ir/index.js';
import { windowsIndex } from './normalize/categories.js';
import type { Fields } from './row.js';

/** A compiled log source. */
export interface SourceSelector {
  /** No constraint: every event. */
  all: boolean;
  /** lower-case channel → event ids (undefined = any id on that channel). */
  channels: Map<string, Set<number> | undefined>;
  /** The Sigma category, for ECS events without a channel. */
  category?: string;
}

/** ECS event.category/event.type that stand for a Sigma category when an event has no channel. */
const ECS_CATEGORY: Record<string, { category: string; type?: string }> = {
  process_creation: { category: 'process', type: 'start' },
  process_termination: { category: 'process', type: 'end' },
  network_connection: { category: 'network' },
  file_event: { category: 'file', type: 'creation' },
  file_delete: { category: 'file', type: 'deletion' },
  image_load: { category: 'library' },
  driver_load: { category: 'driver' },
  registry_event: { category: 'registry' },
  registry_set: { category: 'registry', type: 'change' },
  registry_add: { category: 'registry', type: 'creation' },
  registry_delete: { category: 'registry', type: 'deletion' },
  dns_query: { category: 'network', type: 'protocol' },
};

const has = (v: unknown, want: string) => (Array.isArray(v) ? v.includes(want) : v === want);

/** True when an event without a channel belongs to the category by its ECS categorization. */
export function ecsInCategory(ev: Fields, category: string): boolean {
  const m = ECS_CATEGORY[category];
  if (!m) return false;
  return has(ev['event.category'], m.category) && (m.type === undefined || has(ev['event.type'], m.type));
}

/** Compiles a log source; a source the evaluator cannot select reports RB504 and returns undefined. */
export function compileLogSource(src: LogSource, file: string, diags: Diagnostic[]): SourceSelector | undefined {
  const at = src.origin ?? { file };
  const { mapping } = windowsIndex();
  if (src.product && src.product.toLowerCase() !== 'windows') {
    diags.push(diag('RB504', `the evaluator reads Windows events only; log source product '${src.product}' cannot be evaluated`, at));
    return undefined;
  }
  const channels = new Map<string, Set<number> | undefined>();
  let serviceChannels: string[] | undefined;
  if (src.service) {
    const svc = mapping.services[src.service.toLowerCase()];
    if (!svc) {
      diags.push(diag('RB504', `unknown Windows log source service '${src.service}' (known: ${Object.keys(mapping.services).join(', ')})`, at));
      return undefined;
    }
    serviceChannels = svc.channels.map((c) => c.toLowerCase());
  } else if (src.extra?.channel) {
    // A Windows channel that no Sigma service stands for (the Splunk frontend keeps it in
    // extra.channel, e.g. `WinEventLog:Microsoft-Windows-Windows Defender/Operational`).
    serviceChannels = [src.extra.channel.toLowerCase()];
  }
  if (src.category) {
    const cat = mapping.categories[src.category.toLowerCase()];
    if (!cat) {
      diags.push(diag('RB504', `unknown Windows log source category '${src.category}'`, at));
      return undefined;
    }
    for (const [ch, ids] of Object.entries(cat.channels)) {
      const key = ch.toLowerCase();
      if (serviceChannels && !serviceChannels.includes(key)) continue;
      channels.set(key, new Set(ids));
    }
    if (!channels.size && src.extra?.channel && !src.service) {
      diags.push(diag('RB504', `log source category '${src.category}' has no events on channel '${src.extra.channel}' in mappings/windows.json`, at));
      return undefined;
    }
    return { all: false, channels, category: src.category.toLowerCase() };
  }
  if (serviceChannels) {
    for (const c of serviceChannels) channels.set(c, undefined);
    return { all: false, channels };
  }
  return { all: true, channels };
}
