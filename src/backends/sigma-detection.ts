/**
 * IR filter → Sigma `detection`: named search identifiers and a condition over them.
 * Predicates on distinct keys that are ANDed share one map; an OR of such maps becomes one
 * list of maps; everything else is combined in the condition (or < and < not, as the Sigma
 * specification's "Condition" section orders them). Values are Sigma globs written with the
 * fewest escapes that read back the same ("Escape Character": a `\` is doubled only where a
 * wildcard or another `\` follows it).
 */
import { diag, type Diagnostic, type Origin } from '../diagnostics/index.js';
import { windash, WINDASH_CHARS } from '../ir/windash.js';
import { canonicalToWindows, derivedField, formatGlob, parseGlob, type Expr, type GlobToken, type LogSource, type Pred, type Scalar } from '../ir/index.js';

/** One `key: value` of a map; the value is a scalar or a list. */
export interface SigmaItem { key: string; value: Scalar | Scalar[] }
/** A search identifier's body: a map, a list of maps, or a keyword list (`key` set for `'|all'` etc.). */
export type SigmaSel =
  | { k: 'map'; items: SigmaItem[] }
  | { k: 'maps'; maps: SigmaItem[][] }
  | { k: 'keywords'; mods: string; values: string[] };

type Cond = { k: 'sel'; i: number } | { k: 'and' | 'or'; args: Cond[] } | { k: 'not'; arg: Cond };

/** The result: selections in order with their names, the condition text, and diagnostics. */
export interface Detection { names: string[]; sels: SigmaSel[]; condition: string; diagnostics: Diagnostic[] }

const CMP: Partial<Record<Pred['op'], string>> = { lt: 'lt', le: 'lte', gt: 'gt', ge: 'gte' };

/** Writes glob tokens as a Sigma string value. */
export function sigmaGlob(toks: readonly GlobToken[]): string {
  const units: { lit: boolean; c: string }[] = [];
  for (const t of toks) {
    if (t.t === 'lit') for (const c of t.v) units.push({ lit: true, c });
    else units.push({ lit: false, c: t.t === 'any' ? '*' : '?' });
  }
  let out = '';
  units.forEach((u, i) => {
    if (!u.lit) { out += u.c; return; }
    if (u.c === '*' || u.c === '?') { out += '\\' + u.c; return; }
    if (u.c === '\\') {
      const n = units[i + 1];
      out += n && (!n.lit || n.c === '\\' || n.c === '*' || n.c === '?') ? '\\\\' : '\\';
      return;
    }
    out += u.c;
  });
  return out;
}

/** A literal string as a Sigma value (its `*`, `?` and the `\` before them escaped). */
export function sigmaLiteral(s: string): string {
  // Most values hold none of the three characters and are written as they are.
  return /[\\*?]/.test(s) ? sigmaGlob([{ t: 'lit', v: s }]) : s;
}

