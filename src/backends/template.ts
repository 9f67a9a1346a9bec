/**
 * Handlebars, configured so a template can only lay out what code has escaped: no HTML
 * escaping (targets are not HTML), strict mode (a missing variable is an error, not an empty
 * string), and only the helpers a backend registers. Templates live in templates/<name>.hbs.
 *
 * Wrappers: a rendered query wrapped by a user's template (`--template FILE`) or by a bundled
 * one of templates/wrappers (`--wrap sentinel|elastic|savedsearches`), which receives the
 * context of `wrapContext` and escapes every value for its container with the helpers `yaml`,
 * `json`, `conf` and `confStanza`.
 */
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isCollection, type YAMLMap } from 'yaml';
import type { RuleIR } from '../ir/index.js';
import { PACKAGE_ROOT } from '../source/index.js';

type Helper = Handlebars.HelperDelegate;
const cache = new Map<string, HandlebarsTemplateDelegate>();

/** How every template is compiled (scripts/bundle.mjs precompiles the bundled ones with the same). */
export const COMPILE_OPTIONS = { noEscape: true, strict: true, knownHelpersOnly: false } as const;

/**
 * Templates compiled ahead of time, by their text: the CLI bundle has the bundled templates here
 * (scripts/bundle.mjs writes them in), so that rendering needs only Handlebars' runtime, not its
 * compiler (parsing and compiling a template at start-up is most of a one-rule conversion).
 * Elsewhere it is empty. A template is looked up by its text, so an edited one is compiled anew.
 */
const PRECOMPILED = new Map<string, TemplateSpecification>(/* rulebridge:precompiled-templates */);

/** Compiles (once) and returns a template: a bundled name (`kql`) or a path to a user's .hbs file. */
export function compileTemplate(nameOrPath: string, partials: Record<string, string> = {}): { render: (ctx: object, helpers?: Record<string, Helper>) => string } {
  const key = nameOrPath;
  let tpl = cache.get(key);
  if (!tpl) {
    const path = isTemplateFile(nameOrPath) ? nameOrPath : join(PACKAGE_ROOT, 'templates', `${nameOrPath}.hbs`);
    const text = readFileSync(path, 'utf8');
    const spec = PRECOMPILED.get(text);
    const env = Handlebars.create();
    tpl = spec ? env.template(spec) : env.compile(text, COMPILE_OPTIONS);
    cache.set(key, tpl);
  }
  const t = tpl;
  return {
    render: (ctx, helpers = {}) => t(ctx, { helpers, partials, allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false }),
  };
}

/** A user's template file (a path) rather than a bundled name: it ends in .hbs or names a folder. */
export function isTemplateFile(nameOrPath: string): boolean {
  return nameOrPath.endsWith('.hbs') || /[\\/]/.test(nameOrPath);
}

/** The bundled wrappers, by name, with the target whose query each one holds. */
export const WRAPPERS = { sentinel: 'kql', elastic: 'eql', savedsearches: 'spl' } as const;
export type Wrapper = keyof typeof WRAPPERS;

/**
 * A YAML value for a top-level key: a plain, quoted or literal block scalar, or a flow
 * collection. It is written as the value of a one-key mapping, so continuation lines get the
 * indentation a value needs, and the key is cut off.
 */
function yaml(v: unknown): string {
  const doc = new Document({ k: v ?? null });
  const value = (doc.contents as YAMLMap).items[0]?.value;
  if (isCollection(value)) value.flow = true;
  const text = doc.toString({ lineWidth: 0, blockQuote: 'literal' });
  if (!text.startsWith('k:')) throw new Error('yaml: unexpected layout');
  return text.slice(2).replace(/^ /, '').replace(/\n$/, '');
}

/** A savedsearches.conf value: each newline becomes a backslash line continuation (Splunk .conf syntax). */
function conf(v: unknown): string {
  const s = String(v);
  // A line that itself ends in a backslash would join the next line; a CR would end the value.
  if (/\r/.test(s) || s.split('\n').some((l, i, all) => i < all.length - 1 && l.endsWith('\\')) || s.endsWith('\\')) {
    throw new Error('a .conf value cannot hold a carriage return or a line ending in a backslash');
  }
  return s.replace(/\n/g, '\\\n');
}

/** A .conf stanza name: brackets and control characters, which would end or break it, are replaced. */
function confStanza(v: unknown): string {
  return String(v).replace(/\[/g, '(').replace(/\]/g, ')').replace(/[\x00-\x1f\x7f]/g, ' ').trim() || 'rulebridge rule';
}

/** Helpers every wrapper template may use. */
export const WRAP_HELPERS: Record<string, Helper> = {
  yaml: (v: unknown) => yaml(v),
  json: (v: unknown) => JSON.stringify(v ?? null),
  conf: (v: unknown) => conf(v),
  confStanza: (v: unknown) => confStanza(v),
};

interface Tactic { id: string; name: string; sentinel: string }

