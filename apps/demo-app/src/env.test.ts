import { describe, expect, it } from 'vitest';
import { loadDemoAppOptions } from './env.js';

describe('demo app configuration', () => {
  it("sends autoprov's OAuth redirect to its default address", () => {
    expect(loadDemoAppOptions({}).redirectUris).toEqual(['http://127.0.0.1:3000/api/oauth/callback']);
  });

  it('follows autoprov when only PORT moved it (one port variable is enough)', () => {
    expect(loadDemoAppOptions({ PORT: '4321' }).redirectUris).toEqual(['http://127.0.0.1:4321/api/oauth/callback']);
  });

  it("follows autoprov's public URL, and an explicit list wins", () => {
    expect(loadDemoAppOptions({ AUTOPROV_PUBLIC_URL: 'https://autoprov.example.com/' }).redirectUris).toEqual(['https://autoprov.example.com/api/oauth/callback']);
    expect(loadDemoAppOptions({ PORT: '4321', DEMO_APP_REDIRECT_URIS: 'http://a/cb, http://b/cb' }).redirectUris).toEqual(['http://a/cb', 'http://b/cb']);
  });
});
