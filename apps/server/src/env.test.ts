import { describe, expect, it } from 'vitest';
import { loadConfig } from './env.js';

describe('sign-in settings from the environment (S-3, S-6)', () => {
  it('trusts no proxy and ends idle sessions after 30 minutes by default', () => {
    const config = loadConfig({});
    expect(config.trustedProxies).toEqual([]);
    expect(config.idleTimeoutMs).toBe(30 * 60_000);
  });

  it('reads trusted proxies as addresses and CIDR ranges, and the idle timeout in minutes', () => {
    const config = loadConfig({ AUTOPROV_TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1,::1, fd00::/8', AUTOPROV_IDLE_TIMEOUT_MINUTES: '15' });
    expect(config.trustedProxies).toEqual(['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8']);
    expect(config.idleTimeoutMs).toBe(15 * 60_000);
  });

  it('refuses a trusted proxy that is not an address or a range, rather than trusting too much', () => {
    for (const bad of ['everyone', '10.0.0.0/33', '*', '10.0.0.1/8/2']) {
      expect(() => loadConfig({ AUTOPROV_TRUSTED_PROXIES: bad })).toThrow(/AUTOPROV_TRUSTED_PROXIES/);
    }
  });
});
