/** The tstats and stats commands: aggregate calls, `from datamodel=…`, `where`, `by … span=…`. */
import type { Origin } from '../../diagnostics/index.js';
import type { AggCall, Command } from './ast.js';
import type { Cursor } from './cursor.js';
import { parseEval, parseSearch } from './parse-expr.js';

/** `tstats [options] aggs [from datamodel=X] [where …] [by …]`, in any order after the aggregates. */
export function parseTstats(c: Cursor, at: Origin): Command {
  const options = c.options((k) => k !== 'datamodel');
  const aggs = parseAggs(c);
  let datamodel: { name: string; at: Origin } | undefined;
  let where = null as ReturnType<typeof parseSearch>;
  let by: { field: string; at: Origin }[] = [];
  let span: string | undefined;
  while (!c.atEnd()) {
    if (c.eatWord('from')) {
      const t = c.peek();
      const o = c.options((k) => k === 'datamodel' || k === 'nodename');
      if (!o.datamodel) c.fail('expected datamodel=<name> after FROM');
      datamodel = { name: o.datamodel, at: t.at };
    } else if (c.eatWord('where')) {
      where = parseSearch(c, ['by', 'from']);
    } else if (c.isWord('by')) {
      const b = parseBy(c);
      by = b.fields;
      span = b.span;
    } else if (c.peek().kind === 'word' && c.peek(1).kind === 'op') {
      Object.assign(options, c.options(() => true));
    } else c.fail('unexpected token in tstats');
  }
  return { name: 'tstats', options, aggs, ...(datamodel ? { datamodel } : {}), where, by, ...(span ? { span } : {}), at };
}

/** `count min(_time) as firstTime dc(x) …` up to `by`, `from`, `where` or the end. */
export function parseAggs(c: Cursor): AggCall[] {
  const out: AggCall[] = [];
  while (!c.atEnd() && !c.isWord('by') && !c.isWord('from') && !c.isWord('where')) {
    if (c.eat('comma')) continue;
    const t = c.expect('word', 'an aggregate function');
    let fn = t.value.toLowerCase();
    const call: AggCall = { fn, defaultName: t.value, at: t.at };
    if (c.peek().kind === 'lp' && !c.peek().spaced) {
      c.next();
      if (c.isWord('eval') && c.peek(1).kind === 'lp') {
        const start = c.i;
        c.next();
        c.next();
        call.evalArg = parseEval(c);
        c.expect('rp', "')'");
        call.defaultName = `${t.value}(${c.toks.slice(start, c.i).map((x) => x.raw).join('')})`;
      } else {
        const f = c.name('a field name');
        call.field = f.value;
        call.defaultName = `${t.value}(${f.raw})`;
      }
      c.expect('rp', "')'");
    }
    const perc = /^(?:perc|p|upperperc|exactperc)(\d+(?:\.\d+)?)$/.exec(fn);
    if (perc) { fn = 'percentile'; call.param = Number(perc[1]); }
    call.fn = fn;
    if (c.eatWord('as')) call.as = columnName(c);
    out.push(call);
  }
  // Splunk's syntax requires at least one aggregate term (stats-agg-term in the Search Reference);
  // `| tstats` or `| stats by x` alone is an error there, so it is one here, not an empty table.
  if (!out.length) c.fail('expected an aggregate function (stats, tstats and eventstats need at least one)');
  return out;
}

/**
 * The name after `as`. Splunk splits a command's arguments at whitespace, so parentheses glued
 * to the name belong to it: `values(aceFlags) as aceFlags(inheritance)` names the column
 * `aceFlags(inheritance)`, as the default names `dc(x)` hold parentheses too.
 */
function columnName(c: Cursor): string {
  let name = c.name('a column name').value;
  for (let depth = 0; c.peek().kind === 'lp' ? !c.peek().spaced : depth > 0; ) {
    if (c.peek().spaced || c.atEnd()) c.fail("expected ')' closing the column name");
    const t = c.next();
    if (t.kind === 'lp') depth++;
    else if (t.kind === 'rp') depth--;
    name += t.raw;
    if (depth === 0) break;
  }
  return name;
}

/** `by a, b span=1h c`: the fields and the span option. */
export function parseBy(c: Cursor): { fields: { field: string; at: Origin }[]; span?: string } {
  const fields: { field: string; at: Origin }[] = [];
  let span: string | undefined;
  if (!c.eatWord('by')) return { fields };
  while (!c.atEnd() && !c.isWord('from') && !c.isWord('where')) {
    if (c.eat('comma')) continue;
    const o = c.options((k) => k === 'span');
    if (o.span) { span = o.span; continue; }
    const f = c.name('a group-by field');
    fields.push({ field: f.value, at: f.at });
  }
  return span ? { fields, span } : { fields };
}
