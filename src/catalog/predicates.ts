/**
 * A readable, one-line text of the IR: the filter as canonical predicates and the pipeline
 * stages, so a reader sees what the rule means after lowering (not only what it says).
 */
import { visitExpr, visitStage, visitValue, type Expr, type Scalar, type Stage, type ValueExpr } from '../ir/index.js';

function lit(v: Scalar): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** The text of a value expression. */
export function valueText(e: ValueExpr): string {
  return visitValue<string>(e, {
    field: (n) => n.name,
    lit: (n) => lit(n.value),
    call: (n) => `${n.fn}(${n.args.map(valueText).join(', ')})`,
    binary: (n) => `(${valueText(n.left)} ${n.op} ${valueText(n.right)})`,
    unary: (n) => (n.op === 'not' ? `not ${valueText(n.arg)}` : `-${valueText(n.arg)}`),
  });
}

/** The text of a boolean expression, parenthesized where it nests. */
export function exprText(e: Expr): string {
  const s = nested(e);
  return (e.kind === 'and' || e.kind === 'or') && balanced(s.slice(1, -1)) ? s.slice(1, -1) : s;
}

function nested(e: Expr): string {
  return visitExpr<string>(e, {
    pred: (p) => {
      const vals = p.values.map(lit);
      const list = vals.length === 1 ? vals[0]! : `${p.quantifier === 'all' ? 'all' : 'any'}(${vals.join(', ')})`;
      const mods = [p.caseSensitive ? 'cased' : '', p.part ?? '', p.flags ? `/${p.flags}` : '', p.refOp && p.refOp !== 'eq' ? p.refOp : ''].filter(Boolean);
      const field = p.op === 'keyword' ? '*' : p.field;
      return `${field} ${p.op}${mods.length ? `[${mods.join(',')}]` : ''} ${list}`;
    },
    and: (n) => `(${n.args.map(nested).join(' AND ')})`,
    or: (n) => `(${n.args.map(nested).join(' OR ')})`,
    not: (n) => `NOT ${nested(n.arg)}`,
    const: (n) => String(n.value),
    test: (n) => `test ${valueText(n.expr)}`,
  });
}

/** True when the parentheses of `s` balance on their own (so outer ones can go). */
function balanced(s: string): boolean {
  let d = 0;
  let q = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && q) i++;
    else if (c === '"') q = !q;
    else if (!q && c === '(') d++;
    else if (!q && c === ')' && --d < 0) return false;
  }
  return d === 0;
}

/** The text of one IR stage. */
export function stageText(s: Stage): string {
  return visitStage<string>(s, {
    aggregate: (a) => {
      const aggs = a.aggs.map((g) => `${g.fn}(${g.field ?? ''}${g.where ? ` where ${exprText(g.where)}` : ''}) as ${g.as}`).join(', ');
      const by = a.groupBy.map((g) => (g.field === g.as ? g.field : `${g.field} as ${g.as}`)).join(', ');
      const span = a.span ? ` span ${a.span.field}/${a.span.seconds}s` : '';
      return `aggregate ${aggs}${by ? ` by ${by}` : ''}${span}`;
    },
    filter: (f) => `filter ${exprText(f.expr)}`,
    eval: (e) => `eval ${e.assign.map((x) => `${x.field} = ${valueText(x.expr)}`).join(', ')}`,
    rename: (r) => `rename ${r.pairs.map((p) => `${p.from} as ${p.to}`).join(', ')}`,
    project: (p) => `${p.mode === 'keep' ? 'keep' : 'drop'} ${p.fields.join(', ')}`,
    dedup: (d) => `dedup ${d.fields.join(', ')}`,
    sort: (s) => `sort ${s.keys.map((k) => (k.desc ? `-${k.field}` : k.field)).join(', ')}`,
    head: (h) => `head ${h.n}`,
    extract: (x) => `extract ${x.field} ${JSON.stringify(x.pattern)}`,
    fillnull: (f) => `fillnull ${lit(f.value)} ${f.fields.join(', ')}`,
    eventstats: (a) => `eventstats ${a.aggs.map((g) => `${g.fn}(${g.field ?? ''}) as ${g.as}`).join(', ')}${a.groupBy.length ? ` by ${a.groupBy.map((g) => g.as).join(', ')}` : ''}`,
    mvexpand: (m) => `mvexpand ${m.field}`,
    join: (j) => `join ${j.type} on ${j.on.join(', ')} with (${exprText(j.query.filter)})`,
    lookup: (l) => `lookup ${l.table} ${l.keys.map((k) => (k.field === k.column ? k.field : `${k.column} as ${k.field}`)).join(', ')} output ${l.outputs.map((o) => (o.column === o.as ? o.as : `${o.column} as ${o.as}`)).join(', ')}`,
    sequence: (s) => `sequence ${s.steps.join(' → ')}${s.by.length ? ` by ${s.by.join(', ')}` : ''} within ${s.maxspan}s`,
    foreach: (f) => `foreach ${f.patterns.join(' ')} eval ${f.assign.map((x) => `${x.field} = ${valueText(x.expr)}`).join(', ')}`,
    spath: (p) => `spath ${p.input}`,
    iplocation: (l) => `iplocation ${l.field}${l.prefix ? ` prefix ${l.prefix}` : ''}${l.allFields ? ' allfields' : ''}`,
  });
}
