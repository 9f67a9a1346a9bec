/**
 * The differential oracle of the regex rewrite: what the original regex predicate means (Sigma
 * `|re` semantics: unanchored search, case-sensitive unless told, `m`/`s` flags), what the
 * rewritten IR means in the evaluator, and what the rendered EQL means in the test EQL
 * evaluator; plus strings worth trying on a pattern.
 */
import fc from 'fast-check';
import { RE2JS } from 're2js';
import type { Expr, Pred } from '../../src/ir/index.js';
import { scanItems, splitAlternatives } from '../../src/ir/passes/regex-scan.js';
import { compileExpr } from '../../src/evaluator/compile-expr.js';
import { Row } from '../../src/evaluator/row.js';
import { render } from '../../src/backends/index.js';
import { evalEql, parseEql } from '../helpers/eql-parse.js';

/**
 * The original predicate's verdict on one string. A pattern with a lookaround runs on the JS
 * engine (RE2 has none; no `u` flag, so strings are kept to the BMP and ASCII case); any other
 * runs on RE2, which reads inline flags such as `(?i)` as Sigma's PCRE does.
 */
export function reference(p: Pred): (s: string) => boolean {
  const ci = !p.caseSensitive || (p.flags ?? '').includes('i');
  const tests = p.values.map((v) => {
    const src = String(v);
    if (/\(\?<?[=!]/.test(src)) {
      const re = new RegExp(src, (ci ? 'i' : '') + (p.flags ?? '').replace(/[^ms]/g, ''));
      return (s: string) => re.test(s);
    }
    let f = ci ? RE2JS.CASE_INSENSITIVE : 0;
    if (p.flags?.includes('m')) f |= RE2JS.MULTILINE;
    if (p.flags?.includes('s')) f |= RE2JS.DOTALL;
    const re = RE2JS.compile(src, f);
    return (s: string) => re.test(s);
  });
  return (s) => (p.quantifier === 'all' ? tests.every((t) => t(s)) : tests.some((t) => t(s)));
}

/** The evaluator's verdict of an expression over an event holding `field: s`. */
export function evaluated(e: Expr, field: string): (s: string) => boolean {
  const diags: unknown[] = [];
  const t = compileExpr(e, diags as never);
  if (diags.length) throw new Error(`evaluator refused ${JSON.stringify(e)}: ${JSON.stringify(diags)}`);
  return (s) => t(new Row({ [field]: s }));
}

/**
 * The EQL rendering of an expression (an `any where` query), parsed by the test grammar, and its
 * verdict over an event holding `field: s`; throws when the rendering fails or does not parse.
 */
export function viaEql(e: Expr, field: string): { query: string; test: (s: string) => boolean } {
  const out = render({ format: 'sigma', file: 'rules/t.yml', meta: { id: 'x', title: 't', references: [], tags: [], falsepositives: [] }, query: { source: {}, filter: e, stages: [] } }, 'eql');
  if (!out.ok) throw new Error(`eql refused: ${out.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  const q = parseEql(out.query!);
  return { query: out.query!, test: (s) => evalEql(q.where, { [field]: s }) };
}

/** The literal runs of a pattern in order (escapes resolved, metacharacters as separators). */
function runs(pattern: string): string[] {
  return pattern
    .replace(/^\(\?[a-zA-Z-]*\)/, '')
    .split(/[()[\]|*+?^$]|\{\d*,?\d*\}|\\[dswDSWbB]/)
    .map((r) => r.replace(/\\(.)/g, '$1').replace(/^\?[:!=<]*/, ''))
    .filter((r) => r !== '');
}

/** Single characters worth mixing in: the pattern's own, blanks, digits, a few letters. */
function chars(pattern: string): string[] {
  return [...new Set([...runs(pattern).join(''), ' ', '\t', '\n', '1', '4', 'x', 'Z', 'é', 'É', '-'])];
}

const flip = (s: string, c: string) => (c === 'upper' ? s.toUpperCase() : c === 'lower' ? s.toLowerCase() : s);

const CANDIDATES = ['a', 'Z', 'x', '0', '7', '_', ' ', '\t', '-', '.', '/', '\\', '"', "'", '`', '@', '{', '}', '$', ':', '&', 'é'];

/** A string the pattern probably matches, choices drawn from `next` (lookarounds ignored). */
function sample(pattern: string, next: () => number): string {
  const alts = splitAlternatives(pattern.replace(/^\(\?[a-zA-Z-]*\)/, ''));
  if (!alts) return '';
  const items = scanItems(alts[next() % alts.length]!) ?? [];
  let out = '';
  for (const it of items) {
    const q = /^(?:([*+?])|\{(\d+)(?:(,)(\d*))?\})/.exec(it.quant);
    const min = !q ? 1 : q[1] === '+' ? 1 : q[1] ? 0 : Number(q[2]);
    const max = !q ? 1 : q[1] === '?' ? 1 : q[1] ? min + 3 : q[3] === undefined ? min : q[4] ? Number(q[4]) : min + 3;
    const n = min + (next() % (Math.min(max, min + 3) - min + 1));
    const atom = it.text.slice(0, it.text.length - it.quant.length);
    for (let k = 0; k < n; k++) {
      if (it.kind === 'group') out += sample(it.body!, next);
      else if (it.kind === 'char' && atom.length === 1 && atom !== '.') out += atom;
      else if (it.kind === 'char') {
        const re = new RegExp(`^${atom}$`);
        const fits = CANDIDATES.filter((c) => re.test(c));
        out += fits.length ? fits[next() % fits.length] : '';
      }
    }
  }
  return out;
}

/**
 * Strings worth trying on a pattern: samples of it with a few random edits (matches and near
 * misses), its literal runs in order with a few characters between them, or runs and characters
 * in any order; parts have their case flipped at random.
 */
export function stringsFor(pattern: string): fc.Arbitrary<string> {
  const rs = runs(pattern);
  const ch = fc.constantFrom(...chars(pattern));
  const cased = fc.constantFrom('keep', 'keep', 'upper', 'lower');
  const ordered = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.array(ch, { maxLength: 2 }), cased), { minLength: rs.length, maxLength: rs.length })
    .map((parts) => parts.map(([keep, fill, c], i) => fill.join('') + (keep < 8 ? flip(rs[i]!, c) : '')).join(''));
  const piece = fc.tuple(fc.oneof(fc.constantFrom(...(rs.length ? rs : ['x'])), ch), cased).map(([f, c]) => flip(f, c));
  const shuffled = fc.array(piece, { maxLength: 10 }).map((ps) => ps.join(''));
  const edit = fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'upper', 'lower'), ch);
  const sampled = fc.tuple(fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 40 }), fc.array(edit, { maxLength: 2 }), ch).map(([choices, edits, pad]) => {
    let i = 0;
    let s = pad + sample(pattern, () => choices[i++ % choices.length]!);
    for (const [at, op, c] of edits) {
      const k = s.length ? at % s.length : 0;
      s = op === 'insert' ? s.slice(0, k) + c + s.slice(k) : op === 'delete' ? s.slice(0, k) + s.slice(k + 1) : s.slice(0, k) + flip(s.slice(k, k + 1), op) + s.slice(k + 1);
    }
    return s;
  });
  return fc.oneof(sampled, ordered, shuffled);
}
