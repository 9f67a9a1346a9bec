/**
 * Expressions of the two SPL sub-languages:
 * - the search language (search command, tstats `where`): terms joined by implicit AND, with
 *   the precedence of the Splunk search reference, "Boolean expressions": parentheses, NOT,
 *   OR, then AND — so `a b OR c` is `a AND (b OR c)`;
 * - the eval language (eval, where): the usual precedence OR < AND < NOT < comparison <
 *   `+ - .` < `* / %`.
 */
import type { Origin } from '../../diagnostics/index.js';
import type { CmpOp, EvalNode, SearchNode } from './ast.js';
import { Cursor } from './cursor.js';
import type { Token } from './lexer.js';

const CMP = new Set(['=', '!=', '<', '<=', '>', '>=']);

/**
 * Boolean operators of the search language are case-sensitive: only AND, OR and NOT are
 * operators; a lower-case `or` is a search term (Search Reference, "search", Boolean expressions).
 */
function isBool(c: Cursor, op: 'AND' | 'OR' | 'NOT'): boolean {
  const t = c.peek();
  return t.kind === 'word' && t.value === op && t.raw === op;
}

/** Parses a search expression until the end, a `)` or a word in `stop` (e.g. `by`); null when empty. */
export function parseSearch(c: Cursor, stop: readonly string[] = []): SearchNode | null {
  const args: SearchNode[] = [];
  const at = c.peek().at;
  for (;;) {
    const t = c.peek();
    if (t.kind === 'eof' || t.kind === 'rp' || (t.kind === 'word' && stop.includes(t.value.toLowerCase()))) break;
    if (isBool(c, 'AND') && args.length) { c.next(); continue; }
    args.push(parseOr(c, stop));
  }
  if (args.length === 0) return null;
  return args.length === 1 ? args[0]! : { kind: 'and', args, at };
}

function parseOr(c: Cursor, stop: readonly string[]): SearchNode {
  const first = parseNot(c, stop);
  const args = [first];
  while (isBool(c, 'OR')) {
    c.next();
    args.push(parseNot(c, stop));
  }
  return args.length === 1 ? first : { kind: 'or', args, at: first.at };
}

function parseNot(c: Cursor, stop: readonly string[]): SearchNode {
  if (isBool(c, 'NOT')) {
    const t = c.next();
    return { kind: 'not', arg: parseNot(c, stop), at: t.at };
  }
  return parsePrimary(c, stop);
}

function parsePrimary(c: Cursor, stop: readonly string[]): SearchNode {
  const t = c.peek();
  if (t.kind === 'lp') {
    c.next();
    const inner = parseSearch(c, []);
    c.expect('rp', "')'");
    if (!inner) c.fail('empty parentheses');
    return inner;
  }
  if (t.kind === 'lb') {
    c.next();
    for (let depth = 1; depth > 0 && !c.atEnd(); ) {
      const k = c.next().kind;
      if (k === 'lb') depth++;
      if (k === 'rb') depth--;
    }
    return { kind: 'subsearch', at: t.at };
  }
  if (t.kind !== 'word' && t.kind !== 'str') c.fail('expected a search term');
  c.next();
  const op = c.peek();
  if (op.kind === 'op' && CMP.has(op.value === '==' ? '=' : op.value)) {
    c.next();
    const v = c.peek();
    if (v.kind !== 'word' && v.kind !== 'str') c.fail(`expected a value after '${t.raw}${op.raw}'`);
    c.next();
    glued(c);
    return { kind: 'cmp', field: t.value, op: (op.value === '==' ? '=' : op.value) as CmpOp, value: v, at: t.at };
  }
  if (c.isWord('in') && c.peek(1).kind === 'lp') {
    c.next();
    c.next();
    const values: Token[] = [];
    while (!c.eat('rp')) {
      if (c.eat('comma')) continue;
      const v = c.peek();
      if (v.kind !== 'word' && v.kind !== 'str') c.fail('expected a value of the IN list');
      values.push(c.next());
      glued(c);
    }
    return { kind: 'in', field: t.value, values, at: t.at };
  }
  void stop;
  return { kind: 'term', value: t, at: t.at };
}

/** A quoted string glued to a word (`""*x*""`, `"a"b`) has no clear reading: reported, not guessed. */
function glued(c: Cursor): void {
  const n = c.peek();
  if (!n.spaced && (n.kind === 'word' || n.kind === 'str')) c.fail('a value glued to a quoted string (add a space or a comma)');
}

/** Parses an eval-language expression. `at(offset)` positions tokens split out of a word. */
export function parseEval(c: Cursor): EvalNode {
  return evOr(c);
}

function bin(op: string, left: EvalNode, right: EvalNode): EvalNode {
  return { kind: 'binary', op, left, right, at: left.at };
}

