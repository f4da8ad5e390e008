import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { addressGroup, clientAddress, trustedProxyList } from './client-address.js';

async function seenAddress(trusted: string[], peer: string, forwardedFor?: string) {
  const app = new Hono().get('/', (c) => c.text(clientAddress(c, trustedProxyList(trusted))));
  const headers: Record<string, string> = forwardedFor ? { 'x-forwarded-for': forwardedFor } : {};
  const res = await app.request('/', { headers }, { incoming: { socket: { remoteAddress: peer } } });
  return res.text();
}

describe('the client address (S-6)', () => {
  it('ignores X-Forwarded-For when no proxy is trusted: a client cannot choose its address', async () => {
    expect(await seenAddress([], '203.0.113.9', '198.51.100.1')).toBe('203.0.113.9');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    expect(await seenAddress(['10.0.0.1'], '203.0.113.9', '198.51.100.1')).toBe('203.0.113.9');
  });

  it('takes the right-most untrusted entry behind trusted proxies, not what the client wrote on the left', async () => {
    expect(await seenAddress(['10.0.0.0/8'], '10.0.0.1', '1.2.3.4, 198.51.100.7, 10.0.0.2')).toBe('198.51.100.7');
    expect(await seenAddress(['127.0.0.1'], '::ffff:127.0.0.1', '198.51.100.7')).toBe('198.51.100.7');
  });

  it('groups IPv6 addresses by /64 and keeps IPv4 addresses whole', () => {
    expect(addressGroup('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressGroup('::1')).toBe('0:0:0:0::/64');
    expect(addressGroup('198.51.100.7')).toBe('198.51.100.7');
  });
});
