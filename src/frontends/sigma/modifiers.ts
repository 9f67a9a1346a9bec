/**
 * Sigma value modifiers (sigma-appendix-modifiers.md v2.1.0) lowered to IR predicates. Each
 * modifier is either lowered exactly or reported (RB303 unknown/unsupported, RB304 bad
 * combination, RB305 wrong value type) at the column of the modifier inside the field key.
 *
 * String values are Sigma globs, which the IR glob syntax copies exactly ("String Wildcard",
 * "Escape Character"); a value is parsed into glob tokens first and modifiers then add
 * wildcards, encode or expand, so `C:\Windows\` with `|startswith` keeps its trailing
 * backslash literal (as pySigma does).
 */
import { diag, type Diagnostic, type Origin } from '../../diagnostics/index.js';
import { formatGlob, parseGlob, type GlobToken } from '../../ir/glob.js';
import { and, not, pred } from '../../ir/build.js';
import type { Expr, Pred, Scalar, TimePart } from '../../ir/nodes.js';
import { windash } from '../../ir/windash.js';
import { lowerExpand, type PlaceholderTable } from './placeholders.js';

export { windash, WINDASH_CHARS } from '../../ir/windash.js';

/** One `field|mod|mod: values` entry of a search identifier (field '' = keyword search). */
export interface DetectionItem {
  field: string;
  /** Modifiers with their offset in the key text. */
  mods: { name: string; at: number }[];
  values: unknown[];
  /** Position of the key, moved to an offset inside it. */
  keyAt: (offset?: number) => Origin;
  /** Position of the i-th value. */
  valueAt: (i: number) => Origin;
}

const POSITIONAL = new Set(['contains', 'startswith', 'endswith']);
const ENCODINGS = new Set(['base64', 'base64offset', 'utf16le', 'utf16be', 'utf16', 'wide']);
const COMPARE: Record<string, Pred['op']> = { lt: 'lt', lte: 'le', gt: 'gt', gte: 'ge' };
const PARTS = new Set<TimePart>(['minute', 'hour', 'day', 'week', 'month', 'year']);
const REGEX_FLAGS: Record<string, 'i' | 'm' | 's'> = { i: 'i', ignorecase: 'i', m: 'm', multiline: 'm', s: 's', dotall: 's' };
const KNOWN = new Set([...POSITIONAL, ...ENCODINGS, ...Object.keys(COMPARE), ...PARTS, ...Object.keys(REGEX_FLAGS),
  'all', 'cased', 'windash', 're', 'cidr', 'exists', 'fieldref', 'neq', 'expand']);

/** At most this many values may come out of one value's windash expansion. */
const MAX_EXPANSION = 625;

/** A value while string modifiers run: glob tokens, or bytes after utf16 encoding. */
type Work = { k: 'glob'; toks: GlobToken[] } | { k: 'bytes'; buf: Buffer };

/**
 * Lowers one detection item. `mapField` turns a Sigma field name into the canonical name.
 * Returns the expression, or undefined with diagnostics when the item cannot be lowered.
 */
