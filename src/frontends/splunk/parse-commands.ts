/**
 * Parsers of the enrichment and row-shaping commands: join (with its subsearch), lookup,
 * eventstats, mvexpand, spath, foreach and iplocation (Splunk Search Reference, each command's
 * syntax section). They only build the syntax tree; meaning is decided in lowering.
 */
import type { Diagnostic, Origin } from '../../diagnostics/index.js';
import type { Command, Pipeline } from './ast.js';
import { ParseStop, type Cursor } from './cursor.js';
import { lex, type Token } from './lexer.js';
import { parseAggs, parseBy } from './parse-stats.js';

/** The pipeline parser, passed in to parse a subsearch without an import cycle. */
export type SubParser = (tokens: Token[], at: (o: number) => Origin) => { pipeline: Pipeline; diagnostics: Diagnostic[]; complete: boolean };

/** The tokens of a `[ … ]` subsearch at the cursor (brackets consumed), with an end token. */
function subsearchTokens(c: Cursor): Token[] {
  c.expect('lb', "'[' opening the subsearch");
  const out: Token[] = [];
  for (let depth = 1; ; ) {
    if (c.atEnd()) c.fail("expected ']' closing the subsearch");
    const t = c.next();
    if (t.kind === 'lb') depth++;
    if (t.kind === 'rb' && --depth === 0) {
      out.push({ kind: 'eof', value: '', raw: '', off: t.off, end: t.off, spaced: true, at: t.at });
      break;
    }
    out.push(t);
  }
  return out;
}

/** `join [type=… max=… overwrite=…] f1[,] f2 … [ subsearch ]`. */
export function parseJoin(c: Cursor, at: Origin, sub: SubParser, pos: (o: number) => Origin): Command {
  const options: Record<string, string> = {};
  const fields: { field: string; at: Origin }[] = [];
  while (!c.atEnd() && c.peek().kind !== 'lb') {
    if (c.eat('comma')) continue;
    if (c.peek(1).kind === 'op' && c.peek(1).value === '=') { Object.assign(options, c.options(() => true)); continue; }
    const f = c.name('a join field');
    fields.push({ field: f.value, at: f.at });
  }
  const toks = subsearchTokens(c);
  if (!c.atEnd()) c.fail('unexpected token after the subsearch');
  const r = sub(toks, pos);
  c.ds.push(...r.diagnostics);
  if (!r.complete || r.diagnostics.some((d) => d.severity === 'error')) throw new ParseStop('subsearch');
  return { name: 'join', options, fields, sub: r.pipeline, at };
}

/** `lookup [local=… update=…] table col [AS field][,] … [OUTPUT|OUTPUTNEW col [AS field][,] …]`. */
export function parseLookup(c: Cursor, at: Origin): Command {
  const options = c.options(() => true);
  const t = c.name('a lookup table name');
  const keys: { column: string; field: string }[] = [];
  const outputs: { column: string; as: string }[] = [];
  let outputMode: 'OUTPUT' | 'OUTPUTNEW' | undefined;
  while (!c.atEnd()) {
    if (c.eat('comma')) continue;
    const w = c.peek();
    if (!outputMode && w.kind === 'word' && /^(output|outputnew)$/i.test(w.value)) {
      c.next();
      outputMode = w.value.toUpperCase() as 'OUTPUT' | 'OUTPUTNEW';
      continue;
    }
    const col = c.name(outputMode ? 'an output column' : 'a lookup column').value;
    const as = c.eatWord('as') ? c.name('a field name').value : col;
    if (outputMode) outputs.push({ column: col, as });
    else keys.push({ column: col, field: as });
  }
  if (!keys.length) c.fail('expected a lookup column to match');
  return { name: 'lookup', options, table: { name: t.value, at: t.at }, keys, ...(outputMode ? { outputMode } : {}), outputs, at };
}

/** `eventstats [allnum=…] aggs [by fields]`. */
export function parseEventstats(c: Cursor, at: Origin): Command {
  const options = c.options(() => true);
  const aggs = parseAggs(c);
  const by = parseBy(c);
  if (by.span) options.span = by.span;
  if (!c.atEnd()) c.fail('unexpected token in eventstats');
  return { name: 'eventstats', options, aggs, by: by.fields, at };
}

/** `mvexpand field [limit=N]`. */
export function parseMvexpand(c: Cursor, at: Origin): Command {
  const options = c.options(() => true);
  const field = c.name('a field name').value;
  Object.assign(options, c.options(() => true));
  if (!c.atEnd()) c.fail('unexpected token in mvexpand');
  return { name: 'mvexpand', field, options, at };
}

