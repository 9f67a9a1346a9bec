/**
 * Computed values (SPL eval/where) in KQL. Only the functions below are rendered; the
 * capability column declares the rest unsupported, so the check rejects them before rendering.
 */
import { RE2JS } from 're2js';
import { diag } from '../diagnostics/index.js';
import type { ValueExpr } from '../ir/index.js';
import { visitValue } from '../ir/index.js';
import { kqlNumber, kqlString } from './kql-literal.js';
import { NUMERIC_TYPES, type KqlType } from './kql-mapping.js';
import { at, column, missingHere, type KqlCtx } from './kql-scope.js';
import { strftimeToKql } from './kql-time.js';
import { epoch, SPL_NULL, mvappend, mvdedup, mvfilter, mvjoin, trim } from './kql-value-mv.js';
import { now, relativeTime, specParts, strptime } from './kql-value-time.js';
import { matchCall } from './kql-value-match.js';

/** A rendered value: its KQL text and type. */
export interface Val {
  text: string;
  type: KqlType;
}

/** Functions this backend renders (the others are unsupported in its capability column). */
export const KQL_FUNCTIONS = ['strftime', 'lower', 'upper', 'len', 'coalesce', 'if', 'case', 'replace', 'split', 'mvcount', 'mvindex', 'urldecode', 'isnull', 'isnotnull', 'tostring', 'tonumber', 'abs', 'round', 'match', 'like', 'cidrmatch', 'mvappend', 'mvjoin', 'trim', 'ltrim', 'rtrim', 'mvdedup', 'mvfilter', 'relative_time', 'strptime', 'now'] as const;

const str = (v: Val) => (v.type === 'string' ? v.text : `tostring(${v.text})`);
/** A function argument read as text: a multivalue by its first value, as the evaluator's str() does. */
const one = (v: Val) => (v.text === SPL_NULL ? "''" : v.type === 'dynamic' ? `tostring(${v.text}[0])` : str(v));

/**
 * SPL `=`/`!=` in eval and where: two numbers compare as numbers, anything else as strings
 * (the evaluator's compare()). KQL compares values of one type only: a number against a
 * numeric literal string compares with the number, other mixed types test as SPL does.
 */
function equality(op: '==' | '!=', l: Val, r: Val, raw: [ValueExpr, ValueExpr]): Val {
  // A null side makes the comparison null in SPL (if() then takes its else branch, even for
  // `!=`); a KQL string null is '', which `!=` finds different from a value and `==` equal to
  // another '': test for it first. (`==` of '' and a literal is already false; under a not()
  // it would be true where SPL's is null, a gap left for readable output.)
  if ([l, r].some((v) => v.text === SPL_NULL)) return { text: 'bool(null)', type: 'bool' };
  const open = [l, r].filter((v) => v.type === 'string' && !/^'.+'$/.test(v.text));
  const v = compare(op, l, r, raw);
  if (!open.length || (op === '==' && open.length === 1)) return v;
  return { text: `iff(${open.map((x) => `isempty(${x.text})`).join(' or ')}, bool(null), ${v.text})`, type: 'bool' };
}

/** `==`/`!=` of two present values, as SPL compares them (see equality()). */
function compare(op: '==' | '!=', l: Val, r: Val, raw: [ValueExpr, ValueExpr]): Val {
  const sameKind = l.type === r.type || (NUMERIC_TYPES.has(l.type) && NUMERIC_TYPES.has(r.type));
  if (sameKind) return { text: `(${l.text} ${op} ${r.text})`, type: 'bool' };
  const numLit = (e: ValueExpr) => (e.kind === 'lit' && typeof e.value === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/.test(e.value) ? kqlNumber(Number(e.value)) : undefined);
  if (NUMERIC_TYPES.has(l.type) && numLit(raw[1])) return { text: `(${l.text} ${op} ${numLit(raw[1])})`, type: 'bool' };
  if (NUMERIC_TYPES.has(r.type) && numLit(raw[0])) return { text: `(${numLit(raw[0])} ${op} ${r.text})`, type: 'bool' };
  const [an, bn] = [`todouble(${l.text})`, `todouble(${r.text})`];
  return { text: `iff(isnotnull(${an}) and isnotnull(${bn}), ${an} ${op} ${bn}, ${str(l)} ${op} ${str(r)})`, type: 'bool' };
}

