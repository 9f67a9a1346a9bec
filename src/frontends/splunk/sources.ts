/**
 * Index, source and sourcetype terms (what security_content's source macros such as `sysmon`
 * or `wineventlog_security` expand to) name the log source, not a condition on the event's
 * content. They are taken out of the filter and turned into a Sigma-taxonomy LogSource; an
 * `EventCode=N` next to them picks the category through mappings/windows.json channels.
 */
import type { LogSource } from '../../ir/index.js';
import { loadMapping, starPatternRegex, type WindowsMapping } from '../../ir/index.js';
import type { SearchNode } from './ast.js';

const SOURCE_FIELDS = new Set(['index', 'source', 'sourcetype', 'eventtype']);

/**
 * Known source/sourcetype values → product and service, or the Windows channel a sourcetype
 * stands for; `[Xml]WinEventLog:<channel>` names its channel, whose service comes from windows.json.
 */
const PATTERNS: { re: RegExp; product: string; service?: string; channel?: string }[] = [
  { re: /Microsoft-Windows-Sysmon\/Operational/i, product: 'windows', service: 'sysmon' },
  { re: /Linux-Sysmon/i, product: 'linux', service: 'sysmon' },
  { re: /WinEventLog:Security$|^wineventlog_security$/i, product: 'windows', service: 'security' },
  { re: /WinEventLog:System$|^wineventlog_system$/i, product: 'windows', service: 'system' },
  { re: /WinEventLog:Application$|^wineventlog_application$/i, product: 'windows', service: 'application' },
  { re: /WinEventLog:Microsoft-Windows-PowerShell\/Operational/i, product: 'windows', service: 'powershell' },
  { re: /WinEventLog:Windows PowerShell/i, product: 'windows', service: 'powershell-classic' },
  // The sourcetype of the IIS Configuration channel's input in security_content's setup notes.
  { re: /^IIS:Configuration:Operational$/i, product: 'windows', channel: 'Microsoft-IIS-Configuration/Operational' },
  { re: /WinEventLog:/i, product: 'windows' },
  { re: /^aws:cloudtrail$/i, product: 'aws', service: 'cloudtrail' },
  { re: /^o365:management:activity$/i, product: 'm365', service: 'audit' },
  { re: /^azure:monitor:aad$/i, product: 'azure', service: 'signinlogs' },
  { re: /^gws:reports:/i, product: 'gcp', service: 'gworkspace' },
  { re: /^okta:im2$|^OktaIM2:log$/i, product: 'okta', service: 'okta' },
  { re: /^kube:/i, product: 'kubernetes' },
  { re: /^linux:audit$/i, product: 'linux', service: 'auditd' },
];

/**
 * The event log channel that every source and sourcetype value names as `[Xml]WinEventLog:<channel>`
 * (Windows channel names compare case-insensitively), or undefined when they name none or several.
 */
function channelOf(vals: { field: string; value: string }[]): string | undefined {
  const named = vals.filter((v) => v.field === 'source' || v.field === 'sourcetype').map((v) => /^(?:Xml)?WinEventLog:(.+)$/i.exec(v.value)?.[1]);
  const first = named[0];
  return first !== undefined && named.every((c) => c?.toLowerCase() === first.toLowerCase()) ? first : undefined;
}

/**
 * The Sigma service of a channel (mappings/windows.json): the service of exactly that channel, or
 * for a pattern (`*` is Splunk's wildcard, e.g. `Microsoft-Windows-AppLocker/*`) the one service
 * whose channels are all the pattern matches among the known ones.
 */
function channelService(channel: string): string | undefined {
  const w = loadMapping<WindowsMapping>('windows');
  const re = starPatternRegex(channel.toLowerCase());
  const matches = (c: string): boolean => re.test(c.toLowerCase());
  const hits = Object.keys(w.services).filter((k) => w.services[k]!.channels.some(matches));
  // A pattern that matches only some of a service's channels names less than the service.
  return hits.length === 1 && w.services[hits[0]!]!.channels.every(matches) ? hits[0] : undefined;
}