/** `spath [input=f] [output=f] [path=p | p]`. */
export function parseSpath(c: Cursor, at: Origin): Command {
  const options: Record<string, string> = {};
  let path: string | undefined;
  while (!c.atEnd()) {
    Object.assign(options, c.options(() => true));
    if (c.atEnd()) break;
    path = c.name('a path').value;
  }
  path ??= options.path;
  delete options.path;
  return { name: 'spath', options, ...(path !== undefined ? { path } : {}), at };
}

/** Stand-ins for foreach's placeholders while a wildcard template is parsed (plain identifiers). */
export const FOREACH_SENTINELS: [placeholder: string, sentinel: string][] = [
  ['<<FIELD>>', 'rbFOREACHxFIELDx'],
  ['<<MATCHSTR>>', 'rbFOREACHxMATCHSTRx'],
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n): [string, string] => [`<<MATCHSEG${n}>>`, `rbFOREACHxMATCHSEG${n}x`]),
];

/**
 * `foreach f1 f2 … [options] [ template ]`. With a literal field list, the template (its tokens'
 * text, `<<FIELD>>` replaced by each field) is parsed once per field; its diagnostics point at
 * the template. With a wildcard list the template is parsed once with the placeholders as
 * identifiers (FOREACH_SENTINELS), for a foreach stage that fills them in per row.
 */
export function parseForeach(c: Cursor, at: Origin, sub: SubParser): Command {
  const fields: string[] = [];
  const options: Record<string, string> = {};
  while (!c.atEnd() && c.peek().kind !== 'lb') {
    if (c.eat('comma')) continue;
    if (c.peek(1).kind === 'op' && c.peek(1).value === '=') { Object.assign(options, c.options(() => true)); continue; }
    fields.push(c.name('a field name').value);
  }
  const start = c.peek();
  const toks = subsearchTokens(c);
  if (!c.atEnd()) c.fail('unexpected token after the foreach template');
  const template = toks.slice(0, -1).map((t, i) => (i && t.spaced ? ' ' : '') + t.raw).join('');
  const parse = (text: string): { commands: Command[]; tokens: Token[] } => {
    const { tokens, diagnostics } = lex('| ' + text, () => start.at);
    c.ds.push(...diagnostics);
    const r = sub(tokens, () => start.at);
    c.ds.push(...r.diagnostics);
    if (diagnostics.some((d) => d.severity === 'error') || !r.complete || r.diagnostics.some((d) => d.severity === 'error')) throw new ParseStop('foreach');
    return { commands: r.pipeline.commands, tokens };
  };
  if (!fields.length) return { name: 'foreach', fields, options, expanded: [], at };
  if (fields.some((f) => f.includes('*'))) {
    if (template.includes('rbFOREACHx')) return { name: 'foreach', fields, options, expanded: [], bare: start.at, at };
    let text = template;
    for (const [p, s] of FOREACH_SENTINELS) text = text.split(p).join(s);
    const r = parse(text);
    return { name: 'foreach', fields, options, expanded: [], template: r.commands, ...(bareUse(r.tokens) ? { bare: start.at } : {}), at };
  }
  const expanded: Command[] = [];
  for (const f of fields) expanded.push(...parse(template.split('<<FIELD>>').join(f)).commands);
  return { name: 'foreach', fields, options, expanded, at };
}

/**
 * True when a placeholder stands unquoted inside an expression: Splunk pastes the field's name
 * there as text, so a name that is not a plain word would parse differently. As an assignment
 * target (`eval <<FIELD>>_x = …`) or inside quotes it is a name whatever it holds.
 */
function bareUse(tokens: Token[]): boolean {
  return tokens.some((t, i) => {
    if (t.kind !== 'word' || !t.raw.replace(/'[^']*'/g, '').includes('rbFOREACHx')) return false;
    const prev = tokens[i - 1];
    const target = tokens[i + 1]?.kind === 'op' && tokens[i + 1]!.value === '=' && prev !== undefined && (prev.kind === 'comma' || (prev.kind === 'word' && prev.value.toLowerCase() === 'eval'));
    return !target;
  });
}

/** `iplocation [prefix=…] [allfields=…] [lang=…] field`. */
export function parseIplocation(c: Cursor, at: Origin): Command {
  const options = c.options(() => true);
  const f = c.name('a field name');
  Object.assign(options, c.options(() => true));
  if (!c.atEnd()) c.fail('unexpected token in iplocation');
  return { name: 'iplocation', field: f.value, fieldAt: f.at, options, at };
}
