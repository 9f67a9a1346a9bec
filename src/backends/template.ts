/**
 * Handlebars, configured so a template can only lay out what code has escaped: no HTML
 * escaping (targets are not HTML), strict mode (a missing variable is an error, not an empty
 * string), and only the helpers a backend registers. Templates live in templates/<name>.hbs.
 */
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../source/index.js';

type Helper = Handlebars.HelperDelegate;
const cache = new Map<string, HandlebarsTemplateDelegate>();

/** Compiles (once) and returns a template: a bundled name (`kql`) or a path to a user's .hbs file. */
export function compileTemplate(nameOrPath: string, partials: Record<string, string> = {}): { render: (ctx: object, helpers?: Record<string, Helper>) => string } {
  const key = nameOrPath;
  let tpl = cache.get(key);
  if (!tpl) {
    const path = nameOrPath.endsWith('.hbs') ? nameOrPath : join(PACKAGE_ROOT, 'templates', `${nameOrPath}.hbs`);
    tpl = Handlebars.create().compile(readFileSync(path, 'utf8'), { noEscape: true, strict: true, knownHelpersOnly: false });
    cache.set(key, tpl);
  }
  const t = tpl;
  return {
    render: (ctx, helpers = {}) => t(ctx, { helpers, partials, allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false }),
  };
}
