/**
 * A strict tokenizer/parser for the SPL pipelines rulebridge emits, and an evaluator of their
 * filtering parts (search terms, tstats `where`, `| where`) over one flat event, with Splunk's
 * semantics: search `f="v"` case-insensitive with `*`, where comparisons three-valued (null is
 * neither true nor false and a null condition drops the row), match() as PCRE.
 */

export type Lit = string | number;
export type SNode =
  | { kind: 'and' | 'or'; args: SNode[] }
  | { kind: 'not'; arg: SNode }
  | { kind: 'cmp'; field: string; op: string; value: Lit; quoted: boolean }
  | { kind: 'in'; field: string; values: Lit[] }
  | { kind: 'kw'; value: string }
  | { kind: 'sub'; commands: Command[] };
export type WNode =
  | { kind: 'bin'; op: string; l: WNode; r: WNode }
  | { kind: 'not' | 'neg'; arg: WNode }
  | { kind: 'lit'; value: Lit }
  | { kind: 'field'; name: string }
  | { kind: 'call'; fn: string; args: WNode[] };
export interface Command { name: string; text: string; search?: SNode; where?: WNode; subsearches?: Command[][] }

type Tok = { t: 'str' | 'word' | 'num' | 'op' | 'qfield' | 'sub'; v: string };

/** Decodes a double-quoted SPL string starting at `i`; returns the value and the next index. */
function readString(src: string, i: number): [string, number] {
  let s = '';
  i++;
  for (;;) {
    const c = src[i];
    if (c === undefined) throw new Error('unterminated string');
    if (c === '"') return [s, i + 1];
    if (c === '\\') {
      const n = src[i + 1];
      if (n !== '\\' && n !== '"') throw new Error(`ambiguous backslash before '${n}' at ${i}`);
      s += n;
      i += 2;
      continue;
    }
    if (/[\x00-\x1f]/.test(c)) throw new Error('control character in string');
    s += c;
    i++;
  }
}

