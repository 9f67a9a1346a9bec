/**
 * A worker thread of evaluateParallel (parallel.ts): compiles its share of the rules once (the
 * per-event rules: one feed, no stages), then for each batch of event lines parses, normalizes,
 * dispatches, prefilters and filters, exactly as evaluateFiles does for one event, and posts
 * back the matches (rule index, line) in event order and the lines that did not parse.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RuleIR } from '../ir/index.js';
import { compileRule, type CompileOptions } from './compile-rule.js';
import { LookupResolver } from './lookup-tables.js';
import { Dispatcher } from './dispatch.js';
import { Prefilter } from './prefilter.js';
import { parseEventLine, type EventFormat } from './readers/index.js';
import { selectFeeds } from './select.js';
import type { RowTest } from './compile-expr.js';
import type { SourceSelector } from './logsource.js';

/** What the main thread sends once. */
export interface WorkerInit { rules: RuleIR[]; opts: CompileOptions }
/** One batch of lines of one file. */
export interface Batch { id: number; format: EventFormat; lines: number[]; texts: string[] }
/** The answer to a batch: matches as (rule index, line) pairs, and lines that do not parse. */
export interface BatchResult { id: number; matches: number[]; bad: [number, string][]; error?: string }

interface Entry { source: SourceSelector; filter: RowTest; index: number }

const { rules, opts } = workerData as WorkerInit;
const entries: Entry[] = [];
const lookups = new LookupResolver(opts.lookups ?? []);
rules.forEach((r, index) => {
  const c = compileRule(r, [], opts, lookups);
  const feed = c?.feeds[0];
  // The main thread sent only rules that compiled; a rule that does not is left out here too.
  if (feed) entries.push({ source: feed.source, filter: feed.filter, index });
});
const dispatcher = new Dispatcher(entries);
const prefilter = new Prefilter(entries);

function run(b: Batch): BatchResult {
  const matches: number[] = [];
  const bad: [number, string][] = [];
  for (let k = 0; k < b.texts.length; k++) {
    const line = b.lines[k]!;
    const raw = parseEventLine(b.format, b.texts[k]!);
    if (typeof raw === 'string') { bad.push([line, raw]); continue; }
    const sel = selectFeeds(raw, dispatcher, prefilter);
    if (!sel) continue;
    for (const e of sel.feeds) if (e.filter(sel.row)) matches.push(e.index, line);
  }
  return { id: b.id, matches, bad };
}

parentPort!.on('message', (b: Batch) => {
  try {
    parentPort!.postMessage(run(b));
  } catch (e) {
    parentPort!.postMessage({ id: b.id, matches: [], bad: [], error: (e as Error).stack ?? String(e) } satisfies BatchResult);
  }
});
