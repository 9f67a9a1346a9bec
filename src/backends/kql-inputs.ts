/**
 * Correlations in KQL (Query.inputs): each input is its own source head (table, selection,
 * filter) that projects the fields the stages read under their canonical names, `rule.name` as
 * the input's name and its aliases; several inputs are a `union` of those branches. The stages
 * (summarize … by bin(…), keys | where …) then read the projected columns. In the unified
 * dialect each input picks its own flavour (Defender XDR, else Sentinel).
 */
import { diag, hasErrors, type Diagnostic } from '../diagnostics/index.js';
import { INPUT_FIELD, walkExpr, type Expr, type QueryInput, type RuleIR, type Stage } from '../ir/index.js';
import { kqlIdent, kqlString } from './kql-literal.js';
import type { KqlMapping, KqlType } from './kql-mapping.js';
import { column, Scope, type KqlCtx } from './kql-scope.js';
import { familyNote, fill, headOperators, onlyGaps, sourceHead } from './kql-source.js';
import { renderStages } from './kql-stages.js';
import type { RenderOptions, RenderResult } from './types.js';

/** The canonical fields the stages read from the events (up to the first aggregate). */
function fieldsRead(stages: Stage[]): string[] {
  const out = new Set<string>();
  const expr = (e: Expr) => walkExpr(e, (n) => {
    if (n.kind === 'pred') {
      out.add(n.field);
      if (n.op === 'fieldref') for (const v of n.values) out.add(String(v));
    }
  });
  for (const s of stages) {
    if (s.kind === 'filter') expr(s.expr);
    else if (s.kind === 'aggregate') {
      for (const g of s.groupBy) out.add(g.field);
      for (const a of s.aggs) {
        if (a.field) out.add(a.field);
        if (a.where) expr(a.where);
      }
      if (s.span) out.add(s.span.field);
      break;
    } else break;
  }
  return [...out];
}

interface Branch { table: string; ops: string[]; cols: Map<string, { text: string; type: KqlType }>; flavour: string }

/** One input in the first flavour that has its table and every column it needs. */
function branch(rule: RuleIR, input: QueryInput, needed: string[], list: KqlMapping[]): { b?: Branch; diags: Diagnostic[] } {
  let first: Diagnostic[] | undefined;
  for (const [i, mapping] of list.entries()) {
    const diags: Diagnostic[] = [];
    const head = sourceHead(mapping, input.source, input.filter, rule.file, diags, input.origin);
    if (head) {
      const cols = new Map<string, { text: string; type: KqlType }>();
      cols.set(INPUT_FIELD, { text: kqlString(input.name), type: 'string' });
      const aliasOf = new Map(input.aliases.map((a) => [a.as, a.field]));
      for (const f of needed) {
        if (f === INPUT_FIELD) continue;
        const r = column(head.ctx, aliasOf.get(f) ?? f, input.origin);
        if (r) cols.set(f, { text: r.text, type: r.type });
      }
      for (const a of input.aliases) {
        if (cols.has(a.as)) continue;
        const r = column(head.ctx, a.field, input.origin);
        if (r) cols.set(a.as, { text: r.text, type: r.type });
      }
      if (!hasErrors(diags) && head.filter !== undefined) return { b: { table: head.table.name, ops: headOperators(head), cols, flavour: mapping.flavour }, diags };
    }
    first ??= diags;
    if (!onlyGaps(diags) || i === list.length - 1) return { diags: first.some((d) => d.code === 'RB403') ? first : diags };
  }
  return { diags: first ?? [] };
}

/** Renders a correlation: the union of its inputs, then its stages. */
export function renderCorrelation(rule: RuleIR, opts: RenderOptions, list: KqlMapping[]): RenderResult {
  const inputs = rule.query.inputs!;
  const diagnostics: Diagnostic[] = [];
  if (!inputs.length) return { ok: false, diagnostics: [diag('RB401', 'kql cannot express a correlation without inputs', { file: rule.file })] };
  const needed = fieldsRead(rule.query.stages);
  const branches: Branch[] = [];
  for (const input of inputs) {
    const { b, diags } = branch(rule, input, needed, list);
    diagnostics.push(...diags);
    if (b) branches.push(b);
  }
  if (hasErrors(diagnostics)) return { ok: false, diagnostics };
  // One type per projected column: where the inputs' columns differ, every branch casts to string.
  const names = [...new Set(branches.flatMap((b) => [...b.cols.keys()]))];
  const types = new Map<string, KqlType>();
  for (const n of names) {
    const ts = new Set(branches.map((b) => b.cols.get(n)?.type ?? 'string'));
    types.set(n, ts.size === 1 ? [...ts][0]! : 'string');
  }
  const texts = branches.map((b) => {
    const proj = names.map((n) => {
      const c = b.cols.get(n);
      const t = types.get(n)!;
      const v = !c ? (t === 'string' ? "''" : `${t}(null)`) : c.type !== t ? `tostring(${c.text})` : c.text;
      return `${kqlIdent(n)} = ${v}`;
    });
    return [kqlIdent(b.table), ...b.ops, `project ${proj.join(', ')}`];
  });
  const ctx: KqlCtx = { mapping: list[0]!, scope: Scope.of(names.map((n) => [n, types.get(n)!] as [string, KqlType])), diags: diagnostics, file: rule.file, warned: new Set(), ...(opts.lookupTables ? { lookups: opts.lookupTables } : {}) };
  const stages = renderStages(ctx, rule.query.stages);
  if (hasErrors(diagnostics)) return { ok: false, diagnostics };
  const sentinel = branches.filter((b) => b.flavour === 'sentinel' && list.length > 1).map((b) => b.table);
  const family = sentinel.length ? familyNote(sentinel) : '';
  const one = texts.length === 1;
  const table = one ? texts[0]![0]! : `union\n${texts.map((t) => `    (${t.join(' | ')})`).join(',\n')}`;
  const operators = one ? [...texts[0]!.slice(1), ...stages] : stages;
  return fill(rule, opts, { family, table, operators }, { table: branches.map((b) => b.table).join(','), flavour: sentinel.length ? 'sentinel' : list[0]!.flavour }, diagnostics);
}
