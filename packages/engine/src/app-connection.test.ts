import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { catalogEntry } from '@autoprov/contract';
import { appConfigurations, syncRuns } from '@autoprov/db';
import { FakeClock, startScimmyServer } from '@autoprov/scim-client/testing';
import { SecretBox } from '@autoprov/secrets';
import { appConnector, checkAppConnection, credentialsSummary, storeCredentials, tenantOf } from './app-connection.js';
import { executeRun } from './run.js';
import { engineFixture } from './test-support.js';

let scim: Awaited<ReturnType<typeof startScimmyServer>>;
beforeAll(async () => {
  scim = await startScimmyServer({ token: 'pasted-token' });
});
afterAll(() => scim.close());

describe('app connection from stored, sealed credentials (S-2)', () => {
  it('provisions with a stored bearer token, which is never stored in the clear', async () => {
    const f = await engineFixture({ baseUrl: scim.baseUrl, token: 'unused' });
    const secrets = new SecretBox(randomBytes(32));
    await storeCredentials(f.db, secrets, f.configurationId, { kind: 'bearer', token: 'pasted-token', origin: new URL(scim.baseUrl).origin });
    expect((await f.configuration()).sealedCredentials).not.toContain('pasted-token');
    f.deps.appFor = appConnector(f.db, secrets, { requestsPerSecond: 100_000 });
    const runId = await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' });
    expect((await f.db.select().from(syncRuns).where(eq(syncRuns.id, runId)).limit(1))[0]?.state).toBe('succeeded');
    expect(scim.users.size).toBe(200);
  });

  it('a configuration with no authorization, or one sealed under another key, needs re-authorization', async () => {
    const f = await engineFixture({ baseUrl: scim.baseUrl, token: 'unused' });
    f.deps.appFor = appConnector(f.db, new SecretBox(randomBytes(32)));
    await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' });
    expect((await f.configuration()).state).toBe('needs_reauthorization');

    await f.db.update(appConfigurations).set({ state: 'active' });
    await storeCredentials(f.db, new SecretBox(randomBytes(32)), f.configurationId, { kind: 'bearer', token: 'pasted-token', origin: new URL(scim.baseUrl).origin });
    const runId = await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' });
    expect((await f.configuration()).state).toBe('needs_reauthorization');
    expect((await f.db.select().from(syncRuns).where(eq(syncRuns.id, runId)).limit(1))[0]?.error).toMatch(/secret key/);
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
    const f = await engineFixture({ baseUrl: scim.baseUrl, token: 'unused' });
    const secrets = new SecretBox(randomBytes(32));
    await storeCredentials(f.db, secrets, f.configurationId, { kind: 'bearer', token: 'pasted-token', origin: new URL(scim.baseUrl).origin });
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
      const f = await engineFixture({ baseUrl: scim.baseUrl, token: 'unused' });
      const secrets = new SecretBox(randomBytes(32));
      await storeCredentials(f.db, secrets, f.configurationId, { kind: 'bearer', token: 'pasted-token', origin: new URL(scim.baseUrl).origin });
      await f.db.update(appConfigurations).set({ endpointUrl: attacker.url });
      f.deps.appFor = appConnector(f.db, secrets, { requestsPerSecond: 100_000 });
      await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' });
      expect(attacker.heard).toEqual([]);
      expect((await f.configuration()).state).toBe('needs_reauthorization');
    } finally {
      attacker.close();
    }
  });

  it('an error text from the granted origin is shown, bounded in length', async () => {
    const app = await listener();
    try {
      const f = await engineFixture({ baseUrl: app.url, token: 'unused' });
      const secrets = new SecretBox(randomBytes(32));
      await storeCredentials(f.db, secrets, f.configurationId, { kind: 'bearer', token: 'pasted-token', origin: new URL(app.url).origin });
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
      const f = await engineFixture({ baseUrl: scim.baseUrl, token: 'unused' });
      const secrets = new SecretBox(randomBytes(32));
      // As sealed by an earlier version: no origin.
      await f.db.update(appConfigurations).set({ sealedCredentials: secrets.seal(JSON.stringify({ kind: 'bearer', token: 'pasted-token' }), f.configurationId) });
      expect((await checkAppConnection(f.db, secrets, f.configurationId, attacker.url, { timeoutMs: 500 })).ok).toBe(false);
      expect(attacker.heard).toEqual([]);
      expect(credentialsSummary(secrets, await f.configuration())).toEqual({ kind: 'bearer', origin: new URL(scim.baseUrl).origin });
      expect(JSON.parse(secrets.open((await f.configuration()).sealedCredentials!, f.configurationId)).origin).toBe(new URL(scim.baseUrl).origin);
      expect((await checkAppConnection(f.db, secrets, f.configurationId, scim.baseUrl)).ok).toBe(true);
    } finally {
      attacker.close();
    }
  });
});

