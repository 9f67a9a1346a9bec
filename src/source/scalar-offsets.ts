/**
 * Maps each character of a YAML string scalar's value to its offset in the source text, for
 * plain, single-quoted, double-quoted, literal (`|`) and folded (`>`) scalars (YAML 1.2 §7–8).
 * The decoded text is compared with the parser's value; on any mismatch the map is dropped and
 * callers fall back to the scalar's start, so a position is never wrong, only less precise.
 */
import { Scalar } from 'yaml';

/** Returns offsets[i] = source offset of value[i] (plus one entry for the end), or null. */
export function scalarOffsetMap(text: string, node: Scalar<string>): number[] | null {
  const [start, end] = node.range ?? [0, 0];
  const raw = text.slice(start, end);
  let decoded: { chars: string[]; offs: number[] } | null = null;
  switch (node.type) {
    case Scalar.QUOTE_SINGLE:
      decoded = decodeFlow(raw.slice(1, raw.endsWith("'") ? -1 : undefined), start + 1, 'single');
      break;
    case Scalar.QUOTE_DOUBLE:
      decoded = decodeFlow(raw.slice(1, raw.endsWith('"') ? -1 : undefined), start + 1, 'double');
      break;
    case Scalar.PLAIN:
      decoded = decodeFlow(raw, start, 'plain');
      break;
    case Scalar.BLOCK_LITERAL:
    case Scalar.BLOCK_FOLDED:
      decoded = decodeBlock(text, start, end, node.type === Scalar.BLOCK_FOLDED);
      break;
    default:
      return null;
  }
  if (!decoded) return null;
  const value = node.value;
  if (decoded.chars.join('') !== value) {
    // Block scalars may differ only in trailing chomping; accept a prefix match.
    const joined = decoded.chars.join('');
    if (!joined.startsWith(value)) return null;
  }
  const offs = decoded.offs.slice(0, value.length);
  offs.push(offs.length ? offs[offs.length - 1]! + 1 : start);
  return offs;
}

/** Flow scalars: line folding turns a run of line breaks into spaces or newlines. */
function decodeFlow(raw: string, base: number, style: 'single' | 'double' | 'plain'): { chars: string[]; offs: number[] } | null {
  const chars: string[] = [];
  const offs: number[] = [];
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === '\n' || c === '\r') {
      // Trim trailing white space already emitted on this line.
      while (chars.length && (chars[chars.length - 1] === ' ' || chars[chars.length - 1] === '\t')) {
        chars.pop();
        offs.pop();
      }
      let breaks = 0;
      const at = i;
      while (i < raw.length && /[ \t\r\n]/.test(raw[i]!)) {
        if (raw[i] === '\n') breaks++;
        i++;
      }
      if (breaks <= 1) { chars.push(' '); offs.push(base + at); }
      else for (let b = 1; b < breaks; b++) { chars.push('\n'); offs.push(base + at); }
      continue;
    }
    if (style === 'single' && c === "'" && raw[i + 1] === "'") {
      chars.push("'"); offs.push(base + i); i += 2; continue;
    }
    if (style === 'double' && c === '\\') {
      const n = raw[i + 1];
      const simple: Record<string, string> = { '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029' };
      if (n !== undefined && simple[n] !== undefined) { chars.push(simple[n]!); offs.push(base + i); i += 2; continue; }
      const hexLen = n === 'x' ? 2 : n === 'u' ? 4 : n === 'U' ? 8 : 0;
      if (hexLen) {
        const cp = parseInt(raw.slice(i + 2, i + 2 + hexLen), 16);
        if (Number.isNaN(cp)) return null;
        for (const ch of String.fromCodePoint(cp)) { chars.push(ch); offs.push(base + i); }
        i += 2 + hexLen; continue;
      }
      if (n === '\n' || n === '\r') {
        i += 2;
        while (i < raw.length && /[ \t\r\n]/.test(raw[i]!)) i++;
        continue;
      }
      return null;
    }
    chars.push(c); offs.push(base + i); i++;
  }
  return { chars, offs };
}

/** Block scalars: content lines lose the block's indentation; folded lines join with spaces. */
function decodeBlock(text: string, start: number, end: number, folded: boolean): { chars: string[]; offs: number[] } | null {
  const headerEnd = text.indexOf('\n', start);
  if (headerEnd < 0 || headerEnd >= end) return { chars: [], offs: [] };
  const lines: { off: number; s: string }[] = [];
  let p = headerEnd + 1;
  while (p < end) {
    let q = text.indexOf('\n', p);
    if (q < 0 || q > end) q = end;
    lines.push({ off: p, s: text.slice(p, q).replace(/\r$/, '') });
    p = q + 1;
  }
  const indent = Math.min(...lines.filter((l) => l.s.trim() !== '').map((l) => l.s.length - l.s.trimStart().length));
  if (!Number.isFinite(indent)) return { chars: [], offs: [] };
  const chars: string[] = [];
  const offs: number[] = [];
  lines.forEach((l, k) => {
    const body = l.s.slice(indent);
    for (let j = 0; j < body.length; j++) { chars.push(body[j]!); offs.push(l.off + indent + j); }
    if (k < lines.length - 1) {
      const next = lines[k + 1]!.s.slice(indent);
      const joinWithSpace = folded && body !== '' && next !== '' && !/^\s/.test(body) && !/^\s/.test(next);
      chars.push(joinWithSpace ? ' ' : '\n');
      offs.push(l.off + l.s.length);
    }
  });
  return { chars, offs };
}