export function lowerItem(item: DetectionItem, mapField: (name: string) => string, placeholders?: PlaceholderTable): { expr?: Expr; diagnostics: Diagnostic[] } {
  const ds: Diagnostic[] = [];
  const names = item.mods.map((m) => m.name);
  const has = (n: string) => names.includes(n);
  const at = (n: string) => item.keyAt(item.mods.find((m) => m.name === n)?.at ?? 0);
  for (const m of item.mods) {
    if (!KNOWN.has(m.name)) ds.push(diag('RB303', `unknown value modifier '${m.name}'`, item.keyAt(m.at), [`known: ${[...KNOWN].sort().join(', ')}`]));
  }
  if (ds.length) return { diagnostics: ds };
  if (has('expand')) return lowerExpand(item, mapField, lowerItem, MAX_EXPANSION, placeholders);
  const keyword = item.field === '';
  const field = keyword ? '' : mapField(item.field);
  const quantifier = has('all') ? 'all' : 'any';
  const caseSensitive = has('cased');
  const conflict = (a: string, b: string) => ds.push(diag('RB304', `modifiers '${a}' and '${b}' cannot be combined`, at(b)));
  const typeMods = ['re', 'cidr', 'exists', 'fieldref', ...Object.keys(COMPARE), ...PARTS].filter(has);
  // Only a time part may combine with a comparison (`|hour|gte: 22`).
  const partWithCompare = typeMods.length === 2 && typeMods.some((n) => PARTS.has(n as TimePart)) && typeMods.some((n) => COMPARE[n]);
  if (typeMods.length > 1 && !partWithCompare) conflict(typeMods[0]!, typeMods[1]!);
  const stringMods = names.filter((n) => POSITIONAL.has(n) || ENCODINGS.has(n) || n === 'windash');
  const typeMod = typeMods[0];
  if (typeMod && typeMod !== 'fieldref' && stringMods.length) conflict(typeMod, stringMods[0]!);
  if (typeMod === 'fieldref' && stringMods.some((n) => !POSITIONAL.has(n))) conflict('fieldref', stringMods.find((n) => !POSITIONAL.has(n))!);
  if (names.filter((n) => POSITIONAL.has(n)).length > 1) conflict(names.find((n) => POSITIONAL.has(n))!, names.filter((n) => POSITIONAL.has(n))[1]!);
  const flagMods = names.filter((n) => REGEX_FLAGS[n]);
  if (flagMods.length && typeMod !== 're') ds.push(diag('RB304', `regex flag modifier '${flagMods[0]}' needs '|re'`, at(flagMods[0]!)));
  if (keyword && typeMod) ds.push(diag('RB304', `'|${typeMod}' needs a field; a keyword search has none`, at(typeMod)));
  if (has('neq') && (typeMod === 'exists' || typeMod === 're' || typeMod === 'cidr')) conflict(typeMod, 'neq');
  if (item.values.length === 0) ds.push(diag('RB305', 'a detection item needs at least one value', item.keyAt()));
  if (ds.length) return { diagnostics: ds };

  const typeErr = (i: number, want: string) => ds.push(diag('RB305', `value ${JSON.stringify(item.values[i])} must be ${want}`, item.valueAt(i)));
  const base = (op: Pred['op'], values: Scalar[], extra: Partial<Pred> = {}): Pred =>
    pred(field, op, values, { caseSensitive, quantifier, origin: item.keyAt(), ...extra });
  let out: Expr | undefined;

  if (typeMod === 'exists') {
    if (item.values.length !== 1 || typeof item.values[0] !== 'boolean') typeErr(0, 'a single boolean (`true` or `false`)');
    else out = base('exists', [item.values[0]], { caseSensitive: false, quantifier: 'any' });
  } else if (typeMod === 're') {
    item.values.forEach((v, i) => typeof v !== 'string' && typeErr(i, 'a string (a regular expression)'));
    const flags = [...new Set(flagMods.map((n) => REGEX_FLAGS[n]!))];
    // Sigma regexes are case-sensitive unless `|i` (modifiers appendix, "Regular Expression").
    const extra: Partial<Pred> = { caseSensitive: !flags.includes('i') };
    const ms = flags.filter((f) => f !== 'i').sort().join('');
    if (ms) extra.flags = ms;
    out = base('regex', item.values as string[], extra);
  } else if (typeMod === 'cidr') {
    item.values.forEach((v, i) => (typeof v !== 'string' || !/^[0-9a-fA-F:.]+\/\d{1,3}$/.test(v)) && typeErr(i, 'a CIDR network (e.g. 10.0.0.0/8)'));
    out = base('cidr', item.values as string[], { caseSensitive: false });
  } else if (typeMod === 'fieldref') {
    item.values.forEach((v, i) => typeof v !== 'string' && typeErr(i, 'a field name'));
    const pos = names.find((n) => POSITIONAL.has(n)) as Pred['refOp'] | undefined;
    out = base('fieldref', (item.values as string[]).map((v) => mapField(v)), pos ? { refOp: pos } : {});
  } else if (typeMod && (COMPARE[typeMod] || PARTS.has(typeMod as TimePart))) {
    const cmp = names.find((n) => COMPARE[n]);
    const part = names.find((n) => PARTS.has(n as TimePart)) as TimePart | undefined;
    const nums = item.values.map((v, i) => {
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : NaN;
      if (Number.isNaN(n)) typeErr(i, 'a number');
      return n;
    });
    out = base(cmp ? COMPARE[cmp]! : 'eq', nums, { caseSensitive: false, ...(part ? { part } : {}) });
  } else {
    out = lowerStrings(item, field, keyword, names, quantifier, caseSensitive, ds);
  }
  if (ds.length || !out) return { diagnostics: ds };
  // `neq`: "the field is different from the specified values" (modifiers appendix), i.e. none of them.
  if (has('neq')) out = not(out, item.keyAt(item.mods.find((m) => m.name === 'neq')!.at));
  return { expr: out, diagnostics: ds };
}

