/**
 * A strict recursive-descent parser for the EQL subset rulebridge emits (Elasticsearch "EQL
 * syntax reference"), and a small evaluator of the parsed query over one flat event, so tests
 * can check both that an output is well formed and that it means what the rule meant.
 * Anything outside the subset (single quotes, raw strings, unknown escapes, dangling
 * operators) is a parse error.
 */

export type EqlLit = string | number | boolean | null;
export type EqlNode =
  | { kind: 'and' | 'or'; args: EqlNode[] }
  | { kind: 'not'; arg: EqlNode }
  | { kind: 'bool'; value: boolean }
  | { kind: 'cmp'; field: string; optional: boolean; op: string; values: EqlLit[]; list: boolean }
  | { kind: 'call'; name: string; field: string; values: EqlLit[] };
export interface EqlQuery {
  category: string;
  where: EqlNode;
  pipes: string[];
  /** A sequence: its steps (each an event query with its own `by` keys), shared keys and maxspan. */
  steps?: (EqlQuery & { by: string[] })[];
  by?: string[];
  maxspan?: string;
}

type Tok = { t: 'str' | 'num' | 'word' | 'field' | 'op'; v: string; n?: number; s?: string };

const KEYWORDS = new Set(['and', 'or', 'not', 'where', 'true', 'false', 'null', 'in', 'like', 'regex', 'any', 'head', 'tail', 'sequence', 'by', 'with', 'maxspan', 'until']);

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"') {
      if (src.startsWith('"""', i)) throw new Error(`raw string at ${i}`);
      let s = '';
      i++;
      for (;;) {
        const d = src[i];
        if (d === undefined || d === '\n' || d === '\r') throw new Error('unterminated string');
        if (d === '"') { i++; break; }
        if (d === '\\') {
          const e = src[i + 1];
          const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"' };
          if (e !== undefined && e in simple) { s += simple[e]; i += 2; continue; }
          const m = /^u\{([0-9a-fA-F]{2,8})\}/.exec(src.slice(i + 1));
          if (!m) throw new Error(`bad escape \\${e} at ${i}`);
          s += String.fromCodePoint(parseInt(m[1]!, 16));
          i += 1 + m[0].length;
          continue;
        }
        const cp = String.fromCodePoint(src.codePointAt(i)!);
        if (cp.codePointAt(0)! < 0x20) throw new Error('control character in string');
        s += cp;
        i += cp.length;
      }
      out.push({ t: 'str', v: s, s });
      continue;
    }
    if (c === '`') {
      let s = '';
      i++;
      for (;;) {
        const d = src[i];
        if (d === undefined) throw new Error('unterminated backtick name');
        if (d === '`') {
          if (src[i + 1] === '`') { s += '`'; i += 2; continue; }
          i++;
          break;
        }
        s += d;
        i++;
      }
      out.push({ t: 'field', v: s });
      continue;
    }
    const span = /^\d+(ms|s|m|h|d)(?![A-Za-z0-9_@])/.exec(src.slice(i));
    if (span) {
      out.push({ t: 'word', v: span[0] });
      i += span[0].length;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(src.slice(i));
    if (num && !/[A-Za-z_@]/.test(src[i + num[0].length] ?? '')) {
      out.push({ t: 'num', v: num[0], n: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const w = /^[A-Za-z_@][A-Za-z0-9_@]*~?/.exec(src.slice(i));
    if (w) {
      out.push({ t: 'word', v: w[0] });
      i += w[0].length;
      continue;
    }
    const op = /^(==|!=|<=|>=|<|>|=|:|\(|\)|\[|\]|,|\.|\?|\|)/.exec(src.slice(i));
    if (!op) throw new Error(`unexpected '${c}' at ${i}`);
    out.push({ t: 'op', v: op[0] });
    i += op[0].length;
  }
  return out;
}

class Parser {
  i = 0;
  constructor(readonly toks: Tok[]) {}
  peek(o = 0): Tok | undefined { return this.toks[this.i + o]; }
  isOp(v: string): boolean { const t = this.peek(); return !!t && t.t === 'op' && t.v === v; }
  isWord(v: string): boolean { const t = this.peek(); return !!t && t.t === 'word' && t.v === v; }
  expectOp(v: string): void { if (!this.isOp(v)) throw new Error(`expected '${v}' at token ${this.i} (${this.peek()?.v})`); this.i++; }

  query(): EqlQuery {
    if (this.isWord('sequence')) return this.sequence();
    const q = this.eventQuery();
    if (this.i !== this.toks.length) throw new Error(`trailing tokens at ${this.i}: ${this.peek()?.v}`);
    return q;
  }

  /** `sequence [by f, …] [with maxspan=N<unit>] ([event query] [by f, …])+ [| head n]` */
  sequence(): EqlQuery {
    this.i++;
    const by = this.isWord('by') ? (this.i++, this.fieldList()) : [];
    let maxspan: string | undefined;
    if (this.isWord('with')) {
      this.i++;
      if (!this.isWord('maxspan')) throw new Error("expected 'maxspan'");
      this.i++;
      this.expectOp('=');
      const t = this.peek();
      if (!t || t.t !== 'word' || !/^\d+(ms|s|m|h|d)$/.test(t.v)) throw new Error('expected a time span');
      maxspan = t.v;
      this.i++;
    }
    const steps: (EqlQuery & { by: string[] })[] = [];
    while (this.isOp('[')) {
      this.i++;
      const q = this.eventQuery(false);
      this.expectOp(']');
      const stepBy = this.isWord('by') ? (this.i++, this.fieldList()) : [];
      if (stepBy.length && by.length === 0 && steps.some((x) => x.by.length !== stepBy.length)) throw new Error('steps join on different numbers of keys');
      steps.push({ ...q, by: stepBy });
    }
    if (steps.length < 2) throw new Error('a sequence needs two steps');
    const pipes = this.pipes();
    if (this.i !== this.toks.length) throw new Error(`trailing tokens at ${this.i}: ${this.peek()?.v}`);
    return { category: 'sequence', where: { kind: 'bool', value: true } as EqlNode, pipes, steps, by, ...(maxspan ? { maxspan } : {}) };
  }

  fieldList(): string[] {
    const out = [this.field().name];
    while (this.isOp(',')) { this.i++; out.push(this.field().name); }
    return out;
  }

  pipes(): string[] {
    const pipes: string[] = [];
    while (this.isOp('|')) {
      this.i++;
      const name = this.peek();
      const n = this.peek(1);
      if (!name || name.t !== 'word' || !['head', 'tail'].includes(name.v) || !n || n.t !== 'num') throw new Error('bad pipe');
      pipes.push(`${name.v} ${n.v}`);
      this.i += 2;
    }
    return pipes;
  }

  eventQuery(withPipes = true): EqlQuery {
    const head = this.peek();
    if (!head || !(head.t === 'word' || head.t === 'str')) throw new Error('expected an event category');
    this.i++;
    if (!this.isWord('where')) throw new Error("expected 'where'");
    this.i++;
    const where = this.or();
    const pipes = withPipes ? this.pipes() : [];
    return { category: head.v, where, pipes };
  }
  or(): EqlNode {
    const args = [this.and()];
    while (this.isWord('or')) { this.i++; args.push(this.and()); }
    return args.length === 1 ? args[0]! : { kind: 'or', args };
  }
  and(): EqlNode {
    const args = [this.not()];
    while (this.isWord('and')) { this.i++; args.push(this.not()); }
    return args.length === 1 ? args[0]! : { kind: 'and', args };
  }
  not(): EqlNode {
    if (this.isWord('not')) { this.i++; return { kind: 'not', arg: this.not() }; }
    return this.atom();
  }
  atom(): EqlNode {
    if (this.isOp('(')) { this.i++; const e = this.or(); this.expectOp(')'); return e; }
    if (this.isWord('true') || this.isWord('false')) { const v = this.peek()!.v === 'true'; this.i++; return { kind: 'bool', value: v }; }
    const t = this.peek();
    if (t?.t === 'word' && t.v === 'cidrMatch' && this.peek(1)?.v === '(') {
      this.i += 2;
      const field = this.field();
      const values: EqlLit[] = [];
      while (this.isOp(',')) { this.i++; values.push(this.lit()); }
      this.expectOp(')');
      if (!values.length) throw new Error('cidrMatch without networks');
      return { kind: 'call', name: 'cidrMatch', field: field.name, values };
    }
    const f = this.field();
    const op = this.peek();
    if (!op) throw new Error('expected an operator');
    if (op.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(op.v)) {
      this.i++;
      return { kind: 'cmp', field: f.name, optional: f.optional, op: op.v, values: [this.lit()], list: false };
    }
    if ((op.t === 'op' && op.v === ':') || (op.t === 'word' && ['like', 'like~', 'regex', 'regex~'].includes(op.v))) {
      this.i++;
      if (this.isOp('(')) return { kind: 'cmp', field: f.name, optional: f.optional, op: op.v, values: this.list(), list: true };
      return { kind: 'cmp', field: f.name, optional: f.optional, op: op.v, values: [this.lit()], list: false };
    }
    let neg = false;
    if (op.t === 'word' && op.v === 'not') { neg = true; this.i++; }
    const inOp = this.peek();
    if (inOp?.t === 'word' && (inOp.v === 'in' || inOp.v === 'in~')) {
      this.i++;
      const node: EqlNode = { kind: 'cmp', field: f.name, optional: f.optional, op: inOp.v, values: this.list(), list: true };
      return neg ? { kind: 'not', arg: node } : node;
    }
    throw new Error(`unexpected operator '${op.v}'`);
  }
  list(): EqlLit[] {
    this.expectOp('(');
    const vs = [this.lit()];
    while (this.isOp(',')) { this.i++; vs.push(this.lit()); }
    this.expectOp(')');
    return vs;
  }
  lit(): EqlLit {
    const t = this.peek();
    if (!t) throw new Error('expected a literal');
    this.i++;
    if (t.t === 'str') return t.s!;
    if (t.t === 'num') return t.n!;
    if (t.t === 'word' && t.v === 'true') return true;
    if (t.t === 'word' && t.v === 'false') return false;
    if (t.t === 'word' && t.v === 'null') return null;
    throw new Error(`expected a literal, got ${t.v}`);
  }
  field(): { name: string; optional: boolean } {
    let optional = false;
    if (this.isOp('?')) { optional = true; this.i++; }
    const segs = [this.seg()];
    while (this.isOp('.')) { this.i++; segs.push(this.seg()); }
    return { name: segs.join('.'), optional };
  }
  seg(): string {
    const t = this.peek();
    if (!t || !(t.t === 'field' || (t.t === 'word' && !KEYWORDS.has(t.v) && !t.v.endsWith('~')))) throw new Error(`expected a field name, got ${t?.v}`);
    this.i++;
    return t.v;
  }
}

/** Parses an EQL query of the emitted subset; throws on anything malformed. */
export function parseEql(src: string): EqlQuery {
  return new Parser(lex(src)).query();
}

/** All literal values of a parsed condition, in order. */
export function eqlLiterals(n: EqlNode): EqlLit[] {
  switch (n.kind) {
    case 'and': case 'or': return n.args.flatMap(eqlLiterals);
    case 'not': return eqlLiterals(n.arg);
    case 'bool': return [];
    default: return n.values;
  }
}

/** An EQL wildcard pattern (`*`, `?`; no escapes) as an anchored JS regex. */
function wildcardRe(p: string, ci: boolean): RegExp {
  const src = [...p].map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'))).join('');
  return new RegExp(`^(?:${src})$`, ci ? 'iu' : 'u');
}

/** A Lucene regex of the emitted subset as an anchored JS regex. */
export function luceneToJs(p: string, ci: boolean): RegExp {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      const n = String.fromCodePoint(p.codePointAt(i + 1)!);
      if (/[A-Za-z0-9]/.test(n)) throw new Error(`Lucene escape of an alphanumeric: \\${n}`);
      out += '\\u{' + n.codePointAt(0)!.toString(16) + '}';
      i += n.length;
    } else if (c === '.') out += '[\\s\\S]';
    else if ('#@&~<>"'.includes(c)) throw new Error(`unescaped Lucene operator ${c}`);
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '\f') out += '\\f';
    else if (c === '\v') out += '\\v';
    else if (c === '/') out += '\\/';
    else out += c;
  }
  return new RegExp(`^(?:${out})$`, ci ? 'iu' : 'u');
}

