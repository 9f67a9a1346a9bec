/**
 * spath without a path (Search Reference "spath"): every leaf of the JSON or XML document in
 * the input field becomes a field named by its path. JSON: keys joined by `.`, `{}` after each
 * array level (`a{}.b`, a top-level array `{}.b`); XML: element names joined by `.` from the
 * root, `{@name}` for an attribute. A path met more than once gives a list, in document order.
 * A list input is read from its first value; input that parses as neither leaves the row as it is.
 */
import type { SpathAll } from '../ir/index.js';
import { own, type CompiledStage } from './stages.js';

type Out = Map<string, unknown[]>;

function put(out: Out, path: string, v: unknown): void {
  const l = out.get(path);
  if (l) l.push(v);
  else out.set(path, [v]);
}

function walkJson(v: unknown, path: string, out: Out): void {
  if (v === null || v === undefined) return;
  if (Array.isArray(v)) { for (const x of v) walkJson(x, path + '{}', out); return; }
  if (typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) walkJson(x, path ? `${path}.${k}` : k, out);
    return;
  }
  if (path) put(out, path, v);
}

const ENTITY: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (m, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : ENTITY[e] ?? m);
}

/** Leaves of a well-formed XML document; false when it is not well formed. */
function walkXml(text: string, out: Out): boolean {
  const stack: { name: string; text: string; children: boolean }[] = [];
  const tag = /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<\/([^\s>]+)\s*>|<([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  const path = () => stack.map((e) => e.name).join('.');
  let m: RegExpExecArray | null;
  let pos = 0;
  let seenRoot = false;
  while ((m = tag.exec(text)) !== null) {
    if (m.index !== pos) return false;
    pos = tag.lastIndex;
    const [, cdata, close, open, attrs, self, chars] = m;
    if (cdata !== undefined) { if (stack.length) stack[stack.length - 1]!.text += cdata; continue; }
    if (chars !== undefined) {
      if (stack.length) stack[stack.length - 1]!.text += unescapeXml(chars);
      else if (chars.trim()) return false;
      continue;
    }
    if (close !== undefined) {
      const e = stack.pop();
      if (!e || e.name !== close) return false;
      const t = e.text.trim();
      if (!e.children && t) put(out, [path(), e.name].filter(Boolean).join('.'), t);
      continue;
    }
    if (open === undefined) continue; // comment, declaration
    if (!stack.length && seenRoot) return false;
    seenRoot = true;
    if (stack.length) stack[stack.length - 1]!.children = true;
    const here = [path(), open].filter(Boolean).join('.');
    for (const a of (attrs ?? '').matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) put(out, `${here}{@${a[1]}}`, unescapeXml(a[2] ?? a[3] ?? ''));
    if (!self) stack.push({ name: open, text: '', children: false });
  }
  return pos === text.length && stack.length === 0 && seenRoot;
}

/** The leaves of one input value, or undefined when it is neither JSON nor XML. */
export function spathLeaves(input: string): Out | undefined {
  const t = input.trim();
  const out: Out = new Map();
  if (t.startsWith('{') || t.startsWith('[')) {
    let doc: unknown;
    try { doc = JSON.parse(t); } catch { return undefined; }
    walkJson(doc, '', out);
    return out;
  }
  if (t.startsWith('<')) return walkXml(t, out) ? out : undefined;
  return undefined;
}

/** Compiles the stage: each leaf path is written to the row (one value, or a list). */
export function compileSpathAll(n: SpathAll): CompiledStage {
  return { kind: 'step', make: () => (c) => {
    let v = c.f[n.input];
    if (Array.isArray(v)) v = v[0];
    if (typeof v !== 'string') return true;
    const leaves = spathLeaves(v);
    if (!leaves?.size) return true;
    const f = own(c);
    for (const [k, vals] of leaves) f[k] = vals.length === 1 ? vals[0] : vals;
    return true;
  } };
}
