/** Encoders of fuzzed events into each reader format: JSON lines, XML lines, nested EVTX JSON. */
import type { FlatEvent } from './arbitraries.js';

/** The reader formats. */
export const EVENT_FORMATS = ['jsonl', 'xml', 'evtx'] as const;
export type EventFormat = (typeof EVENT_FORMATS)[number];

const XML_ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&apos;', '"': '&quot;' };
function xmlText(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? '';
  return s.replace(/[&<>'"]/g, (c) => XML_ESC[c]!);
}

/** One line of the given format for an event. */
export function encodeEvent(e: FlatEvent, format: EventFormat): string {
  if (format === 'jsonl') return JSON.stringify({ EventID: e.EventID, Channel: e.Channel, Computer: e.Computer, ...e.fields });
  if (format === 'evtx') {
    return JSON.stringify({
      Event: {
        '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
        System: { Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } }, EventID: e.EventID, Channel: e.Channel, Computer: e.Computer, TimeCreated: { '#attributes': { SystemTime: '2026-11-02T09:15:01.123456Z' } } },
        EventData: e.fields,
      },
    });
  }
  const data = Object.entries(e.fields).map(([k, v]) => `<Data Name='${xmlText(k)}'>${xmlText(v)}</Data>`).join('');
  return `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon'/><EventID>${xmlText(e.EventID)}</EventID><TimeCreated SystemTime='2026-11-02T09:15:01.1234567Z'/><Channel>${xmlText(e.Channel)}</Channel><Computer>${xmlText(e.Computer)}</Computer></System><EventData>${data}</EventData></Event>`;
}
