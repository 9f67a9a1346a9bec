/**
 * The order of a join's sub-search that has no stats or tstats: its events as Splunk returns
 * them, newest first (a search returns events in reverse time order; SPL's join then takes each
 * key's first `max` rows in that order). KQL keeps no row order, so the join picks each key's
 * latest rows by the event time again (kql-join.ts): `arg_max(<time>, *)` for max=1, as dedup
 * over events does (kql-dedup.ts), a sort by time descending numbered per key for max=N.
 *
 * Events of equal time come in no defined order in Splunk (it depends on how the indexers hand
 * them over), as arg_max and a sort pick among ties in KQL: either side's choice is arbitrary.
 *
 * Stages that keep the rows in place keep that order. SPL `fields x,y` keeps _time (internal
 * fields stay unless `fields - _*` removes them) and `table` drops it, and both leave the rows
 * where they are; the IR has one project for both, and the evaluator drops the time as `table`
 * does. So the KQL sub-search keeps the time through its projects (keepTime) and drops it after
 * the ordering; no stage may read the time once a project dropped it in SPL's output, since
 * the evaluator would see none there and KQL would see the kept one.
 */
import { visitStage, type Stage } from '../ir/index.js';
import { firstRows, type KqlColumn, type OrderColumn } from './kql-join-order.js';

/** The IR's event time (SPL `_time`). */
export const TIME = '@timestamp';

/** The order of a search's events: by time, newest first. */
export const EVENT_ORDER: readonly OrderColumn[] = [{ name: TIME, value: 'time', desc: true }];

/** True when the pattern or name may name the event time. */
function namesTime(f: string): boolean {
  if (!f.includes('*')) return f === TIME;
  return !(f.endsWith('*') && !f.slice(0, -1).includes('*') && !TIME.startsWith(f.slice(0, -1)));
}

/**
 * EVENT_ORDER when the rows after `stages` (none of them a stats or tstats) are the events in
 * the order Splunk returns them, with the time still at hand in KQL; else why they are not.
 */
export function eventOrder(stages: Stage[]): readonly OrderColumn[] | string {
  let dropped = false;
  for (const s of stages) {
    if (dropped && JSON.stringify(s).includes(JSON.stringify(TIME))) return `a ${s.kind} that reads _time after a fields/table removed it`;
    const writes = (names: string[], what: string): string | undefined => (names.some(namesTime) ? `${what} that sets _time, which orders the events` : undefined);
    const why = visitStage<string | undefined>(s, {
      aggregate: () => 'a stats', // the caller takes the stats order instead
      filter: () => undefined,
      eval: (n) => writes(n.assign.map((a) => a.field), 'an eval'),
      lookup: (n) => writes(n.outputs.map((o) => o.as), 'a lookup'),
      extract: (n) => writes(n.names, 'a rex'),
      fillnull: (n) => (n.fields.length ? writes(n.fields, 'a fillnull') : 'a fillnull of every field'),
      rename: (n) => writes(n.pairs.flatMap((p) => [p.from, p.to]), 'a rename'),
      project: (n) => {
        if (n.fields.some((f) => f.includes('*'))) return `a fields/table pattern ('${n.fields.join(' ')}')`;
        if (n.fields.includes(TIME) !== (n.mode === 'keep')) dropped = true;
        return undefined;
      },
      // Both keep the rows they keep in place: each key's first row, the first n rows.
      dedup: () => undefined,
      head: () => undefined,
      sort: () => 'a sort',
      mvexpand: () => 'an mvexpand', // an event's rows share its time, in the list's order
      eventstats: () => 'an eventstats',
      join: () => 'a join inside the sub-search',
      sequence: () => 'a sequence',
      foreach: () => 'a foreach',
      spath: () => 'an spath',
      iplocation: () => 'an iplocation',
    });
    if (why) return `${why} in a sub-search of events (KQL rebuilds their order only by time, newest first)`;
  }
  return EVENT_ORDER;
}

/** The stages with every project keeping the event time (for eventOrder's sub-search). */
export function keepTime(stages: Stage[]): Stage[] {
  return stages.map((s) => {
    if (s.kind !== 'project') return s;
    if (s.mode === 'keep') return s.fields.includes(TIME) ? s : { ...s, fields: [...s.fields, TIME] };
    return { ...s, fields: s.fields.filter((f) => f !== TIME) };
  });
}

/**
 * Operators keeping each key's `max` latest rows, by the datetime column `time`: arg_max for
 * one (learn.microsoft.com/kusto/query/arg-max-aggregation-function: one row of the greatest
 * time per group, the others' columns with it), else a sort by time descending numbered per
 * key (firstRows). `away` are private columns to drop after. A string when a key cannot group.
 */
export function latestRows(keys: KqlColumn[], time: string, max: number, away: string[]): string[] | string {
  if (max !== 1) {
    const ops = firstRows(keys, EVENT_ORDER, () => ({ text: time, type: 'datetime' }), [], max, 'JoinOrder');
    return typeof ops === 'string' ? ops : [...ops.slice(0, -1), [ops.at(-1)!, ...away].join(', ')];
  }
  const bad = keys.find((k) => k.type === 'dynamic');
  if (bad) return `a key of type ${bad.type} does not group`;
  return [`summarize arg_max(${time}, *) by ${keys.map((k) => k.text).join(', ')}`, ...(away.length ? [`project-away ${away.join(', ')}`] : [])];
}
