import { BlockList, isIP, isIPv4 } from 'node:net';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/**
 * The proxies whose `X-Forwarded-For` is believed (AUTOPROV_TRUSTED_PROXIES): addresses or
 * CIDR ranges. Without any, the header is ignored: anyone can write it.
 */
export function trustedProxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const type = isIPv4(address) ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

const typeOf = (address: string) => (isIPv4(address) ? 'ipv4' : 'ipv6');
const unmapped = (address: string) => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');

function peerAddress(c: Context): string | null {
  try {
    const address = getConnInfo(c).remote.address;
    return address ? unmapped(address) : null;
  } catch {
    return null; // app.request() without a socket
  }
}

/**
 * The client's address: the socket's peer, or, when that peer is a trusted proxy, the
 * right-most `X-Forwarded-For` entry that is not itself a trusted proxy (the left part of the
 * header is whatever the client chose to send).
 */
export function clientAddress(c: Context, trusted: BlockList): string {
  let address = peerAddress(c);
  if (!address) return 'unknown';
  const forwarded = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((part) => unmapped(part.trim()))
    .filter((part) => isIP(part) !== 0);
  while (trusted.check(address, typeOf(address))) {
    const next = forwarded.pop();
    if (!next) break;
    address = next;
  }
  return address;
}

/** Expands an IPv6 address to its eight 16-bit groups. */
function ipv6Groups(address: string): string[] {
  const [head = '', tail] = address.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  if (right.length > 0 && isIPv4(right[right.length - 1]!)) {
    const [a, b, c, d] = right.pop()!.split('.').map(Number) as [number, number, number, number];
    right.push(((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
  }
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => parseInt(g, 16).toString(16));
}

/**
 * The unit sign-in attempts are counted by: an IPv4 address, or an IPv6 /64 (one customer's
 * network: a host owning a /64 can use any address in it).
 */
export function addressGroup(address: string): string {
  if (isIPv4(address)) return address;
  if (isIP(address) === 6) return `${ipv6Groups(address.split('%')[0]!).slice(0, 4).join(':')}::/64`;
  return address;
}
