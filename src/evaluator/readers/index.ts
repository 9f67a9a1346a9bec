/**
 * Event readers: stream a file line by line and yield `{line, raw}` per event. A line that does
 * not parse is an RB501 warning (file:line) and is skipped; reading never stops on bad input.
 */
import { diag, type Diagnostic } from '../../diagnostics/index.js';
import { readLines } from './lines.js';
import { detectFormat, type EventFormat } from './detect.js';
import { parseWinEventXml } from './xml-winevent.js';

export { detectFormat, type EventFormat } from './detect.js';
export { parseWinEventXml } from './xml-winevent.js';
export { parseXml, decodeEntities } from './xml.js';

/** One raw event and where it came from. */
export interface RawEvent {
  line: number;
  raw: Record<string, unknown>;
}

/** Longest line read (16 MiB): beyond it the line is skipped with RB505. */
export const MAX_LINE = 16 * 1024 * 1024;
/** Per file, at most this many RB501 warnings are listed; the rest are counted in one more. */
export const MAX_LINE_WARNINGS = 50;

function parseLine(format: EventFormat, text: string): Record<string, unknown> | string {
  if (format === 'xml') return parseWinEventXml(text);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return (e as Error).message;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'the line is not a JSON object';
  return v as Record<string, unknown>;
}

/** Streams the events of one file; diagnostics are pushed onto `diags`. */
export async function* readEvents(file: string, diags: Diagnostic[]): AsyncGenerator<RawEvent> {
  let format: EventFormat | undefined;
  let bad = 0;
  try {
    for await (const { line, text } of readLines(file)) {
      if (!text.trim()) continue;
      if (!format) {
        format = detectFormat(text);
        if (!format) {
          diags.push(diag('RB502', 'not an event file: the first line is neither a JSON object nor an <Event> element', { file, line, column: 1 }));
          return;
        }
      }
      if (text.length > MAX_LINE) {
        diags.push(diag('RB505', `line longer than ${MAX_LINE} characters; skipped`, { file, line, column: 1 }));
        continue;
      }
      const raw = parseLine(format, text);
      if (typeof raw === 'string') {
        bad++;
        if (bad <= MAX_LINE_WARNINGS) diags.push(diag('RB501', `skipped a line that does not parse as ${format === 'xml' ? 'an <Event> element' : 'JSON'}: ${raw}`, { file, line, column: 1 }));
        continue;
      }
      yield { line, raw };
    }
  } catch (e) {
    diags.push(diag('RB502', `cannot read the event file: ${(e as Error).message}`, { file }));
  }
  if (bad > MAX_LINE_WARNINGS) diags.push(diag('RB501', `${bad - MAX_LINE_WARNINGS} more line(s) that do not parse were skipped`, { file }));
}
