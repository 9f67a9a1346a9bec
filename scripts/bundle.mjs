#!/usr/bin/env node
/**
 * Bundles the CLI into dist/bundle/ with esbuild, so a one-rule run loads a few files instead of
 * resolving and compiling ~150 modules and their CommonJS dependencies (yaml, handlebars,
 * commander) one by one. Run after tsc (`npm run build`): the input is tsc's JavaScript
 * (dist/cli/main.js), so the bundle is exactly the compiled code, and its source maps lead
 * through tsc's to src/. bin/rulebridge.js runs the bundle, or dist/cli/main.js when the bundle
 * is missing or older; the library entry (dist/index.js) stays tsc's output.
 *
 * Layout, on which path resolution depends: every output file sits directly in dist/bundle/,
 * two levels below the package root like every dist/<area>/<file>.js of tsc, so the modules that
 * find schemas/, templates/, mappings/ and rules/ from `import.meta.url` (src/source/schemas.ts
 * PACKAGE_ROOT, src/ir/fields.ts) find the same folders; the worker thread of
 * src/evaluator/parallel.ts (`new URL('./parallel-worker.js', import.meta.url)`) is an entry of
 * its own, written as dist/bundle/parallel-worker.js beside the chunk that starts it.
 *
 * Code splitting keeps each command's dynamic import() lazy; no minification, and source maps
 * (NODE_OPTIONS=--enable-source-maps) for stack traces at src/ lines. ajv's compiler stays
 * outside the bundle (src/source/schema-codegen.ts requires it through createRequire, only when
 * a schema without a precompiled validator is compiled); its small runtime helpers, which the
 * precompiled validators import, are bundled.
 */
import { build } from 'esbuild';
import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'bundle');
// Built beside it, then moved in place: a CLI started meanwhile sees the old bundle or the new one.
const TMP = join(ROOT, 'dist', `.bundle-${process.pid}`);

/**
 * Handlebars' code generator uses the source-map package when it can require it, to map
 * generated template code back to the .hbs text, and otherwise its own string-only SourceNode
 * (code-gen.js, the path of its browser build). Rendering never asks for a map, so the bundle
 * leaves source-map out (60 KB less to load); the generated templates are the same strings.
 */
const noSourceMapForHandlebars = {
  name: 'no-source-map-for-handlebars',
  setup(b) {
    b.onResolve({ filter: /^source-map$/ }, (args) => (args.importer.includes(`${sep}handlebars${sep}`) ? { path: 'source-map', namespace: 'rb-absent' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'rb-absent' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/** re2js is loaded on first use (scripts/bundle/re2js-lazy.mjs says why and how). */
const lazyRe2js = {
  name: 'lazy-re2js',
  setup(b) {
    const shim = join(ROOT, 'scripts', 'bundle', 're2js-lazy.mjs');
    b.onResolve({ filter: /^re2js$/ }, (args) => (args.importer === shim ? undefined : { path: shim }));
  },
};

rmSync(TMP, { recursive: true, force: true });
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: { main: 'dist/cli/main.js', 'parallel-worker': 'dist/evaluator/parallel-worker.js' },
  outdir: TMP,
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // A bundled CommonJS module that calls require() (of a Node built-in) needs a require in ESM.
  banner: { js: "import { createRequire as __rbCreateRequire } from 'node:module'; const require = __rbCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  metafile: true,
  plugins: [noSourceMapForHandlebars, lazyRe2js],
}).catch((err) => {
  rmSync(TMP, { recursive: true, force: true });
  throw err;
});
// Chunks in subfolders would break the package-root arithmetic described above.
for (const f of Object.keys(result.metafile.outputs)) {
  if (dirname(resolve(ROOT, f)) !== TMP) throw new Error(`bundle: ${f} is not directly in the bundle folder`);
}
rmSync(OUT, { recursive: true, force: true });
renameSync(TMP, OUT);
const metaAt = process.argv.indexOf('--metafile');
if (metaAt > 0) writeFileSync(process.argv[metaAt + 1], JSON.stringify(result.metafile));
if (process.argv.includes('--analyze')) {
  const { analyzeMetafile } = await import('esbuild');
  process.stdout.write(await analyzeMetafile(result.metafile, { verbose: false }));
}
process.stderr.write(`bundle: ${readdirSync(OUT).filter((f) => f.endsWith('.js')).length} files in dist/bundle/\n`);
