/** The syntax tree of an SPL pipeline, before lowering. Every node keeps its file position. */
import type { Origin } from '../../diagnostics/index.js';
import type { Token } from './lexer.js';

/** A search-language boolean expression (search command, tstats `where`). */
export type SearchNode =
  | { kind: 'cmp'; field: string; op: CmpOp; value: Token; at: Origin }
  | { kind: 'in'; field: string; values: Token[]; at: Origin }
  | { kind: 'term'; value: Token; at: Origin }
  | { kind: 'and' | 'or'; args: SearchNode[]; at: Origin }
  | { kind: 'not'; arg: SearchNode; at: Origin }
  /** `[ … ]`: a subsearch, kept only to be reported when lowered. */
  | { kind: 'subsearch'; at: Origin };

export type CmpOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** An eval-language expression (eval, where, stats `eval()`). */
export type EvalNode =
  | { kind: 'field'; name: string; at: Origin }
  | { kind: 'str'; value: string; at: Origin }
  | { kind: 'num'; value: number; at: Origin }
  | { kind: 'call'; fn: string; args: EvalNode[]; at: Origin }
  | { kind: 'binary'; op: string; left: EvalNode; right: EvalNode; at: Origin }
  | { kind: 'unary'; op: 'not' | '-'; arg: EvalNode; at: Origin };

/** One aggregate of stats/tstats: `fn(field) as name`, or `fn(eval(...))`. */
export interface AggCall {
  fn: string;
  field?: string;
  evalArg?: EvalNode;
  param?: number;
  as?: string;
  /** How SPL names the column when there is no `as`: `count`, `dc(x)`. */
  defaultName: string;
  at: Origin;
}

/** One command of the pipeline. */
export type Command =
  | { name: 'search'; expr: SearchNode | null; at: Origin }
  | { name: 'where'; expr: EvalNode; at: Origin }
  | { name: 'tstats'; options: Record<string, string>; aggs: AggCall[]; datamodel?: { name: string; at: Origin }; where: SearchNode | null; by: { field: string; at: Origin }[]; span?: string; at: Origin }
  | { name: 'stats'; aggs: AggCall[]; by: { field: string; at: Origin }[]; span?: string; at: Origin }
  | { name: 'from'; datamodel: string; at: Origin }
  | { name: 'eval'; assign: { field: string; expr: EvalNode; at: Origin }[]; at: Origin }
  | { name: 'rename'; pairs: { from: string; to: string }[]; at: Origin }
  | { name: 'table' | 'fields'; fields: string[]; mode: 'keep' | 'drop'; at: Origin }
  | { name: 'convert'; timeformat?: string; conversions: { fn: string; field: string; as?: string; at: Origin }[]; at: Origin }
  | { name: 'dedup'; fields: string[]; options: Record<string, string>; at: Origin }
  | { name: 'sort'; keys: { field: string; desc: boolean; fn?: string }[]; limit?: number; at: Origin }
  | { name: 'head'; n: number; at: Origin }
  | { name: 'fillnull'; value: string; fields: string[]; at: Origin }
  | { name: 'rex'; field: string; pattern: string; options: Record<string, string>; at: Origin }
  | { name: 'bin'; field: string; span?: string; as?: string; options: Record<string, string>; at: Origin }
  | { name: 'regex'; field: string; negate: boolean; pattern: string; at: Origin }
  /** `join [options] f1, f2 [ subsearch ]`: the subsearch is a pipeline of its own. */
  | { name: 'join'; options: Record<string, string>; fields: { field: string; at: Origin }[]; sub: Pipeline; at: Origin }
  /** `lookup [options] table col [AS field] … [OUTPUT|OUTPUTNEW col [AS field] …]`. */
  | { name: 'lookup'; options: Record<string, string>; table: { name: string; at: Origin }; keys: { column: string; field: string }[]; outputMode?: 'OUTPUT' | 'OUTPUTNEW'; outputs: { column: string; as: string }[]; at: Origin }
  | { name: 'eventstats'; options: Record<string, string>; aggs: AggCall[]; by: { field: string; at: Origin }[]; at: Origin }
  | { name: 'mvexpand'; field: string; options: Record<string, string>; at: Origin }
  | { name: 'spath'; options: Record<string, string>; path?: string; at: Origin }
  /**
   * `foreach f1 f2 [ template ]`: `fields` as written (a `*` makes the list depend on the event);
   * `expanded`: the template's commands once per literal field, `<<FIELD>>` replaced;
   * `template`: with a wildcard list, its commands once, the placeholders as FOREACH_SENTINELS;
   * `bare`: where a placeholder stands unquoted in an expression (or a sentinel is already written).
   */
  | { name: 'foreach'; fields: string[]; options: Record<string, string>; expanded: Command[]; template?: Command[]; bare?: Origin; at: Origin }
  /** `makemv [delim=…] [allowempty=…] [tokenizer=…] [setsv=…] field`. */
  | { name: 'makemv'; field: string; options: Record<string, string>; at: Origin }
  | { name: 'iplocation'; field: string; fieldAt: Origin; options: Record<string, string>; at: Origin }
  /** A known SPL command this frontend parses but does not lower (lowering reports RB250). */
  | { name: 'other'; command: string; at: Origin };

/** A parsed pipeline; `generating` is true when it starts with `|` (tstats, from, inputlookup, …). */
export interface Pipeline {
  commands: Command[];
  generating: boolean;
}
