/** End to end: the catalog of the bundled rules/ through `runCatalog`, checked file by file. */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCatalog } from '../../src/cli/catalog.js';
import { RULES } from '../helpers/paths.js';

const out = mkdtempSync(join(tmpdir(), 'rb-catalog-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('rulebridge catalog rules/', async () => {
  const code = await runCatalog([join(RULES, 'splunk'), join(RULES, 'sigma')], { out, macros: [join(RULES, 'macros')] });
  const read = (rel: string) => readFileSync(join(out, rel), 'utf8');
  /** The page with Handlebars' entity escapes decoded, to assert on text. */
  const decoded = (html: string) =>
    html.replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16))).replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

  it('exits 0 and writes index, matrix, chart, catalog.json and one page per rule', () => {
    expect(code).toBe(0);
    for (const f of ['index.html', 'attack.html', 'logsources.html', 'catalog.json']) expect(existsSync(join(out, f))).toBe(true);
    expect(readdirSync(join(out, 'rules')).sort()).toEqual([
      'sigma-msiexec-registers-a-dll.html',
      'sigma-whoami-lists-privileges-from-an-office-parent.html',
      'splunk-windows-certutil-url-download.html',
      'splunk-windows-msiexec-dllregisterserver.html',
    ]);
  });

  it('the seed rule page has every section of the seed, with its stages and indicators', () => {
    const raw = read('rules/splunk-windows-msiexec-dllregisterserver.html');
    const html = decoded(raw);
    for (const id of ['metadata', 'description', 'attack', 'events', 'body', 'stages', 'indicators', 'conversions']) expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain('<dt>Group by</dt><dd>action, dest, original_file_name,');
    expect(html).toContain('Michael Haag, Splunk');
    expect(html).toContain('T1218.007');
    expect(html).toContain('Sysmon EventID 1');
    expect(html).toMatch(/Stage 1: tstats<\/h3>\s*<pre>\| tstats `security_content_summariesonly` count/);
    expect(html).toContain('Stage 5: search</h3>\n<pre>| `windows_msiexec_dllregisterserver_filter`</pre>');
    expect(html).not.toContain('Stage 6');
    // Indicators: CIM field names as the rule (its macro) wrote them; the Sigma example shares them.
    expect(raw).toMatch(/<td title="process.name">Processes.process_name<\/td><td>eq<\/td><td><ul class="values"><li><code>&quot;msiexec.exe&quot;<\/code><span class="count">corpus 1 \(sigma 1\)<\/span>/);
    expect(raw).toContain('<code>&quot;* /y*&quot;</code><span class="count">corpus 1 (sigma 1)</span>');
    expect(raw).toContain('<code>&quot;* -y*&quot;</code><span class="count">corpus 1 (sigma 1)</span>');
    for (const t of ['sigma', 'kql', 'eql', 'sql', 'spl']) expect(html).toContain(`id="to-${t}"`);
  });

  it('catalog.json holds the same data, with counts by source', () => {
    const cat = JSON.parse(read('catalog.json'));
    expect(cat.sources).toEqual({ sigma: 2, splunk: 2 });
    const seed = cat.rules.find((r: { title: string }) => r.title === 'Windows MSIExec DLLRegisterServer');
    const pn = seed.indicators.find((i: { field: string }) => i.field === 'Processes.process_name');
    expect(pn.values[0].corpus).toEqual({ total: 1, bySource: { sigma: 1 } });
    const certutil = cat.rules.find((r: { title: string }) => r.title === 'Windows Certutil URL Download');
    expect(certutil.indicators.every((i: { values: { corpusText: string }[] }) => i.values.every((v) => v.corpusText === ''))).toBe(true);
    expect(cat.logsources).toEqual([{ label: 'windows/process_creation', total: 4, bySource: { sigma: 2, splunk: 2 } }]);
  });

  it('index embeds every rule as JSON; matrix and chart show the techniques and log sources', () => {
    const m = /<script type="application\/json" id="catalog-data">([\s\S]*?)<\/script>/.exec(read('index.html'))!;
    const rows = JSON.parse(m[1]!);
    expect(rows.map((r: { page: string }) => r.page).sort()).toEqual(readdirSync(join(out, 'rules')).map((f) => `rules/${f}`).sort());
    const attack = read('attack.html');
    expect(attack).toContain('data-tactic="discovery"');
    expect(attack).toMatch(/T1033 <b>1<\/b>/);
    const ls = read('logsources.html');
    expect(ls).toMatch(/<svg id="chart"[\s\S]*windows\/process_creation[\s\S]*<\/svg>/);
  });

  it('a missing path is a diagnostic and exit code 1, and the rest is still written', async () => {
    const out2 = mkdtempSync(join(tmpdir(), 'rb-catalog-missing-'));
    try {
      expect(await runCatalog([join(RULES, 'sigma'), join(RULES, 'no-such-folder')], { out: out2 })).toBe(1);
      expect(readdirSync(join(out2, 'rules')).length).toBe(2);
    } finally {
      rmSync(out2, { recursive: true, force: true });
    }
    expect(await runCatalog([join(RULES, 'sigma')], { out: '' })).toBe(2);
  });

  it('no page loads anything from the network', () => {
    for (const f of ['index.html', 'attack.html', 'logsources.html', ...readdirSync(join(out, 'rules')).map((x) => `rules/${x}`)]) {
      expect(read(f)).not.toMatch(/(src|href)="(https?:)?\/\//);
    }
  });
});