/** Builds the detection of a filter expression for a log source. */
export function buildDetection(filter: Expr, source: LogSource, file: string): Detection {
  const ds: Diagnostic[] = [];
  const sels: { sel: SigmaSel; neg: boolean }[] = [];
  const add = (sel: SigmaSel, neg: boolean): Cond => {
    sels.push({ sel, neg });
    return { k: 'sel', i: sels.length - 1 };
  };
  const fail = (msg: string, at?: Origin) => {
    ds.push(diag('RB401', msg, at ?? { file }));
    return undefined;
  };

  /** A map for an AND of plain (non-keyword) predicates with distinct keys, or undefined. */
  const asMap = (e: Expr): SigmaItem[] | undefined => {
    const preds = e.kind === 'pred' ? [e] : e.kind === 'and' && e.args.every((a) => a.kind === 'pred') ? (e.args as Pred[]) : undefined;
    if (!preds || preds.some((p) => p.op === 'keyword' || hasNullMix(p))) return undefined;
    const items: SigmaItem[] = [];
    for (const p of preds) {
      const it = itemOf(p, source, ds);
      if (!it) return [];
      if (items.some((x) => x.key === it.key)) return undefined;
      items.push(it);
    }
    return items;
  };

  const build = (e: Expr, neg: boolean): Cond | undefined => {
    switch (e.kind) {
      case 'const':
        return fail(`sigma cannot express a condition that is always ${e.value}`, e.origin);
      case 'test':
        return fail('sigma cannot express a computed expression', e.origin);
      case 'not': {
        const arg = build(e.arg, !neg);
        return arg && { k: 'not', arg };
      }
      case 'pred': {
        if (e.op === 'keyword') {
          const sel = keywordSel(e, ds);
          return sel && add(sel, neg);
        }
        if (hasNullMix(e)) {
          // `null` cannot share a value list (sigma-rules-specification.md, "Special Field
          // Values"): the runs between nulls become separate items, in their order.
          const runs: Scalar[][] = [[]];
          for (const v of e.values) {
            if (v === null) runs.push([null], []);
            else runs[runs.length - 1]!.push(v);
          }
          const args: Expr[] = runs.filter((r) => r.length).map((values) => ({ ...e, values }));
          return build({ kind: e.quantifier === 'all' ? 'and' : 'or', args } as Expr, neg);
        }
        const it = itemOf(e, source, ds);
        return it && add({ k: 'map', items: [it] }, neg);
      }
      case 'and': {
        // Runs of plain predicates on distinct keys share one map; order is kept, so that a
        // rule read from Sigma comes back with its selections in the same order.
        const args: Cond[] = [];
        let map: SigmaItem[] = [];
        const flush = () => {
          if (map.length) args.push(add({ k: 'map', items: map }, neg));
          map = [];
        };
        for (const a of e.args) {
          if (a.kind === 'pred' && a.op !== 'keyword' && !hasNullMix(a)) {
            const it = itemOf(a, source, ds);
            if (!it) continue;
            // Two folded windash items on one key are `|all|windash` (the frontend's AND of OR-groups).
            const allKey = it.key.replace(/\|windash$/, '|all|windash');
            const last = map[map.length - 1];
            if (it.key.endsWith('|windash') && last && !Array.isArray(it.value) && (last.key === allKey || (last.key === it.key && !Array.isArray(last.value)))) {
              map[map.length - 1] = { key: allKey, value: [...(Array.isArray(last.value) ? last.value : [last.value]), it.value] };
              continue;
            }
            if (map.some((x) => x.key === it.key)) flush();
            map.push(it);
            continue;
          }
          flush();
          const c = build(a, neg);
          if (c) args.push(c);
        }
        flush();
        return args.length === 1 ? args[0] : { k: 'and', args };
      }
      case 'or': {
        // Runs of alternatives that are maps become one list of maps, in order.
        const args: Cond[] = [];
        let maps: SigmaItem[][] = [];
        const flush = () => {
          if (maps.length === 1) args.push(add({ k: 'map', items: maps[0]! }, neg));
          else if (maps.length > 1) args.push(add({ k: 'maps', maps }, neg));
          maps = [];
        };
        for (const a of e.args) {
          const m = asMap(a);
          if (m) { maps.push(m); continue; }
          flush();
          const c = build(a, neg);
          if (c) args.push(c);
        }
        flush();
        return args.length === 1 ? args[0] : { k: 'or', args };
      }
    }
  };

  const root = build(filter, false);
  if (!root || ds.some((d) => d.severity === 'error')) return { names: [], sels: [], condition: '', diagnostics: ds };
  const names = nameSelections(sels);
  return { names, sels: sels.map((s) => s.sel), condition: conditionText(root, names), diagnostics: ds };
}

function hasNullMix(p: Pred): boolean {
  return p.values.length > 1 && p.values.includes(null);
}

/** Name suffixes SigmaHQ rules use for selections on these fields. */
const FAMILY: Record<string, string> = {
  Image: 'img', OriginalFileName: 'img', CommandLine: 'cli', ParentImage: 'parent', ParentCommandLine: 'parent',
  TargetFilename: 'target', TargetObject: 'target', ImageLoaded: 'load', DestinationHostname: 'dest', DestinationIp: 'dest',
};

/** What a selection is about: `img`, `cli`, … when all its fields agree, else undefined. */
function familyOf(sel: SigmaSel): string | undefined {
  if (sel.k === 'keywords') return 'keywords';
  const items = sel.k === 'map' ? sel.items : sel.maps.flat();
  const fams = new Set(items.map((it) => {
    const f = it.key.split('|')[0]!;
    return FAMILY[f] ?? f.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  }));
  const [only] = fams;
  return fams.size === 1 && only ? only : undefined;
}

/**
 * `selection` / `filter` (negated) when there is one of a kind; otherwise `selection_<what>`
 * after the fields it tests (SigmaHQ's `selection_img`, `selection_cli`), numbered on clashes.
 */
function nameSelections(sels: { sel: SigmaSel; neg: boolean }[]): string[] {
  const total = { selection: 0, filter: 0 };
  for (const s of sels) total[s.neg ? 'filter' : 'selection']++;
  const used = new Set<string>();
  let n = 0;
  return sels.map((s) => {
    const k = s.neg ? 'filter' : 'selection';
    if (total[k] === 1) return k;
    const fam = familyOf(s.sel);
    let name = fam ? `${k}_${fam}` : `${k}_${++n}`;
    for (let i = 2; used.has(name); i++) name = `${k}_${fam ?? 'n'}_${i}`;
    used.add(name);
    return name;
  });
}

/**
 * The condition; an AND that starts with every positive selection, in order, says
 * `all of selection_*` as SigmaHQ rules do.
 */
