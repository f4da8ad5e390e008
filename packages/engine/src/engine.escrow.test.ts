import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { escrowedOperations, syncReportLines, syncRuns, usageEvents } from '@autoprov/db';
import { changeUserStatus, createUser, listUsers, systemActor, updateUser } from '@autoprov/directory';
import { userInputSchema, type AlertKind } from '@autoprov/contract';
import type { DemoApp } from '@autoprov/demo-app';
import { startFiveHundredGateway, startScimmyServer } from '@autoprov/scim-client/testing';
import { SecretBox } from '@autoprov/secrets';
import { appConnector, storeCredentials } from './app-connection.js';
import { healthOf } from './store.js';
import type { AlertPort, AlertSignal } from './ports.js';
import { ProvisioningScheduler } from './scheduler.js';
import { day, engineFixture } from './test-support.js';
import { authorizeTestDemoApp, demoClient, startTestDemoApp } from './testing/targets.js';

const minute = 60 * 1000;

/** The quarantine alerts the engine raised and ended, in order (L-7), as the server's alert center hears them. */
function alertLog(): AlertPort & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    started: async (s: AlertSignal) => void (s.kind === 'quarantined' && events.push(`started ${s.kind}`)),
    // Every run that goes well ends the episodes it could end; only those that were open count here.
    ended: async (kind: AlertKind) => void (kind === 'quarantined' && events.at(-1) === 'started quarantined' && events.push(`ended ${kind}`)),
  };
}

type Fixture = Awaited<ReturnType<typeof engineFixture>>;

function observe(f: Fixture) {
  const runs = async () => await f.db.select().from(syncRuns).where(eq(syncRuns.configurationId, f.configurationId)).orderBy(syncRuns.requestedAt);
  const failures = async () => await f.db.select().from(usageEvents).where(eq(usageEvents.kind, 'failure'));
  const escrow = async () => await f.db.select().from(escrowedOperations).where(eq(escrowedOperations.configurationId, f.configurationId));
  return { runs, failures, escrow };
}

/** Moves fake time forward in steps, letting the scheduler look at every step (as its poll would). */
async function live(f: Fixture, scheduler: ProvisioningScheduler, forMs: number, stepMs = 5_000) {
  for (let t = 0; t < forMs; t += stepMs) {
    f.clock.advance(stepMs);
    await scheduler.tick();
    await scheduler.idle(f.configurationId);
  }
}

