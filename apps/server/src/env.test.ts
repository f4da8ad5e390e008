import { describe, expect, it } from 'vitest';
import { loadConfig } from './env.js';

describe('configuration (S-6)', () => {
  it('takes the public address from AUTOPROV_PUBLIC_URL, and refuses a wildcard listen address without one', () => {
    expect(loadConfig({ HOST: '127.0.0.1', PORT: '3000' }).publicUrl).toBe('http://127.0.0.1:3000');
    expect(loadConfig({ HOST: '0.0.0.0', AUTOPROV_PUBLIC_URL: 'https://autoprov.example.com/' }).publicUrl).toBe('https://autoprov.example.com');
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/set AUTOPROV_PUBLIC_URL/);
  });
});
