import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadOrCreateKey, SecretBox } from './index.js';

describe('SecretBox (S-2)', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips and never shows the plaintext', () => {
    const sealed = box.seal('refresh-token-Ünïcode', 'config-1');
    expect(sealed).not.toContain('refresh');
    expect(box.open(sealed, 'config-1')).toBe('refresh-token-Ünïcode');
    expect(box.seal('same', 'x')).not.toBe(box.seal('same', 'x'));
  });

  it('refuses a ciphertext moved to another row, tampered with, or opened with another key', () => {
    const sealed = box.seal('secret', 'config-1');
    expect(() => box.open(sealed, 'config-2')).toThrow();
    const [v, n, t, d] = sealed.split('.');
    // Flip one bit of the ciphertext (editing a base64 character could leave it unchanged).
    const bytes = Buffer.from(d!, 'base64url');
    bytes[0]! ^= 1;
    const flipped = `${v}.${n}.${t}.${bytes.toString('base64url')}`;
    expect(() => box.open(flipped, 'config-1')).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'config-1')).toThrow();
  });
});

describe('loadOrCreateKey', () => {
  it('creates a private key file once and reuses it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'autoprov-key-')), 'secret.key');
    const first = loadOrCreateKey(undefined, file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateKey(undefined, file).equals(first)).toBe(true);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.toString('hex'));
  });

  it('prefers the configured key', () => {
    const hex = 'ab'.repeat(32);
    expect(loadOrCreateKey(hex, '/nonexistent/never-written').toString('hex')).toBe(hex);
  });
});
