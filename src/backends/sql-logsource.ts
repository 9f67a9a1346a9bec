/**
 * The rule's log source as a WHERE condition on the event table.
 * - Windows: from mappings/windows.json, a category is its channels, each with its event ids
 *   (Sigma taxonomy appendix); a service is its channels. Channels compare case-insensitively
 *   (renderers disagree on `Security` vs `security`).
 * - Everything else (another product, or a Windows category or service windows.json has no
 *   channel for): the rows carry the Sigma log source they were collected as, in the columns
 *   `logsource.product`, `logsource.category` and `logsource.service` (written by the loader,
 *   see sql-layout.ts); each part the rule names must equal its column, case-insensitively.
 * A source known only by a hint (`extra`, e.g. a Splunk sourcetype) is error RB402.
 */
import { loadMapping, type LogSource, type WindowsMapping } from '../ir/index.js';
import { joinBool, lit, report, type SqlCtx } from './sql-context.js';

/** The condition, or undefined when the source selects every event of the table. */
export function logsourceSql(src: LogSource, ctx: SqlCtx): string | undefined {
  const m = loadMapping<WindowsMapping>('windows');
  const ch = ctx.d.ident('winlog.channel');
  const code = ctx.d.ident('event.code');
  const chanEq = (c: string) => `lower(${ch}) = lower(${lit(ctx, c, src.origin)})`;
  const tagEq = (part: 'product' | 'category' | 'service', v: string) => `lower(${ctx.d.ident(`logsource.${part}`)}) = lower(${lit(ctx, v, src.origin)})`;
  const parts: string[] = [];
  const windows = src.product === undefined || src.product.toLowerCase() === 'windows';
  if (!windows) parts.push(tagEq('product', src.product!));
  if (src.category !== undefined) {
    const cat = windows ? m.categories[src.category] : undefined;
    if (!cat) parts.push(tagEq('category', src.category));
    else {
      const alts = Object.entries(cat.channels).map(([c, ids]) => {
        const idList = ids.map((i) => lit(ctx, String(i), src.origin));
        const idSql = idList.length === 1 ? `${code} = ${idList[0]}` : `${code} IN (${idList.join(', ')})`;
        return `(${chanEq(c)} AND ${idSql})`;
      });
      parts.push(joinBool(alts, 'OR'));
    }
  }
  if (src.service !== undefined) {
    const svc = windows ? m.services[src.service] : undefined;
    if (!svc) parts.push(tagEq('service', src.service));
    else parts.push(svc.channels.length === 1 ? chanEq(svc.channels[0]!) : `lower(${ch}) IN (${svc.channels.map((c) => `lower(${lit(ctx, c, src.origin)})`).join(', ')})`);
  }
  if (src.product === undefined && src.category === undefined && src.service === undefined && src.extra && Object.keys(src.extra).length) {
    report(ctx, 'RB402', `sql: the log source (${Object.entries(src.extra).map(([k, v]) => `${k}=${v}`).join(', ')}) maps to no product, category or service`, src.origin);
  }
  return parts.length ? joinBool(parts, 'AND') : undefined;
}
