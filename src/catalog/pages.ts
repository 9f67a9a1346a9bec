/**
 * Writes the catalog as a static site that opens from disk (file://, no server, no network):
 * index.html, one page per rule, attack.html, logsources.html and catalog.json.
 *
 * Rule text is untrusted, so this Handlebars instance keeps HTML escaping ON (unlike the target
 * templates, which are not HTML). The one unescaped value is the index's JSON data, made safe
 * for a <script> element here: every `<`, `>` and `&` becomes a \u escape, so no `</script`
 * or `<!--` can appear in it (HTML spec, "Restrictions for contents of script elements").
 */
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../source/index.js';
import { tryWriteAtomic } from '../source/atomic-write.js';
import type { Catalog } from './site.js';
import type { CatalogEntry } from './entry.js';
import { logSourceChart, sourceColor } from './chart.js';

const hb = Handlebars.create();
let ready = false;

function tpl(name: string): string {
  return readFileSync(join(PACKAGE_ROOT, 'templates', `catalog-${name}.hbs`), 'utf8');
}

const compiled = new Map<string, HandlebarsTemplateDelegate>();
function page(name: string): HandlebarsTemplateDelegate {
  if (!ready) {
    hb.registerPartial('layout', tpl('layout'));
    hb.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : ', ') : ''));
    hb.registerHelper('pct', (x: unknown) => `${Math.round(Number(x) * 100)}%`);
    hb.registerHelper('uri', (x: unknown) => encodeURIComponent(String(x)));
    hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    hb.registerHelper('inc', (n: unknown) => Number(n) + 1);
    hb.registerHelper('sourceName', (f: unknown) => (f === 'splunk' ? 'Splunk security_content' : f === 'sigma' ? 'Sigma' : String(f)));
    ready = true;
  }
  let t = compiled.get(name);
  if (!t) compiled.set(name, (t = hb.compile(tpl(name), { noEscape: false, strict: false })));
  return t;
}

const RUNTIME = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false };

/** JSON that is safe inside a <script type="application/json"> element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The slim row of each rule that the index page filters. */
export function indexRow(r: CatalogEntry) {
  return {
    page: r.page,
    title: r.title,
    id: r.id,
    source: r.format,
    status: r.status,
    level: r.level,
    techniques: r.techniques,
    logsource: r.logsource.label,
    description: r.description.slice(0, 300),
    lowered: r.lowered,
  };
}

/** Renders one rule page. */
export function rulePage(r: CatalogEntry): string {
  const conversions = r.conversions.map((c) => ({ ...c, errors: c.diagnostics.filter((d) => d.severity === 'error'), notes: c.diagnostics.filter((d) => d.severity !== 'error') }));
  return page('rule')({ root: '../', title: r.title, r, conversions, hasGroupBy: r.groupBy.length > 0 }, RUNTIME);
}

/** Renders the index page. */
export function indexPage(c: Catalog): string {
  const data = new hb.SafeString(scriptJson(c.rules.map(indexRow)));
  const sources = Object.entries(c.sources).map(([s, n]) => ({ s, n, color: sourceColor(s) }));
  return page('index')({ root: '', title: 'Detection rule catalog', total: c.rules.length, sources, generated: c.generated, data }, RUNTIME);
}

/** Renders the ATT&CK matrix page. */
export function attackPage(c: Catalog): string {
  const rows = Math.max(0, ...c.matrix.map((m) => m.cells.length));
  return page('attack')({ root: '', title: 'ATT&CK coverage', matrix: c.matrix, rows, techniques: new Set(c.matrix.flatMap((m) => m.cells.map((x) => x.technique))).size }, RUNTIME);
}

/** Renders the log-source coverage page. */
export function logSourcesPage(c: Catalog): string {
  return page('logsources')({ root: '', title: 'Log-source coverage', chart: logSourceChart(c.logsources), rows: c.logsources }, RUNTIME);
}

/** Each page is written atomically, so an interrupted run never leaves half a page. */
function write(path: string, text: string): void {
  const err = tryWriteAtomic(path, text);
  if (err !== undefined) throw new Error(`${path}: ${err}`);
}

/** Writes the site into `out`; returns the paths written, relative to `out`. */
export function writeSite(c: Catalog, out: string): string[] {
  const files: string[] = [];
  const put = (rel: string, text: string) => {
    write(join(out, rel), text);
    files.push(rel);
  };
  put('index.html', indexPage(c));
  put('attack.html', attackPage(c));
  put('logsources.html', logSourcesPage(c));
  for (const r of c.rules) put(r.page, rulePage(r));
  put('catalog.json', JSON.stringify(c) + '\n');
  return files;
}
