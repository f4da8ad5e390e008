import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEntry } from '@autoprov/contract';
import { appConfigurations, syncRuns } from '@autoprov/db';
import { startScimmyServer } from '@autoprov/scim-client/testing';
import { SecretBox } from '@autoprov/secrets';
import { appConnector, checkAppConnection, credentialsSummary, storeCredentials } from './app-connection.js';
import { executeRun } from './run.js';
import { engineFixture } from './test-support.js';

let scim: Awaited<ReturnType<typeof startScimmyServer>>;
beforeAll(async () => {
  scim = await startScimmyServer({ token: 'pasted-token' });
});
afterAll(() => scim.close());

describe('app connection from stored, sealed credentials (S-2)', () => {
  it('provisions with a stored bearer token, which is never stored in the clear', async () => {
    const f = engineFixture({ baseUrl: scim.baseUrl, token: 'unused' });
    const secrets = new SecretBox(randomBytes(32));
    storeCredentials(f.db, secrets, f.configurationId, { kind: 'bearer', token: 'pasted-token', origin: new URL(scim.baseUrl).origin });
    expect(f.configuration().sealedCredentials).not.toContain('pasted-token');
    f.deps.appFor = appConnector(f.db, secrets, { requestsPerSecond: 100_000 });
    const runId = await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' });
    expect(f.db.select().from(syncRuns).where(eq(syncRuns.id, runId)).get()?.state).toBe('succeeded');
    expect(scim.users.size).toBe(200);
  });

  it('a configuration with no authorization, or one sealed under another key, needs re-authorization', async () => {
    const f = engineFixture({ baseUrl: scim.baseUrl, token: 'unused' });
    f.deps.appFor = appConnector(f.db, new SecretBox(randomBytes(32)));
    await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' });
    expect(f.configuration().state).toBe('needs_reauthorization');

    f.db.update(appConfigurations).set({ state: 'active' }).run();
    storeCredentials(f.db, new SecretBox(randomBytes(32)), f.configurationId, { kind: 'bearer', token: 'pasted-token', origin: new URL(scim.baseUrl).origin });
    const runId = await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' });
    expect(f.configuration().state).toBe('needs_reauthorization');
    expect(f.db.select().from(syncRuns).where(eq(syncRuns.id, runId)).get()?.error).toMatch(/secret key/);
  });
});

/** An attacker's listener on another loopback port: records every Authorization header it is sent. */
async function listener() {
  const heard: string[] = [];
  const server = createServer((req, res) => {
    heard.push(req.headers.authorization ?? '(none)');
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ detail: 'x'.repeat(5000) }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
  return { url, heard, close: () => server.close() };
}

describe('a stored credential goes only to the origin it was granted for (S-5)', () => {
  it('the endpoint check of another origin sends nothing, and says why', async () => {
    const f = engineFixture({ baseUrl: scim.baseUrl, token: 'unused' });
    const secrets = new SecretBox(randomBytes(32));
    storeCredentials(f.db, secrets, f.configurationId, { kind: 'bearer', token: 'pasted-token', origin: new URL(scim.baseUrl).origin });
    const attacker = await listener();
    try {
      const check = await checkAppConnection(f.db, secrets, f.configurationId, attacker.url, { timeoutMs: 500 });
      expect(check).toEqual({ ok: false, reason: expect.stringMatching(/authorized for http:\/\/127\.0\.0\.1:\d+ only.*nothing was sent/) });
      expect(attacker.heard).toEqual([]);
      expect((await checkAppConnection(f.db, secrets, f.configurationId, scim.baseUrl)).ok).toBe(true);
    } finally {
      attacker.close();
    }
  });

  it('the engine never sends it to an endpoint moved elsewhere: the app needs a new authorization', async () => {
    const attacker = await listener();
    try {
      const f = engineFixture({ baseUrl: scim.baseUrl, token: 'unused' });
      const secrets = new SecretBox(randomBytes(32));
      storeCredentials(f.db, secrets, f.configurationId, { kind: 'bearer', token: 'pasted-token', origin: new URL(scim.baseUrl).origin });
      f.db.update(appConfigurations).set({ endpointUrl: attacker.url }).run();
      f.deps.appFor = appConnector(f.db, secrets, { requestsPerSecond: 100_000 });
      await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' });
      expect(attacker.heard).toEqual([]);
      expect(f.configuration().state).toBe('needs_reauthorization');
    } finally {
      attacker.close();
    }
  });

  it('an error text from the granted origin is shown, bounded in length', async () => {
    const app = await listener();
    try {
      const f = engineFixture({ baseUrl: app.url, token: 'unused' });
      const secrets = new SecretBox(randomBytes(32));
      storeCredentials(f.db, secrets, f.configurationId, { kind: 'bearer', token: 'pasted-token', origin: new URL(app.url).origin });
      const check = await checkAppConnection(f.db, secrets, f.configurationId, app.url, { timeoutMs: 500 });
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.reason.length).toBeLessThan(500);
      expect(app.heard[0]).toBe('Bearer pasted-token');
    } finally {
      app.close();
    }
  });

  it('credentials stored before S-5 are bound at first use to their saved endpoint, not to a typed one', async () => {
    const attacker = await listener();
    try {
      const f = engineFixture({ baseUrl: scim.baseUrl, token: 'unused' });
      const secrets = new SecretBox(randomBytes(32));
      // As sealed by an earlier version: no origin.
      f.db.update(appConfigurations).set({ sealedCredentials: secrets.seal(JSON.stringify({ kind: 'bearer', token: 'pasted-token' }), f.configurationId) }).run();
      expect((await checkAppConnection(f.db, secrets, f.configurationId, attacker.url, { timeoutMs: 500 })).ok).toBe(false);
      expect(attacker.heard).toEqual([]);
      expect(credentialsSummary(secrets, f.configuration())).toEqual({ kind: 'bearer', origin: new URL(scim.baseUrl).origin });
      expect(JSON.parse(secrets.open(f.configuration().sealedCredentials!, f.configurationId)).origin).toBe(new URL(scim.baseUrl).origin);
      expect((await checkAppConnection(f.db, secrets, f.configurationId, scim.baseUrl)).ok).toBe(true);
    } finally {
      attacker.close();
    }
  });
});

