import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const algorithm = 'aes-256-gcm';
const version = 'v1';

/**
 * Encrypts secrets at rest (S-2): app tokens, service account keys. AES-256-GCM with a random
 * nonce; the text form `v1.<nonce>.<tag>.<ciphertext>` names its format so the scheme can change.
 * `context` (e.g. the row's id) is bound as associated data: a ciphertext copied to another row
 * does not decrypt.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('The secret key must be 32 bytes');
    this.key = key;
  }

  seal(plaintext: string, context = ''): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv(algorithm, this.key, nonce);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [version, nonce.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  open(sealed: string, context = ''): string {
    const [v, nonce, tag, data] = sealed.split('.');
    if (v !== version || nonce == null || tag == null || data == null) throw new Error('Not a sealed secret');
    const decipher = createDecipheriv(algorithm, this.key, Buffer.from(nonce, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/**
 * The key from configuration, or else one kept in the data folder (created on first start,
 * readable by its owner only) so that a plain start is safe without any set-up.
 */
export function loadOrCreateKey(keyHex: string | undefined, keyFile: string): Buffer {
  if (keyHex) return Buffer.from(keyHex, 'hex');
  if (existsSync(keyFile)) {
    // An older install may have left it readable by others (S-6).
    chmodSync(keyFile, 0o600);
    const stored = readFileSync(keyFile, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/i.test(stored)) throw new Error(`${keyFile} does not hold a 64-hex-character key`);
    return Buffer.from(stored, 'hex');
  }
  const key = randomBytes(32);
  mkdirSync(dirname(keyFile), { recursive: true });
  writeFileSync(keyFile, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(keyFile, 0o600);
  return key;
}
