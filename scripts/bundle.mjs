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
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Handlebars from 'handlebars';

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

/**
 * Templates are compiled here, once, instead of at every start (src/backends/template.ts,
 * PRECOMPILED): each bundled template (templates/*.hbs but the catalog's, which src/catalog
 * compiles itself, and templates/wrappers/*.hbs) is precompiled with the options the CLI uses,
 * keyed by its text, in place of the marker of template.js. The specification Handlebars.precompile
 * writes is JavaScript generated from our own template files (never from rule text).
 */
const TEMPLATE_MARKER = '/* rulebridge:precompiled-templates */';
async function precompiledEntries() {
  const { COMPILE_OPTIONS } = await import(pathToFileURL(join(ROOT, 'dist', 'backends', 'template.js')).href);
  const dirs = [join(ROOT, 'templates'), join(ROOT, 'templates', 'wrappers')];
  const files = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.hbs') && !f.startsWith('catalog-')).map((f) => join(d, f)));
  const entries = files.map((f) => {
    const text = readFileSync(f, 'utf8');
    return `[${JSON.stringify(text)}, ${Handlebars.precompile(text, { ...COMPILE_OPTIONS })}]`;
  });
  return `[\n${entries.join(',\n')}\n]`;
}

/**
 * In template.js, `handlebars` is its runtime (about a third of the package), with the compiler
 * loaded from node_modules only when a template has no precompiled form (a user's --template).
 * template.js calls `Handlebars.create()` and then `template(spec)` or `compile(text, options)`
 * on it, nothing else; src/catalog keeps the whole package.
 */
const HANDLEBARS_RUNTIME = `
import runtime from 'handlebars/dist/cjs/handlebars.runtime.js';
import { createRequire } from 'node:module';
let full;
const compiler = () => (full ??= createRequire(import.meta.url)('handlebars'));
export default {
  create: () => ({
    template: (spec) => runtime.create().template(spec),
    compile: (text, options) => compiler().create().compile(text, options),
  }),
};
`;
const templateModule = /[\\/]dist[\\/]backends[\\/]template\.js$/;
const precompiledTemplates = {
  name: 'precompiled-templates',
  setup(b) {
    b.onResolve({ filter: /^handlebars$/ }, (args) => (templateModule.test(args.importer) ? { path: 'handlebars-runtime', namespace: 'rb-hbs' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'rb-hbs' }, () => ({ contents: HANDLEBARS_RUNTIME, loader: 'js', resolveDir: ROOT }));
    b.onLoad({ filter: templateModule }, async (args) => {
      const js = readFileSync(args.path, 'utf8');
      if (!js.includes(TEMPLATE_MARKER)) throw new Error(`bundle: ${args.path} has no ${TEMPLATE_MARKER}`);
      // Appended as a hoisted function, so that no line moves (tsc's source map still applies).
      const fn = `function __rbPrecompiledTemplates() {\n  return ${await precompiledEntries()};\n}\n`;
      return { contents: `${js.replace(TEMPLATE_MARKER, '__rbPrecompiledTemplates()')}\n${fn}`, loader: 'js' };
    });
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
  plugins: [noSourceMapForHandlebars, lazyRe2js, precompiledTemplates],
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