/** A SCIM service on loopback answering every search with no one, the first `refusals` with 429 (Retry-After: 1 s); records when (pacer time) each request came. */
async function pacedApp(clock: FakeClock, refusals = 0) {
  const seen: { at: number; auth: string | undefined; status: number }[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const status = seen.length < refusals ? 429 : 200;
      seen.push({ at: clock.now(), auth: req.headers.authorization, status });
      res.writeHead(status, { 'content-type': 'application/scim+json', ...(status === 429 ? { 'retry-after': '1' } : {}) });
      res.end(JSON.stringify(status === 429 ? { detail: 'Too many requests' } : { schemas: [], totalResults: 0, Resources: [] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
  return {
    url,
    seen,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** Waits for something the app or the client does (not for time to pass: the pacer's clock is fake). */
const until = (done: () => boolean) =>
  vi.waitFor(
    () => {
      if (!done()) throw new Error('not yet');
    },
    { timeout: 10_000, interval: 2 },
  );

describe('pacing per app (E-18)', () => {
  it("two configurations of one tenant share one budget: a 429 to one pauses the other's requests too (fake clock)", async () => {
    const clock = new FakeClock();
    const app = await pacedApp(clock, 1);
    try {
      const f = await engineFixture({ baseUrl: app.url, token: 'unused' });
      const secrets = new SecretBox(randomBytes(32));
      const other = { ...await f.configuration(), id: randomUUID(), appKey: 'custom-scim' };
      await f.db.insert(appConfigurations).values(other);
      await storeCredentials(f.db, secrets, f.configurationId, { kind: 'bearer', token: 'first', origin: new URL(app.url).origin });
      await storeCredentials(f.db, secrets, other.id, { kind: 'bearer', token: 'second', origin: new URL(app.url).origin });
      const answered: (number | null)[] = [];
      const appFor = appConnector(f.db, secrets, {}, (_appKey, exchange) => answered.push(exchange.status), { clock });
      const first = await appFor(f.configurationId);
      const second = await appFor(other.id);
      const refused = first.findUserByUserName('a@example.com');
      // The 429 has come back and paused the app; the second configuration asks now.
      await until(() => answered.includes(429));
      await clock.advance(0);
      const asked = second.findUserByUserName('b@example.com');
      await clock.advance(999);
      expect(app.seen).toHaveLength(1);
      expect(clock.nextTimerAt).toBe(1000);
      // The pause is over: the refused request goes again, the other at the (slowed) rate.
      await clock.advance(1);
      while (app.seen.length < 3) await clock.advance(100);
      await Promise.all([refused, asked]);
      expect(app.seen[0]).toMatchObject({ auth: 'Bearer first', status: 429, at: 0 });
      // Neither went before Retry-After was over, the other configuration's request included.
      expect(app.seen.slice(1).map((s) => s.auth).sort()).toEqual(['Bearer first', 'Bearer second']);
      for (const s of app.seen.slice(1)) expect(s.at).toBeGreaterThanOrEqual(1000);
      await appFor.close();
    } finally {
      app.close();
    }
  });

  it("a super-admin's limits are what paces the app, over the catalog's; changed, they are taken at the next connection without a restart (fake clock)", async () => {
    const clock = new FakeClock();
    const app = await pacedApp(clock);
    try {
      // Workleap's catalog: 5/s, a burst of 5, 4 at once. The super-admin's: one a second, one at a time.
      const f = await engineFixture({ baseUrl: app.url, token: 'unused', appKey: 'workleap' });
      await f.db.update(appConfigurations).set({ limitsOverride: { ratePerSecond: 1, burst: 1, concurrency: 1 } });
      const secrets = new SecretBox(randomBytes(32));
      await storeCredentials(f.db, secrets, f.configurationId, { kind: 'bearer', token: 't', origin: new URL(app.url).origin });
      let answered = 0;
      const appFor = appConnector(f.db, secrets, {}, () => answered++, { clock });
      const port = await appFor(f.configurationId);
      const first = Promise.all([0, 1, 2].map((i) => port.findUserByUserName(`u${i}@example.com`)));
      for (const [done, at] of [[1, 1000], [2, 2000]] as const) {
        await until(() => answered === done);
        await clock.advance(0);
        // The catalog's burst would have let all three go at once; the next waits for its second.
        expect(app.seen).toHaveLength(done);
        expect(clock.nextTimerAt).toBe(at);
        await clock.advance(1000);
      }
      await first;
      expect(app.seen.map((s) => s.at)).toEqual([0, 1000, 2000]);

      // Raised to 10/s, a burst of 3, 3 at once: the same connector (no restart) paces by them.
      await f.db.update(appConfigurations).set({ limitsOverride: { ratePerSecond: 10, burst: 3, concurrency: 3 } });
      const again = await appFor(f.configurationId);
      await clock.advance(10_000);
      const second = Promise.all([3, 4, 5, 6].map((i) => again.findUserByUserName(`u${i}@example.com`)));
      await until(() => answered === 6);
      await clock.advance(0);
      expect(clock.nextTimerAt).toBe(12_100);
      await clock.advance(100);
      await second;
      expect(app.seen.slice(3).map((s) => s.at)).toEqual([12_000, 12_000, 12_000, 12_100]);
      // Back to the catalog's (the override removed): 5 at once.
      await f.db.update(appConfigurations).set({ limitsOverride: null });
      const reset = await appFor(f.configurationId);
      await clock.advance(10_000);
      await Promise.all([7, 8, 9, 10, 11].map((i) => reset.findUserByUserName(`u${i}@example.com`)));
      expect(app.seen.slice(7).map((s) => s.at)).toEqual(Array(5).fill(22_100));
      await appFor.close();
    } finally {
      app.close();
    }
  });

  it("configurations of one tenant with different limits share one budget, paced by the stricter (fake clock)", async () => {
    const clock = new FakeClock();
    const app = await pacedApp(clock);
    try {
      const f = await engineFixture({ baseUrl: app.url, token: 'unused' });
      const secrets = new SecretBox(randomBytes(32));
      const careful = { ...await f.configuration(), id: randomUUID(), appKey: 'custom-scim', limitsOverride: { ratePerSecond: 1, burst: 1, concurrency: 1 } };
      await f.db.insert(appConfigurations).values(careful);
      await storeCredentials(f.db, secrets, f.configurationId, { kind: 'bearer', token: 'first', origin: new URL(app.url).origin });
      await storeCredentials(f.db, secrets, careful.id, { kind: 'bearer', token: 'second', origin: new URL(app.url).origin });
      let answered = 0;
      const appFor = appConnector(f.db, secrets, {}, () => answered++, { clock });
      // GoTo's catalog limits (10/s, a burst of 10) first, then the careful configuration joins the tenant.
      await appFor(f.configurationId);
      await appFor(careful.id);
      const generous = await appFor(f.configurationId);
      const all = Promise.all([0, 1].map((i) => generous.findUserByUserName(`u${i}@example.com`)));
      await until(() => answered === 1);
      await clock.advance(0);
      expect(app.seen).toHaveLength(1);
      expect(clock.nextTimerAt).toBe(1000);
      await clock.advance(1000);
      await all;
      expect(app.seen.map((s) => s.at)).toEqual([0, 1000]);
      await appFor.close();
    } finally {
      app.close();
    }
  });

  it('the tenant is the endpoint, unless every organisation shares it (Slack): then two organisations have two budgets', () => {
    const slack = catalogEntry('slack')!.endpointTemplate!;
    const bearer = (token: string) => ({ kind: 'bearer' as const, token, origin: 'https://api.slack.com' });
    // Two Slack organisations: same address, their own tokens.
    expect(tenantOf(slack, bearer('xoxp-org-one'))).not.toBe(tenantOf(slack, bearer('xoxp-org-two')));
    expect(tenantOf(slack, bearer('xoxp-org-one'))).toBe(tenantOf(`${slack}/`, bearer('xoxp-org-one')));
    // The token itself is not kept in the key.
    expect(tenantOf(slack, bearer('xoxp-org-one'))).not.toContain('xoxp-org-one');
    // Zoom over OAuth: the OAuth client names the account, whatever its current access token.
    const zoom = catalogEntry('zoom')!.endpointTemplate!;
    const oauth = (clientId: string, accessToken: string) => ({
      kind: 'oauth' as const,
      origin: 'https://api.zoom.us',
      tokenEndpoint: 'https://zoom.us/oauth/token',
      clientId,
      clientSecret: 's',
      accessToken,
      refreshToken: null,
      expiresAt: null,
    });
    expect(tenantOf(zoom, oauth('account-a', 'one'))).toBe(tenantOf(zoom, oauth('account-a', 'two')));
    expect(tenantOf(zoom, oauth('account-a', 'one'))).not.toBe(tenantOf(zoom, oauth('account-b', 'one')));
    // An address that names its tenant (GoTo's account key): configurations of that tenant share, whatever their tokens.
    const goto = 'https://api.goto.example/scim/v2/accounts/4821937';
    expect(tenantOf(goto, { ...bearer('first'), origin: 'https://api.goto.example' })).toBe(tenantOf(goto, { ...bearer('second'), origin: 'https://api.goto.example' }));
    expect(tenantOf(goto, bearer('first'))).toBe(goto);
  });

  it("a configuration without its own limits gets the catalog's: its burst, then its rate, and no more than its concurrency in flight (fake clock)", async () => {
    const clock = new FakeClock();
    let inFlight = 0;
    let peak = 0;
    const arrivals: number[] = [];
    const server = createServer((req, res) => {
      req.resume();
      arrivals.push(clock.now());
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
      const f = await engineFixture({ baseUrl: url, token: 'unused', appKey: 'workleap' });
      const secrets = new SecretBox(randomBytes(32));
      await storeCredentials(f.db, secrets, f.configurationId, { kind: 'bearer', token: 't', origin: new URL(url).origin });
      const appFor = appConnector(f.db, secrets, {}, undefined, { clock });
      const app = await appFor(f.configurationId);
      let done = 0;
      const all = Promise.all(Array.from({ length: 15 }, (_, i) => app.findUserByUserName(`u${i}@example.com`).then(() => done++)));
      while (done < 15) await clock.advance(50);
      await all;
      const { limits } = catalogEntry('workleap')!;
      expect(peak).toBeLessThanOrEqual(limits.concurrency);
      // 15 requests at 5/s with a burst of 5: the k-th past the burst waits k/5 s (pacer time), not all at once.
      arrivals.forEach((at, i) => expect(at).toBeGreaterThanOrEqual(Math.max(0, i + 1 - limits.burst) * (1000 / limits.ratePerSecond)));
      await appFor.close();
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
