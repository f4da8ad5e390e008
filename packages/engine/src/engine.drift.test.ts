import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { appConfigurations, provisionedAccounts } from '@autoprov/db';
import { changeUserStatus, systemActor } from '@autoprov/directory';
import { againstTarget, twoTargets } from './testing/two-targets.js';

// E-19 against two SCIM services on 127.0.0.1: the built-in demo app and SCIMMY. "Someone else"
// changes accounts by hand through the app's own SCIM API; a reconciliation reads what the app
// holds and sets autoprov's accounts back, and never touches the others.
describe.each(twoTargets)('drift and ownership against %s (E-19)', (_name, makeTarget) => {
  const h = againstTarget(makeTarget);
  const { runRow, lines, linkOf, inScope } = h;
  const byUserName = (userName: string) => h.target.users().filter((u) => String(u.userName).toLowerCase() === userName.toLowerCase());
  const nameOf = (u: Record<string, unknown> | undefined) => u?.name as { givenName?: string; familyName?: string } | undefined;

  it('a reconciliation of an app that holds what autoprov set finds no drift, and the links record that autoprov created them', async () => {
    expect((await runRow('manual')).counts).toEqual({ created: 200 });
    const reconcile = await runRow('reconcile');
    expect(reconcile).toMatchObject({ state: 'succeeded', counts: {} });
    expect(await lines(reconcile.id)).toEqual([]);
    expect(new Set((await h.f.db.select().from(provisionedAccounts)).map((l) => l.origin))).toEqual(new Set(['created']));
  });

  it('an account deleted in the app is made again and relinked; one renamed in the app is set back, with before → after', async () => {
    await runRow('manual');
    const [deleted, renamed] = await inScope();
    await h.someoneElse.deleteUser((await linkOf(deleted!.id)).remoteId!);
    await h.someoneElse.patchUser((await linkOf(renamed!.id)).remoteId!, [
      { op: 'replace', path: 'userName', value: 'renamed.by.hand@example.com' },
      { op: 'replace', path: 'name.familyName', value: 'ByHand' },
    ]);

    const reconcile = await runRow('reconcile');
    expect(reconcile).toMatchObject({ state: 'succeeded', counts: { drift_corrected: 2 } });
    const again = byUserName(deleted!.primaryEmail);
    expect(again).toHaveLength(1);
    expect(await linkOf(deleted!.id)).toMatchObject({ remoteId: again[0]!.id, origin: 'created' });
    const back = h.target.userById((await linkOf(renamed!.id)).remoteId!)!;
    expect(back.userName).toBe(renamed!.primaryEmail);
    expect(nameOf(back)?.familyName).toBe(renamed!.familyName);

    const lineOf = async (userId: string) => (await lines(reconcile.id)).find((l) => l.directoryUserId === userId)!;
    expect(await lineOf(deleted!.id)).toMatchObject({ action: 'drift_corrected', result: 'succeeded', reason: expect.stringMatching(/gone from the app/) });
    expect(await lineOf(renamed!.id)).toMatchObject({
      action: 'drift_corrected',
      result: 'succeeded',
      changes: {
        userName: { before: 'renamed.by.hand@example.com', after: renamed!.primaryEmail },
        'name.familyName': { before: 'ByHand', after: renamed!.familyName },
      },
    });
    // Set back: the next reconciliation finds nothing.
    expect(await lines((await runRow('reconcile')).id)).toEqual([]);
  });

  it('an account deleted in the app and made again by hand under another id with the same userName is relinked, adopted and set back; no second account (E-3, E-10)', async () => {
    await runRow('manual');
    const [user, suspended] = await inScope();
    await changeUserStatus(h.f.db, h.f.clock, systemActor, suspended!.id, 'suspend');
    expect((await runRow('manual')).counts).toEqual({ suspended: 1 });
    const remake = async (u: typeof user) => {
      const old = (await linkOf(u!.id)).remoteId!;
      await h.someoneElse.deleteUser(old);
      const made = await h.someoneElse.createUser({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: u!.primaryEmail,
        name: { givenName: u!.givenName, familyName: 'ByHand' },
        active: true,
      });
      expect(made.id).not.toBe(old);
      return made.id;
    };
    const again = await remake(user);
    const suspendedAgain = await remake(suspended);

    const reconcile = await runRow('reconcile');
    expect(reconcile).toMatchObject({ state: 'succeeded', counts: { drift_corrected: 2 } });
    const lineOf = async (userId: string) => (await lines(reconcile.id)).find((l) => l.directoryUserId === userId);
    expect(await lineOf(user!.id)).toMatchObject({
      action: 'drift_corrected',
      result: 'succeeded',
      changes: expect.objectContaining({ 'name.familyName': { before: 'ByHand', after: user!.familyName } }),
      reason: expect.stringContaining(`the account was made again in the app (now ${again}, adopted)`),
    });
    expect(await lineOf(suspended!.id)).toMatchObject({ result: 'succeeded', changes: expect.objectContaining({ active: { before: 'true', after: 'false' } }) });
    // The link follows the account; autoprov did not create it, so it is adopted (E-19 ownership).
    expect(await linkOf(user!.id)).toMatchObject({ remoteId: again, origin: 'adopted' });
    expect(await linkOf(suspended!.id)).toMatchObject({ remoteId: suspendedAgain, origin: 'adopted', state: 'suspended' });
    expect(byUserName(user!.primaryEmail)).toEqual([expect.objectContaining({ id: again, active: true })]);
    expect(byUserName(suspended!.primaryEmail)).toEqual([expect.objectContaining({ id: suspendedAgain, active: false })]);
    expect(nameOf(h.target.userById(again))?.familyName).toBe(user!.familyName);

    // Set back and relinked: the next reconciliation finds nothing, and a run makes nothing.
    expect(await lines((await runRow('reconcile')).id)).toEqual([]);
    expect((await runRow('manual')).counts).toEqual({});
    expect(byUserName(user!.primaryEmail)).toHaveLength(1);
  });

  it('an account re-activated in the app while the directory says suspended is suspended again', async () => {
    await runRow('manual');
    const user = (await inScope())[0]!;
    await changeUserStatus(h.f.db, h.f.clock, systemActor, user.id, 'suspend');
    expect((await runRow('manual')).counts).toEqual({ suspended: 1 });
    await h.someoneElse.patchUser((await linkOf(user.id)).remoteId!, [{ op: 'replace', path: 'active', value: true }]);
    expect(h.target.userById((await linkOf(user.id)).remoteId!)!.active).toBe(true);

    const reconcile = await runRow('reconcile');
    expect(reconcile.counts).toEqual({ drift_corrected: 1 });
    expect(h.target.userById((await linkOf(user.id)).remoteId!)!.active).toBe(false);
    expect(await lines(reconcile.id)).toEqual([
      expect.objectContaining({ action: 'drift_corrected', changes: { active: { before: 'true', after: 'false' } }, reason: expect.stringMatching(/re-activated in the app while the directory says suspended/) }),
    ]);
  });

  it('report only: a drifted account is reported with before → after and left as the app holds it', async () => {
    await runRow('manual');
    await h.f.db.update(appConfigurations).set({ driftMode: 'report' }).where(eq(appConfigurations.id, h.f.configurationId));
    const user = (await inScope())[0]!;
    const remoteId = (await linkOf(user.id)).remoteId!;
    await h.someoneElse.patchUser(remoteId, [{ op: 'replace', path: 'name.givenName', value: 'Changed' }]);

    const reconcile = await runRow('reconcile');
    expect(reconcile.counts).toEqual({ drift_found: 1 });
    expect(await lines(reconcile.id)).toEqual([
      expect.objectContaining({ action: 'drift_found', result: 'reported', changes: { 'name.givenName': { before: 'Changed', after: user.givenName } } }),
    ]);
    expect(nameOf(h.target.userById(remoteId))?.givenName).toBe('Changed');
  });

  it('an account someone else created in the app is never modified or deleted, and is listed as not managed by autoprov', async () => {
    const theirs = await h.someoneElse.createUser({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'contractor.by.hand@example.com',
      name: { givenName: 'Con', familyName: 'Tractor' },
      active: true,
    });
    const before = h.target.userById(theirs.id)!;
    await runRow('manual');
    const reconcile = await runRow('reconcile');
    expect(reconcile.counts).toEqual({ not_managed: 1 });
    expect(await lines(reconcile.id)).toEqual([
      expect.objectContaining({ userEmail: 'contractor.by.hand@example.com', action: 'not_managed', result: 'reported', reason: expect.stringMatching(/Not managed by autoprov/) }),
    ]);
    await runRow('manual');
    expect(h.target.userById(theirs.id)).toEqual(before);
    expect((await h.f.db.select().from(provisionedAccounts)).some((l) => l.remoteId === theirs.id)).toBe(false);
  });

  it('an account autoprov adopted (E-3) is recorded as adopted, is its own to keep right, and is not listed as not managed', async () => {
    const user = (await inScope())[0]!;
    const found = await h.someoneElse.createUser({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: user.primaryEmail, active: true });
    expect((await runRow('manual')).counts).toEqual({ created: 199, adopted: 1 });
    expect(await linkOf(user.id)).toMatchObject({ remoteId: found.id, origin: 'adopted' });
    await h.someoneElse.patchUser(found.id, [{ op: 'replace', path: 'name.familyName', value: 'ByHand' }]);
    const reconcile = await runRow('reconcile');
    expect(reconcile.counts).toEqual({ drift_corrected: 1 });
    expect(nameOf(h.target.userById(found.id))?.familyName).toBe(user.familyName);
  });
});