// E-16, E-17 against a real SCIM server on 127.0.0.1 behind a gateway that can be taken down (503).
describe('escrow and quarantine (E-16, E-17)', () => {
  let scim: Awaited<ReturnType<typeof startScimmyServer>>;
  let gateway: Awaited<ReturnType<typeof startFiveHundredGateway>>;
  let f: Fixture;
  let alerts: ReturnType<typeof alertLog>;
  let scheduler: ProvisioningScheduler;

  beforeAll(async () => {
    scim = await startScimmyServer({ token: 'good' });
    gateway = await startFiveHundredGateway(scim.baseUrl);
  });
  afterAll(async () => {
    await gateway.close();
    await scim.close();
  });
  beforeEach(async () => {
    scim.users.clear();
    gateway.outage(null);
    f = await engineFixture({ baseUrl: gateway.baseUrl, token: 'good', rules: { suspended: { delay: '1d', action: 'suspend' } } });
    alerts = alertLog();
    f.deps.alerts = alerts;
    scheduler = new ProvisioningScheduler(f.deps);
    // The first full sync, with the app up.
    await scheduler.tick();
    await scheduler.idle(f.configurationId);
  });

  it('a due suspension while the app answers 503: a few attempts on the escrow schedule, not a run per tick; quarantine; out by itself when the app answers', async () => {
    const { runs, failures, escrow } = observe(f);
    const someone = (await listUsers(f.db, { page: 1, pageSize: 1, status: 'active', q: '@example.com' })).items[0]!;
    await changeUserStatus(f.db, f.clock, systemActor, someone.id, 'suspend');
    await scheduler.tick();
    await scheduler.idle(f.configurationId);
    expect((await runs()).map((r) => r.trigger)).toEqual(['scheduled', 'change']);

    gateway.outage(503);
    f.clock.advance(day - 5_000);
    const requestsBefore = gateway.stats.requests;
    // Ten minutes of fake time, the scheduler looking every 5 s (120 looks).
    await live(f, scheduler, 10 * minute);
    const during = (await runs()).slice(2);
    // The due run (the daily one, a reconciliation since E-19), then the escrow schedule (1 min,
    // then 5 min), then quarantine: no run per look.
    expect(during.map((r) => r.trigger)).toEqual(['reconcile', 'retry', 'retry']);
    expect((await failures()).map((e) => [e.userEmail, e.runId])).toEqual(during.map((r) => [someone.primaryEmail, r.id]));
    expect(await escrow()).toEqual([expect.objectContaining({ directoryUserId: someone.id, operation: 'suspend', kind: 'transient', attempts: 3 })]);
    expect(gateway.stats.requests - requestsBefore).toBeLessThan(40);
    // The retry runs were for that user only.
    const retryLines = await f.db.select().from(syncReportLines).where(eq(syncReportLines.runId, during[1]!.id));
    expect(retryLines).toEqual([expect.objectContaining({ userEmail: someone.primaryEmail, result: 'failed', attempt: 2 })]);
    expect(retryLines[0]!.nextAttemptAt!.getTime() - during[1]!.startedAt!.getTime()).toBe(5 * minute);

    const health = (await healthOf(f.db, f.configurationId))!;
    expect(health.quarantinedAt).not.toBeNull();
    expect(health.quarantineReason).toMatch(/3 attempts in a row/);
    expect(health.recentErrors[0]!.message).toMatch(/503|Service Unavailable/);
    expect(alerts.events).toEqual(['started quarantined']);

    // Still down: probes only (5 min, then 10 min), no runs, no Failure events.
    await live(f, scheduler, 15 * minute);
    expect(await runs()).toHaveLength(5);
    expect(await failures()).toHaveLength(3);
    expect((await healthOf(f.db, f.configurationId))!.probes).toBe(2);

    // The app comes back: the next probe ends quarantine and the suspension goes at once.
    gateway.outage(null);
    await live(f, scheduler, 30 * minute);
    expect((await healthOf(f.db, f.configurationId))!.quarantinedAt).toBeNull();
    expect(alerts.events).toEqual(['started quarantined', 'ended quarantined']);
    expect((await runs()).slice(5).map((r) => [r.trigger, r.counts])).toEqual([['retry', { suspended: 1 }]]);
    expect([...scim.users.values()].find((u) => u.userName === someone.primaryEmail)?.active).toBe(false);
    expect(await escrow()).toEqual([]);
    expect(await failures()).toHaveLength(3);
  });

  it('a create that failed for a transient reason is retried for that user a minute later, in a small run (no full run)', async () => {
    const { runs, escrow } = observe(f);
    const orgUnitId = (await listUsers(f.db, { page: 1, pageSize: 1, status: 'active' })).items[0]!.orgUnitId;
    const hire = await createUser(f.db, f.clock, systemActor, userInputSchema.parse({ primaryEmail: 'new.hire@example.com', givenName: 'New', familyName: 'Hire', orgUnitId }));
    gateway.outage(503);
    await scheduler.tick();
    await scheduler.idle(f.configurationId);
    gateway.outage(null);
    const failed = (await runs()).at(-1)!;
    expect([failed.trigger, failed.counts]).toEqual(['change', { failed: 1 }]);
    expect(await escrow()).toEqual([expect.objectContaining({ directoryUserId: hire.id, operation: 'create', attempts: 1 })]);

    await live(f, scheduler, 50_000);
    expect(await runs()).toHaveLength(2);
    await live(f, scheduler, 15_000);
    const retry = (await runs()).at(-1)!;
    expect([retry.trigger, retry.counts]).toEqual(['retry', { created: 1 }]);
    expect([...scim.users.values()].filter((u) => u.userName === 'new.hire@example.com')).toHaveLength(1);
    expect(await escrow()).toEqual([]);
    // Nobody else was read or planned: the daily full sync is still a day away.
    expect((await f.configuration()).lastFullSyncAt).toEqual((await runs())[0]!.requestedAt);
  });

  it('a run whose operations mostly fail quarantines the app at once; "Retry now" (a probe) brings it back and the escrowed operations go', async () => {
    const { runs, escrow } = observe(f);
    // Twelve users renamed while the app is down.
    const users = (await listUsers(f.db, { page: 1, pageSize: 12, status: 'active', q: '@example.com' })).items;
    for (const u of users) await updateUser(f.db, f.clock, systemActor, u.id, { familyName: `Renamed ${u.familyName}` });
    gateway.outage(503);
    await scheduler.tick();
    await scheduler.idle(f.configurationId);
    expect((await runs()).at(-1)!.counts).toEqual({ failed: 12 });
    expect((await healthOf(f.db, f.configurationId))!.quarantineReason).toMatch(/12 of 12 operations/);
    expect(alerts.events).toEqual(['started quarantined']);

    expect(await scheduler.probe(f.configurationId)).toMatchObject({ ok: false });
    gateway.outage(null);
    expect(await scheduler.probe(f.configurationId)).toMatchObject({ ok: true });
    await scheduler.idle(f.configurationId);
    expect((await runs()).at(-1)!.counts).toEqual({ updated: 12 });
    expect(await escrow()).toEqual([]);
    expect(alerts.events).toEqual(['started quarantined', 'ended quarantined']);
  });
});

