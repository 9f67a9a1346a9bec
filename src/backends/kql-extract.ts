/**
 * SPL rex in KQL, with the evaluator's semantics (src/evaluator/stages.ts, extract):
 * - the first match: each named group that took part sets its field (extract()); when the regex
 *   does not match, a field that existed keeps its value, so an existing field is assigned
 *   only when the regex matches (`iff(… matches regex …, extract(…), field)`; over a
 *   multivalue field, a list of the one value);
 * - max_match=N (0: every match): each name gets the values of the first N matches, a list
 *   (extract_all() with the group, array_slice to N); no match leaves the field as it was.
 * A group that may not take part in a match is refused (KQL gives '' for it, as for an empty
 * match); so are a source field holding several values (the evaluator extracts nothing from a
 * list) and, with max_match, a regex that matches the empty string (matches of no length
 * advance differently).
 */
import { RE2JS } from 're2js';
import { diag } from '../diagnostics/index.js';
import type { Extract, Stage } from '../ir/index.js';
import { kqlIdent, kqlNumber, kqlString } from './kql-literal.js';
import type { KqlType } from './kql-mapping.js';
import { at, clashesWithColumn, column, type KqlCtx } from './kql-scope.js';
import { alwaysParticipates } from './kql-extract-groups.js';
import { firstMvUse } from './kql-lookup-uses.js';

const SOURCE = 'ExtractSource';

/** The rex stage as operators, or undefined after reporting why it cannot be rendered exactly. */
export function extract(ctx: KqlCtx, n: Extract, after: Stage[] = []): string[] | undefined {
  const fail = (why: string): undefined => {
    ctx.diags.push(diag('RB401', `kql cannot express ${why}`, at(ctx, n.origin)));
    return undefined;
  };
  const src = column(ctx, n.field, n.origin);
  if (!src) return undefined;
  if (src.type === 'dynamic') return fail(`rex over '${n.field}', which may hold several values`);
  // RE2 (KQL's engine) spells named groups (?P<name>…); PCRE's (?<name>…) is the same group.
  const pattern = n.pattern.replace(/\(\?<(?=[A-Za-z_])/g, '(?P<');
  let groups: Record<string, number>;
  let matchesEmpty: boolean;
  try {
    const re = RE2JS.compile(pattern);
    groups = re.namedGroups() as Record<string, number>;
    matchesEmpty = re.matcher('').find();
  } catch (err) {
    ctx.diags.push(diag('RB430', `kql: the rex pattern is not valid RE2 syntax (${(err as Error).message})`, at(ctx, n.origin)));
    return undefined;
  }
  const multi = n.max !== undefined && n.max !== 1;
  if (multi && matchesEmpty) return fail('rex max_match with a pattern that matches the empty string');
  const existing = new Map<string, { text: string; type: KqlType }>();
  for (const name of n.names) {
    if (groups[name] === undefined) return fail(`rex group '${name}', which the pattern does not name`);
    const old = ctx.scope.resolve(name);
    if (old) existing.set(name, old);
    if (clashesWithColumn(ctx, name)) return fail(`rex into '${name}', which is a column of ${ctx.scope.table!.name} under another field`);
    // A group that may stay out of a match reads '' in KQL; a new field would be set to '' (absent) either way.
    if ((old || multi) && !alwaysParticipates(pattern, name)) return fail(`rex group '${name}' here: it may not take part in a match, and KQL cannot tell that from an empty match`);
    if (old && old.type !== 'string' && old.type !== 'dynamic') return fail(`rex into the existing ${old.type} field '${name}'`);
  }
  // A field max_match makes multivalued must be read by each value later on (kql-lookup-uses.ts).
  const use = multi ? firstMvUse(n.names.filter((name) => existing.get(name)?.type !== 'dynamic'), after) : undefined;
  if (use) {
    ctx.diags.push(diag('RB401', `kql cannot express rex max_match here: '${use.field}' can hold several values, which this ${use.stage} reads as one value`, at(ctx, use.origin ?? n.origin)));
    return undefined;
  }
  // The source is read once before any assignment, in case a name overwrites it.
  const copy = n.names.some((name) => existing.get(name)?.text === src.text);
  const text = copy ? SOURCE : src.type === 'string' ? src.text : `tostring(${src.text})`;
  const re = kqlString(pattern);
  // Absent (''), the source has nothing to match in SPL; a pattern matching '' would match it here.
  const matched = `${matchesEmpty ? `isnotempty(${text}) and ` : ''}${text} matches regex ${re}`;
  const parts: string[] = [];
  for (const name of n.names) {
    const old = existing.get(name);
    const idx = groups[name]!;
    if (multi) {
      const all = `extract_all(${re}, dynamic([${idx}]), ${text})`;
      const kept = n.max ? `array_slice(${all}, 0, ${kqlNumber(n.max - 1)})` : all;
      const none = old ? (old.type === 'dynamic' ? old.text : `iff(isempty(${old.text}), dynamic(null), pack_array(${old.text}))`) : 'dynamic(null)';
      parts.push(`${kqlIdent(name)} = iff(array_length(${all}) > 0, ${kept}, ${none})`);
      ctx.scope.define(name, 'dynamic');
    } else {
      const value = `extract(${re}, ${idx}, ${text})`;
      // Over a multivalue field the one extracted value is a list of one, as values() of one value.
      const mv = old?.type === 'dynamic';
      parts.push(`${kqlIdent(name)} = ${old ? `iff(${matched}, ${mv ? `pack_array(${value})` : value}, ${old.text})` : value}`);
      ctx.scope.define(name, mv ? 'dynamic' : 'string');
    }
  }
  if (!copy) return [`extend ${parts.join(', ')}`];
  return [`extend ${SOURCE} = ${src.type === 'string' ? src.text : `tostring(${src.text})`}`, `extend ${parts.join(', ')}`, `project-away ${SOURCE}`];
}