function conditionText(root: Cond, names: string[]): string {
  const pos = names.map((nm, i) => (nm.startsWith('selection_') ? i : -1)).filter((i) => i >= 0);
  if (root.k === 'and' && pos.length > 1 && pos.every((i, j) => { const a = root.args[j]; return a?.k === 'sel' && a.i === i; })) {
    const rest = root.args.slice(pos.length).map((a) => printCond(a, names, 2));
    return ['all of selection_*', ...rest].join(' and ');
  }
  return printCond(root, names, 0);
}

/** Prints a condition; `ctx` is the binding strength around it (0 or, 1 and, 2 not). */
function printCond(c: Cond, names: string[], ctx: number): string {
  switch (c.k) {
    case 'sel':
      return names[c.i]!;
    case 'not':
      return 'not ' + printCond(c.arg, names, 2);
    case 'and':
    case 'or': {
      const mine = c.k === 'or' ? 0 : 1;
      const s = c.args.map((a) => printCond(a, names, mine + 1 > 1 ? 2 : 1)).join(` ${c.k} `);
      return ctx > mine ? `(${s})` : s;
    }
  }
}

/**
 * Sigma keywords match anywhere in the event, so only `*…*` globs have a keyword form; the
 * outer wildcards are implied and left out.
 */
function keywordSel(p: Pred, ds: Diagnostic[]): SigmaSel | undefined {
  const values: string[] = [];
  for (const v of p.values) {
    const toks = parseGlob(String(v));
    if (toks.length < 2 || toks[0]!.t !== 'any' || toks[toks.length - 1]!.t !== 'any') {
      ds.push(diag('RB401', `sigma keywords match anywhere in the event; the anchored keyword ${JSON.stringify(v)} has no Sigma form`, p.origin));
      return undefined;
    }
    values.push(sigmaGlob(toks.slice(1, -1)));
  }
  const mods = [p.caseSensitive && '|cased', p.quantifier === 'all' && values.length > 1 && '|all'].filter(Boolean).join('');
  return { k: 'keywords', mods, values };
}

/** The Sigma field of a canonical field: a name, a rewrite through a derived field, or none. */
type SigmaField = { name: string } | { base: string; prefix: string } | undefined;

function sigmaField(name: string, source: LogSource): SigmaField {
  if (source.product !== 'windows') return { name };
  const w = canonicalToWindows(name, source.category);
  if (w) return { name: w };
  const d = derivedField(name, source.category);
  return d?.sigma ? { base: d.sigma.field, prefix: d.sigma.prefix } : undefined;
}

/** One map item for a predicate; undefined (with a diagnostic) when Sigma cannot say it. */
function itemOf(p0: Pred, source: LogSource, ds: Diagnostic[]): SigmaItem | undefined {
  const f = sigmaField(p0.field, source);
  const at = p0.origin;
  if (!f) {
    ds.push(diag('RB403', `sigma has no field for '${p0.field}' in log source ${source.category ?? source.service ?? '(none)'}`, at));
    return undefined;
  }
  let p = p0;
  let field: string;
  if ('base' in f) {
    const r = rewriteDerived(p0, f.base, f.prefix);
    if (!r) {
      ds.push(diag('RB403', `sigma cannot express '${p0.field}' ${p0.op} (it has no field for it, only ${f.base})`, at));
      return undefined;
    }
    if (r.op !== 'exists') ds.push(diag('RB404', `'${p0.field}' (the file name of ${f.base}) is written as ${f.base}|${r.op === 'wildcard' ? '' : r.op}; a value without a directory also matches in the source`, at));
    p = r;
    field = f.base;
  } else field = f.name;
  const mods: string[] = [];
  const folded = foldWindash(p);
  if (folded) p = { ...p, values: folded };
  let values: Scalar[] = p.values;
  const strings = p.values.some((v) => typeof v === 'string');
  switch (p.op) {
    case 'eq':
      values = p.values.map((v) => (typeof v === 'string' ? sigmaLiteral(v) : v));
      break;
    case 'contains':
    case 'startswith':
    case 'endswith':
      mods.push(p.op);
      values = p.values.map((v) => sigmaLiteral(String(v)));
      break;
    case 'wildcard': {
      const toks = p.values.map((v) => parseGlob(String(v)));
      const anyAt = (t: GlobToken[], i: number) => t.length > 1 && t.at(i)?.t === 'any';
      const starts = toks.every((t) => anyAt(t, 0)) && toks.every((t) => t.length > 1);
      const ends = toks.every((t) => anyAt(t, -1));
      let cut = toks;
      if (starts && ends && toks.every((t) => t.length > 2)) { mods.push('contains'); cut = toks.map((t) => t.slice(1, -1)); }
      else if (ends) { mods.push('startswith'); cut = toks.map((t) => t.slice(0, -1)); }
      else if (starts) { mods.push('endswith'); cut = toks.map((t) => t.slice(1)); }
      values = cut.map(sigmaGlob);
      break;
    }
    case 'regex':
      mods.push('re');
      if (!p.caseSensitive) mods.push('i');
      for (const fl of p.flags ?? '') if (fl === 'm' || fl === 's') mods.push(fl);
      break;
    case 'cidr':
      mods.push('cidr');
      break;
    case 'lt': case 'le': case 'gt': case 'ge':
      if (p.part) mods.push(p.part);
      mods.push(CMP[p.op]!);
      break;
    case 'exists':
      mods.push('exists');
      break;
    case 'fieldref': {
      mods.push('fieldref');
      if (p.refOp && p.refOp !== 'eq') mods.push(p.refOp);
      const refs: Scalar[] = [];
      for (const v of p.values) {
        const rf = sigmaField(String(v), source);
        if (!rf || !('name' in rf)) {
          ds.push(diag('RB403', `sigma has no field for the referenced field '${String(v)}'`, at));
          return undefined;
        }
        refs.push(rf.name);
      }
      values = refs;
      break;
    }
    case 'placeholder':
      // `|expand` with the positional modifier the values compare by (modifiers appendix, "expand").
      if (p.refOp && p.refOp !== 'eq') mods.push(p.refOp);
      mods.push('expand');
      values = [`%${String(p.values[0])}%`];
      break;
    case 'keyword':
      return undefined;
  }
  if (p.part && (p.op === 'eq')) mods.unshift(p.part);
  const stringOp = STRING_OPS.has(p.op);
  if (p.caseSensitive && strings && stringOp) mods.push('cased');
  if (p.quantifier === 'all' && values.length > 1) mods.push('all');
  if (folded) mods.push('windash');
  return { key: [field, ...mods].join('|'), value: values.length === 1 ? values[0]! : values };
}

