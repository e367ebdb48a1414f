import net from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Which IP addresses a server-side fetch may connect to. IPv4: everything but the special-purpose
 * ranges (IANA registry). IPv6: only global unicast (2000::/3) minus its special blocks; the forms
 * that embed an IPv4 address (mapped, NAT64, 6to4) are judged by that address, since that is
 * where the packets end up.
 */

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];
const cidrs = (list: string[]): Cidr[] => list.map((c) => ipaddr.parseCIDR(c));

const V4_DENIED = cidrs([
  '0.0.0.0/8', // "this network", 0.0.0.0 unspecified
  '10.0.0.0/8',
  '100.64.0.0/10', // carrier-grade NAT
  '127.0.0.0/8',
  '169.254.0.0/16', // link-local, cloud metadata (169.254.169.254)
  '172.16.0.0/12',
  '192.0.0.0/24', // IETF protocol assignments
  '192.0.2.0/24', // documentation
  '192.31.196.0/24', // AS112
  '192.52.193.0/24', // AMT
  '192.88.99.0/24', // 6to4 relay anycast
  '192.168.0.0/16',
  '192.175.48.0/24', // AS112
  '198.18.0.0/15', // benchmarking
  '198.51.100.0/24', // documentation
  '203.0.113.0/24', // documentation
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, 255.255.255.255 broadcast
]);

const V6_GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');
const V6_DENIED = cidrs([
  '2001::/23', // IETF protocol assignments: Teredo (2001::/32), benchmarking, ORCHID
  '2001:db8::/32', // documentation
  '3fff::/20', // documentation
]);
const V6_EMBEDDED_V4: { cidr: Cidr; v4At: number }[] = [
  { cidr: ipaddr.parseCIDR('::ffff:0:0/96'), v4At: 12 }, // IPv4-mapped
  { cidr: ipaddr.parseCIDR('64:ff9b::/96'), v4At: 12 }, // NAT64 well-known prefix
  { cidr: ipaddr.parseCIDR('2002::/16'), v4At: 2 }, // 6to4
];

/** Why an address may not be fetched, or undefined when it is a public unicast address. */
export function deniedReason(address: string): string | undefined {
  // net.isIP is strict (dotted-quad or RFC 4291 text only); ipaddr.parse alone would also accept
  // "0x7f.1" and the like, which never reach us from the URL parser or the resolver anyway.
  const version = net.isIP(address);
  if (version === 0) return 'not an IP address';
  const ip = ipaddr.parse(address.replace(/%.*/, ''));
  if (ip.kind() === 'ipv4') {
    return V4_DENIED.some((c) => ip.match(c)) ? 'a private or reserved IPv4 address' : undefined;
  }
  const v6 = ip as ipaddr.IPv6;
  for (const { cidr, v4At } of V6_EMBEDDED_V4) {
    if (!v6.match(cidr)) continue;
    const bytes = v6.toByteArray().slice(v4At, v4At + 4);
    const inner = deniedReason(bytes.join('.'));
    return inner ? `an IPv6 address that embeds ${inner}` : undefined;
  }
  if (!v6.match(V6_GLOBAL_UNICAST)) {
    return 'a loopback, link-local, unique-local, multicast or reserved IPv6 address';
  }
  return V6_DENIED.some((c) => v6.match(c)) ? 'a reserved IPv6 address' : undefined;
}

/**
 * What stays refused even when the operator allows private addresses
 * (JOBFORGE_ALLOW_PRIVATE_URLS, meant for Ollama on the laptop or an intranet): link-local
 * (where cloud instance metadata answers, 169.254.169.254), the known metadata addresses outside
 * it, unspecified and multicast targets. Nobody's model server or job board lives there.
 */
const NEVER_V4 = cidrs([
  '0.0.0.0/8',
  '169.254.0.0/16',
  '100.100.100.200/32', // Alibaba Cloud metadata (inside carrier-grade NAT space)
  '224.0.0.0/4',
  '240.0.0.0/4',
]);
const NEVER_V6 = cidrs([
  '::/128',
  'fe80::/10', // link-local
  'fd00:ec2::254/128', // AWS instance metadata over IPv6
  'ff00::/8', // multicast
]);

export function alwaysDeniedReason(address: string): string | undefined {
  if (net.isIP(address) === 0) return 'not an IP address';
  const ip = ipaddr.parse(address.replace(/%.*/, ''));
  if (ip.kind() === 'ipv4') {
    return NEVER_V4.some((c) => ip.match(c))
      ? 'a link-local, metadata, unspecified or multicast address'
      : undefined;
  }
  const v6 = ip as ipaddr.IPv6;
  for (const { cidr, v4At } of V6_EMBEDDED_V4) {
    if (v6.match(cidr))
      return alwaysDeniedReason(
        v6
          .toByteArray()
          .slice(v4At, v4At + 4)
          .join('.'),
      );
  }
  return NEVER_V6.some((c) => v6.match(c))
    ? 'a link-local, metadata, unspecified or multicast IPv6 address'
    : undefined;
}
