/**
 * IPv4 networks without an inet type (SQLite, DuckDB without its extension, Spark): the
 * addresses of a network, written as dotted-quad text, are the strings that start with its
 * fixed octets; a prefix that ends inside an octet expands to at most 128 alternatives of the
 * next octet. Exact for canonical text (no leading zeros, no IPv4-mapped IPv6 form, no spaces);
 * the renderer warns (RB404) that other spellings of an address do not match. IPv6 networks
 * have too many spellings for text matching and are reported unsupported.
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
