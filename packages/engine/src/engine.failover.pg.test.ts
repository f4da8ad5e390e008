import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryUsers, orgUnits, provisionedAccounts, syncRuns, transaction } from '@autoprov/db';
import { readSnapshot } from '@autoprov/directory';
import { startScimmyServer } from '@autoprov/scim-client/testing';
import { engineFixture } from './test-support.js';
import { engineProcess, exited } from './testing/spawn-engine.js';

let scim: Awaited<ReturnType<typeof startScimmyServer>>;
beforeAll(async () => {
  scim = await startScimmyServer({ token: 'good' });
});
afterAll(() => scim.close());

// Issue 16, E-10: two engine processes on one PostgreSQL database; one works, one stands by.
describe('failover between two engine processes (issue 16, E-10, E-12)', () => {
  it('SIGKILL of the working one in the middle of a 2,000-user first run: the other finishes it within 30 s, one account per user', async () => {
    const f = await engineFixture({ baseUrl: scim.baseUrl, token: 'good' });
    const sales = (await f.db.select().from(orgUnits).where(eq(orgUnits.path, '/Sales')).limit(1))[0]!;
    await transaction(f.db, async (tx) => {
      const rows = Array.from({ length: 1810 }, (_, i) => ({ id: randomUUID(), primaryEmail: `load.${i}@example.com`, givenName: 'Load', familyName: `Tester ${i}`, orgUnitId: sales.id, createdAt: new Date(), updatedAt: new Date() }));
      for (let i = 0; i < rows.length; i += 500) await tx.insert(directoryUsers).values(rows.slice(i, i + 500));
    });
    const args = [f.location, scim.baseUrl, 'good', f.configurationId, 'standby', f.clock.now().toISOString()];

    // Both started; the first to take the lock works, the other waits for it.
    const first = engineProcess(args);
    const firstExit = exited(first);
    await expect.poll(() => scim.users.size, { timeout: 60_000, interval: 20 }).toBeGreaterThan(0);
    const second = engineProcess(args);
    const secondExit = exited(second);
    await expect.poll(() => scim.users.size, { timeout: 60_000, interval: 20 }).toBeGreaterThan(600);
    first.kill('SIGKILL');
    const killedAt = Date.now();
    expect(await firstExit).toBeNull();
    const atCrash = scim.users.size;
    expect(atCrash).toBeLessThan(2000);

    expect(await secondExit).toBe(0);
    expect(Date.now() - killedAt).toBeLessThan(30_000);

    const expected = (await readSnapshot(f.db)).users.filter((u) => u.status === 'active' && u.primaryEmail.endsWith('@example.com')).length;
    expect(expected).toBeGreaterThanOrEqual(2000);
    const userNames = [...scim.users.values()].map((u) => String(u.userName).toLowerCase());
    expect(new Set(userNames).size).toBe(userNames.length);
    expect(userNames.length).toBe(expected);
    expect(await f.db.select().from(provisionedAccounts).where(eq(provisionedAccounts.configurationId, f.configurationId))).toHaveLength(expected);
    const runs = await f.db.select().from(syncRuns).where(eq(syncRuns.configurationId, f.configurationId));
    // The run cut off is closed as interrupted; the one the survivor ran finished the work.
    expect(runs.some((r) => r.state === 'failed' && /Interrupted/.test(r.error ?? ''))).toBe(true);
    expect(runs.some((r) => r.state === 'succeeded')).toBe(true);
    await f.close();
  }, 180_000);

  it('E-12: two engine processes started at once on an app due for its first sync: one run, one account per user', async () => {
    scim.users.clear();
    const f = await engineFixture({ baseUrl: scim.baseUrl, token: 'good' });
    const args = [f.location, scim.baseUrl, 'good', f.configurationId, 'standby', f.clock.now().toISOString()];
    const both = [engineProcess(args), engineProcess(args)];
    expect(await Promise.all(both.map(exited))).toEqual([0, 0]);

    const runs = await f.db.select().from(syncRuns).where(eq(syncRuns.configurationId, f.configurationId));
    expect(runs.map((r) => [r.trigger, r.state])).toEqual([['scheduled', 'succeeded']]);
    const expected = (await readSnapshot(f.db)).users.filter((u) => u.status === 'active' && u.primaryEmail.endsWith('@example.com')).length;
    const userNames = [...scim.users.values()].map((u) => String(u.userName).toLowerCase());
    expect(new Set(userNames).size).toBe(userNames.length);
    expect(userNames.length).toBe(expected);
    await f.close();
  }, 120_000);
});
