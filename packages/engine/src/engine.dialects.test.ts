import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { escrowedOperations, provisionedAccounts, syncReportLines, syncRuns, usageEvents } from '@autoprov/db';
import { changeUserStatus, listUsers, systemActor, updateUser } from '@autoprov/directory';
import { startFiveHundredGateway, startScimmyServer } from '@autoprov/scim-client/testing';
import { executeRun } from './run.js';
import { engineFixture } from './test-support.js';

// Issue 15, item 2: a gateway that answers a write on a missing account, and a userName clash,
// with 500 and a message instead of 404 and 409. autoprov reads the app to decide, never the words.

let scim: Awaited<ReturnType<typeof startScimmyServer>>;
let gateway: Awaited<ReturnType<typeof startFiveHundredGateway>>;
let f: Awaited<ReturnType<typeof engineFixture>>;

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
  gateway.beforeForward(null);
  gateway.stats.missingAs500 = 0;
  gateway.stats.clashAs500 = 0;
  f = await engineFixture({ baseUrl: gateway.baseUrl, token: 'good' });
});

const run = async () => (await f.db.select().from(syncRuns).where(eq(syncRuns.id, await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' }))).limit(1))[0]!;
const inScope = async () => (await listUsers(f.db, { page: 1, pageSize: 100, status: 'active' })).items.filter((u) => u.primaryEmail.endsWith('@example.com'));
const accountsOf = (userName: string) => [...scim.users.values()].filter((u) => String(u.userName).toLowerCase() === userName.toLowerCase());
const linkOf = async (userId: string) => (await f.db.select().from(provisionedAccounts).where(eq(provisionedAccounts.directoryUserId, userId)).limit(1))[0]!;
const lineOf = async (runId: string, userId: string) =>
  (await f.db.select().from(syncReportLines).where(eq(syncReportLines.runId, runId))).find((l) => l.directoryUserId === userId)!;
const failures = async () => await f.db.select().from(usageEvents).where(eq(usageEvents.kind, 'failure'));
/** An answer the gateway cannot give: a 502, like a gateway whose app is down for this one call. */
const brokenFor = (method: string, match: (path: string, body: string) => boolean) =>
  gateway.beforeForward((m, path, body) => {
    if (m === method && match(path, body)) throw new Error('upstream timed out');
  });

describe('"not found" said with a 500 (issue 15, item 2)', () => {
  it('a linked account deleted in the app is made again, once, instead of being retried as transient for ever', async () => {
    expect((await run()).counts).toEqual({ created: 200 });
    const [gone, suspendedGone] = await inScope();
    for (const u of [gone!, suspendedGone!]) scim.users.delete((await linkOf(u.id)).remoteId!);
    await updateUser(f.db, f.clock, systemActor, gone!.id, { givenName: 'Back' });
    await changeUserStatus(f.db, f.clock, systemActor, suspendedGone!.id, 'suspend');

    const second = await run();
    // The PATCHes were answered with 500; the reads by id said 404: one account made again, and
    // the suspension of an account that is no longer there is done.
    expect(gateway.stats.missingAs500).toBeGreaterThanOrEqual(2);
    expect(second).toMatchObject({ state: 'succeeded', counts: { created: 1, suspended: 1 } });
    expect(accountsOf(gone!.primaryEmail)).toEqual([expect.objectContaining({ id: (await linkOf(gone!.id)).remoteId, name: expect.objectContaining({ givenName: 'Back' }) })]);
    expect(await lineOf(second.id, gone!.id)).toMatchObject({ action: 'create', result: 'succeeded', reason: 'The account was no longer in the app: created again.' });
    expect(accountsOf(suspendedGone!.primaryEmail)).toEqual([]);
    expect(await failures()).toEqual([]);

    // Nothing left to do: no retry, no second account.
    expect((await run()).counts).toEqual({});
    expect(accountsOf(gone!.primaryEmail)).toHaveLength(1);
  });

  it('a linked account deleted and made again by hand under another id (same userName) is relinked and adopted, updated once, not duplicated (E-3, E-10, E-19)', async () => {
    expect((await run()).counts).toEqual({ created: 200 });
    const u = (await inScope())[3]!;
    const old = (await linkOf(u.id)).remoteId!;
    scim.users.delete(old);
    scim.users.set('made-by-hand', { id: 'made-by-hand', schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: u.primaryEmail, active: true });
    await updateUser(f.db, f.clock, systemActor, u.id, { givenName: 'Relinked' });

    const second = await run();
    // The PATCH on the old id was answered with 500; the read by id said 404, the read by userName found the new account.
    expect(gateway.stats.missingAs500).toBeGreaterThanOrEqual(1);
    expect(second).toMatchObject({ state: 'succeeded', counts: { updated: 1 } });
    expect(await linkOf(u.id)).toMatchObject({ remoteId: 'made-by-hand', origin: 'adopted' });
    // Adopted as E-3 adopts: it holds what autoprov sends, not only the changed field.
    expect(accountsOf(u.primaryEmail)).toEqual([
      expect.objectContaining({ id: 'made-by-hand', active: true, name: expect.objectContaining({ givenName: 'Relinked', familyName: u.familyName }) }),
    ]);
    expect(await lineOf(second.id, u.id)).toMatchObject({
      action: 'update',
      result: 'succeeded',
      changes: { 'name.givenName': { before: u.givenName, after: 'Relinked' } },
      reason: expect.stringMatching(/made again in the app under another id: autoprov adopted it/),
    });
    expect(await failures()).toEqual([]);

    // Nothing left to do, and still one account.
    expect((await run()).counts).toEqual({});
    expect(accountsOf(u.primaryEmail)).toHaveLength(1);
  });

  it('a 5xx on an account that is still in the app stays a failure: nothing is made again', async () => {
    await run();
    const u = (await inScope())[2]!;
    const remoteId = (await linkOf(u.id)).remoteId!;
    brokenFor('PATCH', (path) => path.includes(remoteId));
    await updateUser(f.db, f.clock, systemActor, u.id, { givenName: 'Later' });

    const second = await run();
    expect(second.counts).toEqual({ failed: 1 });
    expect(accountsOf(u.primaryEmail)).toEqual([expect.objectContaining({ id: remoteId })]);
    expect((await linkOf(u.id)).remoteId).toBe(remoteId);
    expect(await failures()).toHaveLength(1);

    // Once the gateway answers again, the change arrives on the same account.
    gateway.beforeForward(null);
    expect((await run()).counts).toEqual({ updated: 1 });
    expect(accountsOf(u.primaryEmail)).toEqual([expect.objectContaining({ id: remoteId, name: expect.objectContaining({ givenName: 'Later' }) })]);
  });
});

describe('"already exists" said with a 500 (issue 15, item 2)', () => {
  it('a create whose userName was taken meanwhile is a conflict: the account in the app is adopted (E-3), not a duplicate', async () => {
    const [raced, broken] = await inScope();
    // Someone creates the account in the app after autoprov looked and before its POST arrives.
    let someone: string | null = null;
    gateway.beforeForward((method, path, body) => {
      if (method === 'POST' && path.startsWith('/Users') && body.includes(raced!.primaryEmail) && !someone) {
        someone = 'made-by-someone';
        scim.users.set(someone, { id: someone, schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: raced!.primaryEmail, active: false });
      }
      // A create that fails for another reason, with nothing in the app: it must stay a failure.
      if (method === 'POST' && body.includes(broken!.primaryEmail)) throw new Error('upstream timed out');
    });

    const first = await run();
    expect(gateway.stats.clashAs500).toBeGreaterThanOrEqual(1);
    expect(first.counts).toEqual({ created: 198, adopted: 1, failed: 1 });
    expect(accountsOf(raced!.primaryEmail)).toEqual([expect.objectContaining({ id: 'made-by-someone', active: true, name: expect.objectContaining({ givenName: raced!.givenName }) })]);
    expect((await linkOf(raced!.id)).remoteId).toBe('made-by-someone');
    expect(await lineOf(first.id, raced!.id)).toMatchObject({ action: 'adopt', result: 'succeeded' });
    expect(accountsOf(broken!.primaryEmail)).toEqual([]);
    expect(await lineOf(first.id, broken!.id)).toMatchObject({ action: 'create', result: 'failed' });
  });
});

// Issue 15, item 2: a rename onto a userName another account holds, said as SCIM says it (409)
// and as the gateway does (500 with words): a conflict, refused for good until the user changes.
describe.each([
  ['409, as SCIM says it', () => scim.baseUrl],
  ['500 with words, as the gateway says it', () => gateway.baseUrl],
])('a userName clash on an update, said with %s (issue 15, item 2, E-16)', (_dialect, baseUrlOf) => {
  beforeEach(async () => {
    f = await engineFixture({ baseUrl: baseUrlOf(), token: 'good' });
  });
  const escrowOf = async (userId: string) => (await f.db.select().from(escrowedOperations).where(eq(escrowedOperations.directoryUserId, userId)).limit(1))[0];

  it('is a conflict naming the clash: one Failure, escrowed as permanent, left alone until the user changes, never a second account', async () => {
    expect((await run()).counts).toEqual({ created: 200 });
    const u = (await inScope())[4]!;
    const remoteId = (await linkOf(u.id)).remoteId!;
    const theirs = { id: 'theirs', schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'taken.by.hand@example.com', active: true };
    scim.users.set(theirs.id, theirs);
    await updateUser(f.db, f.clock, systemActor, u.id, { primaryEmail: 'taken.by.hand@example.com' });
    const clashesBefore = gateway.stats.clashAs500;

    const second = await run();
    if (baseUrlOf() === gateway.baseUrl) expect(gateway.stats.clashAs500).toBeGreaterThan(clashesBefore);
    expect(second.counts).toEqual({ failed: 1 });
    const clash = /The userName taken\.by\.hand@example\.com is already held by another account in the app \(id theirs\)/;
    expect(await lineOf(second.id, u.id)).toMatchObject({ action: 'update', result: 'failed', reason: expect.stringMatching(clash), nextAttemptAt: null });
    expect(await failures()).toEqual([expect.objectContaining({ directoryUserId: u.id, detail: expect.stringMatching(clash) })]);
    // A refusal, not the app being down: no retry on the transient schedule.
    expect(await escrowOf(u.id)).toMatchObject({ operation: 'update', kind: 'permanent', nextAttemptAt: null, attempts: 1 });
    expect(scim.users.get(theirs.id)).toEqual(theirs);
    expect(scim.users.get(remoteId)).toMatchObject({ userName: u.primaryEmail });

    // Later runs leave it alone: the same update would be refused again.
    expect((await run()).counts).toEqual({ waiting_for_change: 1 });
    expect(await failures()).toHaveLength(1);

    // The user's data changes what autoprov sends: tried again, and refused again while the clash lasts.
    await updateUser(f.db, f.clock, systemActor, u.id, { givenName: 'Changed' });
    expect((await run()).counts).toEqual({ failed: 1 });
    expect(await escrowOf(u.id)).toMatchObject({ kind: 'permanent', attempts: 2 });

    // A userName nobody holds: the rename goes through on the same account, and the escrow is settled.
    await updateUser(f.db, f.clock, systemActor, u.id, { primaryEmail: 'free.again@example.com' });
    expect((await run()).counts).toEqual({ updated: 1 });
    expect(scim.users.get(remoteId)).toMatchObject({ userName: 'free.again@example.com', name: expect.objectContaining({ givenName: 'Changed' }) });
    expect(await escrowOf(u.id)).toBeUndefined();
    expect(accountsOf('taken.by.hand@example.com')).toEqual([theirs]);
    expect((await linkOf(u.id)).remoteId).toBe(remoteId);
  });
});
