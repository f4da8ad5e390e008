import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicUrl, testServer } from '../test/harness.js';

const MB = 1024 * 1024;
let server: Awaited<ReturnType<typeof testServer>>;
let listening: ReturnType<typeof serve>;
let port: number;

beforeAll(async () => {
  server = await testServer();
  listening = serve({ fetch: server.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => listening.once('listening', () => r()));
  port = (listening.address() as AddressInfo).port;
});
afterAll(() => {
  listening.close();
});

/** What an attacker does: a 50 MB body, streamed, sent as fast as the server takes it. */
function hugePost(path: string, options: { chunked?: boolean } = {}) {
  const size = 50 * MB;
  return new Promise<{ status: number; ms: number; body: string }>((resolve, reject) => {
    const started = performance.now();
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { host: new URL(publicUrl).host, origin: publicUrl, 'content-type': 'application/json', ...(options.chunked ? {} : { 'content-length': String(size) }) },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body });
          req.destroy();
        });
      },
    );
    req.on('error', (err) => {
      if (!req.destroyed) reject(err);
    });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < size && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

describe('request bodies are limited before they are read (S-6)', () => {
  it('refuses four parallel 50 MB sign-in bodies with 413 in milliseconds, and memory does not move', async () => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    const answers = await Promise.all([hugePost('/api/session'), hugePost('/api/session'), hugePost('/api/session', { chunked: true }), hugePost('/api/setup', { chunked: true })]);
    const grown = process.memoryUsage().rss - before;
    for (const a of answers) {
      expect(a.status).toBe(413);
      expect(JSON.parse(a.body)).toEqual({ error: { code: 'payload_too_large', message: expect.stringMatching(/too large: at most 64 KB/) } });
      expect(a.ms).toBeLessThan(1000);
    }
    // Reading 4 × 50 MB would take hundreds of MB.
    expect(grown).toBeLessThan(40 * MB);
  });

  it('a small body on any route gets past the limit; a large one only where it is needed (the Google key)', async () => {
    const su = await server.signedIn('super_admin');
    const big = { serviceAccountKey: 'k'.repeat(100 * 1024), adminEmail: 'a@example.com' };
    const tooBig = await su.post('/api/directory/users', big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.error.code).toBe('payload_too_large');
    // The key upload takes it, and refuses it for what it is.
    const key = await su.post('/api/directory/google/check', big);
    expect(key.status).toBe(400);
    expect(key.json.error.fields.serviceAccountKey).toMatch(/too large to be a service account key/);
    expect((await su.post('/api/directory/google/check', { ...big, serviceAccountKey: 'k'.repeat(300 * 1024) })).status).toBe(413);
  });
});

describe('writes take JSON only (S-6)', () => {
  it('lets a write without a body through over a real socket (a browser signing out)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/api/session', method: 'DELETE', headers: { host: new URL(publicUrl).host, origin: publicUrl } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    // Not signed in: the write policy answers, not the media type check.
    expect(status).toBe(401);
  });

  it('answers 415 to a form or text/plain post, signed in or not, before anything else', async () => {
    const visitor = server.client();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await visitor.request('POST', '/api/session', 'email=a@example.com&password=x', { 'content-type': type });
      expect({ type, status: res.status, code: res.json.error.code }).toEqual({ type, status: 415, code: 'unsupported_media_type' });
    }
    const su = await server.signedIn('super_admin');
    expect((await su.request('POST', '/api/directory/users', '{}', { 'content-type': 'text/plain' })).status).toBe(415);
    // JSON with a charset, and a write with no body at all, are fine.
    expect((await visitor.request('POST', '/api/session', JSON.stringify({ email: 'a@example.com', password: 'x' }), { 'content-type': 'application/json; charset=utf-8' })).status).toBe(401);
    expect((await su.request('DELETE', '/api/session')).status).toBe(204);
  });
});

describe('only the public address is answered, and only its Origin may write (S-6, DNS rebinding)', () => {
  it('refuses a request whose Host is another name for this machine', async () => {
    const rebound = await server.app.request('http://attacker.example:3000/api/session', { headers: { origin: 'http://attacker.example:3000' } });
    expect(rebound.status).toBe(421);
    expect(((await rebound.json()) as { error: { code: string } }).error.code).toBe('wrong_host');
    const otherName = await server.app.request('http://localhost:3000/api/directory/users');
    expect(otherName.status).toBe(421);
    // A browser that typed another name is sent to the public address; the health probe answers anywhere.
    const page = await server.app.request('http://localhost:3000/apps');
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe(`${publicUrl}/apps`);
    expect((await server.app.request('http://localhost:3000/api/health')).status).toBe(200);
  });

  it('takes the allowed Origin from the public address, never from the Host', async () => {
    const visitor = server.client();
    const res = await visitor.request('POST', '/api/session', { email: 'a@example.com', password: 'x' }, { origin: 'http://127.0.0.1:3001' });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('csrf_failed');
  });

  it('sends HSTS only over https', async () => {
    expect((await server.app.request(`${publicUrl}/api/health`)).headers.get('strict-transport-security')).toBeNull();
  });
});
