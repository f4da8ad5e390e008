import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appConfigurations, deprovisionTimers, provisionedAccounts, syncReportLines, syncRuns, teamMappings, usageEvents } from '@autoprov/db';
import {
  addGroupMember,
  changeUserStatus,
  getGroup,
  removeGroupMember,
  listGroups,
  listUsers,
  readSnapshot,
  systemActor,
  updateUser,
} from '@autoprov/directory';
import { executeRun } from './run.js';
import { ProvisioningScheduler } from './scheduler.js';
import { day, engineFixture } from './test-support.js';
import { demoAppTarget, scimmyTarget, type Target } from './testing/targets.js';

// Every engine rule (SPEC §4) against two SCIM services on 127.0.0.1: the built-in demo app
// (SPEC §6, over its own OAuth tokens) and SCIMMY, a SCIM server nobody here wrote.
describe.each([
  ['the demo app', demoAppTarget],
  ['SCIMMY', scimmyTarget],
])('engine rules against %s', (_name, makeTarget) => {
  let target: Target;
  let f: Awaited<ReturnType<typeof engineFixture>>;

  beforeAll(async () => {
    target = await makeTarget();
  });
  afterAll(() => target.close());
  beforeEach(async () => {
    target.clear();
    f = await engineFixture({ baseUrl: target.baseUrl, token: target.token });
  });

  const remoteByUserName = (userName: string) =>
    target.users().filter((u) => String(u.userName).toLowerCase() === userName.toLowerCase());
  const run = (extra: { dryRun?: boolean; allowMassDeprovisioning?: boolean } = {}) =>
    executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual', ...extra });
  const runRow = async (id: string) => (await f.db.select().from(syncRuns).where(eq(syncRuns.id, id)).limit(1))[0]!;
  const activeDirectoryUsers = async () => await listUsers(f.db, { page: 1, pageSize: 100, status: 'active' });
  const firstActive = async () => (await activeDirectoryUsers()).items.find((u) => u.primaryEmail.endsWith('@example.com'))!;

  describe('first run', () => {
    it('E-1, E-2, E-3: creates one account per active primary-domain user, none for archived, suspended or secondary-domain users', async () => {
      const runId = await run();
      expect(await runRow(runId)).toMatchObject({ state: 'succeeded', counts: { created: 200 } });
      expect(target.users().length).toBe(200);
      const names = target.users().map((u) => String(u.userName));
      expect(names.some((n) => n.endsWith('@example.org'))).toBe(false);
      expect(names).not.toContain('arnaud.archive@example.com');
      expect(names).not.toContain('samuel.suspendu@example.com');
      const created = await f.db.select().from(usageEvents).where(eq(usageEvents.kind, 'user_created'));
      expect(created).toHaveLength(200);
    });

    it('E-15: before the first run, a dry run shows every attribute and the access level each new account would get', async () => {
      const dry = await runRow(await run({ dryRun: true }));
      expect(dry.counts).toEqual({ create: 200 });
      expect(target.users()).toHaveLength(0);
      const u = await firstActive();
      const line = (await f.db.select().from(syncReportLines).where(eq(syncReportLines.userEmail, u.primaryEmail)).limit(1))[0]!;
      expect(line).toMatchObject({ action: 'create', result: 'planned' });
      expect(line.changes).toMatchObject({
        userName: { before: null, after: u.primaryEmail },
        'name.familyName': { before: null, after: u.familyName },
        accessLevel: { before: null, after: 'organizer' },
      });
    });

    it('a second run with nothing changed writes nothing', async () => {
      await run();
      const second = await runRow(await run());
      expect(second).toMatchObject({ state: 'succeeded', planned: 0, counts: {} });
    });

    it('E-3: adopts an existing account with the same userName instead of creating another', async () => {
      const u = await firstActive();
      await startAccount(u.primaryEmail);
      const preexisting = remoteByUserName(u.primaryEmail)[0]!.id;
      await run();
      expect(remoteByUserName(u.primaryEmail)).toHaveLength(1);
      const link = (await f.db.select().from(provisionedAccounts).where(eq(provisionedAccounts.directoryUserId, u.id)).limit(1))[0];
      expect(link?.remoteId).toBe(preexisting);
      const line = (await f.db.select().from(syncReportLines).where(eq(syncReportLines.directoryUserId, u.id)).limit(1))[0];
      expect(line?.action).toBe('adopt');
    });

    const eventCounts = async () => {
      const counts: Record<string, number> = {};
      for (const e of await f.db.select().from(usageEvents)) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
      return counts;
    };
    const lineCounts = async (runId: string) => {
      const counts: Record<string, number> = {};
      for (const l of await f.db.select().from(syncReportLines).where(eq(syncReportLines.runId, runId))) counts[l.action] = (counts[l.action] ?? 0) + 1;
      return counts;
    };

    it('E-3, L-1: an adopted account is counted as adopted, never as created (run counts, report lines, usage log)', async () => {
      const u = await firstActive();
      await startAccount(u.primaryEmail);
      const runId = await run();
      expect((await runRow(runId)).counts).toEqual({ created: 199, adopted: 1 });
      expect(await lineCounts(runId)).toEqual({ create: 199, adopt: 1 });
      expect(await eventCounts()).toEqual({ user_created: 199, user_adopted: 1 });
      const adoptedEvent = (await f.db.select().from(usageEvents).where(eq(usageEvents.kind, 'user_adopted')).limit(1))[0];
      expect(adoptedEvent?.userEmail).toBe(u.primaryEmail);
    });

    it('E-3, L-1: set up again over an app that already holds every account, a run adopts them all and creates none', async () => {
      await run();
      expect(target.users()).toHaveLength(200);
      // A new configuration (as after "Delete configuration" and a new setup) over the same app.
      f = await engineFixture({ baseUrl: target.baseUrl, token: target.token });
      const runId = await run();
      expect(await runRow(runId)).toMatchObject({ state: 'succeeded', counts: { adopted: 200 } });
      expect((await runRow(runId)).counts.created).toBeUndefined();
      expect(await lineCounts(runId)).toEqual({ adopt: 200 });
      expect(await eventCounts()).toEqual({ user_adopted: 200 });
      expect(target.users()).toHaveLength(200);
    });
  });

  async function startAccount(userName: string) {
    const res = await fetch(`${target.baseUrl}/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, name: { givenName: 'Old', familyName: 'Name' } }),
    });
    expect(res.status).toBe(201);
  }

  describe('changes', () => {
    beforeEach(async () => {
      await run();
    });

    it('E-4: a rename is sent as exactly that change, and reported before → after', async () => {
      const u = await firstActive();
      await updateUser(f.db, f.clock, systemActor, u.id, { givenName: 'Renamée' });
      const runId = await run();
      expect((await runRow(runId)).counts).toEqual({ updated: 1 });
      expect(remoteByUserName(u.primaryEmail)[0]).toMatchObject({ name: { givenName: 'Renamée', familyName: u.familyName } });
      const line = (await f.db.select().from(syncReportLines).where(eq(syncReportLines.runId, runId)).limit(1))[0];
      expect(line?.changes).toEqual({
        'name.givenName': { before: u.givenName, after: 'Renamée' },
        displayName: { before: `${u.givenName} ${u.familyName}`, after: `Renamée ${u.familyName}` },
      });
    });

    it('E-4, L-1: an account removed in the app is made again and counted as created; one found again by userName is only updated', async () => {
      const [gone, found] = (await activeDirectoryUsers()).items.filter((u) => u.primaryEmail.endsWith('@example.com'));
      for (const u of [gone!, found!]) {
        const res = await fetch(`${target.baseUrl}/Users/${remoteByUserName(u.primaryEmail)[0]!.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${target.token}` } });
        expect(res.status).toBe(204);
      }
      await startAccount(found!.primaryEmail);
      for (const u of [gone!, found!]) await updateUser(f.db, f.clock, systemActor, u.id, { givenName: 'Back' });
      const runId = await run();
      expect((await runRow(runId)).counts).toEqual({ created: 1, updated: 1 });
      for (const u of [gone!, found!]) expect(remoteByUserName(u.primaryEmail)).toEqual([expect.objectContaining({ name: expect.objectContaining({ givenName: 'Back' }) })]);
      const kindsOf = async (userId: string) => (await f.db.select().from(usageEvents).where(eq(usageEvents.directoryUserId, userId))).map((e) => e.kind);
      expect(await kindsOf(gone!.id)).toEqual(['user_created', 'user_created']);
      expect(await kindsOf(found!.id)).toEqual(['user_created', 'user_updated']);
    });

    it('E-5, E-6: suspended in the directory → suspended in the app; restored → unsuspended', async () => {
      const u = await firstActive();
      await changeUserStatus(f.db, f.clock, systemActor, u.id, 'suspend');
      expect((await runRow(await run())).counts).toEqual({ suspended: 1 });
      expect(remoteByUserName(u.primaryEmail)[0]?.active).toBe(false);
      await changeUserStatus(f.db, f.clock, systemActor, u.id, 'restore');
      expect((await runRow(await run())).counts).toEqual({ unsuspended: 1 });
      expect(remoteByUserName(u.primaryEmail)[0]?.active).toBe(true);
      const kinds = (await f.db.select().from(usageEvents).where(eq(usageEvents.directoryUserId, u.id))).map((e) => e.kind);
      expect(kinds).toEqual(['user_created', 'user_suspended', 'user_unsuspended']);
    });

    it('E-5: a deletion waits for its delay, survives as a row, then deletes the account', async () => {
      const g = await engineFixture({ baseUrl: target.baseUrl, token: target.token, rules: { deleted: { delay: '7d', action: 'delete' } } });
      target.clear();
      f = g;
      await run();
      const u = await firstActive();
      await changeUserStatus(f.db, f.clock, systemActor, u.id, 'delete');
      await run();
      const timer = (await f.db.select().from(deprovisionTimers).where(eq(deprovisionTimers.directoryUserId, u.id)).limit(1))[0];
      expect(timer).toMatchObject({ trigger: 'deleted', action: 'delete' });
      expect(remoteByUserName(u.primaryEmail)).toHaveLength(1);
      f.clock.advance(7 * day + 1);
      expect((await runRow(await run())).counts).toEqual({ deleted: 1 });
      expect(remoteByUserName(u.primaryEmail)).toHaveLength(0);
      expect(await f.db.select().from(deprovisionTimers)).toHaveLength(0);
    });

    it('E-6: a user back before the timer fires keeps the account, and the timer is cancelled', async () => {
      const g = await engineFixture({ baseUrl: target.baseUrl, token: target.token, rules: { suspended: { delay: '1d', action: 'suspend' } } });
      target.clear();
      f = g;
      await run();
      const u = await firstActive();
      await changeUserStatus(f.db, f.clock, systemActor, u.id, 'suspend');
      await run();
      expect(await f.db.select().from(deprovisionTimers)).toHaveLength(1);
      await changeUserStatus(f.db, f.clock, systemActor, u.id, 'restore');
      await run();
      expect(await f.db.select().from(deprovisionTimers)).toHaveLength(0);
      f.clock.advance(2 * day);
      await run();
      expect(remoteByUserName(u.primaryEmail)[0]?.active).toBe(true);
    });

    it('E-7: the access level is the highest of the scope groups, and follows membership', async () => {
      f = await engineFixture({ baseUrl: target.baseUrl, token: target.token });
      target.clear();
      const groups = (await listGroups(f.db, { page: 1, pageSize: 100 })).items;
      const hosts = groups.find((g) => g.email === 'meeting-hosts@example.com')!;
      const managers = groups.find((g) => g.email === 'managers@example.com')!;
      await f.setScope([
        { groupId: hosts.id, accessLevel: 'organizer' },
        { groupId: managers.id, accessLevel: 'admin' },
      ]);
      await run();
      const inScope = (await readSnapshot(f.db)).users.filter(
        (u) => u.status === 'active' && u.primaryEmail.endsWith('@example.com') && (u.groupIds.has(hosts.id) || u.groupIds.has(managers.id)),
      );
      expect(target.users().length).toBe(inScope.length);
      const roleOf = (userName: string) => (remoteByUserName(userName)[0]?.roles as { value: string }[] | undefined)?.map((r) => r.value);
      const provisionedWith = async (level: string) => (await f.db.select().from(provisionedAccounts)).find((a) => a.lastSent.accessLevel === level)!;
      const organizer = await provisionedWith('organizer');
      expect(roleOf(organizer.userName)).toEqual(['organizer']);
      expect(roleOf((await provisionedWith('admin')).userName)).toEqual(['admin']);
      // An organizer who joins managers is promoted.
      await addGroupMember(f.db, f.clock, systemActor, managers.id, { kind: 'user', userId: organizer.directoryUserId });
      await run();
      expect(roleOf(organizer.userName)).toEqual(['admin']);
    });

    it('E-13: directory groups become the app\'s teams (several groups to one), and membership follows', async () => {
      // The team sync is the engine's, whatever the catalog entry; the demo app knows GoToMeeting's access levels.
      f = await engineFixture({ baseUrl: target.baseUrl, token: target.token });
      target.clear();
      const groups = (await listGroups(f.db, { page: 1, pageSize: 100 })).items;
      const id = (email: string) => groups.find((g) => g.email === email)!.id;
      for (const [email, teamName] of [
        ['engineering@example.com', 'Builders'],
        ['sales@example.com', 'Revenue'],
        ['marketing@example.com', 'Revenue'],
      ] as const) {
        await f.db.insert(teamMappings).values({ configurationId: f.configurationId, groupId: id(email), teamName });
      }
      await run();
      const team = (name: string) => target.groups().find((g) => g.displayName === name)!;
      const memberNames = (name: string) =>
        new Set(((team(name).members as { value: string }[] | undefined) ?? []).map((m) => String(target.userById(m.value)?.userName)));
      const snapshot = (await readSnapshot(f.db)).users.filter((u) => u.status === 'active' && u.primaryEmail.endsWith('@example.com'));
      const expectedIn = (...emails: string[]) =>
        new Set(snapshot.filter((u) => emails.some((e) => u.groupIds.has(id(e)))).map((u) => u.primaryEmail));
      // Platform is nested in engineering: its members are builders too.
      expect(memberNames('Builders')).toEqual(expectedIn('engineering@example.com'));
      expect(memberNames('Revenue')).toEqual(expectedIn('sales@example.com', 'marketing@example.com'));

      const seller = snapshot.find((u) => u.groupIds.has(id('sales@example.com')))!;
      const membership = (await getGroup(f.db, id('sales@example.com'))).members.find((m) => m.user?.id === seller.id)!;
      await removeGroupMember(f.db, f.clock, systemActor, id('sales@example.com'), membership.id);
      expect((await runRow(await run())).counts).toMatchObject({ teams_updated: 1 });
      expect(memberNames('Revenue').has(seller.primaryEmail)).toBe(false);
      expect((await runRow(await run())).counts).toEqual({});
    });

    it('E-9: a token the app no longer accepts moves the configuration to needs_reauthorization, losing nothing', async () => {
      await target.revoke();
      const u = await firstActive();
      await updateUser(f.db, f.clock, systemActor, u.id, { familyName: 'Pendant' });
      const runId = await run();
      expect((await runRow(runId)).state).toBe('failed');
      expect((await f.configuration()).state).toBe('needs_reauthorization');
      // New tokens: the change made meanwhile arrives.
      f.useToken(await target.reauthorize());
      await f.db.update(appConfigurations).set({ state: 'active' });
      await run();
      expect(remoteByUserName(u.primaryEmail)[0]).toMatchObject({ name: { familyName: 'Pendant' } });
    });

    it('E-14: a run that would deprovision over 20% of the accounts is held until allowed', async () => {
      const victims = (await activeDirectoryUsers()).items.slice(0, 45);
      for (const v of victims) await changeUserStatus(f.db, f.clock, systemActor, v.id, 'suspend');
      const held = await runRow(await run());
      expect(held.state).toBe('held');
      expect(held.error).toMatch(/45 of 200/);
      expect((await f.configuration()).heldRunId).toBe(held.id);
      expect(target.users().every((u) => u.active !== false)).toBe(true);
      const scheduler = new ProvisioningScheduler(f.deps);
      const allowedId = (await scheduler.allowHeldRun(f.configurationId))!;
      await scheduler.idle(f.configurationId);
      expect((await runRow(allowedId)).counts).toEqual({ suspended: 45 });
      expect((await f.configuration()).heldRunId).toBeNull();
    });

    it('E-14: cancelling a held run deprovisions nobody and disables provisioning until re-enabled', async () => {
      for (const v of (await activeDirectoryUsers()).items.slice(0, 45)) await changeUserStatus(f.db, f.clock, systemActor, v.id, 'delete');
      const held = await runRow(await run());
      expect(held.state).toBe('held');
      const scheduler = new ProvisioningScheduler(f.deps);
      expect(await scheduler.cancelHeldRun(f.configurationId, 'ada@example.com')).toBe(true);
      expect(await f.configuration()).toMatchObject({ state: 'disabled', heldRunId: null });
      expect((await runRow(held.id)).error).toMatch(/Cancelled by ada@example.com/);
      await scheduler.tick();
      await scheduler.idle(f.configurationId);
      expect(target.users().length).toBe(200);
    });

    it('E-14: a directory read that fails or returns no one deprovisions nobody', async () => {
      const failing = { ...f.deps, directory: { read: async () => Promise.reject(new Error('directory unreachable')) } };
      const failed = await runRow(await executeRun(failing, { configurationId: f.configurationId, trigger: 'manual' }));
      expect(failed).toMatchObject({ state: 'failed', error: expect.stringMatching(/directory unreachable/) });
      const empty = { ...f.deps, directory: { read: async () => ({ primaryDomain: 'example.com', users: [] }) } };
      await executeRun(empty, { configurationId: f.configurationId, trigger: 'manual' });
      expect(target.users().filter((u) => u.active !== false)).toHaveLength(200);
    });

    it('E-15: a dry run says what would change and sends nothing', async () => {
      const u = await firstActive();
      await updateUser(f.db, f.clock, systemActor, u.id, { givenName: 'Seulement' });
      await changeUserStatus(f.db, f.clock, systemActor, (await activeDirectoryUsers()).items[5]!.id, 'suspend');
      const dry = await runRow(await run({ dryRun: true }));
      expect(dry.counts).toEqual({ update: 1, suspend: 1 });
      const lines = await f.db.select().from(syncReportLines).where(eq(syncReportLines.runId, dry.id));
      expect(lines.map((l) => l.result)).toEqual(['planned', 'planned']);
      expect(lines.find((l) => l.action === 'update')!.changes).toMatchObject({ 'name.givenName': { before: u.givenName, after: 'Seulement' } });
      expect(lines.find((l) => l.action === 'suspend')).toMatchObject({
        changes: { active: { before: 'true', after: 'false' } },
        reason: 'The user is suspended in the directory',
      });
      expect(remoteByUserName(u.primaryEmail)[0]).toMatchObject({ name: { givenName: u.givenName } });
    });
  });

  describe('scheduler', () => {
    it('E-11: a directory change reaches the app within seconds', async () => {
      const { latestChangeId } = await import('@autoprov/directory');
      await run();
      const scheduler = new ProvisioningScheduler(f.deps, { pollMs: 50 });
      await f.db.update(appConfigurations).set({ lastFullSyncAt: f.clock.now(), directoryCursor: await latestChangeId(f.db) });
      await scheduler.start();
      const u = await firstActive();
      const started = Date.now();
      await updateUser(f.db, f.clock, systemActor, u.id, { jobTitle: 'Chief Changer' });
      await expect.poll(() => remoteByUserName(u.primaryEmail)[0]?.title, { timeout: 5000, interval: 50 }).toBe('Chief Changer');
      expect(Date.now() - started).toBeLessThan(5000);
      await scheduler.stop();
      expect((await f.db.select().from(syncRuns).where(eq(syncRuns.trigger, 'change'))).length).toBeGreaterThan(0);
    });

    it('E-11: a change-driven run looks only at the users the changes concern, nested groups included', async () => {
      const { latestChangeId } = await import('@autoprov/directory');
      const groups = (await listGroups(f.db, { page: 1, pageSize: 100 })).items;
      const hosts = groups.find((g) => g.email === 'meeting-hosts@example.com')!;
      const finance = groups.find((g) => g.email === 'finance@example.com')!;
      await f.setScope([{ groupId: hosts.id, accessLevel: 'organizer' }]);
      await run();
      const before = target.users().length;
      const financeMembers = (await readSnapshot(f.db)).users.filter((u) => u.groupIds.has(finance.id) && u.status === 'active');
      const scheduler = new ProvisioningScheduler(f.deps, { pollMs: 20 });
      await f.db.update(appConfigurations).set({ lastFullSyncAt: f.clock.now(), directoryCursor: await latestChangeId(f.db) });
      await scheduler.start();
      // Nesting finance inside meeting hosts brings every finance member into scope.
      await addGroupMember(f.db, f.clock, systemActor, hosts.id, { kind: 'group', groupId: finance.id });
      await expect.poll(() => target.users().length, { timeout: 5000, interval: 20 }).toBe(before + financeMembers.length);
      await scheduler.stop();
      const changeRun = (await f.db.select().from(syncRuns).where(eq(syncRuns.trigger, 'change'))).at(-1)!;
      const lines = await f.db.select().from(syncReportLines).where(eq(syncReportLines.runId, changeRun.id));
      expect(new Set(lines.map((l) => l.directoryUserId))).toEqual(new Set(financeMembers.map((u) => u.id)));
    });

    it('E-12: one run per app at a time; a run asked for meanwhile is queued, not lost', async () => {
      const scheduler = new ProvisioningScheduler(f.deps);
      const first = await scheduler.requestRun(f.configurationId, 'manual');
      const second = await scheduler.requestRun(f.configurationId, 'manual');
      expect((await runRow(second)).state).toBe('pending');
      await scheduler.idle(f.configurationId);
      const [a, b] = [await runRow(first), await runRow(second)];
      expect(a.state).toBe('succeeded');
      expect(b.state).toBe('succeeded');
      expect(b.startedAt!.getTime()).toBeGreaterThanOrEqual(a.endedAt!.getTime());
      expect(target.users().length).toBe(200);
    });
  });
});
