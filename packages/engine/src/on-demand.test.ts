import { randomBytes } from 'node:crypto';
import { and, eq, ne } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { DemoApp } from '@autoprov/demo-app';
import { appAvailability, directoryUsers, orgUnits, provisionedAccounts, runExchanges, syncRuns, usageEvents } from '@autoprov/db';
import { SecretBox } from '@autoprov/secrets';
import { appConnector, storeCredentials } from './app-connection.js';
import { MASK, maskBody, maskHeaders, maskUrl } from './exchanges.js';
import { planForUser } from './on-demand.js';
import { ProvisioningScheduler } from './scheduler.js';
import { createRun } from './store.js';
import { engineFixture } from './test-support.js';
import { authorizeTestDemoApp, demoClient, startTestDemoApp } from './testing/targets.js';

// E-20 against the built-in demo app over real OAuth 2.0 on 127.0.0.1.
const apps: DemoApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function setUp() {
  const app = await startTestDemoApp();
  apps.push(app);
  const f = await engineFixture({ baseUrl: app.scimBaseUrl(), token: 'unused' });
  const secrets = new SecretBox(randomBytes(32));
  f.deps.appFor = appConnector(f.db, secrets, { requestsPerSecond: 100_000, backoffMs: 2 });
  const tokens = await authorizeTestDemoApp(app);
  await storeCredentials(f.db, secrets, f.configurationId, {
    kind: 'oauth',
    origin: app.url,
    tokenEndpoint: app.endpoints().token,
    clientId: demoClient.clientId,
    clientSecret: demoClient.clientSecret,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: null,
  });
  const scheduler = new ProvisioningScheduler(f.deps);
  const someUser = async (orgUnitPath = '/') =>
    (await f.db
      .select({ id: directoryUsers.id, email: directoryUsers.primaryEmail })
      .from(directoryUsers)
      .innerJoin(orgUnits, eq(orgUnits.id, directoryUsers.orgUnitId))
      .where(and(eq(directoryUsers.status, 'active'), orgUnitPath === '/' ? ne(orgUnits.path, '') : eq(orgUnits.path, orgUnitPath))).limit(1))[0]!;
  return { app, f, scheduler, someUser, accessToken: tokens.access_token };
}

