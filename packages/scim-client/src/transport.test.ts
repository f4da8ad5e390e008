import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppChannel } from './channel.js';
import { ScimClient } from './client.js';
import type { ScimError } from './errors.js';
import { virtualClock } from './testing/index.js';
import { CredentialOriginError, oauthRefreshToken, staticToken, type TokenProvider } from './tokens.js';

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;
const servers: { close(): void }[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

/** A raw HTTP server on 127.0.0.1 that answers however the test says: faults on demand. */
async function serve(handler: Handler) {
  let hits = 0;
  const server = createServer((req, res) => handler(req, res, ++hits));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push({
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
  return { url, hits: () => hits };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/scim+json', ...headers });
  res.end(JSON.stringify(body));
};
const list = (resources: unknown[]) => ({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: resources.length, Resources: resources });
const fast = { backoffMs: 1, maxBackoffMs: 20, timeoutMs: 300 };

describe('transport (E-8)', () => {
  it('retries 429 honouring Retry-After, then succeeds', async () => {
    const s = await serve((_req, res, hit) => (hit === 1 ? json(res, 429, { detail: 'slow down' }, { 'retry-after': '0' }) : json(res, 200, list([]))));
    const client = new ScimClient({ baseUrl: s.url, tokens: staticToken('t', s.url), ...fast });
    expect(await client.findUserByUserName('a@example.com')).toBeNull();
    expect(s.hits()).toBe(2);
  });

  it('retries 503 and a hanging request, then gives up with a transient error', async () => {
    const s = await serve((_req, res, hit) => {
      if (hit % 2 === 1) json(res, 503, { detail: 'maintenance' });
      // even hits never answer: the client's timeout must fire
    });
    const client = new ScimClient({ baseUrl: s.url, tokens: staticToken('t', s.url), ...fast, maxRetries: 3 });
    const err = (await client.getUser('1').catch((e: unknown) => e)) as ScimError;
    expect(err.kind).toBe('transient');
    expect(s.hits()).toBe(4);
  });

  it('takes 204 with no body, lower-case resources and ids that are not UUIDs', async () => {
    const s = await serve((req, res) => {
      if (req.method === 'PATCH') return void res.writeHead(204).end();
      json(res, 200, { totalResults: 1, resources: [{ id: 42, userName: 'A@example.com' }] });
    });
    const client = new ScimClient({ baseUrl: s.url, tokens: staticToken('t', s.url), ...fast });
    expect((await client.findUserByUserName('a@example.com'))?.id).toBe('42');
    await expect(client.patchUser('42', [{ op: 'replace', path: 'active', value: false }])).resolves.toBeUndefined();
  });

  it('explains malformed JSON and a huge answer instead of crashing', async () => {
    const s = await serve((req, res) => {
      if (req.url?.includes('huge')) return json(res, 200, { id: 'x', pad: 'x'.repeat(5000) });
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>login page</html>');
    });
    const client = new ScimClient({ baseUrl: s.url, tokens: staticToken('t', s.url), ...fast, maxBodyBytes: 1000 });
    await expect(client.getUser('1')).rejects.toMatchObject({ kind: 'bad_response', reason: expect.stringMatching(/not JSON/) });
    await expect(client.getUser('huge')).rejects.toMatchObject({ kind: 'bad_response', reason: expect.stringMatching(/bytes/) });
  });

  it("keeps the app's own reason for a bad request", async () => {
    const s = await serve((_req, res) =>
      json(res, 400, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType: 'invalidValue', detail: 'Domain not verified: other.test' }),
    );
    const client = new ScimClient({ baseUrl: s.url, tokens: staticToken('t', s.url), ...fast });
    await expect(client.createUser({ userName: 'x@other.test' })).rejects.toMatchObject({
      kind: 'bad_request',
      reason: 'Domain not verified: other.test',
      scimType: 'invalidValue',
    });
  });

  it('refreshes the token once on 401, and reports unauthorized when that does not cure it (E-9)', async () => {
    let valid = 'new-token';
    const s = await serve((req, res) => (req.headers.authorization === `Bearer ${valid}` ? json(res, 200, list([])) : json(res, 401, { detail: 'token revoked' })));
    let refreshes = 0;
    let current = 'old-token';
    const tokens: TokenProvider = {
      origin: new URL(s.url).origin,
      accessToken: async () => current,
      refresh: async () => {
        refreshes++;
        current = 'new-token';
        return current;
      },
    };
    const client = new ScimClient({ baseUrl: s.url, tokens, ...fast });
    expect(await client.findUserByUserName('a@example.com')).toBeNull();
    expect(refreshes).toBe(1);
    valid = 'something-else';
    await expect(client.findUserByUserName('a@example.com')).rejects.toMatchObject({ kind: 'unauthorized' });
  });

  it('E-18: a 403 that says when to come back (GitHub\'s rate limits) is a pause, not a refused token', async () => {
    // docs.github.com "Rate limits for the REST API": 403 or 429; Retry-After, or
    // x-ratelimit-remaining 0 and x-ratelimit-reset (epoch seconds).
    const s = await serve((_req, res, hit) => {
      if (hit === 1) return json(res, 403, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '20' });
      if (hit === 2) return json(res, 403, { message: 'API rate limit exceeded.' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 60) });
      json(res, 200, list([]));
    });
    const clock = virtualClock();
    const channel = createAppChannel(new URL(s.url).origin, { concurrency: 1, ratePerSecond: 100, burst: 100 }, { clock });
    try {
      const client = new ScimClient({ baseUrl: s.url, tokens: staticToken('t', s.url), ...fast, channel });
      expect(await client.findUserByUserName('a@example.com')).toBeNull();
      expect(s.hits()).toBe(3);
      // 20 s for Retry-After, then about a minute until the reset: waited on the app's word.
      expect(clock.now()).toBeGreaterThanOrEqual(20_000 + 58_000);
    } finally {
      await channel.close();
    }
  });

  it('E-9: a bare 403 (no Retry-After, rate-limit headers left) is still a refusal, reported at once and never retried', async () => {
    const s = await serve((_req, res) => json(res, 403, { detail: 'Forbidden' }, { 'x-ratelimit-remaining': '4999' }));
    const client = new ScimClient({ baseUrl: s.url, tokens: staticToken('t', s.url), ...fast });
    await expect(client.getUser('1')).rejects.toMatchObject({ kind: 'unauthorized', status: 403 });
    expect(s.hits()).toBe(1);
  });

  it('refuses an endpoint with an unreplaced placeholder, in words', () => {
    expect(() => new ScimClient({ baseUrl: 'http://127.0.0.1:1/scim/v2/accounts/{AccountKey}', tokens: staticToken('t', 'http://127.0.0.1:1') })).toThrowError(
      /still contains \{AccountKey\}/,
    );
  });

  it('says the host cannot be reached', async () => {
    const client = new ScimClient({ baseUrl: 'http://127.0.0.1:9/scim', tokens: staticToken('t', 'http://127.0.0.1:9'), ...fast, maxRetries: 0 });
    await expect(client.getUser('1')).rejects.toMatchObject({ kind: 'transient', reason: expect.stringMatching(/cannot be reached/) });
  });
});

