/**
 * The SPL commands whose fields are known only per row, rendered as written (Search
 * Reference: foreach, spath, iplocation): `foreach <patterns> [eval …]` with the template's
 * placeholders kept, `spath input=<field>`, `iplocation prefix=… allfields=… <field>`.
 */
import { diag } from '../diagnostics/index.js';
import type { ForEach, IpLocation, SpathAll, Stage } from '../ir/index.js';
import type { SplCtx } from './spl-expr.js';
import { argField } from './spl-literal.js';
import { renderValue } from './spl-value.js';

/** A placeholder-holding name of a foreach template (`<<FIELD>>`, `x_<<MATCHSTR>>`). */
export const isTemplateName = (n: string): boolean => /<<(FIELD|MATCHSTR|MATCHSEG\d+)>>/.test(n);

function bad(ctx: SplCtx, message: string, at: Stage['origin']): undefined {
  ctx.diags.push(diag('RB430', message, at ?? { file: ctx.file }));
  return undefined;
}

/** `foreach` over field patterns with its eval template. */
export function renderForEach(ctx: SplCtx, s: ForEach): string[] | undefined {
  if (s.patterns.some((p) => !/^[A-Za-z0-9_.{}*@-]+$/.test(p))) return bad(ctx, `spl: foreach pattern ${s.patterns.join(' ')} cannot be written`, s.origin);
  // Template names are pasted by Splunk before parsing: they stand as written, quoted as fields.
  const inner: SplCtx = { ...ctx, field: (n) => (isTemplateName(n) ? { name: n, expr: `'${n}'` } : ctx.field(n)) };
  const parts: string[] = [];
  for (const a of s.assign) {
    const lhs = isTemplateName(a.field) ? (/^[A-Za-z0-9_<>]+$/.test(a.field) ? a.field : undefined) : argField(a.field);
    const rhs = renderValue(inner, a.expr);
    if (lhs === undefined) return bad(ctx, `spl cannot write the foreach target '${a.field}'`, s.origin);
    if (rhs === undefined) return undefined;
    parts.push(`${lhs}=${rhs}`);
  }
  return [`foreach ${s.patterns.join(' ')} [eval ${parts.join(', ')}]`];
}

/** `spath input=<field>`: every path of the document. */
export function renderSpathAll(ctx: SplCtx, s: SpathAll): string[] | undefined {
  const f = ctx.field(s.input)?.name;
  const q = f === undefined ? undefined : argField(f);
  return q === undefined ? bad(ctx, `spl has no plain field for ${s.input}`, s.origin) : [q === '_raw' ? 'spath' : `spath input=${q}`];
}

/** `iplocation [prefix=…] [allfields=true] <field>`. */
export function renderIpLocation(ctx: SplCtx, s: IpLocation): string[] | undefined {
  const f = ctx.field(s.field)?.name;
  const q = f === undefined ? undefined : argField(f);
  if (q === undefined) return bad(ctx, `spl has no plain field for ${s.field}`, s.origin);
  if (s.prefix && !/^[A-Za-z0-9_.]+$/.test(s.prefix)) return bad(ctx, `spl: iplocation prefix '${s.prefix}' cannot be written`, s.origin);
  return [`iplocation${s.prefix ? ` prefix=${s.prefix}` : ''}${s.allFields ? ' allfields=true' : ''} ${q}`];
}

