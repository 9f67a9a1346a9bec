/**
 * Many literals searched in one pass over a string (Aho–Corasick, compiled to a full DFA over
 * the literals' own alphabet): the cost per event is one table step per character of the
 * value, however many literals the rules hold for that field.
 *
 * The alphabet is the ASCII characters that occur in the literals, each its own class, plus one
 * class shared by every non-ASCII character when a literal has one (a rule listing hundreds of
 * Unicode look-alikes would otherwise make the table hundreds of columns wide); every other
 * code unit is class 0, which no literal contains. So every literal that occurs is reported, and
 * a literal with non-ASCII characters may also be reported where other non-ASCII characters
 * stand: a superset, which is what a prefilter may use (it only decides what to evaluate).
 */

/** The class-0 entry of a row not yet completed (no encoded transition is this low). */
const UNFILLED = -0x80000000;

/** A compiled set of literals; `scan` reports the index of each literal found (see above). */
export class MultiSearch {
  /** The class of every non-ASCII code unit (0 when no literal has one). */
  private readonly wide: number;
  private readonly ascii: Uint16Array;
  /** `ascii` with each upper-case letter in the class of its lower case (scanFolded). */
  private readonly fold: Uint16Array;
  private readonly width: number;
  /** Transitions (see encode); a row whose class-0 entry is UNFILLED still holds only its trie edges (see fill). */
  private readonly delta: Int32Array;
  private readonly fail: Int32Array;
  /** 1 for a state that ends a literal or whose failure chain reaches one. */
  private readonly out: Uint8Array;
  /** A literal index ending at a state, or -1. */
  private readonly term: Int32Array;
  /** Per literal index, the next literal ending at the same state, or -1. */
  private readonly same: Int32Array;
  /** Nearest proper suffix state that ends a literal (0 = none). */
  private readonly dict: Int32Array;
  /** An empty literal (it occurs in every string), or -1. */
  private readonly empty: number;
  /** A necessary condition of scanFolded finding anything, run as native code (see quickCheck), or undefined. */
  private readonly quick: RegExp | undefined;

  constructor(literals: readonly string[]) {
    this.ascii = new Uint16Array(128);
    let k = 1;
    let wide = false;
    let emptyAt = -1;
    for (const lit of literals) {
      for (let i = 0; i < lit.length; i++) {
        const c = lit.charCodeAt(i);
        if (c >= 128) wide = true;
        else if (!this.ascii[c]) this.ascii[c] = k++;
      }
    }
    this.wide = wide ? k++ : 0;
    this.fold = this.ascii.slice();
    for (let c = 65; c <= 90; c++) this.fold[c] = this.ascii[c + 32]!;
    this.width = k;
    const w = k;
    // The trie, in the rows of the transition table itself (0 = no child: the root is nobody's
    // child); a state's number is above its parent's, so breadth-first order finds every row
    // still holding only its trie children when its turn comes.
    let cap = 1;
    for (const lit of literals) cap += lit.length;
    let delta = new Int32Array(cap * w);
    const term: number[] = [-1];
    const same = new Int32Array(literals.length).fill(-1);
    literals.forEach((lit, idx) => {
      if (!lit) { if (emptyAt < 0) emptyAt = idx; return; }
      let s = 0;
      for (let i = 0; i < lit.length; i++) {
        const at = s * w + this.classOf(lit.charCodeAt(i));
        let t = delta[at]!;
        if (t === 0) {
          t = term.length;
          term.push(-1);
          delta[at] = t;
        }
        s = t;
      }
      // Literals that end in one state (equal, or equal up to the shared non-ASCII class) are
      // chained, so that each is reported.
      same[idx] = term[s]!;
      term[s] = idx;
    });
    this.empty = emptyAt;
    this.quick = emptyAt < 0 ? quickCheck(literals) : undefined;
    const n = term.length;
    delta = delta.slice(0, n * w);
    const fail = new Int32Array(n);
    const dict = new Int32Array(n);
    const out = new Uint8Array(n);
    // Breadth-first over the trie edges: failure links (the longest proper suffix that is a
    // state), dictionary links and outputs, each finished before the states below it. The rows
    // themselves are completed when a scan first reaches their state (fill): a scan visits few
    // of the states of a large set, and completing every row was most of the cost of building.
    const queue = new Int32Array(n);
    let qn = 0;
    for (let c = 1; c < w; c++) if (delta[c]) queue[qn++] = delta[c]!;
    for (let qi = 0; qi < qn; qi++) {
      const s = queue[qi]!;
      const f = fail[s]!;
      dict[s] = term[f]! >= 0 ? f : dict[f]!;
      out[s] = term[s]! >= 0 || out[f] ? 1 : 0;
      for (let c = 1, row = s * w; c < w; c++) {
        const t = delta[row + c]!;
        if (t === 0) continue;
        let g = f;
        while (g !== 0 && delta[g * w + c] === 0) g = fail[g]!;
        fail[t] = delta[g * w + c]!; // the root's own child is no failure state of itself: t is deeper
        queue[qn++] = t;
      }
    }
    this.delta = delta;
    this.fail = fail;
    this.out = out;
    // The root's row now; every other row is marked unfilled in its class-0 column, which no
    // trie edge uses (class 0 is the characters of no literal).
    for (let c = 1; c < w; c++) delta[c] = this.encode(delta[c]!);
    for (let st = 1; st < n; st++) delta[st * w] = UNFILLED;
    this.term = Int32Array.from(term);
    this.same = same;
    this.dict = dict;
  }