describe('transport on a keep-alive pool (undici)', () => {
  it('reuses a few kept-alive connections for many requests, no more than the concurrency', async () => {
    const sockets = new Set<unknown>();
    const s = await serve((req, res) => {
      sockets.add(req.socket);
      json(res, 200, list([]));
    });
    const client = new ScimClient({ baseUrl: s.url, tokens: staticToken('t', s.url), ...fast, concurrency: 3, requestsPerSecond: 100_000 });
    await Promise.all(Array.from({ length: 60 }, (_, i) => client.findUserByUserName(`u${i}@example.com`)));
    expect(s.hits()).toBe(60);
    expect(sockets.size).toBeGreaterThan(0);
    expect(sockets.size).toBeLessThanOrEqual(3);
  });

  it('stops reading an endless answer as soon as it passes the limit', async () => {
    let written = 0;
    const s = await serve((_req, res) => {
      // No content-length: the limit can only be enforced while reading.
      res.writeHead(200, { 'content-type': 'application/scim+json' });
      const more = () => {
        while (written < 50_000_000 && res.write('x'.repeat(16_384))) written += 16_384;
        if (written < 50_000_000 && !res.destroyed) res.once('drain', more);
      };
      more();
    });
    const client = new ScimClient({ baseUrl: s.url, tokens: staticToken('t', s.url), ...fast, timeoutMs: 5000, maxBodyBytes: 100_000 });
    await expect(client.getUser('1')).rejects.toMatchObject({ kind: 'bad_response', reason: expect.stringMatching(/more than 100000 bytes/) });
    expect(written).toBeLessThan(10_000_000);
  });

  it('refuses a redirect and never contacts where it points', async () => {
    const elsewhere = await serve((_req, res) => json(res, 200, list([])));
    const s = await serve((_req, res) => {
      res.writeHead(307, { location: `${elsewhere.url}/Users` });
      res.end();
    });
    const client = new ScimClient({ baseUrl: s.url, tokens: staticToken('t', s.url), ...fast });
    await expect(client.findUserByUserName('a@example.com')).rejects.toMatchObject({ kind: 'bad_response', status: 307, reason: expect.stringMatching(/redirected/) });
    expect(elsewhere.hits()).toBe(0);
  });

  it('refuses a channel to another origin than the endpoint', async () => {
    const channel = createAppChannel('http://127.0.0.1:1', { concurrency: 1, ratePerSecond: 1, burst: 1 });
    expect(() => new ScimClient({ baseUrl: 'http://127.0.0.1:2/scim', tokens: staticToken('t', 'http://127.0.0.1:2'), channel })).toThrowError(/cannot carry/);
    await channel.close();
  });
});