// E-16: a refusal (HTTP 400) is not retried on a schedule, only when the user's data changes or an admin asks.
describe('a permanent refusal (E-16)', () => {
  let app: DemoApp;
  afterEach(async () => {
    await app.close();
  });

  it('is left alone by later runs until the user changes, or a super-admin asks', async () => {
    // The demo app refuses users outside its verified domains with 400 (SPEC §6).
    app = await startTestDemoApp(['example.net']);
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
    const { runs, failures, escrow } = observe(f);
    const scheduler = new ProvisioningScheduler(f.deps);
    await scheduler.tick();
    await scheduler.idle(f.configurationId);
    expect(await failures()).toHaveLength(200);
    expect((await escrow()).every((e) => e.kind === 'permanent' && e.nextAttemptAt === null)).toBe(true);
    // Refusals are not the app being down.
    expect((await healthOf(f.db, f.configurationId))?.quarantinedAt ?? null).toBeNull();

    // Days go by: no retry runs; the daily full sync leaves the refused users alone.
    for (let i = 0; i < 3; i++) {
      f.clock.advance(day);
      await scheduler.tick();
      await scheduler.idle(f.configurationId);
    }
    expect((await runs()).map((r) => r.trigger)).toEqual(['scheduled', 'reconcile', 'reconcile', 'reconcile']);
    expect(await failures()).toHaveLength(200);

    // One user's data changes: that user is tried again (and refused again: one more Failure).
    const someone = (await listUsers(f.db, { page: 1, pageSize: 1, status: 'active', q: '@example.com' })).items[0]!;
    await updateUser(f.db, f.clock, systemActor, someone.id, { givenName: 'Changed' });
    await scheduler.tick();
    await scheduler.idle(f.configurationId);
    expect(await failures()).toHaveLength(201);
    expect((await failures()).at(-1)!.userEmail).toBe(someone.primaryEmail);

    // A super-admin asks for another user: tried again now.
    const other = (await escrow()).find((e) => e.directoryUserId !== someone.id)!;
    await scheduler.retryUser(f.configurationId, other.directoryUserId);
    await scheduler.idle(f.configurationId);
    expect(await failures()).toHaveLength(202);
    expect((await runs()).at(-1)!.trigger).toBe('retry');
    const row = (await f.db
      .select()
      .from(escrowedOperations)
      .where(and(eq(escrowedOperations.configurationId, f.configurationId), eq(escrowedOperations.directoryUserId, other.directoryUserId))).limit(1))[0]!;
    expect(row.attempts).toBe(2);
  });
});
