import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { provisionedAccounts, syncRuns } from '@autoprov/db';
import { listUsers, systemActor, updateUser } from '@autoprov/directory';
import { startVendorFake } from '@autoprov/scim-client/testing';
import { executeRun } from './run.js';
import { engineFixture } from './test-support.js';
import type { RemoteUser } from './testing/targets.js';
import { againstTarget, twoTargets } from './testing/two-targets.js';

// E-4 and E-19 against two SCIM services on 127.0.0.1: the demo app and SCIMMY, which answers a
// `replace` of `phoneNumbers[type eq "work"].value` on an account with no work phone with 400
// noTarget (RFC 7644 §3.5.2.3). A value the account lacks is added, one emptied is removed.
describe.each(twoTargets)('updates of multi-valued attributes against %s (E-4, E-19)', (_name, makeTarget) => {
  const h = againstTarget(makeTarget);
  const { runRow, lines, linkOf, inScope } = h;
  const accountOf = async (userId: string) => h.target.userById((await linkOf(userId)).remoteId!)!;
  const valuesOf = (u: RemoteUser, attribute: 'emails' | 'phoneNumbers') =>
    ((u[attribute] as { type?: string; value?: string }[] | undefined) ?? []).filter((v) => v.type === 'work').map((v) => v.value);

  it('E-4: a user without a phone who gets one is updated, and the account holds it as a work phone', async () => {
    const user = (await inScope())[0]!;
    await updateUser(h.f.db, h.f.clock, systemActor, user.id, { phone: null });
    await runRow('manual');
    expect(valuesOf(await accountOf(user.id), 'phoneNumbers')).toEqual([]);

    await updateUser(h.f.db, h.f.clock, systemActor, user.id, { phone: '+33 1 70 00 99 99' });
    const run = await runRow('manual');
    expect(run).toMatchObject({ state: 'succeeded', counts: { updated: 1 } });
    expect(valuesOf(await accountOf(user.id), 'phoneNumbers')).toEqual(['+33 1 70 00 99 99']);
    // Sent once: the next run has nothing to do and the app holds what autoprov set.
    expect((await runRow('manual')).counts).toEqual({});
    expect(await lines((await runRow('reconcile')).id)).toEqual([]);
  });

  it('E-4: a phone removed in the directory is removed from the account; one changed is replaced', async () => {
    await runRow('manual');
    const [removed, changed] = await inScope();
    expect(valuesOf(await accountOf(removed!.id), 'phoneNumbers')).toEqual([removed!.phone]);

    await updateUser(h.f.db, h.f.clock, systemActor, removed!.id, { phone: null });
    await updateUser(h.f.db, h.f.clock, systemActor, changed!.id, { phone: '+33 1 70 00 43 21' });
    expect(await runRow('manual')).toMatchObject({ state: 'succeeded', counts: { updated: 2 } });
    expect(valuesOf(await accountOf(removed!.id), 'phoneNumbers')).toEqual([]);
    expect(valuesOf(await accountOf(changed!.id), 'phoneNumbers')).toEqual(['+33 1 70 00 43 21']);
    // The work e-mail of the account whose phone went is untouched.
    expect(valuesOf(await accountOf(removed!.id), 'emails')).toEqual([removed!.primaryEmail]);
    expect(await lines((await runRow('reconcile')).id)).toEqual([]);
  });

  it('E-19: a work e-mail removed by hand in the app is added back by the reconciliation', async () => {
    await runRow('manual');
    const user = (await inScope())[0]!;
    await h.someoneElse.patchUser((await linkOf(user.id)).remoteId!, [{ op: 'remove', path: 'emails[type eq "work"]' }]);
    expect(valuesOf(await accountOf(user.id), 'emails')).toEqual([]);

    const reconcile = await runRow('reconcile');
    expect(reconcile).toMatchObject({ state: 'succeeded', counts: { drift_corrected: 1 } });
    expect(await lines(reconcile.id)).toEqual([
      expect.objectContaining({
        action: 'drift_corrected',
        result: 'succeeded',
        changes: { 'emails[type eq "work"].value': { before: null, after: user.primaryEmail } },
      }),
    ]);
    expect(valuesOf(await accountOf(user.id), 'emails')).toEqual([user.primaryEmail]);
    expect(await lines((await runRow('reconcile')).id)).toEqual([]);
  });

  it('E-4, E-19: a user renamed in the directory is renamed in the app and the link records the new userName', async () => {
    await runRow('manual');
    const user = (await inScope())[0]!;
    await updateUser(h.f.db, h.f.clock, systemActor, user.id, { primaryEmail: 'renamed.in.directory@example.com' });
    expect(await runRow('manual')).toMatchObject({ state: 'succeeded', counts: { updated: 1 } });
    expect((await accountOf(user.id)).userName).toBe('renamed.in.directory@example.com');
    expect(valuesOf(await accountOf(user.id), 'emails')).toEqual(['renamed.in.directory@example.com']);
    expect((await linkOf(user.id)).userName).toBe('renamed.in.directory@example.com');
    expect(await lines((await runRow('reconcile')).id)).toEqual([]);

    // The account is made again by hand under the new userName: the reconciliation finds it by that name.
    const old = (await linkOf(user.id)).remoteId!;
    await h.someoneElse.deleteUser(old);
    const made = await h.someoneElse.createUser({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'renamed.in.directory@example.com', active: true });
    const reconcile = await runRow('reconcile');
    expect(reconcile).toMatchObject({ state: 'succeeded', counts: { drift_corrected: 1 } });
    expect(await linkOf(user.id)).toMatchObject({ remoteId: made.id, origin: 'adopted' });
    expect(await lines(reconcile.id)).toEqual([expect.objectContaining({ userEmail: 'renamed.in.directory@example.com', reason: expect.stringContaining(`made again in the app (now ${made.id}, adopted)`) })]);
    expect(h.target.users().filter((u) => u.userName === 'renamed.in.directory@example.com')).toHaveLength(1);
  });
});

