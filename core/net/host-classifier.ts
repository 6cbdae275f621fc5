/**
 * Classifies the host of a URL, so outbound requests can refuse loopback, private, link-local
 * (cloud metadata at 169.254.169.254) and other non-public addresses unless an operator listed
 * them. Works on the host as the WHATWG URL parser normalises it: IPv4 in any notation
 * (`2130706433`, `0x7f.1`) becomes dotted decimal, IPv6 comes in brackets.
 */

/** What kind of address a host is. `name` is a DNS name other than localhost (not resolved here). */
export type HostKind = 'loopback' | 'private' | 'link-local' | 'unspecified' | 'reserved' | 'public' | 'name';

/** IPv4 ranges that are not public, as [first octets, prefix length, kind] (RFC 6890 and RFC 1918). */
const IPV4_RANGES: ReadonlyArray<[number[], number, HostKind]> = [
  [[0], 8, 'unspecified'],
  [[10], 8, 'private'],
  [[100, 64], 10, 'private'], // carrier-grade NAT, RFC 6598
  [[127], 8, 'loopback'],
  [[169, 254], 16, 'link-local'],
  [[172, 16], 12, 'private'],
  [[192, 0, 0], 24, 'reserved'],
  [[192, 168], 16, 'private'],
  [[198, 18], 15, 'reserved'], // benchmarking, RFC 2544
  [[224], 3, 'reserved'], // multicast and class E
];

/** Parses dotted-decimal IPv4, or undefined. */
function parseIpv4(host: string): number[] | undefined {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return undefined;
  return parts.map(Number);
}

function ipv4Kind(octets: number[]): HostKind {
  const value = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  for (const [prefix, bits, kind] of IPV4_RANGES) {
    const base = prefix.reduce((sum, octet, i) => sum + octet * 2 ** (24 - 8 * i), 0);
    const size = 2 ** (32 - bits);
    if (value >= base && value < base + size) return kind;
  }
  return 'public';
}

/**
 * Expands an IPv6 literal (without brackets, as `URL` serialises it: hex groups, `::` once,
 * never dotted) to eight 16-bit groups, or undefined.
 */
function parseIpv6(host: string): number[] | undefined {
  const halves = host.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string) => (part ? part.split(':').map((group) => (/^[0-9a-f]{1,4}$/.test(group) ? Number.parseInt(group, 16) : NaN)) : []);
  const first = parse(halves[0]);
  const last = halves.length === 2 ? parse(halves[1]) : [];
  const missing = 8 - first.length - last.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0) || [...first, ...last].some(Number.isNaN)) return undefined;
  return [...first, ...new Array<number>(missing).fill(0), ...last];
}

function ipv6Kind(groups: number[]): HostKind {
  if (groups.every((g) => g === 0)) return 'unspecified';
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d): the embedded IPv4 address decides.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return ipv4Kind([groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255]);
  }
  if ((groups[0] & 0xfe00) === 0xfc00) return 'private'; // unique local fc00::/7
  if ((groups[0] & 0xffc0) === 0xfe80) return 'link-local';
  if ((groups[0] & 0xff00) === 0xff00) return 'reserved'; // multicast
  return 'public';
}

/**
 * The kind of a URL host (`URL.hostname`: lower case, IPv6 in brackets).
 *
 * @example
 * ```ts
 * classifyHost('127.0.0.1'); // 'loopback'
 * classifyHost('[::ffff:10.0.0.1]'); // 'private'
 * classifyHost('earth-search.aws.element84.com'); // 'name'
 * ```
 */
export function classifyHost(hostname: string): HostKind {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  const v4 = parseIpv4(host);
  if (v4) return ipv4Kind(v4);
  if (host.startsWith('[') && host.endsWith(']')) {
    const v6 = parseIpv6(host.slice(1, -1));
    return v6 ? ipv6Kind(v6) : 'reserved';
  }
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  return 'name';
}

/** True for kinds an operator must list explicitly before we connect to them. */
export function isNonPublic(kind: HostKind): boolean {
  return kind !== 'public' && kind !== 'name';
}
