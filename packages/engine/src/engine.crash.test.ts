import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deprovisionTimers, directoryUsers, openDatabase, orgUnits, provisionedAccounts, syncRuns, transaction } from '@autoprov/db';
import { changeUserStatus, listGroups, readSnapshot, systemActor } from '@autoprov/directory';
import { startScimmyServer } from '@autoprov/scim-client/testing';
import { executeRun } from './run.js';
import { engineFixture } from './test-support.js';
import { engineProcess, exited } from './testing/spawn-engine.js';

let scim: Awaited<ReturnType<typeof startScimmyServer>>;
beforeAll(async () => {
  scim = await startScimmyServer({ token: 'good' });
});
afterAll(() => scim.close());



describe('crash (E-10, E-5)', () => {
  it('SIGKILL in the middle of a 2,000-user first run, then a restart: one account per user, every timer kept', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'autoprov-crash-')), 'autoprov.sqlite');
    const f = await engineFixture({ baseUrl: scim.baseUrl, token: 'good', file, rules: { deleted: { delay: '7d', action: 'delete' } } });
    const sales = (await f.db.select().from(orgUnits).where(eq(orgUnits.path, '/Sales')).limit(1))[0]!;
    await transaction(f.db, async (tx) => {
      for (let i = 0; i < 1810; i++) {
        await tx.insert(directoryUsers)
          .values({ id: randomUUID(), primaryEmail: `load.${i}@example.com`, givenName: 'Load', familyName: `Tester ${i}`, orgUnitId: sales.id, createdAt: new Date(), updatedAt: new Date() });
      }
    });

    // Ten accounts already exist and their users were deleted: ten timers run (7 days).
    const finance = (await listGroups(f.db, { page: 1, pageSize: 100 })).items.find((g) => g.email === 'finance@example.com')!;
    await f.setScope([{ groupId: finance.id, accessLevel: 'organizer' }]);
    await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' });
    const financeUsers = (await readSnapshot(f.db)).users.filter((u) => u.groupIds.has(finance.id)).slice(0, 10);
    for (const u of financeUsers) await changeUserStatus(f.db, f.clock, systemActor, u.id, 'delete');
    await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' });
    expect(await f.db.select().from(deprovisionTimers)).toHaveLength(10);
    await f.setScope([]);
    await f.close();

    const args = [file, scim.baseUrl, 'good', f.configurationId];
    const at = () => f.clock.now().toISOString();
    const first = engineProcess([...args, 'run', at()]);
    const firstExit = exited(first);
    await expect.poll(() => scim.users.size, { timeout: 60_000, interval: 20 }).toBeGreaterThan(600);
    first.kill('SIGKILL');
    expect(await firstExit).toBeNull();
    const atCrash = scim.users.size;
    expect(atCrash).toBeLessThan(2000);

    expect(await exited(engineProcess([...args, 'recover', at()]))).toBe(0);

    const g = openDatabase(file);
    const expected = (await readSnapshot(g.db)).users.filter(
      (u) => (u.status === 'active' && u.primaryEmail.endsWith('@example.com')) || financeUsers.some((d) => d.id === u.id),
    ).length;
    const userNames = [...scim.users.values()].map((u) => String(u.userName).toLowerCase());
    expect(new Set(userNames).size).toBe(userNames.length);
    expect(userNames.length).toBe(expected);
    expect(expected).toBeGreaterThanOrEqual(2000);
    const links = await g.db.select().from(provisionedAccounts).where(eq(provisionedAccounts.configurationId, f.configurationId));
    expect(links).toHaveLength(expected);
    expect(await g.db.select().from(deprovisionTimers)).toHaveLength(10);
    const runs = await g.db.select().from(syncRuns);
    expect(runs.some((r) => r.state === 'failed' && /Interrupted/.test(r.error ?? ''))).toBe(true);
    await g.close();
  }, 120_000);
});
