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

/** Longest line read, in bytes (16 MiB): beyond it the line is skipped with RB505, unread. */
export const MAX_LINE = 16 * 1024 * 1024;
/** Per file, at most this many RB501 warnings are listed; the rest are counted in one more. */
export const MAX_LINE_WARNINGS = 50;

/** Parses one event line; a string is the reason it does not parse. */
export function parseEventLine(format: EventFormat, text: string): Record<string, unknown> | string {
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

/** One event line not yet parsed, with its file's format. */
export interface EventLine { line: number; text: string; format: EventFormat }

/**
 * Streams the non-blank event lines of one file (format found from the first; lines too long
 * skipped with RB505; an unreadable file is RB502). Parsing is left to the caller, so that
 * worker threads can parse.
 */
export async function* readEventLines(file: string, diags: Diagnostic[]): AsyncGenerator<EventLine> {
  let format: EventFormat | undefined;
  try {
    for await (const { line, text, tooLong } of readLines(file, MAX_LINE)) {
      if (tooLong) {
        diags.push(diag('RB505', `line longer than ${MAX_LINE} bytes; skipped`, { file, line, column: 1 }));
        continue;
      }
      if (!text.trim()) continue;
      if (!format) {
        format = detectFormat(text);
        if (!format) {
          diags.push(diag('RB502', 'not an event file: the first line is neither a JSON object nor an <Event> element', { file, line, column: 1 }));
          return;
        }
      }
      yield { line, text, format };
    }
  } catch (e) {
    diags.push(diag('RB502', `cannot read the event file: ${(e as Error).message}`, { file }));
  }
}

/** Counts the lines of one file that do not parse: the first MAX_LINE_WARNINGS are listed (RB501). */
export class BadLines {
  private bad = 0;
  constructor(private file: string, private format: () => EventFormat | undefined, private diags: Diagnostic[]) {}
  /** Records one line that does not parse. */
  add(line: number, reason: string): void {
    this.bad++;
    if (this.bad <= MAX_LINE_WARNINGS) this.diags.push(diag('RB501', `skipped a line that does not parse as ${this.format() === 'xml' ? 'an <Event> element' : 'JSON'}: ${reason}`, { file: this.file, line, column: 1 }));
  }
  /** The count of the lines beyond the listed ones, at the end of the file. */
  finish(): void {
    if (this.bad > MAX_LINE_WARNINGS) this.diags.push(diag('RB501', `${this.bad - MAX_LINE_WARNINGS} more line(s) that do not parse were skipped`, { file: this.file }));
  }
}

/** Streams the events of one file; diagnostics are pushed onto `diags`. */
export async function* readEvents(file: string, diags: Diagnostic[]): AsyncGenerator<RawEvent> {
  let format: EventFormat | undefined;
  const bad = new BadLines(file, () => format, diags);
  for await (const l of readEventLines(file, diags)) {
    format = l.format;
    const raw = parseEventLine(l.format, l.text);
    if (typeof raw === 'string') bad.add(l.line, raw);
    else yield { line: l.line, raw };
  }
  bad.finish();
}