const FOLDABLE = new Set<Pred['op']>(['eq', 'contains', 'startswith', 'endswith', 'wildcard']);
const WINDASH_CHAR = new RegExp(`[${WINDASH_CHARS.join('')}]`);
const STRING_OPS = new Set<Pred['op']>(['eq', 'wildcard', 'contains', 'startswith', 'endswith', 'fieldref', 'placeholder']);

/**
 * Values that are whole `windash` expansions, in the frontend's order, folded back to the
 * value they came from (so the rule says `|windash` as its author wrote it); undefined when
 * there is nothing to fold or the values are not exactly such expansions.
 */
function foldWindash(p: Pred): string[] | undefined {
  if (p.quantifier !== 'any' || !FOLDABLE.has(p.op)) return undefined;
  if (!p.values.every((v) => typeof v === 'string')) return undefined;
  const vals = p.values as string[];
  const toks = (v: string): GlobToken[] => (p.op === 'wildcard' ? parseGlob(v) : v ? [{ t: 'lit', v }] : []);
  // Only a value holding one of the dashes can be an expansion.
  if (!vals.some((v) => WINDASH_CHAR.test(v))) return undefined;
  const out: string[] = [];
  let folded = false;
  for (let i = 0; i < vals.length;) {
    const variants = WINDASH_CHAR.test(vals[i]!) ? windash(toks(vals[i]!)) : [];
    if (variants.length <= 1) { out.push(vals[i]!); i++; continue; }
    // The whole expansion must follow; when the values left are too few, nothing folds.
    if (i + variants.length > vals.length) return undefined;
    const forms = variants.map(formatGlob);
    if (!forms.every((f, j) => i + j < vals.length && formatGlob(toks(vals[i + j]!)) === f)) return undefined;
    out.push(vals[i]!);
    i += forms.length;
    folded = true;
  }
  return folded ? out : undefined;
}

/**
 * A predicate on a derived file name rewritten on the full path (mappings/windows.json
 * `sigma`): name = v → path ends with `\v`; the other string operators keep their meaning on
 * the last path segment only approximately, which the caller reports (RB404).
 */
function rewriteDerived(p: Pred, base: string, prefix: string): Pred | undefined {
  // The file name exists exactly when the path does.
  if (p.op === 'exists') return { ...p };
  if (p.values.some((v) => typeof v !== 'string')) return undefined;
  const vals = p.values as string[];
  switch (p.op) {
    case 'eq':
      return { ...p, op: 'endswith', values: vals.map((v) => prefix + v) };
    case 'endswith':
    case 'contains':
      return { ...p };
    case 'startswith':
      return { ...p, op: 'contains', values: vals.map((v) => prefix + v) };
    case 'wildcard':
      return { ...p, values: vals.map((v) => '*' + prefix.replace(/[\\*?]/g, '\\$&') + v) };
    default:
      return undefined;
  }
}
