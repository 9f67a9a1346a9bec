/** Helpers of the KQL tests that lower a Splunk search written inline (line 10, column 3 of the rule file). */
import type { RenderResult } from '../../../src/backends/index.js';
import type { RuleIR } from '../../../src/ir/index.js';
import { fromText, rule2024 } from '../../frontends/splunk/load.js';
import { FILE } from './rule.js';

/** Lowers a Splunk search into a rule; throws when it does not lower. */
export function splunk(search: string): RuleIR {
  const r = fromText(rule2024(search), FILE);
  if (!r.rule) throw new Error(JSON.stringify(r.diagnostics));
  return r.rule;
}

/** The column of `needle` in a search (which starts at column 3 of line 10). */
export function col(search: string, needle: string): number {
  const i = search.indexOf(needle);
  if (i < 0) throw new Error(`${needle} is not in the search`);
  return 3 + i;
}

/** Code, line and column of each diagnostic. */
export function codes(r: RenderResult): [string, number | undefined, number | undefined][] {
  return r.diagnostics.map((d) => [d.code, d.line, d.column]);
}