/** Renders a boolean value expression (an IR `test`). */
export function renderTest(ctx: KqlCtx, e: ValueExpr): string | undefined {
  const v = renderValue(ctx, e);
  if (!v) return undefined;
  return v.type === 'bool' ? v.text : `tobool(${v.text})`;
}

/** Renders a value expression, or undefined after reporting why it cannot be. */
export function renderValue(ctx: KqlCtx, e: ValueExpr): Val | undefined {
  const fail = (why: string): undefined => {
    ctx.diags.push(diag('RB430', `kql: ${why}`, at(ctx, e.origin)));
    return undefined;
  };
  return visitValue<Val | undefined>(e, {
    field: (n) => {
      // After a summarize or project the row holds exactly the known columns (a closed scope):
      // a field it lacks is absent, which SPL reads as null, as it reads null() (the lit below).
      const missing = missingHere(ctx, n.name);
      if (missing === 'absent') return { text: SPL_NULL, type: 'dynamic' };
      if (missing === 'dotted') {
        // …unless it reads like SPL's `.` between fields the row has (`a.b` with a and b known):
        // Splunk's eval concatenates there, so null would not mean the same (refused instead).
        const parts = n.name.split('.');
        ctx.diags.push(diag('RB403', `kql (${ctx.mapping.flavour}): no column for field '${n.name}', while ${parts.map((p) => `'${p}'`).join(' and ')} exist: Splunk's eval may read it as their concatenation`, at(ctx, n.origin)));
        return undefined;
      }
      const c = column(ctx, n.name, n.origin);
      return c && { text: c.text, type: c.type };
    },
    lit: (n) => {
      if (typeof n.value === 'string') return { text: kqlString(n.value), type: 'string' };
      if (typeof n.value === 'boolean') return { text: String(n.value), type: 'bool' };
      if (n.value === null) return { text: SPL_NULL, type: 'dynamic' };
      const t = kqlNumber(n.value);
      return t === undefined ? fail(`${n.value} is not a finite number`) : { text: t, type: Number.isInteger(n.value) ? 'long' : 'real' };
    },
    unary: (n) => {
      const a = renderValue(ctx, n.arg);
      if (!a) return undefined;
      return n.op === 'not' ? { text: `not(${a.text})`, type: 'bool' } : { text: `-(${a.text})`, type: a.type };
    },
    binary: (n) => {
      const l0 = renderValue(ctx, n.left);
      const r0 = renderValue(ctx, n.right);
      if (!l0 || !r0) return undefined;
      // SPL times are epoch seconds: a datetime in arithmetic, in a concatenation or beside a
      // value of another type reads as one (two datetimes still compare as datetimes).
      const times = l0.type === 'datetime' && r0.type === 'datetime';
      const [l, r] = times && !['.', '+', '-', '*', '/', '%'].includes(n.op) ? [l0, r0] : [epoch(l0), epoch(r0)];
      switch (n.op) {
        case '.':
          return { text: `strcat(${str(l)}, ${str(r)})`, type: 'string' };
        case '+':
          // SPL `+` concatenates when either side is a string.
          if (l.type === 'string' || r.type === 'string') return { text: `strcat(${str(l)}, ${str(r)})`, type: 'string' };
          return { text: `(${l.text} + ${r.text})`, type: l.type === 'long' && r.type === 'long' ? 'long' : 'real' };
        case '/':
          // SPL division is never integer division.
          return { text: `(todouble(${l.text}) / ${r.text})`, type: 'real' };
        case '-':
        case '*':
        case '%':
          return { text: `(${l.text} ${n.op} ${r.text})`, type: l.type === 'long' && r.type === 'long' ? 'long' : 'real' };
        case '=':
        case '!=':
          return equality(n.op === '=' ? '==' : '!=', l, r, [n.left, n.right]);
        case 'and':
        case 'or':
          return { text: `(${l.text} ${n.op} ${r.text})`, type: 'bool' };
        case '<':
        case '<=':
        case '>':
        case '>=': {
          // KQL orders strings only through strcmp(); SPL compares two numbers as numbers and
          // anything else as strings (Splunk eval docs, comparison operators).
          if (l.type === r.type && (l.type === 'datetime' || l.type === 'timespan')) return { text: `(${l.text} ${n.op} ${r.text})`, type: 'bool' };
          // A time against anything else has been read as epoch seconds above, as SPL's _time.
          const [a, b] = [l, r];
          if (NUMERIC_TYPES.has(a.type) && NUMERIC_TYPES.has(b.type)) return { text: `(${a.text} ${n.op} ${b.text})`, type: 'bool' };
          const an = `todouble(${a.text})`;
          const bn = `todouble(${b.text})`;
          return { text: `iff(isnotnull(${an}) and isnotnull(${bn}), ${an} ${n.op} ${bn}, strcmp(${str(a)}, ${str(b)}) ${n.op} 0)`, type: 'bool' };
        }
        default:
          return { text: `(${l.text} ${n.op} ${r.text})`, type: 'bool' };
      }
    },
    call: (n) => {
      const args: Val[] = [];
      if (n.fn === 'strftime') {
        const t = renderValue(ctx, n.args[0]!);
        const f = n.args[1];
        if (!t) return undefined;
        if (f?.kind !== 'lit' || typeof f.value !== 'string') return fail('strftime needs a literal format');
        const time = t.type === 'datetime' ? t.text : NUMERIC_TYPES.has(t.type) ? `unixtime_seconds_todatetime(${t.text})` : `unixtime_seconds_todatetime(todouble(${t.text}))`;
        const out = strftimeToKql(time, f.value);
        if ('unsupported' in out) return fail(`strftime specifier ${out.unsupported} has no format_datetime equivalent`);
        if (!ctx.warned.has('strftime-utc')) {
          ctx.warned.add('strftime-utc');
          ctx.diags.push(diag('RB404', 'kql: format_datetime writes UTC times; Splunk strftime writes them in the user\'s time zone', at(ctx, n.origin)));
        }
        return { text: out.text, type: 'string' };
      }
      if (n.fn === 'relative_time') {
        const t = renderValue(ctx, n.args[0]!);
        const spec = t && specParts(n.args[1]!, (x) => renderValue(ctx, x));
        if (!t || !spec) return undefined;
        const out = typeof spec === 'string' ? spec : relativeTime(t, spec);
        return typeof out === 'string' ? fail(out) : out;
      }
      if (n.fn === 'mvfilter') {
        const name = n.args[0]!;
        if (name.kind !== 'lit' || typeof name.value !== 'string') return fail('mvfilter() needs the name of its field');
        const col = renderValue(ctx, { kind: 'field', name: name.value, origin: n.origin });
        if (col?.type === 'dynamic' && col.text !== SPL_NULL) return fail(`mvfilter() over the multivalue field '${name.value}': KQL has no per-value filter in an expression`);
        const test = col && renderTest(ctx, n.args[1]!);
        return col && test !== undefined ? mvfilter(col, test) : undefined;
      }
      for (const a of n.args) {
        const v = renderValue(ctx, a);
        if (!v) return undefined;
        args.push(v);
      }
      const [a, b, c] = args;
      switch (n.fn) {
        case 'lower':
          return { text: `tolower(${one(a!)})`, type: 'string' };
        case 'upper':
          return { text: `toupper(${one(a!)})`, type: 'string' };
        case 'len':
          return { text: `strlen(${one(a!)})`, type: 'long' };
        case 'coalesce':
          // KQL's coalesce takes 2 to 64 arguments; one argument is itself.
          if (args.length === 1) return a!;
          if (args.length > 64) return fail('coalesce with more than 64 arguments');
          // …all of one type: mixed types compare as strings.
          if (args.some((x) => x.type !== a!.type) && !args.every((x) => NUMERIC_TYPES.has(x.type))) return { text: `coalesce(${args.map(str).join(', ')})`, type: 'string' };
          return { text: `coalesce(${args.map((x) => x.text).join(', ')})`, type: a!.type };
        case 'if':
          // SPL's if() needs a boolean condition, and so does KQL's iff(): anything else is an error in both.
          if (a!.type !== 'bool') return fail('if() whose condition is not a boolean expression');
          // iff() needs both branches of one type; mixed branches become strings.
          if (b!.type !== c!.type && !(NUMERIC_TYPES.has(b!.type) && NUMERIC_TYPES.has(c!.type))) return { text: `iff(${a!.text}, ${str(b!)}, ${str(c!)})`, type: 'string' };
          return { text: `iff(${a!.text}, ${b!.text}, ${c!.text})`, type: b!.type };
        case 'case': {
          // SPL case(c1, v1, …): the value of the first true condition, else null. KQL's case()
          // needs an else and one result type; a string null is '' in KQL (as everywhere here).
          if (args.length % 2) return fail('case() with an odd number of arguments');
          // Each condition must be boolean (SPL rejects others; KQL's case() does too).
          if (args.some((v, i) => i % 2 === 0 && v.type !== 'bool')) return fail('case() with a condition that is not a boolean expression');
          const vals = args.filter((_, i) => i % 2 === 1);
          const same = vals.every((v) => v.type === vals[0]!.type) && vals[0]!.type !== 'dynamic';
          const t: KqlType = same ? vals[0]!.type : 'string';
          const pairs = args.map((v, i) => (i % 2 === 0 ? v.text : same ? v.text : str(v)));
          return { text: `case(${pairs.join(', ')}, ${t === 'string' ? "''" : `${t}(null)`})`, type: t };
        }
        case 'replace': {
          // SPL replace(x, regex, with): every match replaced, \N back-references; KQL replace_regex is the same over RE2.
          const [re, rep] = [n.args[1]!, n.args[2]!];
          if (re.kind !== 'lit' || typeof re.value !== 'string' || rep.kind !== 'lit' || typeof rep.value !== 'string') return fail('replace() needs a literal regex and replacement');
          try {
            RE2JS.compile(re.value);
          } catch (err) {
            return fail(`the regex /${re.value}/ is not valid RE2 syntax (${(err as Error).message})`);
          }
          if (/\\(?![1-9])/.test(rep.value)) return fail('replace() with a backslash that is not a back-reference \\1…\\9 in its replacement');
          return { text: `replace_regex(${one(a!)}, ${b!.text}, ${c!.text})`, type: 'string' };
        }
        case 'split': {
          // SPL split(x, d): the values between the delimiters; KQL split() over the same literal.
          const d = n.args[1]!;
          if (d.kind !== 'lit' || typeof d.value !== 'string' || d.value === '') return fail('split() needs a literal, non-empty delimiter');
          return { text: `split(${one(a!)}, ${b!.text})`, type: 'dynamic' };
        }
        case 'mvappend':
          return mvappend(args);
        case 'mvdedup':
          return mvdedup(a!);
        case 'now':
          return now();
        case 'strptime': {
          const f = n.args[1]!;
          if (f.kind !== 'lit' || typeof f.value !== 'string') return fail('strptime() needs a literal format');
          const out = strptime(a!, f.value);
          return typeof out === 'string' ? fail(out) : out;
        }
        case 'mvjoin':
          return mvjoin(a!, b!);
        case 'trim':
        case 'ltrim':
        case 'rtrim': {
          const chars = n.args[1];
          const out = trim(n.fn, a!, chars && (chars.kind === 'lit' ? { value: chars.value } : { value: undefined }));
          return out ?? fail(`${n.fn}() needs a literal string of characters to remove`);
        }
        case 'urldecode':
          if (!ctx.warned.has('urldecode')) {
            ctx.warned.add('urldecode');
            ctx.diags.push(diag('RB404', "kql: url_decode() and Splunk's urldecode() may differ on '+' and on malformed %-escapes", at(ctx, n.origin)));
          }
          return { text: `url_decode(${one(a!)})`, type: 'string' };
        case 'mvcount':
          // SPL mvcount(): the number of values, 1 for a single value, null for none.
          if (a!.type === 'dynamic') return { text: `array_length(${a!.text})`, type: 'long' };
          return { text: a!.type === 'string' ? `iff(isempty(${a!.text}), long(null), 1)` : `iff(isnull(${a!.text}), long(null), 1)`, type: 'long' };
        case 'mvindex': {
          // SPL mvindex(mv, i): the i-th value (0-based; negative counts from the end), null out of
          // range; a single value is a list of one. Only a literal index, without a range.
          const i = n.args[1]!;
          if (i.kind !== 'lit' || typeof i.value !== 'number' || !Number.isSafeInteger(i.value)) return fail('mvindex() needs a literal integer index');
          if (n.args.length > 2) return fail('mvindex() with a range (a multivalue result)');
          if (a!.type !== 'dynamic') return i.value === 0 || i.value === -1 ? a! : { text: "''", type: 'string' };
          // A dynamic array index past either end is null, which tostring() makes '' (SPL's null here).
          if (i.value >= 0) return { text: `tostring(${a!.text}[${i.value}])`, type: 'string' };
          const len = `array_length(${a!.text})`;
          return { text: `iff(${len} >= ${-i.value}, tostring(${a!.text}[${len} - ${-i.value}]), '')`, type: 'string' };
        }
        case 'isnull':
          if (a!.text === SPL_NULL) return { text: 'true', type: 'bool' };
          // A multivalue with no values is null in SPL (the evaluator's isMissing()).
          if (a!.type === 'dynamic') return { text: `(isnull(${a!.text}) or coalesce(array_length(${a!.text}), 1) == 0)`, type: 'bool' };
          return { text: a!.type === 'string' ? `isempty(${a!.text})` : `isnull(${a!.text})`, type: 'bool' };
        case 'isnotnull':
          if (a!.text === SPL_NULL) return { text: 'false', type: 'bool' };
          if (a!.type === 'dynamic') return { text: `(isnotnull(${a!.text}) and coalesce(array_length(${a!.text}), 1) != 0)`, type: 'bool' };
          return { text: a!.type === 'string' ? `isnotempty(${a!.text})` : `isnotnull(${a!.text})`, type: 'bool' };
        case 'tostring':
          return args.length === 1 ? { text: one(a!), type: 'string' } : fail('tostring with a format');
        case 'tonumber':
          return args.length === 1 ? { text: `todouble(${a!.type === 'dynamic' ? one(a!) : a!.text})`, type: 'real' } : fail('tonumber with a base');
        case 'abs':
          return { text: `abs(${a!.text})`, type: a!.type };
        case 'round':
          return { text: `round(${a!.text}${b ? `, ${b.text}` : ''})`, type: 'real' };
        case 'match':
        case 'like':
        case 'cidrmatch': {
          const out = matchCall(n.fn, n.args, args);
          return typeof out === 'string' ? fail(out) : out;
        }
        default:
          return fail(`function ${n.fn} is not supported`);
      }
    },
  });
}
