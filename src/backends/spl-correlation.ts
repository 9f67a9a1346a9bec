/**
 * A correlation's union of inputs in SPL (Search Reference, multisearch): each input is its
 * own streaming search over its own source, tagged with `eval rule_name="<input>"` and its
 * aliases, so an event that two inputs match counts once per input, as the IR's union does:
 *   | multisearch [search <input 1> | eval rule_name="a"] [search <input 2> | eval rule_name="b"]
 * A single input needs no multisearch. Data-model searches (`| from datamodel`, `| tstats`) are
 * generating commands, which multisearch does not take, so inputs read raw sources.
 */
import { diag, type Diagnostic } from '../diagnostics/index.js';
import { INPUT_FIELD, type Query, type QueryInput } from '../ir/index.js';
import { splitFilter, type SplCtx } from './spl-expr.js';
import { evalField, splString } from './spl-literal.js';
import { fallbackSource, hintSource, rawSource, type SplField, type SplMaps, type SplSource } from './spl-source.js';
import { fieldsUsed } from './spl.js';

/** The SPL column of the IR's INPUT_FIELD (rule.name). */
export const SPL_INPUT_FIELD = 'rule_name';

/** The raw source of one input that names every field it reads, with a warning when inexact. */
function inputSource(inp: QueryInput, file: string, diags: Diagnostic[], maps: SplMaps): SplSource | undefined {
  const at = inp.origin ?? inp.source.origin ?? { file };
  const used = [...fieldsUsed({ filter: inp.filter, stages: [] }).map((u) => u.name), ...inp.aliases.map((a) => a.field)];
  const src = rawSource(inp.source, maps) ?? hintSource(inp.source, maps) ?? fallbackSource(inp.source, maps);
  const missing = used.find((u) => !src.field(u));
  if (missing !== undefined) {
    diags.push(diag('RB403', `spl has no field for ${missing} in the events of input '${inp.name}'`, at));
    return undefined;
  }
  if (src.inexact) diags.push(diag('RB404', src.inexact, at));
  return src;
}

/** One input as a streaming search: its source terms, filter and the tagging eval. */
function branch(inp: QueryInput, src: SplSource, file: string, diags: Diagnostic[]): string | undefined {
  const ctx: SplCtx = { diags, file, field: (n) => src.field(n) };
  const f = splitFilter(ctx, inp.filter);
  if (!f) return undefined;
  const assigns = [`${SPL_INPUT_FIELD}=${splString(inp.name)}`];
  for (const a of inp.aliases) {
    const from = src.field(a.field)!;
    const rhs = from.name !== undefined ? evalField(from.name) : from.expr;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(a.as) || rhs === undefined) {
      diags.push(diag('RB430', `spl: the alias '${a.as}' of ${a.field} cannot be written as an eval assignment`, inp.origin ?? { file }));
      return undefined;
    }
    assigns.push(`${a.as}=${rhs}`);
  }
  const parts = [[...src.terms, ...f.search].join(' ') || '*'];
  if (f.where) parts.push(`where ${f.where}`);
  parts.push(`eval ${assigns.join(', ')}`);
  return parts.join(' | ');
}

/**
 * The first search of a correlation and the namer of its fields after the union: the input
 * tag, aliases (named as written) and fields every input names alike.
 */
export function correlationSearch(query: Query, file: string, diags: Diagnostic[], maps: SplMaps): { search: string; field: (n: string) => SplField | undefined } | undefined {
  const inputs = query.inputs ?? [];
  const sources = inputs.map((i) => inputSource(i, file, diags, maps));
  if (sources.some((s) => !s) || !inputs.length) return undefined;
  const branches = inputs.map((inp, i) => branch(inp, sources[i]!, file, diags));
  if (branches.some((b) => b === undefined)) return undefined;
  const search = branches.length === 1 ? branches[0]! : `| multisearch ${branches.map((b) => `[search ${b}]`).join(' ')}`;
  const field = (n: string): SplField | undefined => {
    if (n === INPUT_FIELD) return { name: SPL_INPUT_FIELD, expr: SPL_INPUT_FIELD };
    if (n === '@timestamp') return { name: '_time', expr: '_time' };
    const names = new Set(sources.map((s) => s!.field(n)?.name));
    const [only] = [...names];
    return names.size === 1 && only !== undefined ? { name: only, expr: evalField(only) ?? only } : undefined;
  };
  return { search, field };
}
