/**
 * The Sigma condition language (sigma-rules-specification.md, "Condition"): `and`, `or`,
 * `not`, parentheses, `1 of <pattern>`, `all of <pattern>`, `1 of them`, `all of them`.
 * Precedence, least to most binding: or, and, not, `x of`, parentheses. Keywords are matched
 * case-insensitively, as pySigma does. The deprecated aggregation (`| count() …`) is rejected.
 */

/** A parsed condition; `at` is the offset of the node's first token in the condition string. */
export type CondNode =
  | { k: 'id'; name: string; at: number }
  | { k: 'and' | 'or'; args: CondNode[]; at: number }
  | { k: 'not'; arg: CondNode; at: number }
  | { k: 'of'; quant: 'one' | 'all'; pattern: string; at: number };

/** A parse error: what went wrong, where, and whether it is an unsupported (not invalid) construct. */
export interface CondError {
  message: string;
  at: number;
  unsupported?: boolean;
}

interface Tok {
  t: '(' | ')' | 'word' | 'pipe' | 'end';
  v: string;
  at: number;
}

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(' || c === ')') { out.push({ t: c, v: c, at: i }); i++; continue; }
    if (c === '|') { out.push({ t: 'pipe', v: c, at: i }); i++; continue; }
    let j = i;
    while (j < s.length && !/[\s()|]/.test(s[j]!)) j++;
    out.push({ t: 'word', v: s.slice(i, j), at: i });
    i = j;
  }
  out.push({ t: 'end', v: '', at: s.length });
  return out;
}

const IDENT = /^[A-Za-z0-9_.\-*]+$/;
const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them']);

/** Parses a condition string into a tree, or returns the first error. */
export function parseCondition(text: string): { node: CondNode } | { error: CondError } {
  const toks = tokenize(text);
  let p = 0;
  const peek = () => toks[p]!;
  const isWord = (w: string) => peek().t === 'word' && peek().v.toLowerCase() === w;
  const fail = (message: string, at: number, unsupported = false): never => {
    throw { message, at, unsupported } satisfies CondError;
  };
  const unexpected = (what: string): never => {
    const t = peek();
    if (t.t === 'pipe') fail('aggregation expressions after `|` (deprecated Sigma 1.0 syntax) are not supported; use a correlation rule', t.at, true);
    return fail(t.t === 'end' ? `expected ${what} but the condition ends` : `expected ${what} but found '${t.v}'`, t.at);
  };

  const parseOr = (): CondNode => {
    const first = parseAnd();
    const args = [first];
    while (isWord('or')) { p++; args.push(parseAnd()); }
    return args.length === 1 ? first : { k: 'or', args, at: first.at };
  };
  const parseAnd = (): CondNode => {
    const first = parseNot();
    const args = [first];
    while (isWord('and')) { p++; args.push(parseNot()); }
    return args.length === 1 ? first : { k: 'and', args, at: first.at };
  };
  const parseNot = (): CondNode => {
    if (isWord('not')) {
      const at = peek().at;
      p++;
      return { k: 'not', arg: parseNot(), at };
    }
    return parsePrimary();
  };
  const parsePrimary = (): CondNode => {
    const t = peek();
    if (t.t === '(') {
      p++;
      const inner = parseOr();
      if (peek().t !== ')') unexpected("')'");
      p++;
      return inner;
    }
    if (t.t !== 'word') return unexpected('a search identifier, `not`, `1 of`, `all of` or `(`');
    const low = t.v.toLowerCase();
    const next = toks[p + 1]!;
    if ((low === '1' || low === 'any' || low === 'all') && next.t === 'word' && next.v.toLowerCase() === 'of') {
      p += 2;
      const target = peek();
      if (target.t !== 'word' || !IDENT.test(target.v) || (KEYWORDS.has(target.v.toLowerCase()) && target.v.toLowerCase() !== 'them')) {
        return unexpected('`them` or a search identifier pattern after `of`');
      }
      p++;
      const pattern = target.v.toLowerCase() === 'them' ? 'them' : target.v;
      return { k: 'of', quant: low === 'all' ? 'all' : 'one', pattern, at: t.at };
    }
    if (/^\d+$/.test(low) && next.t === 'word' && next.v.toLowerCase() === 'of') {
      fail(`'${t.v} of' is not Sigma: only '1 of' and 'all of' exist`, t.at);
    }
    if (KEYWORDS.has(low)) return unexpected('a search identifier');
    if (!IDENT.test(t.v)) fail(`'${t.v}' is not a search identifier`, t.at);
    if (t.v.includes('*')) fail(`a pattern ('${t.v}') needs '1 of' or 'all of' before it`, t.at);
    p++;
    return { k: 'id', name: t.v, at: t.at };
  };

  try {
    if (peek().t === 'end') fail('the condition is empty', 0);
    const node = parseOr();
    if (peek().t !== 'end') unexpected('`and`, `or` or the end of the condition');
    return { node };
  } catch (e) {
    if (e && typeof e === 'object' && 'message' in e && 'at' in e && !(e instanceof Error)) return { error: e as CondError };
    throw e;
  }
}

/** Turns an `x of` pattern into a test on identifier names (`*` = any run of characters). */
export function patternMatcher(pattern: string): (name: string) => boolean {
  if (pattern === 'them') return (name) => !name.startsWith('_');
  const re = new RegExp('^' + pattern.split('*').map((s) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')).join('.*') + '$');
  return (name) => re.test(name);
}