/** Evaluates a parsed condition over a flat event (missing field = null), EQL semantics. */
export function evalEql(n: EqlNode, ev: Record<string, unknown>): boolean {
  switch (n.kind) {
    case 'and': return n.args.every((a) => evalEql(a, ev));
    case 'or': return n.args.some((a) => evalEql(a, ev));
    case 'not': return !evalEql(n.arg, ev);
    case 'bool': return n.value;
    case 'call': {
      const v = ev[n.field];
      return typeof v === 'string' && n.values.some((net) => typeof net === 'string' && cidrV4(v, net));
    }
    case 'cmp': {
      const v = ev[n.field] ?? null;
      const vs = n.values;
      switch (n.op) {
        case '==': return vs[0] === null ? v === null : v === vs[0];
        case '!=': return vs[0] === null ? v !== null : v !== null && v !== vs[0];
        case '<': return typeof v === 'number' && v < (vs[0] as number);
        case '<=': return typeof v === 'number' && v <= (vs[0] as number);
        case '>': return typeof v === 'number' && v > (vs[0] as number);
        case '>=': return typeof v === 'number' && v >= (vs[0] as number);
        case 'in': return vs.includes(v as EqlLit);
        case 'in~': return typeof v === 'string' && vs.some((x) => typeof x === 'string' && x.toLowerCase() === v.toLowerCase());
        case ':': case 'like~': return typeof v === 'string' && vs.some((x) => wildcardRe(String(x), true).test(v));
        case 'like': return typeof v === 'string' && vs.some((x) => wildcardRe(String(x), false).test(v));
        case 'regex': return typeof v === 'string' && vs.some((x) => luceneToJs(String(x), false).test(v));
        case 'regex~': return typeof v === 'string' && vs.some((x) => luceneToJs(String(x), true).test(v));
      }
      throw new Error(`unknown operator ${n.op}`);
    }
  }
}

function cidrV4(ip: string, net: string): boolean {
  const [base, bits] = net.split('/');
  const toInt = (s: string) => s.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip) || !base || !/^\d+\.\d+\.\d+\.\d+$/.test(base)) return false;
  const mask = Number(bits) === 0 ? 0 : 2 ** 32 - 2 ** (32 - Number(bits));
  const and = (x: number) => Number((BigInt(x) & BigInt(mask)).toString());
  return and(toInt(ip)) === and(toInt(base));
}