const SEVERITY: Record<string, { sentinel: string; elastic: string; riskScore: number; splunk: number }> = {
  informational: { sentinel: 'Informational', elastic: 'low', riskScore: 21, splunk: 2 },
  low: { sentinel: 'Low', elastic: 'low', riskScore: 21, splunk: 3 },
  medium: { sentinel: 'Medium', elastic: 'medium', riskScore: 47, splunk: 4 },
  high: { sentinel: 'High', elastic: 'high', riskScore: 73, splunk: 5 },
  critical: { sentinel: 'High', elastic: 'critical', riskScore: 99, splunk: 6 },
};

/** ATT&CK tactics and techniques of Sigma-style tags, in the forms Sentinel and Elastic import. */
function attackOf(tags: string[]) {
  const table = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'templates', 'wrappers', 'attack-tactics.json'), 'utf8')) as Record<string, Tactic>;
  const tactics: Tactic[] = [];
  const techniqueIds: string[] = [];
  for (const t of tags) {
    const m = /^attack\.(.+)$/i.exec(t);
    if (!m) continue;
    const name = m[1]!.toLowerCase().replace(/_/g, '-');
    const tech = /^t(\d{4})(?:\.(\d{3}))?$/.exec(name);
    if (tech) techniqueIds.push(`T${tech[1]}${tech[2] ? `.${tech[2]}` : ''}`);
    else if (Object.hasOwn(table, name) && !tactics.some((x) => x.id === table[name]!.id)) tactics.push(table[name]!);
  }
  const techniques = [...new Set(techniqueIds.map((id) => id.split('.')[0]!))];
  const elasticThreat = tactics.map((t) => ({
    framework: 'MITRE ATT&CK',
    tactic: { id: t.id, name: t.name, reference: `https://attack.mitre.org/tactics/${t.id}/` },
    // Elastic lists techniques under each tactic; a rule's tags do not say which goes where.
    technique: techniques.map((id) => ({
      id,
      name: id,
      reference: `https://attack.mitre.org/techniques/${id}/`,
      subtechnique: techniqueIds.filter((s) => s.startsWith(id + '.')).map((s) => ({ id: s, name: s, reference: `https://attack.mitre.org/techniques/${s.replace('.', '/')}/` })),
    })),
  }));
  return { tactics, sentinelTactics: [...new Set(tactics.map((t) => t.sentinel))], techniqueIds: [...new Set(techniqueIds)], techniques, elasticThreat };
}

/** The longest time window of the rule's stages (an aggregate span, a sequence's maxspan), in seconds. */
function windowOf(rule: RuleIR): number {
  let w = 0;
  for (const s of rule.query.stages) {
    if (s.kind === 'aggregate' && s.span) w = Math.max(w, s.span.seconds);
    if (s.kind === 'sequence') w = Math.max(w, s.maxspan);
  }
  return w;
}

function duration(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600}h` : seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

/**
 * The context a wrapper template receives:
 * - `query` (the rendered query), `target`, `dialect`;
 * - `meta` (the rule's metadata: id, title, description, author, date, modified, status, level,
 *   references, tags, falsepositives), `rule` ({file, format}), `source` (the log source);
 * - `description` (the rule's, else its title), `authors` (the author field split at commas);
 * - `severity` ({level, sentinel, elastic, riskScore, splunk});
 * - `attack` ({tactics [{id, name, sentinel}], sentinelTactics, techniqueIds (T1218.007),
 *   techniques (parents), elasticThreat});
 * - `schedule` ({frequency, period, cron, earliest, elasticFrom}): every 5 minutes, looking
 *   back over the rule's longest time window when it is longer;
 * - `elastic` ({index}): the index patterns of Elastic's rules over Windows and Endpoint data.
 */
export function wrapContext(rule: RuleIR, target: string, query: string, dialect?: string) {
  const level = (rule.meta.level ?? 'medium').toLowerCase();
  const sev = SEVERITY[level] ?? SEVERITY.medium!;
  const period = Math.max(300, windowOf(rule));
  return {
    query,
    target,
    dialect: dialect ?? '',
    meta: rule.meta,
    rule: { file: rule.file, format: rule.format },
    source: rule.query.source,
    description: rule.meta.description?.trim() || rule.meta.title,
    authors: (rule.meta.author ?? '').split(',').map((a) => a.trim()).filter(Boolean),
    severity: { level, ...sev },
    attack: attackOf(rule.meta.tags),
    schedule: { frequency: '5m', period: duration(period), cron: '*/5 * * * *', earliest: `-${duration(period)}`, elasticFrom: `now-${duration(period + 60)}` },
    elastic: { index: ['logs-*', 'winlogbeat-*', 'logs-endpoint.events.*'] },
  };
}

/** Wraps a rendered query with a bundled wrapper (by name) or a user's template (a path). */
export function wrapQuery(template: string, rule: RuleIR, target: string, query: string, dialect?: string): string {
  const name = isTemplateFile(template) ? template : join(PACKAGE_ROOT, 'templates', 'wrappers', `${template}.hbs`);
  return compileTemplate(name).render(wrapContext(rule, target, query, dialect), WRAP_HELPERS);
}
