/**
 * The rule's log source as a WHERE condition on the event table, from mappings/windows.json:
 * a category is its channels, each with its event ids (Sigma taxonomy appendix); a service is
 * its channels. Channels compare case-insensitively (renderers disagree on `Security` vs
 * `security`). The table holds Windows events only: another product, an unknown category or
 * service, or a source known only by a hint (`extra`) is error RB402.
 */
import { loadMapping, type LogSource, type WindowsMapping } from '../ir/index.js';
import { joinBool, lit, report, type SqlCtx } from './sql-context.js';

/** The condition, or undefined when the source selects every event of the table. */
export function logsourceSql(src: LogSource, ctx: SqlCtx): string | undefined {
  const m = loadMapping<WindowsMapping>('windows');
  const ch = ctx.d.ident('winlog.channel');
  const code = ctx.d.ident('event.code');
  const chanEq = (c: string) => `lower(${ch}) = lower(${lit(ctx, c, src.origin)})`;
  const parts: string[] = [];
  if (src.product !== undefined && src.product.toLowerCase() !== 'windows') {
    report(ctx, 'RB402', `sql: the events table holds Windows events; log source product '${src.product}' has no rows there`, src.origin);
  }
  if (src.category !== undefined) {
    const cat = m.categories[src.category];
    if (!cat) report(ctx, 'RB402', `sql: log source category '${src.category}' has no channel or event id mapping`, src.origin);
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
    const svc = m.services[src.service];
    if (!svc) report(ctx, 'RB402', `sql: log source service '${src.service}' has no channel mapping`, src.origin);
    else parts.push(svc.channels.length === 1 ? chanEq(svc.channels[0]!) : `lower(${ch}) IN (${svc.channels.map((c) => `lower(${lit(ctx, c, src.origin)})`).join(', ')})`);
  }
  if (src.product === undefined && src.category === undefined && src.service === undefined && src.extra && Object.keys(src.extra).length) {
    report(ctx, 'RB402', `sql: the log source (${Object.entries(src.extra).map(([k, v]) => `${k}=${v}`).join(', ')}) maps to no product, category or service`, src.origin);
  }
  return parts.length ? joinBool(parts, 'AND') : undefined;
}
