/** A cursor over the tokens of one command, shared by the SPL parsers. */
import { diag, type Diagnostic } from '../../diagnostics/index.js';
import type { Token } from './lexer.js';

/** Thrown inside a parser to abandon one command; caught by the pipeline parser, never escapes it. */
export class ParseStop extends Error {}

export class Cursor {
  i = 0;
  constructor(readonly toks: Token[], readonly ds: Diagnostic[]) {}
  peek(k = 0): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)]!;
  }
  next(): Token {
    const t = this.peek();
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }
  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }
  /** True when the next token is the word `w` (case-insensitive). */
  isWord(w: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'word' && t.value.toLowerCase() === w;
  }
  /** Consumes the word `w` if it is next. */
  eatWord(w: string): boolean {
    if (!this.isWord(w)) return false;
    this.next();
    return true;
  }
  eat(kind: Token['kind'], value?: string): Token | undefined {
    const t = this.peek();
    if (t.kind === kind && (value === undefined || t.value === value)) return this.next();
    return undefined;
  }
  /** Consumes a token of `kind` or reports RB202 and stops the command. */
  expect(kind: Token['kind'], what: string): Token {
    const t = this.eat(kind);
    if (t) return t;
    this.fail(`expected ${what}`);
  }
  /** Reports RB202 at the next token and abandons the command. */
  fail(what: string): never {
    const t = this.peek();
    this.ds.push(diag('RB202', `${what}, found ${t.kind === 'eof' ? 'the end of the command' : `'${t.raw}'`}`, t.at));
    throw new ParseStop(what);
  }
  /** A name: a word or a quoted string. */
  name(what: string): Token {
    const t = this.peek();
    if (t.kind === 'word' || t.kind === 'str') return this.next();
    this.fail(`expected ${what}`);
  }
  /** `key=value` options at the cursor (value a word or string), consumed while `keys` accepts them. */
  options(accept: (key: string) => boolean): Record<string, string> {
    const out: Record<string, string> = {};
    while (this.peek().kind === 'word' && this.peek(1).kind === 'op' && this.peek(1).value === '=' && accept(this.peek().value.toLowerCase())) {
      const k = this.next().value.toLowerCase();
      this.next();
      out[k] = this.name(`a value for ${k}`).value;
    }
    return out;
  }
}
