import { isIP } from 'node:net';

/**
 * Whether an outgoing connection (crawler, webhooks) must refuse an address: the server itself, its
 * networks, cloud metadata, and every range that is not ordinary public unicast. Written as plain
 * arithmetic rather than with `net.BlockList`, which matches every IPv4 address against an IPv6
 * rule for `::ffff:0:0/96` and so refused the whole IPv4 internet.
 *
 * IPv6 forms that carry an IPv4 address (mapped, compatible, SIIT-translated, NAT64, 6to4) are
 * judged by the address they carry; anything outside global unicast (2000::/3) is refused.
 * Anything that is not an IP address at all is refused too.
 */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/%.*$/, '');
  switch (isIP(bare)) {
    case 4:
      return isPrivateIpv4(parseIpv4(bare));
    case 6:
      return isPrivateIpv6(parseIpv6(bare));
    default:
      return true;
  }
}

/** [network, prefix length] pairs; `a.b.c.d` as an unsigned 32-bit number. */
const PRIVATE_IPV4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation (TEST-NET-1)
  ['192.88.99.0', 24], // deprecated 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation (TEST-NET-2)
  ['203.0.113.0', 24], // documentation (TEST-NET-3)
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 (broadcast)
];

const IPV4_RANGES = PRIVATE_IPV4.map(([network, prefix]) => {
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (parseIpv4(network) & mask) >>> 0, mask };
});

function isPrivateIpv4(value: number): boolean {
  return IPV4_RANGES.some(({ base, mask }) => (value & mask) >>> 0 === base);
}

function parseIpv4(address: string): number {
  return address.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

/** Eight 16-bit groups of an address `isIP` has already accepted. */
function parseIpv6(address: string): number[] {
  let text = address.toLowerCase();
  // A trailing dotted quad (`::ffff:127.0.0.1`) stands for the last two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const v4 = parseIpv4(dotted[1]);
    text = `${text.slice(0, dotted.index)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const start = groups(head);
  if (tail === undefined) return start;
  const end = groups(tail);
  return [...start, ...new Array<number>(8 - start.length - end.length).fill(0), ...end];
}

function isPrivateIpv6(g: number[]): boolean {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embedded = ((g6 << 16) | g7) >>> 0;
  const upperZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0;
  if (upperZero && g4 === 0) {
    // :: and ::1, then the deprecated IPv4-compatible ::a.b.c.d and the mapped ::ffff:a.b.c.d.
    if (g5 === 0 && g6 === 0 && g7 <= 1) return true;
    if (g5 === 0 || g5 === 0xffff) return isPrivateIpv4(embedded);
  }
  // SIIT's IPv4-translated ::ffff:0:a.b.c.d.
  if (upperZero && g4 === 0xffff && g5 === 0) return isPrivateIpv4(embedded);
  // NAT64's well-known prefix 64:ff9b::/96 reaches the IPv4 address it carries.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    return isPrivateIpv4(embedded);
  }
  // 6to4 2002:AABB:CCDD::/48 tunnels to the IPv4 address in its second and third groups.
  if (g0 === 0x2002) return isPrivateIpv4(((g1 << 16) | g2) >>> 0);
  // Outside global unicast 2000::/3: link-local, unique-local, multicast, site-local, discard,
  // local-use NAT64 (64:ff9b:1::/48) and every reserved block.
  if ((g0 & 0xe000) !== 0x2000) return true;
  // 2001::/23, IETF protocol assignments: Teredo (2001::/32), benchmarking, ORCHID; no websites.
  if (g0 === 0x2001 && g1 < 0x200) return true;
  if (g0 === 0x2001 && g1 === 0xdb8) return true; // documentation
  if (g0 === 0x3fff && g1 < 0x1000) return true; // documentation (3fff::/20)
  return false;
}
