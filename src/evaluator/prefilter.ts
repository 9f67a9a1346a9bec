/**
 * Literal prefilter: before a rule's filter runs, a cheap necessary condition is checked.
 *
 * From each rule's (normalized) filter we derive a gate: a set of atoms "literal L occurs in
 * the lower-cased value of field F" such that whenever the filter is true, at least one atom
 * holds. A case-insensitive eq/contains/startswith/endswith/wildcard predicate implies that its
 * literal (for a glob, its longest literal run) occurs in the lower-cased value the predicate
 * compares (Row.lower); so does a regex with a required literal (regex-literal.ts); an `and`
 * implies any one of its parts (the most selective is kept); an `or` implies the union of its
 * parts' gates; anything else (not, numeric, null, exists, other case-sensitive comparisons, …)
 * gives no gate, and a rule without a gate always runs.
 *
 * Per event, each field is scanned at most once, lazily, by one multi-literal automaton that
 * holds every atom of that field (multi-search.ts); a gate then costs a few array reads. A
 * failed gate only skips a filter that could not have been true, so results are unchanged.
 */
import { visitExpr, parseGlob, type Expr, type Pred } from '../ir/index.js';
import { literal, type RowTest } from './compile-pred.js';
import { sourceOf } from './compile-expr.js';
import { toNumber } from './normalize/values.js';
import { TIME_MS } from './normalize/canonical.js';
import { MultiSearch } from './multi-search.js';
import { requiredLiteral } from './regex-literal.js';
import { rawKeywordLiteral, scanRawValues } from './raw-keywords.js';
import { asString, type Row } from './row.js';

/** A disjunction of (field, literal) atoms; undefined = no necessary literal known. */
type Atoms = { field: string; lit: string }[] | undefined;

/** The literal a case-insensitive string predicate value must contain, or undefined. */
function predLiteral(p: Pred, v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  switch (p.op) {
    case 'eq': {
      const lit = literal(p, v, 'eq');
      // A numeric literal also equals a number-valued field without being a substring of it.
      return toNumber(lit) === undefined ? lit : undefined;
    }
    case 'contains': case 'startswith': case 'endswith':
      return literal(p, v, p.op);
    case 'wildcard': {
      let best = '';
      for (const t of parseGlob(v.toLowerCase())) if (t.t === 'lit' && t.v.length > best.length) best = t.v;
      return best;
    }
    case 'regex':
      // One character would report nearly every value, and at each of its occurrences.
      return requiredLiteral(v, p.caseSensitive, p.flags, 2);
    default:
      return undefined;
  }
}

/**
 * A case-insensitive keyword value is searched in the event's values (compile-pred.ts): its
 * longest literal run occurs in one of them, so in their lower-cased NUL-joined string.
 */
function keywordAtoms(p: Pred): Atoms {
  const lits: string[] = [];
  for (const v of p.values) {
    let best = '';
    for (const t of parseGlob(String(v).toLowerCase())) if (t.t === 'lit' && t.v.length > best.length) best = t.v;
    if (!best || best.includes('\u0000')) { if (p.quantifier === 'any') return undefined; continue; }
    lits.push(best);
  }
  if (!lits.length) return undefined;
  if (p.quantifier === 'all') return [{ field: KEYWORDS, lit: lits.reduce((a, b) => (b.length > a.length ? b : a)) }];
  return [...new Set(lits)].map((lit) => ({ field: KEYWORDS, lit }));
}

function predAtoms(p: Pred): Atoms {
  // A case-sensitive regex still gives a lower-cased literal (regex-literal.ts); other
  // case-sensitive comparisons give none.
  if ((p.caseSensitive && p.op !== 'regex') || p.part || !p.values.length) return undefined;
  if (p.op === 'keyword') return keywordAtoms(p);
  const lits: string[] = [];
  for (const v of p.values) {
    const lit = predLiteral(p, v);
    if (!lit) {
      if (p.quantifier === 'any') return undefined; // this value may match without any literal
      continue;
    }
    lits.push(lit);
  }
  if (!lits.length) return undefined;
  // `all`: every value must match, so the longest literal alone is necessary.
  if (p.quantifier === 'all') return [{ field: p.field, lit: lits.reduce((a, b) => (b.length > a.length ? b : a)) }];
  return [...new Set(lits)].map((lit) => ({ field: p.field, lit }));
}