describe('an app without PATCH (E-4: PUT)', () => {
  it('a phone gained and one removed go out as PUTs of the whole user, never as a PATCH', async () => {
    const fake = await startVendorFake({ token: 'put-token', patchUnsupported: true });
    try {
      const f = await engineFixture({ baseUrl: fake.baseUrl, token: 'put-token' });
      const runOf = async () => (await f.db.select().from(syncRuns).where(eq(syncRuns.id, await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' }))).limit(1))[0]!;
      const linkOf = async (userId: string) => (await f.db.select().from(provisionedAccounts).where(eq(provisionedAccounts.directoryUserId, userId)).limit(1))[0]!;
      const phonesOf = async (userId: string) => ((fake.users.get((await linkOf(userId)).remoteId!)?.phoneNumbers as { type?: string; value?: string }[] | undefined) ?? []).map((p) => p.value);
      const [gains, loses] = (await listUsers(f.db, { page: 1, pageSize: 100, status: 'active' })).items.filter((u) => u.primaryEmail.endsWith('@example.com'));
      await updateUser(f.db, f.clock, systemActor, gains!.id, { phone: null });
      expect((await runOf()).state).toBe('succeeded');
      expect(await phonesOf(gains!.id)).toEqual([]);

      await updateUser(f.db, f.clock, systemActor, gains!.id, { phone: '+33 1 70 00 77 77' });
      await updateUser(f.db, f.clock, systemActor, loses!.id, { phone: null });
      const run = await runOf();
      expect(run).toMatchObject({ state: 'succeeded', counts: { updated: 2 } });
      expect(await phonesOf(gains!.id)).toEqual(['+33 1 70 00 77 77']);
      expect(await phonesOf(loses!.id)).toEqual([]);
      expect(fake.requests.filter((r) => r.method === 'PUT')).toHaveLength(2);
      expect(fake.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
      expect(fake.refused).toEqual(new Map());
    } finally {
      await fake.close();
    }
  });
});
