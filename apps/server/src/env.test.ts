import { describe, expect, it } from 'vitest';
import { loadConfig } from './env.js';

describe('configuration', () => {
  it('finds the demo app on its default port', () => {
    expect(loadConfig({}).apps.vendorUrls.gotomeeting).toBe('http://127.0.0.1:3100');
  });

  it('follows the demo app when only DEMO_APP_PORT moved it (one port variable is enough)', () => {
    expect(loadConfig({ DEMO_APP_PORT: '4555' }).apps.vendorUrls.gotomeeting).toBe('http://127.0.0.1:4555');
  });

  it('prefers an explicit GoToMeeting URL, then the demo app public URL', () => {
    expect(loadConfig({ DEMO_APP_PORT: '4555', AUTOPROV_GOTOMEETING_URL: 'https://api.getgo.com/' }).apps.vendorUrls.gotomeeting).toBe('https://api.getgo.com');
    expect(loadConfig({ DEMO_APP_PUBLIC_URL: 'http://demo.internal:8080' }).apps.vendorUrls.gotomeeting).toBe('http://demo.internal:8080');
  });
});

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

describe('configuration (S-6)', () => {
  it('takes the public address from AUTOPROV_PUBLIC_URL, and refuses a wildcard listen address without one', () => {
    expect(loadConfig({ HOST: '127.0.0.1', PORT: '3000' }).publicUrl).toBe('http://127.0.0.1:3000');
    expect(loadConfig({ HOST: '0.0.0.0', AUTOPROV_PUBLIC_URL: 'https://autoprov.example.com/' }).publicUrl).toBe('https://autoprov.example.com');
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/set AUTOPROV_PUBLIC_URL/);
  });
});

describe('process role and metrics token (issue 16)', () => {
  it('runs everything in one process unless AUTOPROV_ROLE says otherwise', () => {
    expect(loadConfig({}).role).toBe('all');
    expect(loadConfig({ AUTOPROV_ROLE: 'web' }).role).toBe('web');
    expect(loadConfig({ AUTOPROV_ROLE: 'worker' }).role).toBe('worker');
  });

  it('refuses an unknown role with the roles it accepts, rather than guessing', () => {
    for (const bad of ['Web', 'both', 'scheduler', '']) {
      expect(() => loadConfig({ AUTOPROV_ROLE: bad })).toThrow('AUTOPROV_ROLE: AUTOPROV_ROLE must be one of web, worker, all (default all)');
    }
  });

  it('serves no metrics without a token, and refuses a token short enough to guess', () => {
    expect(loadConfig({}).metricsToken).toBeUndefined();
    const token = 'a'.repeat(32);
    expect(loadConfig({ AUTOPROV_METRICS_TOKEN: token }).metricsToken).toBe(token);
    expect(() => loadConfig({ AUTOPROV_METRICS_TOKEN: 'secret' })).toThrow(/AUTOPROV_METRICS_TOKEN must be at least 32 characters/);
  });
});
