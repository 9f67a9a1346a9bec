/**
 * The SPL pipeline parser: splits the tokens at top-level pipes and parses each command. A
 * command that does not parse is reported (RB202/RB203) and dropped from the pipeline together
 * with everything after it, so lowering never sees a partial pipeline.
 */
import { diag, type Diagnostic, type Origin } from '../../diagnostics/index.js';
import type { Command, Pipeline } from './ast.js';
import { Cursor, ParseStop } from './cursor.js';
import type { Token } from './lexer.js';
import { parseEval, parseSearch, splitEvalWords } from './parse-expr.js';
import { KNOWN_COMMANDS } from './commands.js';
import { parseAggs, parseBy, parseTstats } from './parse-stats.js';
import { parseEventstats, parseForeach, parseIplocation, parseJoin, parseLookup, parseMvexpand, parseSpath } from './parse-commands.js';

/** Parses a token list (from lex) into a pipeline. */
export function parsePipeline(tokens: Token[], at: (offset: number) => Origin): { pipeline: Pipeline; diagnostics: Diagnostic[]; complete: boolean } {
  const ds: Diagnostic[] = [];
  const segments: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === 'eof') break;
    if (t.kind === 'lb') depth++;
    if (t.kind === 'rb') depth = Math.max(0, depth - 1);
    if (t.kind === 'pipe' && depth === 0) segments.push([]);
    else segments[segments.length - 1]!.push(t);
  }
  const eof = tokens[tokens.length - 1]!;
  const generating = segments.length > 1 && segments[0]!.length === 0;
  if (generating) segments.shift();
  const commands: Command[] = [];
  let complete = true;
  segments.forEach((seg, k) => {
    if (!complete) return;
    const implicit = k === 0 && !generating;
    const end: Token = seg.length ? { ...eof, off: seg[seg.length - 1]!.end, at: at(seg[seg.length - 1]!.end) } : eof;
    try {
      const cmd = implicit ? parseSearchCommand(new Cursor([...seg, end], ds), seg[0]?.at ?? eof.at) : parseCommand(seg, end, at, ds);
      commands.push(cmd);
    } catch (e) {
      if (!(e instanceof ParseStop)) throw e;
      complete = false;
    }
  });
  return { pipeline: { commands, generating }, diagnostics: ds, complete };
}

function parseSearchCommand(c: Cursor, at: Origin): Command {
  // A search string may itself begin with the word `search`.
  if (c.isWord('search') && c.peek(1).kind !== 'op') c.next();
  const expr = parseSearch(c);
  if (!c.atEnd()) c.fail('unexpected token in the search');
  return { name: 'search', expr, at };
}