describe('pacing per app (E-18)', () => {
  it("two configurations of one tenant share one budget: a 429 to one pauses the other's requests too", async () => {
    const seen: { at: number; auth: string | undefined; status: number }[] = [];
    let refusedOnce = false;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const status = refusedOnce ? 200 : 429;
        refusedOnce = true;
        seen.push({ at: Date.now(), auth: req.headers.authorization, status });
        res.writeHead(status, { 'content-type': 'application/scim+json', ...(status === 429 ? { 'retry-after': '1' } : {}) });
        res.end(JSON.stringify(status === 429 ? { detail: 'Too many requests' } : { schemas: [], totalResults: 0, Resources: [] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
    try {
      const f = engineFixture({ baseUrl: url, token: 'unused' });
      const secrets = new SecretBox(randomBytes(32));
      const other = { ...f.configuration(), id: randomUUID(), appKey: 'custom-scim' };
      f.db.insert(appConfigurations).values(other).run();
      storeCredentials(f.db, secrets, f.configurationId, { kind: 'bearer', token: 'first', origin: new URL(url).origin });
      storeCredentials(f.db, secrets, other.id, { kind: 'bearer', token: 'second', origin: new URL(url).origin });
      const appFor = appConnector(f.db, secrets);
      const first = await appFor(f.configurationId);
      const second = await appFor(other.id);
      const refused = first.findUserByUserName('a@example.com');
      // The second configuration asks while the app's pause is on.
      await new Promise((r) => setTimeout(r, 100));
      await second.findUserByUserName('b@example.com');
      await refused;
      const secondAt = seen.find((s) => s.auth === 'Bearer second')!.at;
      expect(seen[0]).toMatchObject({ auth: 'Bearer first', status: 429 });
      expect(secondAt - seen[0]!.at).toBeGreaterThanOrEqual(950);
      await appFor.close();
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('a configuration without its own limits gets the catalog\'s: no more than its concurrency in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const server = createServer((req, res) => {
      req.resume();
      peak = Math.max(peak, ++inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'content-type': 'application/scim+json' });
        res.end(JSON.stringify({ schemas: [], totalResults: 0, Resources: [] }));
      }, 30);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
    try {
      const f = engineFixture({ baseUrl: url, token: 'unused', appKey: 'workleap' });
      const secrets = new SecretBox(randomBytes(32));
      storeCredentials(f.db, secrets, f.configurationId, { kind: 'bearer', token: 't', origin: new URL(url).origin });
      const appFor = appConnector(f.db, secrets);
      const app = await appFor(f.configurationId);
      const started = performance.now();
      await Promise.all(Array.from({ length: 15 }, (_, i) => app.findUserByUserName(`u${i}@example.com`)));
      const seconds = (performance.now() - started) / 1000;
      const { limits } = catalogEntry('workleap')!;
      expect(peak).toBeLessThanOrEqual(limits.concurrency);
      // 15 requests at 5/s with a burst of 5: about two seconds, not at once.
      expect(seconds).toBeGreaterThanOrEqual((15 - limits.burst) / limits.ratePerSecond - 0.1);
      await appFor.close();
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
