import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { oauthRefreshToken, type OAuthTokens } from './tokens.js';

// The OAuth refresh-token grant on the same transport guarantees as SCIM calls (issue 14 item 5):
// undici, timeouts, a body cap, and no redirect followed. Real servers on 127.0.0.1.

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const servers: { close(): void }[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function serve(handler: Handler) {
  const heard: { authorization: string | undefined; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      heard.push({ authorization: req.headers.authorization, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push({
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, heard };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const app = 'https://app.example';
function provider(tokenEndpoint: string, extra: { timeoutMs?: number; maxBodyBytes?: number } = {}) {
  const stored: OAuthTokens[] = [];
  const tokens = oauthRefreshToken({
    origin: app,
    tokenEndpoint,
    clientId: 'client id',
    clientSecret: 'client-secret',
    tokens: { accessToken: 'old-access', refreshToken: 'old-refresh', expiresAt: null },
    onTokens: (t) => void stored.push(t),
    ...extra,
  });
  return { tokens, stored, refresh: () => tokens.refresh(new URL(`${app}/scim/v2/Users`)) };
}

describe('OAuth token refresh on undici (E-9, issue 14 item 5)', () => {
  it('sends the refresh-token grant with the client in HTTP Basic, keeps the rotated pair and uses it next time', async () => {
    let n = 0;
    const endpoint = await serve((_req, res) => json(res, 200, { access_token: `access-${++n}`, refresh_token: `refresh-${n}`, expires_in: 3600 }));
    const { refresh, stored } = provider(`${endpoint.url}/oauth/token?tenant=1`);
    expect(await refresh()).toBe('access-1');
    expect(await refresh()).toBe('access-2');
    expect(endpoint.heard.map((h) => Object.fromEntries(new URLSearchParams(h.body)))).toEqual([
      { grant_type: 'refresh_token', refresh_token: 'old-refresh' },
      { grant_type: 'refresh_token', refresh_token: 'refresh-1' },
    ]);
    expect(endpoint.heard[0]!.authorization).toBe(`Basic ${Buffer.from('client%20id:client-secret').toString('base64')}`);
    expect(stored.map((t) => t.refreshToken)).toEqual(['refresh-1', 'refresh-2']);
    expect(stored[0]!.expiresAt).toBeInstanceOf(Date);
  });

  it('refuses a redirect from the token endpoint and never sends the refresh token or the client secret where it points', async () => {
    const elsewhere = await serve((_req, res) => json(res, 200, { access_token: 'stolen', refresh_token: 'stolen' }));
    for (const status of [301, 302, 307, 308]) {
      const endpoint = await serve((_req, res) => {
        res.writeHead(status, { location: `${elsewhere.url}/collect` });
        res.end();
      });
      const { refresh, stored } = provider(`${endpoint.url}/token`);
      await expect(refresh()).rejects.toMatchObject({ kind: 'unauthorized', status, reason: expect.stringMatching(/redirected/) });
      expect(stored).toEqual([]);
    }
    expect(elsewhere.heard).toEqual([]);
  });

  it('refuses an oversized answer, declared or streamed without end, and stops reading it', async () => {
    const declared = await serve((_req, res) => json(res, 200, { access_token: 'a', pad: 'x'.repeat(200_000) }));
    await expect(provider(`${declared.url}/token`).refresh()).rejects.toMatchObject({ kind: 'unauthorized', reason: expect.stringMatching(/more than 65536 bytes/) });

    let written = 0;
    const endless = await serve((_req, res) => {
      // No content-length: the cap can only be enforced while reading.
      res.writeHead(200, { 'content-type': 'application/json' });
      const more = () => {
        while (written < 50_000_000 && res.write('x'.repeat(16_384))) written += 16_384;
        if (written < 50_000_000 && !res.destroyed) res.once('drain', more);
      };
      more();
    });
    const { refresh, stored } = provider(`${endless.url}/token`, { maxBodyBytes: 10_000 });
    await expect(refresh()).rejects.toMatchObject({ kind: 'unauthorized', reason: expect.stringMatching(/more than 10000 bytes/) });
    expect(stored).toEqual([]);
    expect(written).toBeLessThan(10_000_000);
  });

  it('says a silent, a failing or an unreachable token endpoint is transient (tried again later), and a refused grant needs re-authorization', async () => {
    const silent = await serve(() => {
      // never answers: the timeout must fire
    });
    await expect(provider(`${silent.url}/token`, { timeoutMs: 200 }).refresh()).rejects.toMatchObject({ kind: 'transient', reason: expect.stringMatching(/did not answer in time/) });
    const down = await serve((_req, res) => json(res, 503, { error: 'maintenance' }));
    await expect(provider(`${down.url}/token`).refresh()).rejects.toMatchObject({ kind: 'transient', status: 503 });
    await expect(provider('http://127.0.0.1:9/token').refresh()).rejects.toMatchObject({ kind: 'transient', reason: expect.stringMatching(/cannot be reached/) });
    const revoked = await serve((_req, res) => json(res, 400, { error: 'invalid_grant', error_description: 'Refresh token revoked' }));
    await expect(provider(`${revoked.url}/token`).refresh()).rejects.toMatchObject({ kind: 'unauthorized', status: 400, reason: expect.stringMatching(/Refresh token revoked/) });
    const notJson = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>sign in</html>');
    });
    await expect(provider(`${notJson.url}/token`).refresh()).rejects.toMatchObject({ kind: 'unauthorized' });
  });
});
