/** Loading event files into memory for tests: canonical events with their file and line. */
import { readEvents, toCanonical, type CanonicalEvent } from '../../src/evaluator/index.js';
import type { Diagnostic } from '../../src/diagnostics/index.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LoadedEvent { file: string; line: number; event: CanonicalEvent }

/** Every event of the files, normalized; reader diagnostics are returned beside them. */
export async function loadEvents(files: string[]): Promise<{ events: LoadedEvent[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const events: LoadedEvent[] = [];
  for (const file of files) for await (const r of readEvents(file, diagnostics)) events.push({ file, line: r.line, event: toCanonical(r.raw) });
  return { events, diagnostics };
}

/** The Sysmon channel, as flat EVTX-JSON records name it. */
export const SYSMON = 'Microsoft-Windows-Sysmon/Operational';

/** Writes flat JSON-lines events to `dir/name` and returns the path. */
export function writeEvents(dir: string, name: string, events: Record<string, unknown>[]): string {
  const f = join(dir, name);
  writeFileSync(f, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return f;
}

/** A flat Sysmon process-creation record (EID 1): record `i` on `host`, at time `t`. */
export const sysmonProc = (i: number, host: string, image: string, t: string, extra: Record<string, unknown> = {}) => ({
  EventID: 1, Channel: SYSMON, Computer: host, SystemTime: t, EventRecordID: i, Image: image, ProcessId: 100 + i, ...extra,
});
