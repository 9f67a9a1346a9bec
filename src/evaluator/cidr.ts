/** IPv4 and IPv6 networks (`10.0.0.0/8`, `fe80::/10`); an IPv4-mapped IPv6 address counts as IPv4. */

/** An address as 4 or 16 bytes. */
export type IpBytes = number[];

function parseV4(s: string): IpBytes | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseV6(s: string): IpBytes | undefined {
  const pct = s.indexOf('%'); // zone id (fe80::1%eth0)
  if (pct >= 0) s = s.slice(0, pct);
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.', lastColon)) {
    const v4 = parseV4(s.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = v4;
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const words = (h: string) => (h === '' ? [] : h.split(':'));
  const head = words(halves[0]!);
  const rest = halves.length === 2 ? words(halves[1]!) : [];
  const fill = 8 - head.length - rest.length;
  if (halves.length === 1 ? head.length !== 8 : fill < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...rest];
  const out: number[] = [];
  for (const w of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(w)) return undefined;
    const n = parseInt(w, 16);
    out.push(n >> 8, n & 255);
  }
  if (tail.length) out.splice(12, 4, ...tail);
  return out;
}

/** Parses an address; IPv4-mapped IPv6 (`::ffff:1.2.3.4`) comes back as IPv4. */
export function parseIp(s: string): IpBytes | undefined {
  s = s.trim();
  if (!s.includes(':')) return parseV4(s);
  const b = parseV6(s);
  if (b && b.slice(0, 10).every((x) => x === 0) && b[10] === 255 && b[11] === 255) return b.slice(12);
  return b;
}

/** Compiles a network; a string is the error. */
export function compileCidr(net: string): ((ip: string) => boolean) | string {
  const slash = net.indexOf('/');
  const addr = parseIp(slash >= 0 ? net.slice(0, slash) : net);
  if (!addr) return `not an IP network: ${net}`;
  const max = addr.length * 8;
  const prefix = slash >= 0 ? Number(net.slice(slash + 1)) : max;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (slash >= 0 && !/^\d+$/.test(net.slice(slash + 1)))) return `bad prefix length in ${net}`;
  return (ip) => {
    const b = parseIp(ip);
    if (!b || b.length !== addr.length) return false;
    let bits = prefix;
    for (let i = 0; bits > 0; i++, bits -= 8) {
      const mask = bits >= 8 ? 255 : (255 << (8 - bits)) & 255;
      if ((b[i]! & mask) !== (addr[i]! & mask)) return false;
    }
    return true;
  };
}
