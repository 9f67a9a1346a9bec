/**
 * What the bundle has in place of `import { RE2JS } from 're2js'`: the same class, loaded on first
 * use. re2js is ~260 KB that every rendering and evaluation would otherwise compile at start-up,
 * while only a rule with a regular expression calls it. The package's CommonJS twin
 * (build/index.cjs, built from the same source as build/index.js) is loaded with require(), which
 * unlike import() is synchronous, as the callers are. Any other import from 're2js' fails the
 * bundle build (esbuild: no matching export), so nothing can reach a missing member silently.
 */
import { createRequire } from 'node:module';

let real;
const load = () => (real ??= createRequire(import.meta.url)('re2js').RE2JS);

/** Forwards every use of the class (static members, `new`, instanceof) to the loaded one. */
export const RE2JS = new Proxy(function RE2JS() {}, {
  get(_t, prop) {
    const v = Reflect.get(load(), prop);
    return typeof v === 'function' && prop !== 'prototype' ? v.bind(load()) : v;
  },
  has: (_t, prop) => Reflect.has(load(), prop),
  construct: (_t, args, newTarget) => Reflect.construct(load(), args, newTarget === RE2JS ? load() : newTarget),
  apply: (_t, self, args) => Reflect.apply(load(), self, args),
  getPrototypeOf: () => Reflect.getPrototypeOf(load()),
});
