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

  it('is reached on loopback when it listens on every address', () => {
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '3999' }).publicUrl).toBe('http://127.0.0.1:3999');
  });
});
