import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appConfigurations, syncRuns } from '@autoprov/db';
import { changeUserStatus, listUsers, systemActor } from '@autoprov/directory';
import { executeRun } from './run.js';
import { engineFixture } from './test-support.js';
import { scimmyTarget, type Target } from './testing/targets.js';

// Full runs over a large directory are read and planned a page at a time, and planned again for
// the writes when the first pass was too large to keep (issue 3, memory). Tiny pages here, so the
// demo organisation spans many of them.
describe('a full run planned a page at a time', () => {
  let target: Target;
  let f: Awaited<ReturnType<typeof engineFixture>>;
  beforeAll(async () => {
    target = await scimmyTarget();
  });
  afterAll(() => target.close());
  beforeEach(async () => {
    target.clear();
    f = await engineFixture({ baseUrl: target.baseUrl, token: target.token });
    f.deps.paging = { pageSize: 7, keepAtMost: 5 };
  });
  const run = (extra: { allowMassDeprovisioning?: boolean; dryRun?: boolean } = {}) => executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual', ...extra });
  const runRow = async (id: string) => (await f.db.select().from(syncRuns).where(eq(syncRuns.id, id)).limit(1))[0]!;

  it('creates every account once across pages, and a second run writes nothing', async () => {
    expect(await runRow(await run())).toMatchObject({ state: 'succeeded', counts: { created: 200 }, planned: 200, done: 200 });
    const names = target.users().map((u) => u.userName.toLowerCase());
    expect(new Set(names).size).toBe(200);
    expect(await runRow(await run())).toMatchObject({ state: 'succeeded', counts: {}, planned: 0 });
    expect(target.users()).toHaveLength(200);
  });

  it('E-14 counts deprovisions over every page before writing anything, and holds the run', async () => {
    await run();
    const users = (await listUsers(f.db, { page: 1, pageSize: 100, status: 'active' })).items.filter((u) => u.primaryEmail.endsWith('@example.com')).slice(0, 60);
    for (const u of users) await changeUserStatus(f.db, f.clock, systemActor, u.id, 'suspend');
    const held = await runRow(await run());
    expect(held).toMatchObject({ state: 'held', counts: { planned_deprovisions: 60 } });
    expect(target.users().filter((u) => !u.active)).toHaveLength(0);
    expect((await f.db.select().from(appConfigurations).where(eq(appConfigurations.id, f.configurationId)).limit(1))[0]!.heldRunId).toBe(held.id);
    expect(await runRow(await run({ allowMassDeprovisioning: true }))).toMatchObject({ state: 'succeeded', counts: { suspended: 60 } });
    expect(target.users().filter((u) => !u.active)).toHaveLength(60);
  });

  it('E-15: a dry run over many pages reports every planned change and sends nothing', async () => {
    const dry = await runRow(await run({ dryRun: true }));
    expect(dry).toMatchObject({ state: 'succeeded', counts: { create: 200 }, planned: 200 });
    expect(target.users()).toHaveLength(0);
  });
});