/** Splits a pipeline into commands at `|` outside strings. */
export function parseSpl(src: string): Command[] {
  const segs: string[] = [];
  let cur = '';
  let i = 0;
  let quote: string | undefined;
  let depth = 0; // inside a subsearch […]
  while (i < src.length) {
    const c = src[i]!;
    if (quote) {
      cur += c;
      if (c === '\\' && quote === '"') { cur += src[i + 1] ?? ''; i += 2; continue; }
      if (c === quote) quote = undefined;
      i++;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    if (c === '[') depth++;
    if (c === ']' && --depth < 0) throw new Error('unbalanced ]');
    if (c === '|' && depth === 0) { segs.push(cur); cur = ''; i++; continue; }
    cur += c;
    i++;
  }
  if (quote) throw new Error('unterminated quote');
  if (depth) throw new Error('unterminated subsearch');
  segs.push(cur);
  const out: Command[] = [];
  segs.forEach((seg, n) => {
    const text = seg.trim();
    if (n === 0 && text === '') return; // a generating command starts with `|`
    if (text === '') throw new Error('empty command');
    if (n === 0 && !src.trimStart().startsWith('|')) { out.push({ name: 'search', text, search: parseSearch(text) }); return; }
    const name = /^[a-z]+/.exec(text)?.[0];
    if (!name) throw new Error(`bad command '${text}'`);
    const rest = text.slice(name.length).trim();
    const cmd: Command = { name, text };
    if (name === 'search') cmd.search = parseSearch(rest);
    else if (name === 'where') cmd.where = parseWhere(rest);
    else if (name === 'tstats') {
      const m = /^summariesonly=true (.*?) from datamodel=([A-Za-z_.]+)(?: where (.*?))?(?: by (.*))?$/.exec(rest);
      if (!m) throw new Error(`bad tstats '${rest}'`);
      if (m[3]) cmd.search = parseSearch(m[3]);
    } else if (name === 'eval') {
      for (const part of splitTop(rest)) {
        const eq = /^("[^"]*"|[A-Za-z_][A-Za-z0-9_]*)=/.exec(part);
        if (!eq) throw new Error(`bad eval '${part}'`);
        parseWhere(part.slice(eq[0].length));
      }
    } else if (name === 'multisearch') {
      cmd.subsearches = subsearches(rest);
      if (cmd.subsearches.length < 2) throw new Error('multisearch needs two subsearches');
    } else if (name === 'join') {
      const m = /^type=(inner|left) overwrite=(true|false)(?: max=\d+)?((?: [A-Za-z_][A-Za-z0-9_.]*| "[^"]+")+) (\[.*\])$/.exec(rest);
      if (!m) throw new Error(`bad join '${rest}'`);
      cmd.subsearches = subsearches(m[4]!);
      if (cmd.subsearches.length !== 1) throw new Error('join takes one subsearch');
    } else if (name === 'lookup') {
      const word = '(?:[A-Za-z_][A-Za-z0-9_.]*|"[^"]+")';
      const re = new RegExp(`^[A-Za-z0-9_][A-Za-z0-9_.-]* (?:${word} AS ${word} ?)+(?: OUTPUT(?: ${word} AS ${word})+)?$`);
      if (!re.test(rest)) throw new Error(`bad lookup '${rest}'`);
    } else if (name === 'eventstats' || name === 'mvexpand') {
      if (!rest) throw new Error(`${name} needs arguments`);
    } else if (name === 'rex') {
      const m = /^field=("[^"]*"|[A-Za-z_][A-Za-z0-9_.]*)(?: max_match=\d+)? (".*")$/.exec(rest);
      if (!m) throw new Error(`bad rex '${rest}'`);
      const [re, end] = readString(m[2]!, 0);
      if (end !== m[2]!.length) throw new Error('trailing text after the rex pattern');
      pcreToJs(re);
    } else if (name === 'spath') {
      if (!/^(?:input=(?:"[^"]+"|[A-Za-z_][A-Za-z0-9_.{}]*))?$/.test(rest)) throw new Error(`bad spath '${rest}'`);
    } else if (name === 'iplocation') {
      if (!/^(?:prefix=[A-Za-z0-9_.]+ )?(?:allfields=true )?(?:"[^"]+"|[A-Za-z_][A-Za-z0-9_.]*)$/.test(rest)) throw new Error(`bad iplocation '${rest}'`);
    } else if (name === 'foreach') {
      // foreach <patterns> [eval …]: the template's targets may hold <<FIELD>>-style placeholders.
      const m = /^[A-Za-z0-9_.{}*@-]+(?: [A-Za-z0-9_.{}*@-]+)* \[eval (.*)\]$/.exec(rest);
      if (!m) throw new Error(`bad foreach '${rest}'`);
      for (const part of splitTop(m[1]!)) {
        const eq = /^("[^"]*"|[A-Za-z_<][A-Za-z0-9_<>]*)=/.exec(part);
        if (!eq) throw new Error(`bad foreach eval '${part}'`);
        parseWhere(part.slice(eq[0].length));
      }
    } else if (name === 'inputlookup') {
      if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(rest)) throw new Error(`bad inputlookup '${rest}'`);
    } else if (!['from', 'stats', 'rename', 'table', 'fields', 'dedup', 'sort', 'head', 'fillnull', 'bin'].includes(name)) throw new Error(`unknown command ${name}`);
    out.push(cmd);
  });
  return out;
}

/** The bracketed subsearches of a command's arguments, each parsed as its own pipeline. */
function subsearches(rest: string): Command[][] {
  const out: Command[][] = [];
  let i = 0;
  while (i < rest.length) {
    if (rest[i] === ' ') { i++; continue; }
    if (rest[i] !== '[') throw new Error(`expected [ at '${rest.slice(i)}'`);
    let depth = 0;
    let j = i;
    for (; j < rest.length; j++) {
      const c = rest[j]!;
      if (c === '"') { j = readString(rest, j)[1] - 1; continue; }
      if (c === '[') depth++;
      if (c === ']' && --depth === 0) break;
    }
    if (depth !== 0) throw new Error('unterminated subsearch');
    const body = rest.slice(i + 1, j).trim();
    out.push(parseSpl(body.startsWith('search ') ? body.slice('search '.length) : body));
    i = j + 1;
  }
  return out;
}

/** Splits at commas outside strings and parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"') { const [, j] = readString(s, i); cur += s.slice(i, j); i = j - 1; continue; }
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) { out.push(cur.trim()); cur = ''; continue; }
    cur += c;
  }
  out.push(cur.trim());
  return out;
}

function lexSearch(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"') { const [s, j] = readString(src, i); out.push({ t: 'str', v: s }); i = j; continue; }
    if (c === '[') {
      // a subsearch: balanced brackets outside strings
      let depth = 0;
      let j = i;
      for (; j < src.length; j++) {
        if (src[j] === '"') { j = readString(src, j)[1] - 1; continue; }
        if (src[j] === '[') depth++;
        if (src[j] === ']' && --depth === 0) break;
      }
      if (depth !== 0) throw new Error('unterminated subsearch');
      out.push({ t: 'sub', v: src.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    const op = /^(!=|<=|>=|=|<|>|\(|\)|,)/.exec(src.slice(i));
    if (op) { out.push({ t: 'op', v: op[0] }); i += op[0].length; continue; }
    const w = /^[^\s()=<>!,"]+/.exec(src.slice(i));
    if (!w) throw new Error(`unexpected '${c}'`);
    out.push({ t: 'word', v: w[0] });
    i += w[0].length;
  }
  return out;
}

/** Parses search terms (implicit AND binds looser than OR, as in Splunk). */
export function parseSearch(src: string): SNode {
  const toks = lexSearch(src);
  let i = 0;
  const peek = () => toks[i];
  const isW = (v: string) => peek()?.t === 'word' && peek()!.v === v;
  const isO = (v: string) => peek()?.t === 'op' && peek()!.v === v;
  const value = (): [Lit, boolean] => {
    const t = toks[i++];
    if (!t || (t.t !== 'str' && t.t !== 'word')) throw new Error('expected a value');
    if (t.t === 'str') return [t.v, true];
    return [/^-?\d+(\.\d+)?$/.test(t.v) ? Number(t.v) : t.v, false];
  };
  const primary = (): SNode => {
    if (isO('(')) { i++; const e = andE(); if (!isO(')')) throw new Error('expected )'); i++; return e; }
    const t = toks[i++];
    if (!t) throw new Error('expected a term');
    if (t.t === 'str') return { kind: 'kw', value: t.v };
    if (t.t === 'sub') return { kind: 'sub', commands: parseSpl(t.v.trim()) };
    if (t.t === 'word' && t.v === '*' && (i === toks.length || isO(')'))) return { kind: 'kw', value: '' }; // every event
    if (t.t !== 'word' || ['AND', 'OR', 'NOT', 'IN'].includes(t.v)) throw new Error(`unexpected ${t.v}`);
    if (isW('IN')) {
      i++;
      if (!isO('(')) throw new Error('expected ( after IN');
      i++;
      const values = [value()[0]];
      while (isO(',')) { i++; values.push(value()[0]); }
      if (!isO(')')) throw new Error('expected )');
      i++;
      return { kind: 'in', field: t.v, values };
    }
    const op = toks[i++];
    if (!op || op.t !== 'op' || !['=', '!=', '<', '<=', '>', '>='].includes(op.v)) throw new Error(`expected an operator after ${t.v}`);
    const [v, quoted] = value();
    return { kind: 'cmp', field: t.v, op: op.v, value: v, quoted };
  };
  const notE = (): SNode => (isW('NOT') ? (i++, { kind: 'not', arg: notE() }) : primary());
  const orE = (): SNode => {
    const args = [notE()];
    while (isW('OR')) { i++; args.push(notE()); }
    return args.length === 1 ? args[0]! : { kind: 'or', args };
  };
  const andE = (): SNode => {
    const args = [orE()];
    while (i < toks.length && !isO(')')) {
      if (isW('AND')) i++;
      args.push(orE());
    }
    return args.length === 1 ? args[0]! : { kind: 'and', args };
  };
  const e = andE();
  if (i !== toks.length) throw new Error('trailing tokens');
  return e;
}

function lexWhere(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"') { const [s, j] = readString(src, i); out.push({ t: 'str', v: s }); i = j; continue; }
    if (c === "'") { const j = src.indexOf("'", i + 1); if (j < 0) throw new Error('unterminated field'); out.push({ t: 'qfield', v: src.slice(i + 1, j) }); i = j + 1; continue; }
    const num = /^\d+(\.\d+)?/.exec(src.slice(i));
    if (num) { out.push({ t: 'num', v: num[0] }); i += num[0].length; continue; }
    const op = /^(==|!=|<=|>=|=|<|>|\(|\)|,|\+|-|\*|\/|%|\.)/.exec(src.slice(i));
    if (op) { out.push({ t: 'op', v: op[0] }); i += op[0].length; continue; }
    const w = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (!w) throw new Error(`unexpected '${c}' in where`);
    out.push({ t: 'word', v: w[0] });
    i += w[0].length;
  }
  return out;
}

/** Parses an eval/where expression. */
export function parseWhere(src: string): WNode {
  const toks = lexWhere(src);
  let i = 0;
  const isO = (v: string) => toks[i]?.t === 'op' && toks[i]!.v === v;
  const isW = (v: string) => toks[i]?.t === 'word' && toks[i]!.v === v;
  const bin = (next: () => WNode, ops: string[], words = false): WNode => {
    let l = next();
    while (toks[i] && (words ? toks[i]!.t === 'word' : toks[i]!.t === 'op') && ops.includes(toks[i]!.v)) {
      const op = toks[i++]!.v;
      l = { kind: 'bin', op, l, r: next() };
    }
    return l;
  };
  const primary = (): WNode => {
    const t = toks[i++];
    if (!t) throw new Error('expected a value');
    if (t.t === 'op' && t.v === '(') { const e = orE(); if (!isO(')')) throw new Error('expected )'); i++; return e; }
    if (t.t === 'op' && t.v === '-') return { kind: 'neg', arg: primary() };
    if (t.t === 'str') return { kind: 'lit', value: t.v };
    if (t.t === 'num') return { kind: 'lit', value: Number(t.v) };
    if (t.t === 'qfield') return { kind: 'field', name: t.v };
    if (t.t === 'word' && !['AND', 'OR', 'NOT'].includes(t.v)) {
      if (isO('(')) {
        i++;
        const args: WNode[] = [];
        if (!isO(')')) { args.push(orE()); while (isO(',')) { i++; args.push(orE()); } }
        if (!isO(')')) throw new Error('expected ) after arguments');
        i++;
        return { kind: 'call', fn: t.v, args };
      }
      return { kind: 'field', name: t.v };
    }
    throw new Error(`unexpected ${t.v}`);
  };
  const mul = () => bin(primary, ['*', '/', '%']);
  const add = () => bin(mul, ['+', '-', '.']);
  const cmp = () => bin(add, ['==', '!=', '<', '<=', '>', '>=', '=']);
  const notE = (): WNode => (isW('NOT') ? (i++, { kind: 'not', arg: notE() }) : cmp());
  const andE = () => bin(notE, ['AND'], true);
  const orE = (): WNode => bin(andE, ['OR'], true);
  const e = orE();
  if (i !== toks.length) throw new Error(`trailing tokens in where at ${toks[i]?.v}`);
  return e;
}

/** Every string literal of a search or where tree. */
export function literals(n: SNode | WNode): Lit[] {
  switch (n.kind) {
    case 'and': case 'or': return (n as { args: SNode[] }).args.flatMap(literals);
    case 'not': case 'neg': return literals((n as { arg: SNode }).arg);
    case 'cmp': return [n.value];
    case 'in': return n.values;
    case 'kw': return [n.value];
    case 'sub': return [];
    case 'bin': return [...literals(n.l), ...literals(n.r)];
    case 'lit': return [n.value];
    case 'field': return [];
    case 'call': return n.args.flatMap(literals);
  }
}

type Ev = Record<string, unknown>;

function globRe(p: string): RegExp {
  return new RegExp('^' + [...p].map((c) => (c === '*' ? '[\\s\\S]*' : c.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'))).join('') + '$', 'iu');
}

/** Evaluates search terms over an event. */
export function evalSearch(n: SNode, ev: Ev): boolean {
  switch (n.kind) {
    case 'and': return n.args.every((a) => evalSearch(a, ev));
    case 'or': return n.args.some((a) => evalSearch(a, ev));
    case 'not': return !evalSearch(n.arg, ev);
    case 'sub': throw new Error('a subsearch cannot be evaluated here');
    case 'kw': return Object.values(ev).some((v) => v !== null && v !== undefined && globRe(`*${n.value}*`).test(String(v)));
    case 'in': return n.values.some((v) => evalSearch({ kind: 'cmp', field: n.field, op: '=', value: v, quoted: true }, ev));
    case 'cmp': {
      const v = ev[n.field];
      if (v === undefined || v === null) return false;
      if (n.op === '=' || n.op === '!=') {
        const eq = typeof n.value === 'number' ? Number(v) === n.value : globRe(n.value).test(String(v));
        return n.op === '=' ? eq : !eq;
      }
      const a = Number(v);
      const b = Number(n.value);
      return { '<': a < b, '<=': a <= b, '>': a > b, '>=': a >= b }[n.op as '<']!;
    }
  }
}

/** A PCRE of the emitted subset as a JS regex. */
export function pcreToJs(p: string): RegExp {
  let flags = 'u';
  const m = /^\(\?([a-z]+)\)/.exec(p);
  if (m) { flags += m[1]; p = p.slice(m[0].length); }
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '{' || c === '}') {
      // PCRE reads a brace that does not form a quantifier literally; JS's u mode refuses it.
      const q = c === '{' ? /^\{\d+(,\d*)?\}/.exec(p.slice(i)) : null;
      if (q) { out += q[0]; i += q[0].length - 1; } else out += '\\' + c;
      continue;
    }
    if (c !== '\\') { out += c; continue; }
    const n = String.fromCodePoint(p.codePointAt(i + 1)!);
    i += n.length;
    if (n === 'A') out += '^';
    else if (n === 'z') out += '$(?![\\s\\S])';
    else if (n === 'x') { const h = /^\{([0-9a-fA-F]+)\}/.exec(p.slice(i + 1))!; out += `\\u{${h[1]}}`; i += h[0].length; }
    else if (/[A-Za-z0-9]/.test(n)) out += '\\' + n;
    else out += `\\u{${n.codePointAt(0)!.toString(16)}}`;
  }
  return new RegExp(out, flags.replace('m', 'm'));
}

type V = string | number | boolean | null;

/** Evaluates a where expression (three-valued: null is unknown). */
export function evalWhere(n: WNode, ev: Ev): V {
  switch (n.kind) {
    case 'lit': return n.value;
    case 'field': { const v = ev[n.name]; return v === undefined ? null : (v as V); }
    case 'neg': { const v = evalWhere(n.arg, ev); return v === null ? null : -Number(v); }
    case 'not': { const v = evalWhere(n.arg, ev); return v === null ? null : !v; }
    case 'bin': {
      if (n.op === 'AND' || n.op === 'OR') {
        const l = evalWhere(n.l, ev);
        const r = evalWhere(n.r, ev);
        if (n.op === 'AND') return l === false || r === false ? false : l === null || r === null ? null : true;
        return l === true || r === true ? true : l === null || r === null ? null : false;
      }
      const l = evalWhere(n.l, ev);
      const r = evalWhere(n.r, ev);
      if (l === null || r === null) return null;
      const num = typeof l === 'number' || typeof r === 'number';
      const [a, b] = num ? [Number(l), Number(r)] : [String(l), String(r)];
      switch (n.op) {
        case '==': case '=': return a === b;
        case '!=': return a !== b;
        case '<': return a < b;
        case '<=': return a <= b;
        case '>': return a > b;
        case '>=': return a >= b;
        case '.': return String(l) + String(r);
      }
      throw new Error(`operator ${n.op}`);
    }
    case 'call': {
      const a = n.args.map((x) => evalWhere(x, ev));
      switch (n.fn) {
        case 'match': return a[0] === null ? null : pcreToJs(String(a[1])).test(String(a[0]));
        case 'isnull': return a[0] === null;
        case 'isnotnull': return a[0] !== null;
        case 'lower': return a[0] === null ? null : String(a[0]).toLowerCase();
        case 'replace': return a[0] === null ? null : String(a[0]).replace(new RegExp(pcreToJs(String(a[1])).source, 'gu'), String(a[2]));
        case 'true': return true;
        case 'false': return false;
        case 'null': return null;
        case 'if': return a[0] === true ? a[1]! : a[2]!;
        case 'cidrmatch': {
          if (a[1] === null) return null;
          const [base, bits] = String(a[0]).split('/');
          const toInt = (s: string) => s.split('.').reduce((x, o) => x * 256 + Number(o), 0);
          const mask = 2 ** 32 - 2 ** (32 - Number(bits));
          return (BigInt(toInt(String(a[1]))) & BigInt(mask)) === (BigInt(toInt(base!)) & BigInt(mask));
        }
      }
      throw new Error(`function ${n.fn}`);
    }
  }
}

/** Whether an event passes the filtering commands of a pipeline (search, tstats where, where). */
export function passes(cmds: Command[], ev: Ev): boolean {
  for (const c of cmds) {
    if (c.search && !evalSearch(c.search, ev)) return false;
    if (c.where && evalWhere(c.where, ev) !== true) return false;
    if (c.name === 'stats' || c.name === 'tstats') break; // later filters see rows, not events
  }
  return true;
}