/** Higher is more selective: the shortest literal of the disjunction, then fewer atoms. */
function score(a: NonNullable<Atoms>): number {
  let min = Infinity;
  for (const x of a) min = Math.min(min, x.lit.length);
  return min * 1000 - a.length;
}

/** The gate of an expression (see the module comment). */
export function gateOf(e: Expr): Atoms {
  return visitExpr<Atoms>(e, {
    pred: predAtoms,
    and: (n) => {
      let best: Atoms;
      for (const a of n.args) {
        const g = gateOf(a);
        if (g && (!best || score(g) > score(best))) best = g;
      }
      return best;
    },
    or: (n) => {
      const out: NonNullable<Atoms> = [];
      for (const a of n.args) {
        const g = gateOf(a);
        if (!g) return undefined;
        out.push(...g);
      }
      return out;
    },
    not: () => undefined,
    const: () => undefined,
    test: () => undefined,
  });
}

/** Anything with a compiled filter: a rule's feed. */
interface Filtered { filter: RowTest }

/** The pseudo-field of keyword atoms: every value of the event, lower-cased and NUL-joined (Row.joined). */
const KEYWORDS = '\u0000keywords';

/** Per candidate list: what to scan and which candidates each atom lets through. */
interface Plan {
  /** Per field whose automaton runs for this list: its name, automaton, and what a found literal does. */
  scans: { name: string; search: MultiSearch; found: (i: number) => void; raw?: MultiSearch }[];
  /** Indexes of candidates without a gate (always evaluated). */
  always: number[];
  /** The indexes selected for the current event (filled by the `found` callbacks). */
  out: number[];
  /** The current event's number, and per candidate the event it was last selected in. */
  epoch: number;
  seen: Int32Array;
}

/**
 * The prefilter of the feeds of a compiled rule set (gates found from each filter's source
 * expression, see compile-expr.ts). `select(list, row)` gives the indexes, in list order, of
 * the candidates whose gate holds for the event; the others cannot match it.
 */
export class Prefilter {
  private readonly fieldNames: string[] = [];
  /** Per field: its literals, and their automaton (built when a candidate list first needs it). */
  private readonly literals: string[][] = [];
  private readonly searchers: MultiSearch[] = [];
  /** The keyword literals' parts that a flat record's raw values reveal (raw-keywords.ts), when every literal has one. */
  private rawKeywords?: MultiSearch | null;
  /** Per field: literal index → atom id. */
  private readonly atomIds: Int32Array[] = [];
  private readonly gates = new Map<RowTest, { f: number; a: number }[] | null>();
  private readonly plans = new WeakMap<Filtered[], Plan>();
  private nAtoms = 0;

  constructor(feeds: readonly Filtered[]) {
    const fieldIx = new Map<string, number>();
    const lits: Map<string, number>[] = [];
    for (const { filter } of feeds) {
      if (this.gates.has(filter)) continue;
      const src = sourceOf(filter);
      const g = src && gateOf(src);
      if (!g) { this.gates.set(filter, null); continue; }
      this.gates.set(filter, g.map(({ field, lit }) => {
        let f = fieldIx.get(field);
        if (f === undefined) { f = fieldIx.size; fieldIx.set(field, f); this.fieldNames.push(field); lits.push(new Map()); }
        let a = lits[f]!.get(lit);
        if (a === undefined) { a = this.nAtoms++; lits[f]!.set(lit, a); }
        return { f, a };
      }));
    }
    lits.forEach((m, f) => {
      this.literals[f] = [...m.keys()];
      this.atomIds[f] = Int32Array.from(m.values());
    });
  }

