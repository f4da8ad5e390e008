import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { catalogEntry, userInputSchema } from '@autoprov/contract';
import { provisionedAccounts, provisionedTeams, syncRuns, teamMappings, usageEvents } from '@autoprov/db';
import { changeUserStatus, createUser, listGroups, listUsers, readSnapshot, systemActor } from '@autoprov/directory';
import { createAppChannel, USER_AGENT, type AppLimits } from '@autoprov/scim-client';
import { startAwsIdentityCenterFake, startGitHubEmuFake, startMiroFake, startSlackFake, startZoomFake, virtualClock, type VendorFake } from '@autoprov/scim-client/testing';
import { executeRun } from './run.js';
import { engineFixture } from './test-support.js';

// Issue 15 item 3: a whole run of the engine against fakes of real apps that refuse what the
// vendors refuse; the catalog entry's quirks and limits are what lets the job get done.

let fake: VendorFake | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const runOf = async (f: Awaited<ReturnType<typeof engineFixture>>, allowMassDeprovisioning = false) =>
  (await f.db.select().from(syncRuns).where(eq(syncRuns.id, await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual', allowMassDeprovisioning }))).limit(1))[0]!;
const failures = async (f: Awaited<ReturnType<typeof engineFixture>>) => await f.db.select().from(usageEvents).where(eq(usageEvents.kind, 'failure'));
const inScope = async (f: Awaited<ReturnType<typeof engineFixture>>) => (await readSnapshot(f.db)).users.filter((u) => u.status === 'active' && u.primaryEmail.endsWith('@example.com'));
/** The most requests the fake saw in any window of `windowMs` (by its clock). */
const mostInAnyWindow = (requests: { at: number | null }[], windowMs: number) => {
  const times = requests.map((r) => r.at!).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
};

describe('AWS IAM Identity Center', () => {
  it('a first sync with every group as one team: pages of 50, eq filters, one e-mail, a User-Agent, team changes of at most 100', async () => {
    fake = await startAwsIdentityCenterFake('aws-token');
    const f = await engineFixture({ baseUrl: fake.baseUrl, token: 'aws-token', appKey: 'aws-iam-identity-center' });
    for (const g of (await listGroups(f.db, { page: 1, pageSize: 100 })).items) {
      await f.db.insert(teamMappings).values({ configurationId: f.configurationId, groupId: g.id, teamName: 'Everyone' });
    }
    const run = await runOf(f);
    const users = await inScope(f);
    expect(run).toMatchObject({ state: 'succeeded', counts: { created: users.length, teams_updated: 1 } });
    expect(users.length).toBeGreaterThan(100);
    expect(fake.refused).toEqual(new Map());
    expect(await failures(f)).toEqual([]);

    // Every account with its one e-mail; the team with every account in it.
    expect([...fake.users.values()].every((u) => (u.emails as unknown[]).length === 1)).toBe(true);
    const team = [...fake.groups.values()].find((g) => g.displayName === 'Everyone')!;
    const linked = (await f.db.select().from(provisionedAccounts)).map((a) => a.remoteId);
    expect(new Set((team.members as { value: string }[]).map((m) => m.value))).toEqual(new Set(linked));
    expect((await f.db.select().from(provisionedTeams).limit(1))[0]).toMatchObject({ remoteId: team.id });

    // The engine's read of the app's accounts went page by page, 50 at a time.
    const pages = fake.requests.filter((r) => r.method === 'GET' && /\/Users\?startIndex=/.test(r.path));
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.every((r) => r.path.endsWith('count=50'))).toBe(true);
    expect(fake.requests.every((r) => r.userAgent === USER_AGENT)).toBe(true);
    expect(fake.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/Groups/')).length).toBe(Math.ceil(users.length / 100));

    // Nothing left to do.
    expect((await runOf(f)).counts).toEqual({});
  });
});

describe('Slack', () => {
  /** The engine's client for Slack, paced by `limits` on a clock the fake reads too. */
  async function slack(limits: AppLimits, rules?: Parameters<typeof engineFixture>[0]['rules']) {
    const clock = virtualClock();
    fake = await startSlackFake('xoxp-token', clock.now);
    const channel = createAppChannel(new URL(fake.baseUrl).origin, limits, { clock });
    const f = await engineFixture({ baseUrl: fake.baseUrl, token: 'xoxp-token', appKey: 'slack', rules, client: { channel } });
    return { f, clock, channel };
  }

  it("with the catalog's limits, a first sync never goes past 180 creates a minute: no 429 at all", async () => {
    const { f, clock, channel } = await slack(catalogEntry('slack')!.limits);
    try {
      const run = await runOf(f);
      const users = await inScope(f);
      expect(run).toMatchObject({ state: 'succeeded', counts: { created: users.length } });
      expect(users.length).toBeGreaterThan(180);
      expect(fake!.refused).toEqual(new Map());
      // More than 180 creates took more than a minute of (fake) time.
      expect(clock.now()).toBeGreaterThan(60_000);
    } finally {
      await channel.close();
    }
  });

  it('limits set too high by hand: Slack answers 429 with Retry-After, the app waits, and every account still arrives', async () => {
    const { f, channel } = await slack({ ratePerSecond: 20, burst: 20, concurrency: 4 });
    try {
      const run = await runOf(f);
      expect(fake!.refused.get('tooManyRequests')).toBeGreaterThan(0);
      expect(run).toMatchObject({ state: 'succeeded', counts: { created: (await inScope(f)).length } });
      expect(await failures(f)).toEqual([]);
    } finally {
      await channel.close();
    }
  });

  it('DELETE deactivates: the account stays in Slack, and a user who comes back gets it again, active, not a second one', async () => {
    const { f, channel } = await slack({ ratePerSecond: 1000, burst: 1000, concurrency: 4 }, { suspended: { delay: 'next_sync', action: 'delete' } });
    try {
      await runOf(f);
      const leaver = (await inScope(f))[0]!;
      const accountsOf = () => [...fake!.users.values()].filter((u) => String(u.userName).toLowerCase() === leaver.primaryEmail.toLowerCase());
      const [first] = accountsOf();

      await changeUserStatus(f.db, f.clock, systemActor, leaver.id, 'suspend');
      expect((await runOf(f)).counts).toEqual({ deleted: 1 });
      expect(accountsOf()).toEqual([expect.objectContaining({ id: first!.id, active: false })]);

      await changeUserStatus(f.db, f.clock, systemActor, leaver.id, 'restore');
      const back = await runOf(f);
      // Found by its userName (E-3) and re-activated: adopted, not created.
      expect(back).toMatchObject({ state: 'succeeded', counts: { adopted: 1 } });
      expect(accountsOf()).toEqual([expect.objectContaining({ id: first!.id, active: true })]);
      expect((await f.db.select().from(provisionedAccounts).where(eq(provisionedAccounts.directoryUserId, leaver.id)).limit(1))[0]).toMatchObject({ remoteId: first!.id });
      expect(await failures(f)).toEqual([]);
    } finally {
      await channel.close();
    }
  });
});

describe('Miro', () => {
  it("with the catalog's limits, a first sync and many deletions stay within Miro's per-30 s limits: no 429", async () => {
    const clock = virtualClock();
    fake = await startMiroFake('miro-token', clock.now);
    const channel = createAppChannel(new URL(fake.baseUrl).origin, catalogEntry('miro')!.limits, { clock });
    const f = await engineFixture({ baseUrl: fake.baseUrl, token: 'miro-token', appKey: 'miro', rules: { suspended: { delay: 'next_sync', action: 'delete' } }, client: { channel } });
    try {
      for (const g of (await listGroups(f.db, { page: 1, pageSize: 100 })).items) {
        await f.db.insert(teamMappings).values({ configurationId: f.configurationId, groupId: g.id, teamName: g.name });
      }
      const users = await inScope(f);
      expect((await runOf(f)).counts).toMatchObject({ created: users.length });
      const leavers = users.slice(0, 45);
      for (const u of leavers) await changeUserStatus(f.db, f.clock, systemActor, u.id, 'suspend');
      const start = clock.now();
      // Past the deletion guard (E-14), as a super-admin who allowed it.
      expect((await runOf(f, true)).counts).toMatchObject({ deleted: leavers.length });
      expect(fake.refused).toEqual(new Map());
      expect(await failures(f)).toEqual([]);
      // 45 deletions at 20 per 30 s take more than a minute of (fake) time.
      expect(clock.now() - start).toBeGreaterThan(60_000);
    } finally {
      await channel.close();
    }
  });
});

describe('GitHub Enterprise Managed Users', () => {
  it("with the catalog's limits, a first sync of more than 1,000 users never sends more than 1,000 requests in an hour: no refusal", async () => {
    const clock = virtualClock();
    fake = await startGitHubEmuFake('ghp-token', clock.now);
    const channel = createAppChannel(new URL(fake.baseUrl).origin, catalogEntry('github-emu')!.limits, { clock });
    const f = await engineFixture({ baseUrl: fake.baseUrl, token: 'ghp-token', appKey: 'github-emu', client: { channel } });
    try {
      // More people than GitHub provisions in an hour.
      const orgUnitId = (await listUsers(f.db, { page: 1, pageSize: 1, status: 'active' })).items[0]!.orgUnitId;
      for (let i = (await inScope(f)).length; i < 1100; i++) {
        await createUser(f.db, f.clock, systemActor, userInputSchema.parse({ primaryEmail: `hire.${i}@example.com`, givenName: 'Hire', familyName: String(i), orgUnitId }));
      }
      const users = await inScope(f);
      expect(users.length).toBe(1100);

      const run = await runOf(f);
      expect(run).toMatchObject({ state: 'succeeded', counts: { created: users.length } });
      expect(fake.refused).toEqual(new Map());
      expect(await failures(f)).toEqual([]);
      // GitHub's limit counts users; autoprov keeps every request within it, whatever they are.
      expect(mostInAnyWindow(fake.requests, 3_600_000)).toBeLessThanOrEqual(1000);
      expect(clock.now()).toBeGreaterThan(3_600_000);
      expect(fake.requests.every((r) => r.userAgent === USER_AGENT)).toBe(true);
    } finally {
      await channel.close();
    }
  }, 120_000);
});

describe('Zoom', () => {
  it("with the catalog's limits, a first sync with every group as a team stays within 60 requests a second: no 429", async () => {
    const clock = virtualClock();
    fake = await startZoomFake('zoom-token', clock.now);
    const channel = createAppChannel(new URL(fake.baseUrl).origin, catalogEntry('zoom')!.limits, { clock });
    const f = await engineFixture({ baseUrl: fake.baseUrl, token: 'zoom-token', appKey: 'zoom', client: { channel } });
    try {
      for (const g of (await listGroups(f.db, { page: 1, pageSize: 100 })).items) {
        await f.db.insert(teamMappings).values({ configurationId: f.configurationId, groupId: g.id, teamName: g.name });
      }
      const users = await inScope(f);
      const run = await runOf(f);
      expect(run).toMatchObject({ state: 'succeeded', counts: { created: users.length } });
      expect(users.length).toBeGreaterThan(60);
      expect(fake.refused).toEqual(new Map());
      expect(await failures(f)).toEqual([]);
      expect(mostInAnyWindow(fake.requests, 1000)).toBeLessThanOrEqual(60);
    } finally {
      await channel.close();
    }
  });

  it('limits set too high by hand: Zoom answers 429 with no Retry-After, the client backs off, and every account still arrives', async () => {
    const clock = virtualClock();
    fake = await startZoomFake('zoom-token', clock.now);
    const channel = createAppChannel(new URL(fake.baseUrl).origin, { ratePerSecond: 500, burst: 200, concurrency: 8 }, { clock });
    const f = await engineFixture({ baseUrl: fake.baseUrl, token: 'zoom-token', appKey: 'zoom', client: { channel } });
    try {
      const run = await runOf(f);
      expect(fake.refused.get('tooManyRequests')).toBeGreaterThan(0);
      expect(run).toMatchObject({ state: 'succeeded', counts: { created: (await inScope(f)).length } });
      expect(await failures(f)).toEqual([]);
    } finally {
      await channel.close();
    }
  });
});
