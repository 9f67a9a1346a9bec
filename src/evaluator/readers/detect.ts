/** Event file formats, told apart by the first non-blank line (never by the file name). */

/** `xml`: one `<Event>` per line; `json`: one JSON object per line (flat, nested EVTX or ECS). */
export type EventFormat = 'xml' | 'json';

/** The format of a file from its first non-blank line, or undefined when it is neither. */
export function detectFormat(firstLine: string): EventFormat | undefined {
  const s = firstLine.trimStart();
  if (s.startsWith('<')) return 'xml';
  if (s.startsWith('{')) return 'json';
  return undefined;
}