/** Plain values and the string modifiers (positional, encodings, windash), in modifier order. */
function lowerStrings(item: DetectionItem, field: string, keyword: boolean, names: string[], quantifier: 'any' | 'all', caseSensitive: boolean, ds: Diagnostic[]): Expr | undefined {
  const stringMods = names.filter((n) => POSITIONAL.has(n) || ENCODINGS.has(n) || n === 'windash');
  const origin = item.keyAt();
  const groups: Scalar[][] = [];
  let globOp = false;
  item.values.forEach((v, i) => {
    if (v === null || typeof v === 'boolean' || (typeof v === 'number' && !stringMods.length && !keyword)) {
      if (stringMods.length || keyword) {
        ds.push(diag('RB305', `value ${JSON.stringify(v)} cannot take string modifiers or be a keyword`, item.valueAt(i)));
        return;
      }
      groups.push([v as Scalar]);
      return;
    }
    if (typeof v !== 'string' && typeof v !== 'number') {
      ds.push(diag('RB305', `value ${JSON.stringify(v)} must be a string, number, boolean or null`, item.valueAt(i)));
      return;
    }
    let works: Work[] = [{ k: 'glob', toks: typeof v === 'number' ? [{ t: 'lit', v: String(v) }] : parseGlob(v) }];
    for (const m of stringMods) {
      const next: Work[] = [];
      for (const w of works) {
        const r = applyStringMod(m, w);
        if (typeof r === 'string') {
          ds.push(diag('RB304', `'|${m}' on ${JSON.stringify(v)}: ${r}`, item.keyAt(item.mods.find((x) => x.name === m)!.at)));
          return;
        }
        next.push(...r);
      }
      if (next.length > MAX_EXPANSION) {
        ds.push(diag('RB350', `'|${m}' expands ${JSON.stringify(v)} into more than ${MAX_EXPANSION} values`, item.valueAt(i)));
        return;
      }
      works = next;
    }
    const vals: string[] = [];
    for (const w of works) {
      if (w.k === 'bytes') {
        ds.push(diag('RB304', `a UTF-16 value must then be base64-encoded ('|base64' or '|base64offset')`, item.keyAt(item.mods.find((x) => ENCODINGS.has(x.name))!.at)));
        return;
      }
      // Keywords are searched in the full log message (sigma-rules-specification.md, "Lists",
      // "Keywords search"): anywhere in any field, so the glob is unanchored.
      vals.push(formatGlob(keyword ? wrapAny(w.toks, true, true) : w.toks));
    }
    globOp = true;
    groups.push([...new Set(vals)]);
  });
  if (ds.length) return undefined;
  const op: Pred['op'] = keyword ? 'keyword' : globOp ? 'wildcard' : 'eq';
  const mk = (values: Scalar[], q: 'any' | 'all'): Pred =>
    // Plain scalars (numbers, booleans, null) compare with eq; strings are globs.
    pred(field, typeof values[0] === 'string' ? op : 'eq', values, { caseSensitive, quantifier: q, origin });
  const split = (values: Scalar[], q: 'any' | 'all'): Expr => {
    const strings = values.filter((x) => typeof x === 'string');
    const others = values.filter((x) => typeof x !== 'string');
    if (!strings.length || !others.length) return mk(values, q);
    const parts = [mk(strings, q), mk(others, q)];
    return q === 'all' ? and(parts, origin) : { kind: 'or', args: parts, origin };
  };
  if (quantifier === 'any') return split(groups.flat(), 'any');
  // `|all`: every value must match; a value that expanded (windash, base64offset) matches through any of its forms.
  if (groups.every((g) => g.length === 1)) return split(groups.flat(), 'all');
  return and(groups.map((g) => split(g, 'any')), origin);
}

