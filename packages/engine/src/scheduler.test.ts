import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deprovisionTimers, syncRuns, usageEvents } from '@autoprov/db';
import { changeUserStatus, listUsers, systemActor } from '@autoprov/directory';
import { nextRunOf, ProvisioningScheduler } from './scheduler.js';
import { createRun } from './store.js';
import { day, engineFixture } from './test-support.js';
import { scimmyTarget, type Target } from './testing/targets.js';

const now = new Date('2026-11-24T09:00:00Z');
const at = (ms: number) => new Date(now.getTime() + ms);
const active = { state: 'active' as const, heldRunId: null, lastFullSyncAt: at(-2 * 60 * 60 * 1000) };

describe('nextRunOf (L-5: when the next run is, and why)', () => {
  it('an active app that never had a full sync: now, the first one', () => {
    expect(nextRunOf({ ...active, lastFullSyncAt: null }, null, now)).toEqual({ at: now, reason: 'first_sync' });
  });

  it('otherwise the daily full sync, a day after the last one', () => {
    expect(nextRunOf(active, null, now)).toEqual({ at: at(22 * 60 * 60 * 1000), reason: 'daily_sync' });
    expect(nextRunOf({ ...active, lastFullSyncAt: at(-day - 60_000) }, null, now)).toEqual({ at: at(-60_000), reason: 'daily_sync' });
  });

  it('a deprovisioning delay that ends before the daily sync comes first', () => {
    expect(nextRunOf(active, at(60_000), now)).toEqual({ at: at(60_000), reason: 'deprovisioning_due' });
    expect(nextRunOf(active, at(3 * day), now).reason).toBe('daily_sync');
  });

  it('no run for an app that is off, held by the deletion guard or waiting for re-authorization', () => {
    expect(nextRunOf({ ...active, state: 'disabled' }, at(60_000), now)).toEqual({ at: null, reason: 'not_active' });
    expect(nextRunOf({ ...active, state: 'draft' }, null, now)).toEqual({ at: null, reason: 'not_active' });
    expect(nextRunOf({ ...active, heldRunId: 'r' }, null, now)).toEqual({ at: null, reason: 'held' });
    expect(nextRunOf({ ...active, state: 'needs_reauthorization' }, null, now)).toEqual({ at: null, reason: 'needs_reauthorization' });
  });
});

// L-2: the runs the scheduler starts by itself say why, against a SCIM server on 127.0.0.1.
describe('runs the scheduler starts', () => {
  let target: Target;
  let f: Awaited<ReturnType<typeof engineFixture>>;
  beforeAll(async () => {
    target = await scimmyTarget();
  });
  afterAll(() => target.close());
  beforeEach(async () => {
    target.clear();
    f = await engineFixture({ baseUrl: target.baseUrl, token: target.token, rules: { suspended: { delay: '1d', action: 'suspend' } } });
  });

  const runs = async () => await f.db.select().from(syncRuns).where(eq(syncRuns.configurationId, f.configurationId)).orderBy(syncRuns.requestedAt);

  it('schedule (first and daily full sync, a deprovisioning delay that ends) and directory change', async () => {
    const scheduler = new ProvisioningScheduler(f.deps);
    await scheduler.tick();
    await scheduler.idle(f.configurationId);
    expect((await runs()).map((r) => [r.trigger, r.state])).toEqual([['scheduled', 'succeeded']]);

    const someone = (await listUsers(f.db, { page: 1, pageSize: 1, status: 'active', q: '@example.com' })).items[0]!;
    await changeUserStatus(f.db, f.clock, systemActor, someone.id, 'suspend');
    await scheduler.tick();
    await scheduler.idle(f.configurationId);
    expect((await runs()).at(-1)?.trigger).toBe('change');
    expect(await f.db.select().from(deprovisionTimers)).toHaveLength(1);

    // Nothing is due yet: no run.
    await scheduler.tick();
    await scheduler.idle(f.configurationId);
    expect(await runs()).toHaveLength(2);

    f.clock.advance(day + 1);
    await scheduler.tick();
    await scheduler.idle(f.configurationId);
    expect((await runs()).at(-1)).toMatchObject({ trigger: 'reconcile', counts: { suspended: 1 } });
  });

  it('a run another process queued (a web-only process writes a pending row) starts at the next look', async () => {
    const scheduler = new ProvisioningScheduler(f.deps);
    await scheduler.tick();
    await scheduler.idle(f.configurationId);
    const queued = await createRun(f.db, f.configurationId, 'manual', false, f.clock.now());
    await scheduler.tick();
    await scheduler.idle(f.configurationId);
    expect((await runs()).find((r) => r.id === queued)).toMatchObject({ trigger: 'manual', state: 'succeeded' });
  });

  it('a run cut off by a restart is a Failure of its own (L-5 counts it)', async () => {
    await f.db.insert(syncRuns).values({ id: 'cut', configurationId: f.configurationId, trigger: 'manual', state: 'running', requestedAt: f.clock.now() });
    const scheduler = new ProvisioningScheduler(f.deps, { pollMs: 60_000 });
    await scheduler.start();
    await scheduler.stop();
    const failures = await f.db.select().from(usageEvents).where(eq(usageEvents.kind, 'failure'));
    expect(failures).toEqual([expect.objectContaining({ runId: 'cut', userEmail: null, detail: expect.stringMatching(/Interrupted/) })]);
  });
});
