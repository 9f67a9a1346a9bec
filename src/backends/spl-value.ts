/**
 * IR value expressions → SPL eval expressions (Search Reference, "Evaluation functions"). The
 * function names of src/ir/functions.ts are SPL's own, so calls keep their names; operators
 * map one to one (`=` is written `==`, `and`/`or`/`not` in capitals).
 */
import { diag } from '../diagnostics/index.js';
import { FUNCTIONS, visitValue, type ValueExpr } from '../ir/index.js';
import { evalField, plainText, splString } from './spl-literal.js';
import type { SplCtx } from './spl-expr.js';

/** Renders a value expression; undefined after a diagnostic. */
export function renderValue(ctx: SplCtx, e: ValueExpr): string | undefined {
  const sub = (x: ValueExpr) => {
    const r = renderValue(ctx, x);
    return r === undefined ? undefined : x.kind === 'binary' || x.kind === 'unary' ? `(${r})` : r;
  };
  return visitValue<string | undefined>(e, {
    field: (n) => {
      const f = ctx.field(n.name);
      if (f) return f.name !== undefined ? evalField(f.name) ?? unsafe(ctx, n.name, n.origin) : f.expr;
      ctx.diags.push(diag('RB403', `spl has no field for ${n.name}`, n.origin ?? { file: ctx.file }));
      return undefined;
    },
    lit: (n) => {
      const v = n.value;
      if (v === null) return 'null()';
      if (typeof v === 'boolean') return v ? 'true()' : 'false()';
      if (typeof v === 'number') return Number.isFinite(v) ? String(v) : bad(ctx, `spl cannot write the number ${v}`, n.origin);
      return plainText(v) ? splString(v) : bad(ctx, 'spl cannot write a control character in an eval string', n.origin);
    },
    call: (n) => {
      if (!(n.fn in FUNCTIONS)) return bad(ctx, `spl: unknown function ${n.fn}`, n.origin);
      // The IR's mvfilter(name, cond) names its field; SPL's mvfilter(cond) finds it in cond.
      if (n.fn === 'mvfilter') { const c = n.args[1] && renderValue(ctx, n.args[1]); return c === undefined ? undefined : `mvfilter(${c})`; }
      // mvmap(name, expr) names its field as a literal too; SPL takes the field itself.
      if (n.fn === 'mvmap') {
        const name = n.args[0]?.kind === 'lit' && typeof n.args[0].value === 'string' ? n.args[0].value : undefined;
        const f = name === undefined ? undefined : renderValue(ctx, { kind: 'field', name, origin: n.origin });
        const e = n.args[1] && renderValue(ctx, n.args[1]);
        return f === undefined || e === undefined ? undefined : `mvmap(${f}, ${e})`;
      }
      const args = n.args.map(sub);
      return args.every((a) => a !== undefined) ? `${n.fn}(${args.join(', ')})` : undefined;
    },
    binary: (n) => {
      const l = sub(n.left);
      const r = sub(n.right);
      if (l === undefined || r === undefined) return undefined;
      const op = n.op === '=' ? '==' : n.op === 'and' ? 'AND' : n.op === 'or' ? 'OR' : n.op;
      return `${l} ${op} ${r}`;
    },
    unary: (n) => {
      const a = sub(n.arg);
      if (a === undefined) return undefined;
      return n.op === 'not' ? `NOT ${a}` : `-${a}`;
    },
  });
}

function bad(ctx: SplCtx, message: string, at?: { file?: string; line?: number; column?: number }): undefined {
  ctx.diags.push(diag('RB430', message, at ?? { file: ctx.file }));
  return undefined;
}

function unsafe(ctx: SplCtx, name: string, at?: { file?: string; line?: number; column?: number }): undefined {
  return bad(ctx, `spl cannot quote the field name '${name}'`, at);
}