/** One string modifier on one working value; a string result is an error message. */
function applyStringMod(m: string, w: Work): Work[] | string {
  if (POSITIONAL.has(m)) {
    if (w.k !== 'glob') return 'apply it before the encoding modifiers';
    return [{ k: 'glob', toks: wrapAny(w.toks, m !== 'startswith', m !== 'endswith') }];
  }
  if (m === 'windash') {
    if (w.k !== 'glob') return 'apply it before the encoding modifiers';
    return windash(w.toks).map((toks) => ({ k: 'glob' as const, toks }));
  }
  const bytes = w.k === 'bytes' ? w.buf : literalOf(w.toks);
  if (bytes === undefined) return 'a value with wildcards cannot be encoded';
  const text = typeof bytes === 'string' ? bytes : undefined;
  const lit = (s: string): Work => ({ k: 'glob', toks: [{ t: 'lit', v: s }] });
  switch (m) {
    case 'wide':
    case 'utf16le':
      return text === undefined ? 'the value is already encoded' : [{ k: 'bytes', buf: Buffer.from(text, 'utf16le') }];
    case 'utf16be':
      return text === undefined ? 'the value is already encoded' : [{ k: 'bytes', buf: Buffer.from(text, 'utf16le').swap16() }];
    case 'utf16':
      return text === undefined ? 'the value is already encoded' : [{ k: 'bytes', buf: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) }];
    case 'base64':
      return [lit(toBuf(bytes).toString('base64'))];
    case 'base64offset':
      return base64offset(toBuf(bytes)).map(lit);
  }
  return `unknown modifier '${m}'`;
}

/** Adds a `*` before and/or after a glob (never two in a row). */
function wrapAny(toks: GlobToken[], before: boolean, after: boolean): GlobToken[] {
  const out = [...toks];
  if (before && out[0]?.t !== 'any') out.unshift({ t: 'any' });
  if (after && out[out.length - 1]?.t !== 'any') out.push({ t: 'any' });
  return out;
}

function toBuf(b: string | Buffer): Buffer {
  return typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
}

function literalOf(toks: GlobToken[]): string | undefined {
  if (toks.some((t) => t.t !== 'lit')) return undefined;
  return toks.map((t) => (t as { v: string }).v).join('');
}

/**
 * The three base64 forms of a value that may sit at any byte offset inside encoded data,
 * without the characters that depend on the neighbouring bytes (pySigma's base64offset).
 */
export function base64offset(buf: Buffer): string[] {
  const starts = [0, 2, 3];
  const ends = [0, -3, -2];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const enc = Buffer.concat([Buffer.alloc(i, 0x20), buf]).toString('base64');
    const end = ends[(buf.length + i) % 3]!;
    out.push(enc.slice(starts[i]!, end === 0 ? undefined : end));
  }
  return out;
}
