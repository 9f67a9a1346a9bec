/**
 * IPv4 networks without an inet type (SQLite, DuckDB without its extension, Spark): the
 * addresses of a network, written as dotted-quad text, are the strings that start with its
 * fixed octets; a prefix that ends inside an octet expands to at most 128 alternatives of the
 * next octet. Exact for canonical text (no leading zeros, no IPv4-mapped IPv6 form, no spaces);
 * the renderer warns (RB404) that other spellings of an address do not match.
 * IPv6 has many spellings; two network shapes are still exact on text up to letter case:
 * `::1/128` (written `::1` or `0:0:0:0:0:0:0:1`) and a prefix within the first hextet whose
 * values are all ≥ 0x1000 (four hex digits, never elided by `::`), e.g. fe80::/10, fc00::/7.
 * Other IPv6 networks are reported unsupported.
 */

/** The LIKE patterns (or exact addresses) of an IPv4 network, or an error. */
export function ipv4Patterns(net: string): { like: string[]; exact: string[] } | { error: string } {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(net.trim());
  if (!m) return { error: net.includes(':') ? `IPv6 network ${net} cannot be matched as text` : `not an IPv4 network: ${net}` };
  const octets = m.slice(1, 5).map(Number);
  const bits = m[5] === undefined ? 32 : Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return { error: `not an IPv4 network: ${net}` };
  const full = Math.floor(bits / 8);
  const rest = bits - full * 8;
  const head = octets.slice(0, full);
  const tails: number[][] = [];
  if (rest === 0) tails.push([]);
  else {
    const mask = (255 << (8 - rest)) & 255;
    const base = octets[full]! & mask;
    for (let v = base; v < base + (1 << (8 - rest)); v++) tails.push([v]);
  }
  const like: string[] = [];
  const exact: string[] = [];
  for (const t of tails) {
    const fixed = [...head, ...t];
    if (fixed.length === 4) exact.push(fixed.join('.'));
    else like.push(fixed.length ? fixed.join('.') + '.%' : '%');
  }
  return { like, exact };
}

/** Text patterns of an IPv6 network (see above), or an error. Compare them on lower(x). */
export function ipv6Patterns(net: string): { like: string[]; exact: string[] } | { error: string } {
  const [addr = '', len] = net.trim().toLowerCase().split('/');
  const bits = len === undefined ? 128 : Number(len);
  const unsupported = { error: `IPv6 network ${net} cannot be matched as text (only ::1/128 and first-hextet prefixes such as fe80::/10)` };
  if (!/^[0-9a-f:]+$/.test(addr) || !addr.includes(':') || !Number.isInteger(bits)) return unsupported;
  if ((addr === '::1' || addr === '0:0:0:0:0:0:0:1') && bits === 128) return { like: [], exact: ['::1', '0:0:0:0:0:0:0:1'] };
  const first = addr.split(':')[0]!;
  if (!first || first.length > 4 || bits < 1 || bits > 16) return unsupported;
  const base = parseInt(first, 16) & ((0xffff << (16 - bits)) & 0xffff);
  if (base < 0x1000) return unsupported;
  const nibbles = Math.ceil(bits / 4);
  const like: string[] = [];
  for (let i = 0; i < 1 << (nibbles * 4 - bits); i++) {
    const head = ((base >> (16 - nibbles * 4)) + i).toString(16).padStart(nibbles, '0');
    like.push(head + '_'.repeat(4 - nibbles) + ':%');
  }
  return { like, exact: [] };
}