  /**
   * A transition's entry: the next state's row offset (state × width), saving a multiply per
   * character, negated (~offset) when the next state ends a literal, saving a load.
   */
  private encode(t: number): number {
    return this.out[t] ? ~(t * this.width) : t * this.width;
  }

  /**
   * Completes the row of state `s` (and first those of its unfilled failure states): a trie edge
   * leads to its child, any other class where the failure state's row leads.
   */
  private fill(s: number): void {
    const { delta, width: w, fail } = this;
    const chain: number[] = [];
    for (let x = s; delta[x * w] === UNFILLED; x = fail[x]!) chain.push(x);
    for (let k = chain.length - 1; k >= 0; k--) {
      const row = chain[k]! * w, frow = fail[chain[k]!]! * w;
      delta[row] = delta[frow]!;
      for (let c = 1; c < w; c++) {
        const t = delta[row + c]!;
        delta[row + c] = t === 0 ? delta[frow + c]! : this.encode(t);
      }
    }
  }

  private classOf(c: number): number {
    return c < 128 ? this.ascii[c]! : this.wide;
  }

  /** Number of states (for the memory note of the benchmark). */
  get states(): number {
    return this.term.length;
  }

  /**
   * As `scan(s.toLowerCase(), found)`, without making the lower-cased string. Lower-casing maps
   * A–Z to a–z, every other code unit below 128 to itself, and every other character to
   * characters at or above 128 (one class, `wide`) but two: U+0130 becomes `i` U+0307 and the
   * Kelvin sign U+212A becomes `k` (checked over every code point: test/evaluator/prefilter-fold.test.ts),
   * so reading s through the folded table, with those two expanded, steps through the same classes.
   */
  scanFolded(s: string, found: (i: number) => void): void {
    if (this.empty >= 0) found(this.empty);
    if (this.quick && !this.quick.test(s)) return;
    const { delta, width, fold, wide } = this;
    let at = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      let cls: number;
      if (c < 128) cls = fold[c]!;
      else if (c === 0x130) {
        at = delta[at + fold[105]!]!; // `i`, then U+0307 (wide)
        if (at < 0) { at = ~at; this.report(at / width, found); }
        if (delta[at] === UNFILLED) this.fill(at / width);
        cls = wide;
      } else cls = c === 0x212a ? fold[107]! /* `k` */ : wide;
      at = delta[at + cls]!;
      if (at < 0) { at = ~at; this.report(at / width, found); }
      if (delta[at] === UNFILLED) this.fill(at / width);
    }
  }

  /** Reports the literals ending at state `st`. */
  private report(st: number, found: (i: number) => void): void {
    const { term, dict, same } = this;
    for (let t = term[st]! >= 0 ? st : dict[st]!; t > 0; t = dict[t]!) for (let j = term[t]!; j >= 0; j = same[j]!) found(j);
  }

  /** Calls `found(i)` for every literal i that occurs in `s` (possibly more than once). */
  scan(s: string, found: (i: number) => void): void {
    if (this.empty >= 0) found(this.empty);
    const { delta, width, ascii, wide } = this;
    let at = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      at = delta[at + (c < 128 ? ascii[c]! : wide)]!;
      if (at < 0) { at = ~at; this.report(at / width, found); }
      if (delta[at] === UNFILLED) this.fill(at / width);
    }
  }
}

/** Most literals a quick check is made of (a larger alternation compiles and runs slower). */
const QUICK_MAX = 256;

/**
 * For a small set of lower-cased literals, a case-insensitive regular expression that matches
 * wherever one of them occurs in the lower-cased string: V8 runs it as native code, which on
 * long values that hold none (most of them) is faster than stepping the table. It is
 * `lit1|lit2|…` with the `i` flag, for literals of ASCII characters (an ASCII character
 * matches itself and its other case, as `toLowerCase` maps them; ECMA-262 Canonicalize never
 * maps a character at or above 128 to one below), or, so as never to miss what the table finds,
 * any character lower-casing to ASCII from above 128 (U+0130, U+212A) — or any character above
 * 127 at all when some literal has one (the table treats them alike). A match only means the
 * table runs.
 */
function quickCheck(literals: readonly string[]): RegExp | undefined {
  if (!literals.length || literals.length > QUICK_MAX) return undefined;
  let wide = false;
  const alts: string[] = [];
  for (const lit of literals) {
    if (/[^\x00-\x7f]/.test(lit)) { wide = true; continue; }
    alts.push(lit.replace(/[\\^$.*+?()[\]{}|\/-]/g, '\\$&'));
  }
  alts.push(wide ? '[\\u0080-\\uffff]' : '[\\u0130\\u212a]');
  return new RegExp(alts.join('|'), 'i');
}
