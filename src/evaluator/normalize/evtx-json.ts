/**
 * Nested EVTX JSON (`{"Event": {"System": …, "EventData": …}}`, as evtx_dump and
 * xmltodict-style converters write it) → the flat record of event.jsonl. Attributes are read
 * from `#attributes` (evtx_dump) or `@Name`-style keys (xmltodict); text from `#text`.
 */
import type { FlatRecord } from './windows.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function attrs(o: Obj): Obj {
  const out: Obj = {};
  if (isObj(o['#attributes'])) Object.assign(out, o['#attributes']);
  for (const [k, v] of Object.entries(o)) if (k.startsWith('@')) out[k.slice(1)] = v;
  return out;
}

/** The text of a node: a scalar itself, or its `#text`. */
function text(v: unknown): unknown {
  if (isObj(v)) return v['#text'] ?? (Object.keys(v).every((k) => k === '#attributes' || k.startsWith('@')) ? '' : JSON.stringify(v));
  return v;
}

function systemInto(sys: Obj, out: FlatRecord): void {
  for (const [k, v] of Object.entries(sys)) {
    if (k === 'Provider' && isObj(v)) {
      const a = attrs(v);
      if (a.Name !== undefined) out.Provider_Name = a.Name;
      if (a.Guid !== undefined) out.Provider_Guid = a.Guid;
      if (a.EventSourceName !== undefined) out.EventSourceName = a.EventSourceName;
    } else if (k === 'TimeCreated' && isObj(v)) {
      const a = attrs(v);
      if (a.SystemTime !== undefined) out.SystemTime = a.SystemTime;
    } else if ((k === 'Correlation' || k === 'Execution' || k === 'Security') && isObj(v)) {
      Object.assign(out, attrs(v));
    } else if (k === 'EventID' && isObj(v)) {
      out.EventID = text(v);
      const a = attrs(v);
      if (a.Qualifiers !== undefined) out.Qualifiers = a.Qualifiers;
    } else if (k !== '#attributes' && !k.startsWith('@')) out[k] = text(v);
  }
}

function leavesInto(v: unknown, out: FlatRecord): void {
  if (!isObj(v)) return;
  for (const [k, x] of Object.entries(v)) {
    if (k === '#attributes' || k.startsWith('@')) continue;
    if (isObj(x) && !('#text' in x)) leavesInto(x, out);
    else if (!(k in out)) out[k] = text(x);
  }
}

function eventDataInto(ed: unknown, out: FlatRecord): void {
  if (!isObj(ed)) return;
  for (const [k, v] of Object.entries(ed)) {
    if (k === '#attributes' || k.startsWith('@')) continue;
    if (k !== 'Data') {
      out[k] = text(v);
      continue;
    }
    const items = Array.isArray(v) ? v : [v];
    const unnamed: unknown[] = [];
    for (const it of items) {
      if (isObj(it)) {
        const name = attrs(it).Name;
        if (typeof name === 'string') out[name] = it['#text'] ?? ''; // replaces a System value, as in xml-winevent.ts
        else unnamed.push(text(it));
      } else unnamed.push(it);
    }
    if (unnamed.length) out.Data = unnamed.length === 1 ? unnamed[0] : unnamed;
  }
}

/** True for a nested EVTX JSON document (with or without the outer `Event` object). */
export function isNestedEvtx(o: Obj): boolean {
  return (isObj(o.Event) && isObj((o.Event as Obj).System)) || isObj(o.System);
}

/** Flattens a nested EVTX JSON document. */
export function nestedToFlat(o: Obj): FlatRecord {
  const ev = (isObj(o.Event) && isObj((o.Event as Obj).System) ? o.Event : o) as Obj;
  const out: FlatRecord = Object.create(null);
  systemInto(ev.System as Obj, out);
  eventDataInto(ev.EventData, out);
  leavesInto(ev.UserData, out);
  leavesInto(ev.ProcessingErrorData, out);
  return out;
}