function parseCommand(seg: Token[], end: Token, at: (o: number) => Origin, ds: Diagnostic[]): Command {
  const head = seg[0];
  if (!head) {
    ds.push(diag('RB202', 'empty command between pipes', end.at));
    throw new ParseStop('empty');
  }
  if (head.kind !== 'word') {
    ds.push(diag('RB202', `expected a command name, found '${head.raw}'`, head.at));
    throw new ParseStop('name');
  }
  const name = head.value.toLowerCase();
  const c = new Cursor([...seg.slice(1), end], ds);
  const a = head.at;
  switch (name) {
    case 'search':
      return parseSearchCommand(c, a);
    case 'where': {
      const e = new Cursor([...splitEvalWords(seg.slice(1), at), end], ds);
      const expr = parseEval(e);
      if (!e.atEnd()) e.fail('unexpected token in the where expression');
      return { name: 'where', expr, at: a };
    }
    case 'eval': {
      const e = new Cursor([...splitEvalWords(seg.slice(1), at, true), end], ds);
      const assign: Extract<Command, { name: 'eval' }>['assign'] = [];
      while (!e.atEnd()) {
        if (assign.length) e.expect('comma', "',' between assignments");
        const f = e.name('a field name');
        e.expect('op', "'='");
        assign.push({ field: f.value.replace(/^'(.*)'$/, '$1'), expr: parseEval(e), at: f.at });
      }
      return { name: 'eval', assign, at: a };
    }
    case 'tstats':
      return parseTstats(c, a);
    case 'stats': {
      c.options((k) => ['allnum', 'delim', 'partitions', 'dedup_splitvals'].includes(k));
      const aggs = parseAggs(c);
      const by = parseBy(c);
      return { name: 'stats', aggs, by: by.fields, ...(by.span ? { span: by.span } : {}), at: a };
    }
    case 'from': {
      const opts = c.options(() => true);
      let dm = opts.datamodel;
      if (!dm && c.isWord('datamodel')) { c.next(); dm = c.name('a data model').value; }
      if (!dm && c.peek().kind === 'word' && /^datamodel:/i.test(c.peek().value)) dm = c.next().value.slice('datamodel:'.length).replace(/^"(.*)"$/, '$1');
      if (!dm) c.fail('expected `datamodel <name>`');
      return { name: 'from', datamodel: dm, at: a };
    }
    case 'rename': {
      const pairs: { from: string; to: string }[] = [];
      while (!c.atEnd()) {
        c.eat('comma');
        if (c.atEnd()) break;
        const from = c.name('a field name').value;
        if (!c.eatWord('as')) c.fail("expected 'AS'");
        pairs.push({ from, to: c.name('a field name').value });
      }
      return { name: 'rename', pairs, at: a };
    }
    case 'table':
    case 'fields': {
      let mode: 'keep' | 'drop' = 'keep';
      if (name === 'fields' && c.peek().kind === 'word' && (c.peek().value === '-' || c.peek().value === '+')) mode = c.next().value === '-' ? 'drop' : 'keep';
      return { name, fields: names(c), mode, at: a };
    }
    case 'convert': {
      const opts = c.options((k) => k === 'timeformat');
      const conversions: Extract<Command, { name: 'convert' }>['conversions'] = [];
      while (!c.atEnd()) {
        c.eat('comma');
        const fn = c.expect('word', 'a conversion function');
        c.expect('lp', "'('");
        const field = c.name('a field name').value;
        c.expect('rp', "')'");
        const as = c.eatWord('as') ? c.name('a field name').value : undefined;
        conversions.push({ fn: fn.value.toLowerCase(), field, ...(as ? { as } : {}), at: fn.at });
      }
      return { name: 'convert', ...(opts.timeformat !== undefined ? { timeformat: opts.timeformat } : {}), conversions, at: a };
    }
    case 'dedup': {
      const options: Record<string, string> = {};
      if (c.peek().kind === 'word' && /^\d+$/.test(c.peek().value)) options.limit = c.next().value;
      const fields: string[] = [];
      while (!c.atEnd()) {
        Object.assign(options, c.options(() => true));
        if (c.atEnd()) break;
        if (c.isWord('sortby')) { options.sortby = 'yes'; break; }
        if (c.eat('comma')) continue;
        fields.push(c.name('a field name').value);
      }
      return { name: 'dedup', fields, options, at: a };
    }
    case 'sort': {
      let limit: number | undefined;
      if (c.peek().kind === 'word' && /^\d+$/.test(c.peek().value)) limit = Number(c.next().value);
      const lim = c.options((k) => k === 'limit');
      if (lim.limit) limit = Number(lim.limit);
      const keys: { field: string; desc: boolean; fn?: string }[] = [];
      let sign = false;
      while (!c.atEnd()) {
        if (c.eat('comma')) continue;
        const t = c.name('a sort key');
        if (t.value === '-' || t.value === '+') { sign = t.value === '-'; continue; }
        let f = t.value;
        let desc = sign;
        if (f.startsWith('-') || f.startsWith('+')) { desc = f.startsWith('-'); f = f.slice(1); }
        if (c.eat('lp')) {
          const inner = c.name('a field name').value;
          c.expect('rp', "')'");
          keys.push({ field: inner, desc, fn: f.toLowerCase() });
        } else keys.push({ field: f, desc });
        if (c.isWord('desc') || c.isWord('d')) { c.next(); keys[keys.length - 1]!.desc = true; }
      }
      return { name: 'sort', keys, ...(limit !== undefined ? { limit } : {}), at: a };
    }
    case 'head': {
      const opts = c.options((k) => k === 'limit');
      let n = opts.limit !== undefined ? Number(opts.limit) : 10;
      if (c.peek().kind === 'word' && /^\d+$/.test(c.peek().value)) n = Number(c.next().value);
      if (!c.atEnd()) c.fail('head with an expression is not supported; expected a number');
      return { name: 'head', n, at: a };
    }
    case 'fillnull': {
      const opts = c.options((k) => k === 'value');
      return { name: 'fillnull', value: opts.value ?? '0', fields: names(c), at: a };
    }
    case 'rex': {
      const options = c.options(() => true);
      const p = c.expect('str', 'a quoted regular expression');
      Object.assign(options, c.options(() => true));
      if (!c.atEnd()) c.fail('unexpected token after the rex pattern');
      return { name: 'rex', field: options.field ?? '_raw', pattern: p.value, options, at: a };
    }
    case 'bin':
    case 'bucket': {
      const options = c.options(() => true);
      const field = c.name('a field name').value;
      const as = c.eatWord('as') ? c.name('a field name').value : undefined;
      Object.assign(options, c.options(() => true));
      if (!c.atEnd()) c.fail(`unexpected token in ${name}`);
      const { span, ...rest } = options;
      return { name: 'bin', field, ...(span !== undefined ? { span } : {}), ...(as !== undefined ? { as } : {}), options: rest, at: a };
    }
    case 'regex': {
      let field = '_raw';
      let negate = false;
      if (c.peek().kind !== 'str' || c.peek(1).kind === 'op') {
        field = c.name('a field name').value;
        const op = c.expect('op', "'=' or '!='");
        if (op.value !== '=' && op.value !== '!=') c.fail("expected '=' or '!='");
        negate = op.value === '!=';
      }
      const p = c.name('a regular expression');
      if (!c.atEnd()) c.fail('unexpected token after the regex');
      return { name: 'regex', field, negate, pattern: p.value, at: a };
    }
    case 'join':
      return parseJoin(c, a, parsePipeline, at);
    case 'lookup':
      return parseLookup(c, a);
    case 'eventstats':
      return parseEventstats(c, a);
    case 'mvexpand':
      return parseMvexpand(c, a);
    case 'spath':
      return parseSpath(c, a);
    case 'foreach':
      return parseForeach(c, a, parsePipeline);
    case 'iplocation':
      return parseIplocation(c, a);
    case 'makemv': {
      const options = c.options(() => true);
      const field = c.name('a field name').value;
      if (!c.atEnd()) c.fail('unexpected token in makemv');
      return { name: 'makemv', field, options, at: a };
    }
    default:
      if (KNOWN_COMMANDS.has(name)) return { name: 'other', command: name, at: a };
      ds.push(diag('RB203', `unknown SPL command '${head.value}'`, a));
      throw new ParseStop('command');
  }
}

/** Field names separated by spaces or commas, to the end of the command. */
function names(c: Cursor): string[] {
  const out: string[] = [];
  while (!c.atEnd()) {
    if (c.eat('comma')) continue;
    out.push(c.name('a field name').value);
  }
  return out;
}
