/**
 * The CLI bundle renders with templates precompiled at build time (scripts/bundle.mjs,
 * src/backends/template.ts PRECOMPILED): every bundled template is there, keyed by its text; the
 * bundle renders exactly what the tsc CLI renders (which compiles at run time), for every target
 * and wrapper; and a template without a precompiled form (a user's --template file, or an edited
 * one) is compiled as before, by Handlebars' compiler loaded on demand.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, RULES } from '../helpers/paths.js';

const BUNDLE_DIR = join(REPO, 'dist', 'bundle');
const BUNDLE = join(BUNDLE_DIR, 'main.js');
const COMPILED = join(REPO, 'dist', 'cli', 'main.js');
const RUNNER = join(REPO, 'test', 'fixtures', 'e2e', 'cli-bundle', 'run-entry.mjs');
const SIGMA = join(RULES, 'sigma', 'proc_creation_win_whoami_priv.yml');
const SPLUNK = join(RULES, 'splunk', 'windows_msiexec_dllregisterserver.yml');
// Built by `npm run build` (npm test builds first); a bundle older than tsc's output is stale.
const built = existsSync(BUNDLE) && existsSync(COMPILED) && statSync(BUNDLE).mtimeMs >= statSync(COMPILED).mtimeMs;

function run(entry: string, args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [RUNNER, entry, ...args], { cwd: REPO, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe.skipIf(!built)('precompiled templates in the CLI bundle', () => {
  it('holds every bundled template, by its text, and no marker', () => {
    const chunk = readdirSync(BUNDLE_DIR).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(BUNDLE_DIR, f), 'utf8')).find((t) => t.includes('function __rbPrecompiledTemplates()'));
    expect(chunk).toBeDefined();
    expect(chunk).not.toContain('/* rulebridge:precompiled-templates */');
    const names = [...readdirSync(join(REPO, 'templates')).filter((f) => f.endsWith('.hbs') && !f.startsWith('catalog-')).map((f) => join(REPO, 'templates', f)),
      ...readdirSync(join(REPO, 'templates', 'wrappers')).filter((f) => f.endsWith('.hbs')).map((f) => join(REPO, 'templates', 'wrappers', f))];
    expect(names.length).toBeGreaterThanOrEqual(8);
    expect(chunk!.match(/"compiler": ?\[8,/g)?.length).toBe(names.length);
    // The compiler itself is not in that chunk: only its runtime is.
    expect(chunk).not.toContain('JavaScriptCompiler');
  });

  it('loads no Handlebars compiler to render the bundled templates, and loads it for a user template', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-tpl-'));
    const user = join(dir, 'mine.hbs');
    writeFileSync(user, '{{query}}\n');
    const probe = (extra: string[]) => {
      const script = `const m = await import(${JSON.stringify(pathToFileURL(BUNDLE).href)});
        await m.main(['node', 'rulebridge', 'convert', ${JSON.stringify(SIGMA)}, '--to', 'all', ${extra.map((a) => JSON.stringify(a)).join(', ')}]);
        const { createRequire } = await import('node:module');
        const cache = createRequire(import.meta.url).cache;
        process.stderr.write('COMPILER ' + Object.keys(cache).some((k) => /handlebars[\\/\\\\]dist[\\/\\\\]cjs[\\/\\\\]handlebars[\\/\\\\]compiler/.test(k)) + '\\n');`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8' });
      return /COMPILER (\w+)/.exec(r.stderr)?.[1] ?? r.stderr;
    };
    expect(probe([])).toBe('false');
    expect(probe(['--template', user])).toBe('true');
  });

  for (const args of [['--to', 'all'], ['--to', 'kql', '--wrap', 'sentinel'], ['--to', 'eql', '--wrap', 'elastic'], ['--to', 'spl', '--wrap', 'savedsearches']]) {
    it(`renders as the tsc CLI: convert ${args.join(' ')}`, () => {
      for (const rule of [SIGMA, SPLUNK]) {
        const b = run(BUNDLE, ['convert', rule, ...args]);
        expect(b.code).toBe(0);
        expect(b).toEqual(run(COMPILED, ['convert', rule, ...args]));
      }
    });
  }

  it('compiles a template it has no precompiled form of (a user template), as the tsc CLI does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-tpl-'));
    const user = join(dir, 'mine.hbs');
    writeFileSync(user, '// {{meta.title}} ({{target}})\n{{query}}\n');
    const missing = join(dir, 'strict.hbs');
    writeFileSync(missing, '{{#each meta.tags}}{{this}} {{/each}}{{no.such.field}}\n');
    for (const t of [user, missing]) {
      const b = run(BUNDLE, ['convert', SIGMA, '--to', 'kql', '--template', t]);
      expect(b).toEqual(run(COMPILED, ['convert', SIGMA, '--to', 'kql', '--template', t]));
    }
    expect(run(BUNDLE, ['convert', SIGMA, '--to', 'kql', '--template', user]).out).toMatch(/^\/\/ .+ \(kql\)\n/);
  });
});
