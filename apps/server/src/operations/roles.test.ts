import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '@autoprov/contract';
import { appConfigurations, openDatabase, syncRuns } from '@autoprov/db';
import { builtInDirectory, systemClock } from '@autoprov/directory';
import { appConnector, ProvisioningScheduler } from '@autoprov/engine';
import { SecretBox } from '@autoprov/secrets';
import { provisioningFor, roleDoes } from './roles.js';

async function engineAt() {
  const { db } = openDatabase(':memory:');
  const configurationId = randomUUID();
  await db.insert(appConfigurations).values({ id: configurationId, appKey: 'custom-scim', state: 'active' });
  const scheduler = new ProvisioningScheduler(
    { db, clock: systemClock, directory: builtInDirectory(db), appFor: appConnector(db, new SecretBox(randomBytes(32))) },
  );
  return { db, configurationId, scheduler, runs: async () => await db.select().from(syncRuns) };
}

describe('AUTOPROV_ROLE (issue 16)', () => {
  it('web serves the console only, worker runs the engine only, all does both', () => {
    expect(roleDoes('web')).toEqual({ runsEngine: false, servesConsole: true });
    expect(roleDoes('worker')).toEqual({ runsEngine: true, servesConsole: false });
    expect(roleDoes('all')).toEqual({ runsEngine: true, servesConsole: true });
  });

  it('a process that runs the engine hands the console its scheduler', async () => {
    const { db, configurationId, scheduler, runs } = await engineAt();
    const all = provisioningFor('all', scheduler, db, systemClock);
    const runId = await all.requestRun(configurationId, 'manual', { dryRun: true });
    await scheduler.idle(configurationId);
    // Run here, at once: no longer waiting for another process.
    expect((await runs()).find((r) => r.id === runId)?.state).not.toBe('pending');
  });

  it('a process standing by while another runs the engine (PostgreSQL) queues like a web process, and refuses what a row cannot carry', async () => {
    const { db, configurationId, scheduler, runs } = await engineAt();
    let holdsEngine = false;
    const all = provisioningFor('all', scheduler, db, systemClock, () => holdsEngine);
    const runId = await all.requestRun(configurationId, 'manual', { dryRun: true });
    await new Promise((r) => setTimeout(r, 200));
    expect((await runs()).map((r) => ({ id: r.id, state: r.state }))).toEqual([{ id: runId, state: 'pending' }]);
    await expect(all.allowHeldRun(configurationId)).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('Another autoprov process runs the engine') });
    // Once it holds the engine, it runs what it is asked for itself.
    holdsEngine = true;
    const mine = await all.requestRun(configurationId, 'manual', { dryRun: true });
    await scheduler.idle(configurationId);
    expect((await runs()).find((r) => r.id === mine)?.state).not.toBe('pending');
  });

  it('a web process queues the run it is asked for and runs nothing itself', async () => {
    const { db, configurationId, scheduler, runs } = await engineAt();
    const web = provisioningFor('web', scheduler, db, systemClock);
    const runId = await web.requestRun(configurationId, 'manual', { dryRun: true });
    const onDemand = await web.requestUserRun(configurationId, 'some-user');
    // Given time to run, nothing does: the rows wait for the engine's process.
    await new Promise((r) => setTimeout(r, 200));
    expect((await runs()).map((r) => ({ id: r.id, state: r.state, trigger: r.trigger, dryRun: r.dryRun, subject: r.subjectUserId }))).toEqual([
      { id: runId, state: 'pending', trigger: 'manual', dryRun: true, subject: null },
      { id: onDemand.runId, state: 'pending', trigger: 'on_demand', dryRun: false, subject: 'some-user' },
    ]);
    expect(onDemand.queued).toBe(true);
  });

  it('a web process refuses, saying why, what a queued row cannot carry: a held run allowed, timers carried out', async () => {
    const { db, configurationId, scheduler, runs } = await engineAt();
    const web = provisioningFor('web', scheduler, db, systemClock);
    for (const ask of [async () => await web.allowHeldRun(configurationId), async () => await web.requestRun(configurationId, 'manual', { carryOutTimers: true })]) {
      let refusal: unknown;
      try {
        await ask();
      } catch (err) {
        refusal = err;
      }
      expect(refusal).toBeInstanceOf(AppError);
      expect(refusal).toMatchObject({ code: 'unavailable', message: expect.stringContaining('AUTOPROV_ROLE=web') });
    }
    expect(await runs()).toEqual([]);
  });
});