describe('E-20 one user on demand', () => {
  it('plans the one user with the planner and says why: a new user in scope would be created', async () => {
    const { f, someUser } = await setUp();
    const user = await someUser();
    const p = (await planForUser(f.deps, f.configurationId, user.id))!;
    expect(p.inScope).toBe(true);
    expect(p.scopeTests.map((t) => [t.rule, t.passed])).toEqual([
      ['domain', true],
      ['org_unit', true],
      ['scope_group', true],
    ]);
    expect(p.operations.map((o) => o.kind)).toEqual(['create']);
    expect(await planForUser(f.deps, f.configurationId, 'no-such-user')).toBeNull();
  });

  it('says the app is OFF for the org unit, where it was set, and plans nothing for a user without an account', async () => {
    const { f, someUser } = await setUp();
    const user = await someUser();
    const unit = (await f.db.select({ id: orgUnits.id, path: orgUnits.path }).from(orgUnits).innerJoin(directoryUsers, eq(directoryUsers.orgUnitId, orgUnits.id)).where(eq(directoryUsers.id, user.id)).limit(1))[0]!;
    await f.db.insert(appAvailability).values({ appKey: 'gotomeeting', orgUnitId: unit.id, on: false });
    const p = (await planForUser(f.deps, f.configurationId, user.id))!;
    expect(p.inScope).toBe(false);
    expect(p.availability).toEqual({ on: false, setAt: unit.path });
    expect(p.scopeTests.find((t) => t.rule === 'org_unit')?.passed).toBe(false);
    expect(p.operations).toEqual([]);
  });

  it('runs for that user only, through the same run as every other (run.ts, apply.ts), and keeps every request and answer with the token masked', async () => {
    const { app, f, scheduler, someUser, accessToken } = await setUp();
    const user = await someUser();
    const cursorBefore = (await f.configuration()).directoryCursor;
    const { runId, queued } = await scheduler.requestUserRun(f.configurationId, user.id);
    expect(queued).toBe(false);
    await scheduler.idle(f.configurationId);

    const run = (await f.db.select().from(syncRuns).where(eq(syncRuns.id, runId)).limit(1))[0]!;
    expect(run).toMatchObject({ trigger: 'on_demand', state: 'succeeded', counts: { created: 1 }, subjectUserId: user.id });
    // Only this user reached the app; the other users' changes wait for the next run.
    expect((await app.db.query.users.findMany()).map((u) => u.userName)).toEqual([user.email]);
    expect(await f.db.select().from(provisionedAccounts)).toHaveLength(1);
    expect((await f.db.select().from(usageEvents).where(eq(usageEvents.runId, runId))).map((e) => e.kind)).toEqual(['user_created']);
    expect((await f.configuration()).directoryCursor).toBe(cursorBefore);
    expect((await f.configuration()).lastFullSyncAt).toBeNull();

    const exchanges = await f.db.select().from(runExchanges).where(eq(runExchanges.runId, runId)).orderBy(runExchanges.seq);
    const created = exchanges.find((e) => e.method === 'POST' && e.url.endsWith('/Users'))!;
    expect(created.status).toBe(201);
    expect(created.requestBody).toContain(user.email);
    expect(created.responseBody).toContain('"id"');
    expect(created.requestHeaders.authorization).toBe(`Bearer ${MASK}`);
    expect(exchanges.map((e) => e.seq)).toEqual(exchanges.map((_, i) => i + 1));
    // The token is nowhere in what was kept.
    expect(JSON.stringify(exchanges)).not.toContain(accessToken);
  });

  it('E-12: asked while another run of the app is going on, it waits its turn', async () => {
    const { f, scheduler, someUser } = await setUp();
    await scheduler.requestRun(f.configurationId, 'manual');
    const { runId, queued } = await scheduler.requestUserRun(f.configurationId, (await someUser()).id);
    expect(queued).toBe(true);
    await scheduler.idle(f.configurationId);
    const runs = await f.db.select().from(syncRuns).where(eq(syncRuns.configurationId, f.configurationId));
    const mine = runs.find((r) => r.id === runId)!;
    const full = runs.find((r) => r.id !== runId)!;
    expect(mine.state).toBe('succeeded');
    expect(mine.startedAt!.getTime()).toBeGreaterThanOrEqual(full.endedAt!.getTime());
    // The full run made the account; the user's own run finds nothing left to do.
    expect(mine.counts).toEqual({});
  });

  it('a queued on-demand run keeps its one user across a restart', async () => {
    const { app, f, someUser } = await setUp();
    const user = await someUser();
    // The run was written by a process that stopped before starting it.
    const runId = await createRun(f.db, f.configurationId, 'on_demand', false, f.clock.now(), user.id);
    const second = new ProvisioningScheduler(f.deps);
    await second.start();
    await second.idle(f.configurationId);
    await second.stop();
    expect((await f.db.select().from(syncRuns).where(eq(syncRuns.id, runId)).limit(1))[0]).toMatchObject({ state: 'succeeded', counts: { created: 1 } });
    expect(await app.db.query.users.findMany()).toHaveLength(1);
    expect((await f.db.select().from(runExchanges).where(eq(runExchanges.runId, runId))).length).toBeGreaterThan(0);
  });
});

describe('E-20 masking', () => {
  it('masks secret-like fields at any depth, bearer and basic credentials, and secret query parameters', () => {
    const body = JSON.stringify({ userName: 'a@example.com', password: 'hunter2', nested: [{ client_secret: 's3cr3t', apiKey: 'k', value: 'kept' }], access_token: 'tok' });
    const shown = maskBody(body)!;
    for (const secret of ['hunter2', 's3cr3t', '"k"', '"tok"']) expect(shown).not.toContain(secret);
    expect(shown).toContain('a@example.com');
    expect(shown).toContain('kept');
    expect(maskBody('error: Bearer abc.def was refused; token=xyz')).toBe(`error: Bearer ${MASK} was refused; token=${MASK}`);
    expect(maskHeaders({ authorization: 'Bearer abc', accept: 'application/scim+json', 'x-api-key': 'zzz' })).toEqual({
      authorization: `Bearer ${MASK}`,
      accept: 'application/scim+json',
      'x-api-key': MASK,
    });
    expect(maskUrl('https://u:p@app.example/scim/Users?filter=x&access_token=abc')).not.toMatch(/abc|:p@/);
    expect(maskBody('x'.repeat(20_000))!.length).toBeLessThan(16_100);
  });
});
