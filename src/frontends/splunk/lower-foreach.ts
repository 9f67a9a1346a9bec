/**
 * Row-shaping commands with no stage of their own to parse into. `foreach <wildcard fields>
 * [eval …]` (Search Reference "foreach", multifield mode) becomes a foreach stage: the
 * template's eval assignments once, `<<FIELD>>`/`<<MATCHSTR>>`/`<<MATCHSEGn>>` kept in its names
 * and strings for the evaluator to fill in per row. Which fields match is decided per row over
 * the names the row holds, so the names here must be the IR's names (FieldContext.keepsNames);
 * elsewhere the construct is refused. `makemv` becomes an eval.
 */
import { starPatternRegex, type ForEach, type Query, type Stage } from '../../ir/index.js';
import type { Command, EvalNode } from './ast.js';
import type { FieldContext } from './fields.js';
import { unsupported } from './lower-expr.js';
import { FOREACH_SENTINELS } from './parse-commands.js';

/** Puts the placeholders back where the parser had its stand-ins (names and string values). */
function restore<T>(v: T): T {
  if (typeof v === 'string') {
    let s: string = v;
    for (const [p, sentinel] of FOREACH_SENTINELS) s = s.split(sentinel).join(p);
    return s as T;
  }
  if (Array.isArray(v)) return v.map(restore) as T;
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = k === 'origin' || k === 'kind' || k === 'fn' || k === 'op' ? x : restore(x);
  return out as T;
}

/** Lowers a wildcard foreach; `lower` lowers one template command into a scratch query. */
export function lowerForeach(cmd: Extract<Command, { name: 'foreach' }>, ctx: FieldContext, lower: (c: Command, q: Query) => void): ForEach {
  const ds = ctx.ds;
  const bad = Object.entries(cmd.options).find(([k, v]) => !(k === 'mode' && v === 'multifield'));
  if (bad) unsupported(ds, `the foreach option '${bad[0]}=${bad[1]}'`, cmd.at);
  if (cmd.bare) unsupported(ds, 'a foreach placeholder used unquoted in an expression (Splunk pastes the field name there as text; quote it as \'<<FIELD>>\')', cmd.bare);
  if (!ctx.keepsNames()) unsupported(ds, `foreach over the fields matching '${cmd.fields.join(' ')}' here (the pattern names Splunk fields, which this source maps to other names)`, cmd.at);
  if (cmd.fields.some((f) => starPatternRegex(f).test('_time'))) unsupported(ds, `foreach over '${cmd.fields.join(' ')}' (it would match _time, which the IR names @timestamp)`, cmd.at);
  const scratch: Query = { source: {}, filter: { kind: 'const', value: true }, stages: [] };
  const before = ds.length;
  for (const c of cmd.template ?? []) {
    if (c.name !== 'eval') unsupported(ds, `a foreach template with '${c.name === 'other' ? c.command : c.name}' (only eval is lowered)`, cmd.at);
    lower(c, scratch);
  }
  // The stand-ins are names of no source field: their "no mapping" warnings say nothing.
  for (let i = ds.length - 1; i >= before; i--) if (ds[i]!.code === 'RB252' && ds[i]!.message.includes('rbFOREACHx')) ds.splice(i, 1);
  const assign = scratch.stages.flatMap((s: Stage) => (s.kind === 'eval' ? s.assign : []));
  return { kind: 'foreach', patterns: [...cmd.fields], assign: restore(assign), origin: cmd.at };
}

/**
 * `makemv [delim=d] [allowempty=B] field` as the eval it is (Search Reference, makemv): the value
 * split at every `d` (default a space), the empty strings left out unless allowempty=true.
 * tokenizer= and setsv= are refused.
 */
export function makemvEval(cmd: Extract<Command, { name: 'makemv' }>, ctx: FieldContext): Command {
  const bad = Object.keys(cmd.options).find((k) => k !== 'delim' && k !== 'allowempty');
  if (bad) unsupported(ctx.ds, `the makemv option '${bad}'`, cmd.at);
  const empty = cmd.options.allowempty ?? 'false';
  if (!/^(true|t|1|false|f|0)$/i.test(empty)) unsupported(ctx.ds, `makemv allowempty=${empty}`, cmd.at);
  const delim = cmd.options.delim ?? ' ';
  if (delim === '') unsupported(ctx.ds, 'makemv with an empty delimiter', cmd.at);
  const at = cmd.at;
  const f: EvalNode = { kind: 'field', name: cmd.field, at };
  const split: EvalNode = { kind: 'call', fn: 'split', args: [f, { kind: 'str', value: delim, at }], at };
  const keep: EvalNode = { kind: 'call', fn: 'mvfilter', args: [{ kind: 'binary', op: '!=', left: f, right: { kind: 'str', value: '', at }, at }], at };
  const assign = [{ field: cmd.field, expr: split, at }, ...(/^(true|t|1)$/i.test(empty) ? [] : [{ field: cmd.field, expr: keep, at }])];
  return { name: 'eval', assign, at };
}
