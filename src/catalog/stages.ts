/**
 * The pipeline stages of a rule as text, for the "Stages and Predicates" section: an SPL
 * `search:` split at its top-level pipes; a Sigma rule's detection and condition.
 */
import YAML from 'yaml';

/** One stage of a rule as its source wrote it. */
export interface StageText {
  /** The command (`tstats`, `where`, `stats`, …); `search` for a stage that starts with a macro or a term. */
  command: string;
  text: string;
}

/**
 * Splits SPL at the pipes that separate commands: not inside double or single quotes (with
 * backslash escapes), backquoted macros, or brackets (subsearches `[…]`, parentheses).
 */
export function splitSpl(spl: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < spl.length; i++) {
    const c = spl[i]!;
    if (quote) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '[' || c === '(') depth++;
    else if ((c === ']' || c === ')') && depth > 0) depth--;
    else if (c === '|' && depth === 0) {
      parts.push(spl.slice(start, i));
      start = i;
    }
  }
  parts.push(spl.slice(start));
  return parts.map((p) => trimBlockIndent(p)).filter((p) => p.replace(/^\|/, '').trim() !== '');
}

/** Trims a stage and removes the indentation its continuation lines share. */
function trimBlockIndent(s: string): string {
  const lines = s.replace(/^\s+|\s+$/g, '').split('\n');
  const rest = lines.slice(1).filter((l) => l.trim());
  const indent = rest.length ? Math.min(...rest.map((l) => l.match(/^ */)![0].length)) : 0;
  const base = Math.max(0, indent - 2);
  return [lines[0]!, ...lines.slice(1).map((l) => l.slice(Math.min(base, l.match(/^ */)![0].length)))].join('\n');
}

/**
 * The command of one stage. A search that does not start with `|` begins with an implicit
 * `search` (only generating commands such as tstats follow a leading pipe); a piped stage names
 * its command first, unless it is a macro call, shown as `search` like the macro's expansion.
 */
export function stageCommand(stage: string): string {
  if (!stage.startsWith('|')) return 'search';
  const m = stage.slice(1).trimStart().match(/^([A-Za-z_][\w-]*)(?=\s|$)/);
  return m ? m[1]!.toLowerCase() : 'search';
}

/** The stages of an SPL search. */
export function splStages(search: string): StageText[] {
  return splitSpl(search).map((text) => ({ command: stageCommand(text), text }));
}

/** The stages of a Sigma rule: its detection items (as YAML) and its condition. */
export function sigmaStages(doc: Record<string, unknown>): StageText[] {
  const det = doc['detection'];
  if (!det || typeof det !== 'object') return [];
  const { condition, timeframe, ...items } = det as Record<string, unknown>;
  const out: StageText[] = [];
  if (Object.keys(items).length) out.push({ command: 'detection', text: YAML.stringify(items, { lineWidth: 0 }).trimEnd() });
  if (condition !== undefined) out.push({ command: 'condition', text: Array.isArray(condition) ? condition.map(String).join('\n') : String(condition) });
  if (timeframe !== undefined) out.push({ command: 'timeframe', text: String(timeframe) });
  return out;
}

/** The stages of a Sigma correlation rule (`correlation:` block), as YAML. */
export function correlationStages(doc: Record<string, unknown>): StageText[] {
  const c = doc['correlation'];
  return c && typeof c === 'object' ? [{ command: 'correlation', text: YAML.stringify(c, { lineWidth: 0 }).trimEnd() }] : [];
}