describe('a credential goes only to the origin it was granted for (S-5)', () => {
  it('sends no token, bearer or OAuth, to a listener on another loopback port, whatever the path', async () => {
    const granted = await serve((_req, res) => json(res, 200, list([])));
    const heard: (string | undefined)[] = [];
    const listener = await serve((req, res) => {
      heard.push(req.headers.authorization);
      json(res, 200, list([]));
    });
    const oauth = oauthRefreshToken({
      origin: granted.url,
      tokenEndpoint: `${granted.url}/token`,
      clientId: 'c',
      clientSecret: 's',
      tokens: { accessToken: 'stored-access', refreshToken: 'stored-refresh', expiresAt: null },
      onTokens: () => {},
    });
    for (const tokens of [staticToken('stored-bearer', granted.url), oauth]) {
      const client = new ScimClient({ baseUrl: listener.url, tokens, ...fast });
      await expect(client.serviceProviderConfig()).rejects.toBeInstanceOf(CredentialOriginError);
      await expect(client.findUserByUserName('a@example.com')).rejects.toMatchObject({ kind: 'unauthorized' });
    }
    // The same host on another port, or another scheme, is another origin.
    await expect(staticToken('t', 'http://127.0.0.1:1').accessToken(new URL('http://127.0.0.1:2/x'))).rejects.toBeInstanceOf(CredentialOriginError);
    await expect(staticToken('t', 'http://127.0.0.1:1').accessToken(new URL('https://127.0.0.1:1/x'))).rejects.toBeInstanceOf(CredentialOriginError);
    expect(listener.hits()).toBe(0);
    expect(heard).toEqual([]);
    // And the granted origin still gets it.
    expect(await new ScimClient({ baseUrl: granted.url, tokens: staticToken('stored-bearer', granted.url), ...fast }).findUserByUserName('a@example.com')).toBeNull();
  });
});