function isSourceTerm(n: SearchNode): boolean {
  if (n.kind === 'cmp') return n.op === '=' && SOURCE_FIELDS.has(n.field.toLowerCase());
  if (n.kind === 'in') return SOURCE_FIELDS.has(n.field.toLowerCase());
  // `Channel=security` inside the OR of wineventlog_security is one more spelling of the source.
  if (n.kind === 'or') return n.args.every((a) => isSourceTerm(a) || (a.kind === 'cmp' && a.op === '=' && a.field === 'Channel'));
  return false;
}

function termValues(n: SearchNode, out: { field: string; value: string }[]): void {
  if (n.kind === 'cmp') out.push({ field: n.field.toLowerCase(), value: n.value.value });
  else if (n.kind === 'in') for (const v of n.values) out.push({ field: n.field.toLowerCase(), value: v.value });
  else if (n.kind === 'or') for (const a of n.args) termValues(a, out);
}

/** Top-level conjuncts of a search expression. */
export function conjuncts(n: SearchNode | null): SearchNode[] {
  if (!n) return [];
  return n.kind === 'and' ? n.args.flatMap((a) => conjuncts(a)) : [n];
}

/**
 * Splits the source terms off the conjuncts; returns the rest and the log source they name.
 * Unrecognized values are kept in `extra` so that nothing is lost.
 */
export function extractSource(terms: SearchNode[], base: LogSource): { rest: SearchNode[]; source: LogSource } {
  const rest: SearchNode[] = [];
  const vals: { field: string; value: string }[] = [];
  let origin = base.origin;
  for (const t of terms) {
    if (isSourceTerm(t)) { termValues(t, vals); origin ??= t.at; }
    else rest.push(t);
  }
  const source: LogSource = { ...base };
  if (!vals.length) return { rest, source };
  let hit: (typeof PATTERNS)[number] | undefined;
  for (const p of PATTERNS) {
    if (vals.some((v) => p.re.test(v.value))) { hit = p; break; }
  }
  if (hit) {
    source.product ??= hit.product;
    if (hit.service && source.product === hit.product) source.service ??= hit.service;
  }
  const extra: Record<string, string> = { ...(base.extra ?? {}) };
  if (source.product === 'windows' && !source.service) {
    const ch = hit?.channel ?? channelOf(vals);
    const service = ch && channelService(ch);
    if (service) source.service = service;
    // A pattern no service stands for selects no one channel.
    else if (ch && !ch.includes('*')) extra.channel = ch;
  }
  for (const f of ['index', 'source', 'sourcetype', 'eventtype']) {
    const vs = vals.filter((v) => v.field === f).map((v) => v.value);
    if (vs.length) extra[f] = vs.join(' OR ');
  }
  source.extra = extra;
  if (origin) source.origin = origin;
  return { rest, source };
}

/**
 * With a Windows service known, a top-level `EventCode=N` (or `EventID=N`) that names exactly
 * one Sigma category of that channel becomes the category and leaves the filter.
 */
export function extractCategory(terms: SearchNode[], source: LogSource): { rest: SearchNode[]; source: LogSource } {
  if (source.product !== 'windows' || !source.service || source.category) return { rest: terms, source };
  const w = loadMapping<WindowsMapping>('windows');
  const channels = w.services[source.service]?.channels ?? [];
  for (const t of terms) {
    if (t.kind !== 'cmp' || t.op !== '=' || !/^(EventCode|EventID)$/i.test(t.field) || !/^\d+$/.test(t.value.value)) continue;
    const id = Number(t.value.value);
    const cats = Object.entries(w.categories).filter(([, c]) => channels.some((ch) => c.channels[ch]?.includes(id)));
    const exact = cats.filter(([, c]) => channels.every((ch) => !c.channels[ch] || c.channels[ch]!.length === 1));
    const pick = exact.length === 1 ? exact[0] : cats.length === 1 ? cats[0] : undefined;
    if (!pick) continue;
    return { rest: terms.filter((x) => x !== t), source: { ...source, category: pick[0] } };
  }
  return { rest: terms, source };
}