function evOr(c: Cursor): EvalNode {
  let l = evAnd(c);
  while (c.isWord('or')) { c.next(); l = bin('or', l, evAnd(c)); }
  return l;
}
function evAnd(c: Cursor): EvalNode {
  let l = evNot(c);
  while (c.isWord('and')) { c.next(); l = bin('and', l, evNot(c)); }
  return l;
}
function evNot(c: Cursor): EvalNode {
  if (c.isWord('not')) { const t = c.next(); return { kind: 'unary', op: 'not', arg: evNot(c), at: t.at }; }
  return evCmp(c);
}
function evCmp(c: Cursor): EvalNode {
  const l = evAdd(c);
  const t = c.peek();
  if (t.kind === 'op') { c.next(); return bin(t.value === '==' ? '=' : t.value, l, evAdd(c)); }
  if (c.isWord('like')) { c.next(); return { kind: 'call', fn: 'like', args: [l, evAdd(c)], at: l.at }; }
  if (c.isWord('in') && c.peek(1).kind === 'lp') {
    // `x IN (a, b)` is `x = a OR x = b`.
    c.next();
    c.next();
    const alts: EvalNode[] = [];
    while (!c.eat('rp')) {
      if (alts.length) c.expect('comma', "',' or ')'");
      alts.push(bin('=', l, evAdd(c)));
    }
    if (!alts.length) c.fail('expected a value of the IN list');
    return alts.reduce((a, b) => bin('or', a, b));
  }
  return l;
}
function isOpWord(c: Cursor, ops: string[]): string | undefined {
  const t = c.peek();
  return t.kind === 'word' && ops.includes(t.value) ? t.value : undefined;
}
function evAdd(c: Cursor): EvalNode {
  let l = evMul(c);
  splitMinus(c);
  for (let op = isOpWord(c, ['+', '-', '.']); op; op = isOpWord(c, ['+', '-', '.'])) { c.next(); l = bin(op, l, evMul(c)); splitMinus(c); }
  return l;
}
/** After an operand, a word `-1` is the operator `-` and the operand `1`. */
function splitMinus(c: Cursor): void {
  const t = c.peek();
  if (t.kind !== 'word' || t.value.length < 2 || !t.value.startsWith('-') || t.value !== t.raw) return;
  const minus = { ...t, value: '-', raw: '-', end: t.off + 1 };
  const rest = { ...t, value: t.value.slice(1), raw: t.raw.slice(1), off: t.off + 1, spaced: false };
  c.toks.splice(c.i, 1, minus, rest);
}
function evMul(c: Cursor): EvalNode {
  let l = evUnary(c);
  for (let op = isOpWord(c, ['*', '/', '%']); op; op = isOpWord(c, ['*', '/', '%'])) { c.next(); l = bin(op, l, evUnary(c)); }
  return l;
}
function evUnary(c: Cursor): EvalNode {
  if (isOpWord(c, ['-'])) { const t = c.next(); return { kind: 'unary', op: '-', arg: evUnary(c), at: t.at }; }
  return evPrimary(c);
}
function evPrimary(c: Cursor): EvalNode {
  const t = c.peek();
  if (t.kind === 'lp') {
    c.next();
    const e = evOr(c);
    c.expect('rp', "')'");
    return e;
  }
  if (t.kind === 'str') { c.next(); return { kind: 'str', value: t.value, at: t.at }; }
  if (t.kind !== 'word') c.fail('expected a value');
  c.next();
  // A name before `(` is a call, with or without a space (`LIKE (x, "%a%")`).
  if (c.peek().kind === 'lp' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(t.value)) {
    c.next();
    const args: EvalNode[] = [];
    while (!c.eat('rp')) {
      if (args.length) c.expect('comma', "',' or ')'");
      args.push(evOr(c));
    }
    return { kind: 'call', fn: t.value.toLowerCase(), args, at: t.at };
  }
  if (/^-?\d+(\.\d+)?$/.test(t.value)) return { kind: 'num', value: Number(t.value), at: t.at };
  const name = t.value.startsWith("'") && t.value.endsWith("'") && t.value.length > 1 ? t.value.slice(1, -1) : t.value;
  return { kind: 'field', name, at: t.at };
}

/**
 * Splits the words of an eval expression at arithmetic operators written without spaces
 * (`count+1`, `a*2`), which the lexer keeps inside words.
 */
export function splitEvalWords(toks: Token[], at: (offset: number) => Origin, assignments = false): Token[] {
  const out: Token[] = [];
  for (const [k, t] of toks.entries()) {
    // The target of an eval assignment is a name, hyphens included (`eval a-b=1`).
    const next = toks[k + 1];
    if (assignments && next?.kind === 'op' && next.value === '=' && (k === 0 || toks[k - 1]!.kind === 'comma')) {
      out.push(t);
      continue;
    }
    if (t.kind !== 'word' || !/[+*/%]|(?<!^)-|^\.|\.$/.test(t.value) || t.value.length === 1 || t.value !== t.raw || /^\d*\.\d*$/.test(t.value) || /^'.*'$/.test(t.value)) {
      out.push(t);
      continue;
    }
    // `.` concatenates when it starts or ends a word (`"%".field."%"`); inside a word it is part of a field name.
    // `-` inside a word subtracts too (`count-avg`): a field name with a hyphen must be quoted ('a-b').
    const parts = t.value.split(/([+*/%]|(?<!^)-|^\.|\.$)/).filter((p) => p !== '');
    let off = t.off;
    parts.forEach((p, k) => {
      out.push({ kind: 'word', value: p, raw: p, off, end: off + p.length, spaced: k === 0 ? t.spaced : false, at: at(off) });
      off += p.length;
    });
  }
  return out;
}
