/**
 * Windows event XML (`<Event><System>…</System><EventData>…</EventData></Event>`, as Splunk
 * stores XmlWinEventLog and as wevtutil renders it) → the flat record of event.jsonl: System
 * values under their EVTX names (Provider_Name, EventID, SystemTime, …), named `<Data>` at top
 * level, unnamed `<Data>` as `Data` (a list when there are several), and the leaves of
 * `<UserData>` and `<ProcessingErrorData>` at top level.
 */
import { parseXml, type XmlElement } from './xml.js';
import type { FlatRecord } from '../normalize/windows.js';

function systemInto(sys: XmlElement, out: FlatRecord): void {
  for (const c of sys.children) {
    switch (c.name) {
      case 'Provider':
        if (c.attrs.Name !== undefined) out.Provider_Name = c.attrs.Name;
        if (c.attrs.Guid !== undefined) out.Provider_Guid = c.attrs.Guid;
        if (c.attrs.EventSourceName !== undefined) out.EventSourceName = c.attrs.EventSourceName;
        break;
      case 'EventID':
        out.EventID = c.text;
        if (c.attrs.Qualifiers !== undefined) out.Qualifiers = c.attrs.Qualifiers;
        break;
      case 'TimeCreated':
        if (c.attrs.SystemTime !== undefined) out.SystemTime = c.attrs.SystemTime;
        break;
      case 'Correlation':
      case 'Execution':
      case 'Security':
        for (const [k, v] of Object.entries(c.attrs)) out[k] = v;
        break;
      default:
        out[c.name] = c.children.length ? null : c.text;
    }
  }
}

/**
 * Leaves of UserData (and any child-only element) become top-level fields, by element name.
 * The first value of a name wins, so a `<Channel>` inside UserData never replaces the System
 * channel (as event.jsonl renders the same events).
 */
function leavesInto(el: XmlElement, out: FlatRecord): void {
  for (const c of el.children) {
    if (c.children.length) leavesInto(c, out);
    else if (!(c.name in out)) out[c.name] = c.text;
  }
}

function eventDataInto(ed: XmlElement, out: FlatRecord): void {
  const unnamed: string[] = [];
  for (const c of ed.children) {
    if (c.name === 'Data') {
      // A named Data replaces a System value of the same name (EventData ProcessID, Version), as
      // event.jsonl renders the same events; UserData leaves do not (see leavesInto).
      if (c.attrs.Name === undefined) unnamed.push(c.text);
      else out[c.attrs.Name] = c.text;
    } else if (c.children.length) leavesInto(c, out);
    else if (!(c.name in out)) out[c.name] = c.text;
  }
  // One unnamed <Data> is a plain value, several are a list (as event.jsonl has them).
  if (unnamed.length) out.Data = unnamed.length === 1 ? unnamed[0] : unnamed;
}

/** Parses one `<Event>` line into a flat record, or returns an error message. */
export function parseWinEventXml(text: string): FlatRecord | string {
  const root = parseXml(text);
  if (typeof root === 'string') return root;
  if (root.name !== 'Event') return `expected <Event>, found <${root.name}>`;
  const out: FlatRecord = Object.create(null);
  for (const c of root.children) {
    if (c.name === 'System') systemInto(c, out);
    else if (c.name === 'EventData') eventDataInto(c, out);
    else if (c.name === 'UserData' || c.name === 'ProcessingErrorData') leavesInto(c, out);
  }
  if (out.EventID === undefined) return 'the event has no <System><EventID>';
  return out;
}
