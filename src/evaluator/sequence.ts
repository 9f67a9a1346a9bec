/**
 * The `sequence` stage (Sigma `temporal_ordered`, EQL `sequence by … with maxspan`): rows are
 * events tagged with their input's name (INPUT_FIELD). Per group of equal `by` values (a missing
 * value groups as null, as in aggregate), events are taken in time order (`@timestamp`, ties in
 * arrival order); a sequence starts at an event of the first step and completes when events of
 * the next steps follow in order, each within `maxspan` seconds of the first (a `maxspan` ≤ 0
 * means no limit). An event advances the oldest open sequence waiting for its step, else starts a
 * new one when it is a first step; each event is used once. One row per completed sequence, with
 * the `by` fields; groups in key order, sequences in completion order.
 */
import { INPUT_FIELD, type Sequence } from '../ir/index.js';
import { compareValues } from './aggregate.js';
import { TIME_MS } from './normalize/canonical.js';
import { parseTime } from './normalize/values.js';
import type { Carrier, CompiledStage } from './stages.js';
import type { Fields } from './row.js';

const timeOf = (f: Fields): number => {
  const t = f[TIME_MS];
  return typeof t === 'number' ? t : parseTime(f['@timestamp'])?.ms ?? 0;
};

export function compileSequence(n: Sequence): CompiledStage {
  const span = n.maxspan > 0 ? n.maxspan * 1000 : Infinity;
  return { kind: 'table', run: (rows) => {
    const groups = new Map<string, { key: unknown[]; rows: Carrier[] }>();
    for (const c of rows) {
      if (!n.steps.includes(String(c.f[INPUT_FIELD]))) continue;
      const key = n.by.map((b) => c.f[b] ?? null);
      const id = JSON.stringify(key);
      let g = groups.get(id);
      if (!g) groups.set(id, (g = { key, rows: [] }));
      g.rows.push(c);
    }
    const list = [...groups.values()].sort((a, b) => {
      for (let i = 0; i < a.key.length; i++) { const d = compareValues(a.key[i], b.key[i]); if (d) return d; }
      return 0;
    });
    const out: Carrier[] = [];
    for (const g of list) {
      const evs = g.rows.map((c, i) => ({ c, t: timeOf(c.f), i })).sort((a, b) => a.t - b.t || a.i - b.i);
      let open: { start: number; next: number }[] = [];
      for (const { c, t } of evs) {
        open = open.filter((o) => t - o.start <= span);
        const name = String(c.f[INPUT_FIELD]);
        const o = open.find((x) => n.steps[x.next] === name);
        if (o) o.next++;
        else if (n.steps[0] === name) open.push({ start: t, next: 1 });
        else continue;
        const done = open.filter((x) => x.next >= n.steps.length);
        if (done.length) {
          open = open.filter((x) => x.next < n.steps.length);
          for (const _ of done) {
            const f: Fields = Object.create(null);
            n.by.forEach((b, i) => { f[b] = g.key[i]; });
            out.push({ f, shared: false });
          }
        }
      }
    }
    return out;
  } };
}
