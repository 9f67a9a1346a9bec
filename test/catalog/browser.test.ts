/**
 * The catalog in a real browser (playwright-core + Debian chromium), opened from file:// with
 * no server and no network: the index filters as one types, a rule page shows every section.
 * Skips, saying so, when /usr/bin/chromium is absent (CI installs it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runCatalog } from '../../src/cli/catalog.js';
import { REPO, RULES } from '../helpers/paths.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`skipped the catalog browser test: ${CHROMIUM} is absent (apt-get install -y chromium)`);

const SHOTS = join(REPO, 'test', 'out');

describe.skipIf(!HAS_CHROMIUM)('catalog in a browser', () => {
  const out = mkdtempSync(join(tmpdir(), 'rb-catalog-browser-'));
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    expect(await runCatalog([join(RULES, 'splunk'), join(RULES, 'sigma')], { out, macros: [join(RULES, 'macros')] })).toBe(0);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('filters the index as one types and by source', async () => {
    await page.goto(pathToFileURL(join(out, 'index.html')).href);
    const visible = () => page.locator('#rules li:visible').count();
    expect(await visible()).toBe(4);
    expect(await page.locator('#count').textContent()).toBe('4');
    await page.locator('#q').fill('msiexec');
    expect(await visible()).toBe(2);
    expect(await page.locator('#count').textContent()).toBe('2');
    await page.locator('#f-source').selectOption('sigma');
    expect(await visible()).toBe(1);
    expect(await page.locator('#rules li:visible a').textContent()).toBe('MsiExec Registers a DLL');
    await page.locator('#q').fill('');
    await page.locator('#f-source').selectOption('');
    await page.locator('#f-technique').selectOption('T1033');
    expect(await visible()).toBe(1);
    await page.locator('#f-technique').selectOption('');
    await page.locator('#q').pressSequentially('certutil');
    expect(await visible()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'catalog-index.png'), fullPage: true });
  });

  it('opens a rule page from the index with every section', async () => {
    await page.locator('#rules li:visible a').click();
    await page.waitForURL(/splunk-windows-certutil-url-download\.html$/);
    for (const id of ['metadata', 'description', 'attack', 'events', 'body', 'stages', 'indicators', 'conversions']) {
      expect(await page.locator(`section#${id}`).isVisible()).toBe(true);
    }
    expect(await page.locator('h1#title').textContent()).toBe('Windows Certutil URL Download');
    expect(await page.locator('#stages h3').first().textContent()).toBe('Stage 1: tstats');
    expect(await page.locator('#indicators tbody tr').count()).toBe(4);
    await page.screenshot({ path: join(SHOTS, 'catalog-rule.png'), fullPage: true });
  });

  it('shows the seed page, the matrix and the chart; loads nothing but local files; no script error', async () => {
    await page.goto(pathToFileURL(join(out, 'rules', 'splunk-windows-msiexec-dllregisterserver.html')).href);
    expect(await page.locator('#indicators tbody tr').first().textContent()).toContain('Processes.process_name');
    expect(await page.locator('#indicators tbody tr').first().textContent()).toContain('corpus 1 (sigma 1)');
    await page.screenshot({ path: join(SHOTS, 'catalog-seed-rule.png'), fullPage: true });
    await page.goto(pathToFileURL(join(out, 'attack.html')).href);
    expect(await page.locator('.matrix .col').count()).toBeGreaterThanOrEqual(3);
    // A matrix cell opens the index filtered to its technique.
    await page.locator('.matrix a.cell', { hasText: 'T1033' }).click();
    await page.waitForURL(/index\.html#f-technique=T1033$/);
    expect(await page.locator('#f-technique').inputValue()).toBe('T1033');
    expect(await page.locator('#rules li:visible').count()).toBe(1);
    await page.goto(pathToFileURL(join(out, 'logsources.html')).href);
    expect(await page.locator('svg#chart g.bar').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'catalog-logsources.png'), fullPage: true });
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
