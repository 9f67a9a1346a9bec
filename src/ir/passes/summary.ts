/**
 * A pipeline's "summary tail": the stages from the first aggregate on, when none of them
 * filters rows (no filter/having, no head). Such a tail changes how matches are presented
 * (grouped, counted, renamed) but not which events match, so a target that cannot express it
 * may render the filter alone, with a warning saying what it left out.
 */
import type { Stage } from '../nodes.js';

const NON_FILTERING = new Set<Stage['kind']>(['aggregate', 'eval', 'rename', 'project', 'sort', 'fillnull', 'dedup']);

/** Index where the summary tail starts, or -1 when the pipeline has none. */
export function summaryTailStart(stages: readonly Stage[]): number {
  const first = stages.findIndex((s) => s.kind === 'aggregate');
  if (first < 0) return -1;
  for (let i = first; i < stages.length; i++) if (!NON_FILTERING.has(stages[i]!.kind)) return -1;
  return first;
}
