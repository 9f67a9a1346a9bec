/**
 * Many literals searched in one pass over a string (Aho–Corasick, compiled to a full DFA over
 * the literals' own alphabet): the cost per event is one table step per character of the
 * value, however many literals the rules hold for that field.
 *
 * The alphabet is the set of UTF-16 code units that occur in the literals; every other code
 * unit is class 0, which no literal contains, so it sends every state back to the root.
 */

/** A compiled set of literals; `scan` reports the index of each literal found. */
export class MultiSearch {
  private readonly cls: Map<number, number>;
  private readonly ascii: Uint16Array;
  private readonly width: number;
  private readonly delta: Int32Array;
  /** Literal index ending at a state, or -1. */
  private readonly term: Int32Array;
  /** Nearest proper suffix state that ends a literal (0 = none). */
  private readonly dict: Int32Array;
  /** The first empty literal (it occurs in every string), or -1. */
  private readonly empty: number;

  constructor(literals: readonly string[]) {
    this.ascii = new Uint16Array(128);
    this.cls = new Map();
    let k = 1;
    let emptyAt = -1;
    for (const lit of literals) {
      for (let i = 0; i < lit.length; i++) {
        const c = lit.charCodeAt(i);
        if (c < 128) { if (!this.ascii[c]) this.ascii[c] = k++; }
        else if (!this.cls.has(c)) this.cls.set(c, k++);
      }
    }
    this.width = k;
    // The trie, with transitions in a map while it grows.
    const next: Map<number, number>[] = [new Map()];
    const term: number[] = [-1];
    literals.forEach((lit, idx) => {
      if (!lit) { if (emptyAt < 0) emptyAt = idx; return; }
      let s = 0;
      for (let i = 0; i < lit.length; i++) {
        const c = this.classOf(lit.charCodeAt(i));
        let t = next[s]!.get(c);
        if (t === undefined) {
          t = next.length;
          next.push(new Map());
          term.push(-1);
          next[s]!.set(c, t);
        }
        s = t;
      }
      if (term[s] === -1) term[s] = idx;
    });
    this.empty = emptyAt;
    const n = next.length;
    const w = this.width;
    const delta = new Int32Array(n * w);
    const fail = new Int32Array(n);
    const dict = new Int32Array(n);
    const out = new Uint8Array(n);
    // Breadth-first: a state's failure state is finished before the state itself.
    const queue: number[] = [];
    for (const [c, t] of next[0]!) { delta[c] = t; queue.push(t); }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]!;
      const f = fail[s]!;
      dict[s] = term[f]! >= 0 ? f : dict[f]!;
      out[s] = term[s]! >= 0 || out[f] ? 1 : 0;
      // Missing transitions are the failure state's (a row copy); then the trie's own.
      delta.copyWithin(s * w, f * w, f * w + w);
      for (const [c, t] of next[s]!) {
        fail[t] = delta[f * w + c]!;
        delta[s * w + c] = t;
        queue.push(t);
      }
    }
    // Transitions hold the next state's row offset (state × width), saving a multiply per
    // character, and are negated (~offset) when the next state ends a literal, saving a load.
    for (let i = 0; i < delta.length; i++) {
      const t = delta[i]!;
      delta[i] = out[t] ? ~(t * w) : t * w;
    }
    this.delta = delta;
    this.term = Int32Array.from(term);
    this.dict = dict;
  }

  private classOf(c: number): number {
    return c < 128 ? this.ascii[c]! : this.cls.get(c) ?? 0;
  }

  /** Number of states (for the memory note of the benchmark). */
  get states(): number {
    return this.term.length;
  }

  /** Calls `found(i)` for every literal i that occurs in `s` (possibly more than once). */
  scan(s: string, found: (i: number) => void): void {
    if (this.empty >= 0) found(this.empty);
    const { delta, width, ascii, term, dict, cls } = this;
    let at = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      at = delta[at + (c < 128 ? ascii[c]! : cls.get(c) ?? 0)]!;
      if (at < 0) {
        at = ~at;
        const st = at / width;
        for (let t = term[st]! >= 0 ? st : dict[st]!; t > 0; t = dict[t]!) found(term[t]!);
      }
    }
  }
}
