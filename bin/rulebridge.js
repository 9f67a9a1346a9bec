#!/usr/bin/env node
// The CLI is built by `npm ci` / `npm run build` (the `prepare` script) twice over: tsc's
// dist/cli/main.js, and esbuild's bundle of that output in dist/bundle/ (scripts/bundle.mjs),
// which starts faster (a few files instead of ~150 modules). The bundle runs unless it is older
// than tsc's output (a `tsc` run after the last bundle, which rewrites every output file: the
// bundle's code is stale) or RULEBRIDGE_NO_BUNDLE is set. Bundle stack traces map to src/ with
// NODE_OPTIONS=--enable-source-maps.
import module from 'node:module';
import { statSync } from 'node:fs';

// Node 22.1+ keeps V8's compiled code between runs (in the OS temp folder); Node 20 has no such cache.
module.enableCompileCache?.();

const bundle = new URL('../dist/bundle/main.js', import.meta.url);
const compiled = new URL('../dist/cli/main.js', import.meta.url);
const mtime = (u) => statSync(u, { throwIfNoEntry: false })?.mtimeMs;
const b = process.env.RULEBRIDGE_NO_BUNDLE ? undefined : mtime(bundle);
const entry = b !== undefined && b >= (mtime(compiled) ?? 0) ? bundle : compiled;
import(entry.href).then((m) => m.main(process.argv)).catch((err) => {
  process.stderr.write(`rulebridge: internal error: ${err && err.stack ? err.stack : err}\n`);
  process.exit(2);
});