  /** Number of filters with a gate, of fields and of atoms (for the benchmark's notes). */
  get stats(): { gated: number; filters: number; fields: number; atoms: number; states: number } {
    let gated = 0;
    for (const g of this.gates.values()) if (g) gated++;
    const states = this.literals.reduce((n, _, f) => n + this.searcher(f).states, 0);
    return { gated, filters: this.gates.size, fields: this.fieldNames.length, atoms: this.nAtoms, states };
  }

  private searcher(f: number): MultiSearch {
    return (this.searchers[f] ??= new MultiSearch(this.literals[f]!));
  }

  /** The raw-haystack automaton of the keyword field `f` (literal i → the part of literal i), or undefined. */
  private rawSearcher(f: number): MultiSearch | undefined {
    if (this.rawKeywords === undefined) {
      const parts = this.literals[f]!.map(rawKeywordLiteral);
      this.rawKeywords = parts.every((x) => x !== undefined) ? new MultiSearch(parts as string[]) : null;
    }
    return this.rawKeywords ?? undefined;
  }

  private planOf(list: Filtered[]): Plan {
    let p = this.plans.get(list);
    if (p) return p;
    const byAtom = new Map<number, number[]>();
    const always: number[] = [];
    const fields = new Set<number>();
    list.forEach((e, i) => {
      const g = this.gates.get(e.filter);
      if (!g) { always.push(i); return; }
      for (const { f, a } of g) {
        fields.add(f);
        let l = byAtom.get(a);
        if (!l) byAtom.set(a, (l = []));
        if (l[l.length - 1] !== i) l.push(i);
      }
    });
    const plan: Plan = { scans: [], always, out: [], epoch: 0, seen: new Int32Array(list.length) };
    // One callback per field, made once: literal index → the candidates its atom lets through.
    for (const f of fields) {
      const lets = Array.from(this.atomIds[f]!, (a) => byAtom.get(a));
      const name = this.fieldNames[f]!;
      const raw = name === KEYWORDS ? this.rawSearcher(f) : undefined;
      plan.scans.push({
        name,
        search: this.searcher(f),
        ...(raw ? { raw } : {}),
        found: (i) => {
          const l = lets[i];
          if (l) for (const k of l) if (plan.seen[k] !== plan.epoch) { plan.seen[k] = plan.epoch; plan.out.push(k); }
        },
      });
    }
    this.plans.set(list, plan);
    return plan;
  }

  /** The indexes (ascending) of the candidates in `list` that may match the event of `row`. */
  select(list: Filtered[], row: Row): number[] {
    const p = this.planOf(list);
    if (!p.scans.length) return p.always;
    if (++p.epoch === 0x7fffffff) { p.seen.fill(0); p.epoch = 1; } // `seen` holds 32-bit epochs
    const out = (p.out = p.always.slice());
    for (const { name, search, found, raw } of p.scans) {
      // Keyword atoms: every value, lower-cased and NUL-joined (a literal has no NUL, so it
      // occurs there exactly when it occurs in one value; compile-pred.ts searches the same);
      // for a flat record, parts of them in its raw values (raw-keywords.ts).
      if (name === KEYWORDS) {
        if (raw && row.raw) scanRawValues(row.raw, raw, found);
        else search.scan(row.joined(true, TIME_MS), found);
        continue;
      }
      const v = row.get(name);
      if (v === undefined || v === null) continue; // most scanned fields are absent from a given event
      // The value as Row.lower gives it (lists element-wise, numbers as written), lower-cased by the scan.
      if (typeof v === 'string') search.scanFolded(v, found);
      else if (Array.isArray(v)) { for (const x of v) { const s = asString(x); if (s !== undefined) search.scanFolded(s, found); } }
      else { const s = asString(v); if (s !== undefined) search.scanFolded(s, found); }
    }
    if (out.length > p.always.length) out.sort((a, b) => a - b);
    return out;
  }

  /** The candidates themselves (as `select`), in list order. */
  pick<T extends Filtered>(list: T[], row: Row): T[] {
    const ix = this.select(list, row);
    if (ix.length === list.length) return list;
    const feeds: T[] = new Array(ix.length);
    for (let i = 0; i < ix.length; i++) feeds[i] = list[ix[i]!]!;
    return feeds;
  }
}
