/** Loading event files into memory for tests: canonical events with their file and line. */
import { readEvents, toCanonical, type CanonicalEvent } from '../../src/evaluator/index.js';
import type { Diagnostic } from '../../src/diagnostics/index.js';

export interface LoadedEvent { file: string; line: number; event: CanonicalEvent }

/** Every event of the files, normalized; reader diagnostics are returned beside them. */
export async function loadEvents(files: string[]): Promise<{ events: LoadedEvent[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const events: LoadedEvent[] = [];
  for (const file of files) for await (const r of readEvents(file, diagnostics)) events.push({ file, line: r.line, event: toCanonical(r.raw) });
  return { events, diagnostics };
}
