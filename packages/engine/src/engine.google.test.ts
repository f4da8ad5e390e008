import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { appAvailability, directoryChanges, directoryGroups, directoryUsers, orgUnits, syncRuns } from '@autoprov/db';
import { applyGoogleChanges, applyGoogleRead, readSnapshot } from '@autoprov/directory';
import { cursorAt, googleClients, readChangesSince, readGoogleDirectory, type ServiceAccountKey } from '@autoprov/google-directory';
import { makeServiceAccountKey, startFakeGoogle, type FakeGoogle } from '@autoprov/google-directory/testing';
import { executeRun } from './run.js';
import { engineFixture } from './test-support.js';
import { scimmyTarget, type Target } from './testing/targets.js';

// G-1, G-2: Google Workspace as the directory, as Google really behaves, seen from the app.
const key = makeServiceAccountKey();
const fast = { baseMs: 1, maxMs: 5 };
const domains = new Set(['example.com', 'example.org']);
const open: (FakeGoogle | Target)[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function setUp() {
  const google = await startFakeGoogle();
  const target = await scimmyTarget();
  open.push(google, target);
  google.registerKey(key);
  google.addOrgUnit('/Sales');
  google.addOrgUnit('/Support');
  google.addUser({ primaryEmail: 'admin@example.com', givenName: 'Ada', familyName: 'Admin', orgUnitPath: '/' }, false);
  for (const [name, unit] of [['ann', '/Sales'], ['bob', '/Sales'], ['cat', '/Support']] as const) {
    google.addUser({ primaryEmail: `${name}@example.com`, givenName: name, familyName: 'Example', orgUnitPath: unit }, false);
  }
  google.addGroup({ email: 'hosts@example.com', name: 'Hosts', members: [{ email: 'ann@example.com', type: 'USER' }, { email: 'bob@example.com', type: 'USER' }] }, false);

  const f = await engineFixture({ baseUrl: target.baseUrl, token: target.token });
  const clients = await googleClients({ key: key as ServiceAccountKey, adminEmail: 'admin@example.com', rootUrl: google.rootUrl, tokenUrl: google.tokenUrl });
  await applyGoogleRead(f.db, f.clock, await readGoogleDirectory(clients, fast));
  let cursor = cursorAt(new Date());
  return {
    google,
    target,
    f,
    /** The next look at the audit logs, as the scheduler makes every minute. */
    follow: async () => {
      const changes = await readChangesSince(clients, cursor, domains, fast);
      cursor = changes.cursor;
      await applyGoogleChanges(f.db, f.clock, changes);
      return changes;
    },
    fullRead: async () => await applyGoogleRead(f.db, f.clock, await readGoogleDirectory(clients, fast)),
    run: async () => (await f.db.select().from(syncRuns).where(eq(syncRuns.id, await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' }))).limit(1))[0]!,
    remote: (userName: string) => target.users().find((u) => u.userName === userName),
    groupId: async (email: string) => (await f.db.select().from(directoryGroups).where(eq(directoryGroups.email, email)).limit(1))[0]!.id,
  };
}

describe('Google Workspace as it really behaves, end to end (G-1, G-2)', () => {
  it('G-1: a user renamed in Google keeps the same app account under the new userName; nobody is deprovisioned', async () => {
    const { google, target, f, follow, fullRead, run, remote } = await setUp();
    expect((await run()).counts).toEqual({ created: 4 });
    const ann = remote('ann@example.com')!;
    const bob = remote('bob@example.com')!;

    // Renamed, followed by the audit log (the old address is now an alias of the same user).
    google.renameUser('ann@example.com', 'ann.lee@example.com');
    await follow();
    expect((await run()).counts).toEqual({ updated: 1 });
    expect(target.userById(ann.id)).toMatchObject({ userName: 'ann.lee@example.com', active: true });

    // Renamed, seen by the daily full read only.
    google.renameUser('bob@example.com', 'robert@example.com');
    await fullRead();
    expect((await run()).counts).toEqual({ updated: 1 });
    expect(target.userById(bob.id)).toMatchObject({ userName: 'robert@example.com', active: true });

    expect(target.users()).toHaveLength(4);
    expect(target.users().every((u) => u.active)).toBe(true);
    const live = (await readSnapshot(f.db)).users.filter((u) => u.status !== 'deleted');
    expect(live.map((u) => u.primaryEmail).sort()).toEqual(['admin@example.com', 'ann.lee@example.com', 'cat@example.com', 'robert@example.com']);
    expect((await f.db.select().from(directoryChanges).where(eq(directoryChanges.action, 'deleted'))).filter((c) => c.entityKind === 'user' && live.some((u) => u.id === c.entityId))).toEqual([]);
  });

  it('G-2: a member removed by a group owner (groups_enterprise) loses access at the next look; a group address change keeps the scope', async () => {
    const { google, f, follow, run, remote, groupId } = await setUp();
    const hosts = await groupId('hosts@example.com');
    await f.setScope([{ groupId: hosts, accessLevel: 'organizer' }]);
    expect((await run()).counts).toEqual({ created: 2 });

    google.changeGroupEmail('hosts@example.com', 'meeting-hosts@example.com');
    await follow();
    expect(await groupId('meeting-hosts@example.com')).toBe(hosts);
    expect((await run()).counts).toEqual({});

    // Not in the admin log at all: only the Groups Enterprise log has it.
    google.changeMembershipAsOwner('meeting-hosts@example.com', 'bob@example.com', 'remove_member');
    const changes = await follow();
    expect(changes.groups.get('meeting-hosts@example.com')?.members.map((m) => m.email)).toEqual(['ann@example.com']);
    await run();
    expect(remote('bob@example.com')).toMatchObject({ active: false });
    expect(remote('ann@example.com')).toMatchObject({ active: true });

    // And someone joining on their own (or by a dynamic group's rule) gets access.
    google.changeMembershipAsOwner('meeting-hosts@example.com', 'cat@example.com', 'add_member');
    await follow();
    expect((await run()).counts).toEqual({ created: 1 });
    expect(remote('cat@example.com')).toMatchObject({ active: true });
  });

  it('G-1, G-2: an org unit renamed or moved in Google keeps its availability setting, and its members with it', async () => {
    const { google, f, follow, fullRead, run, remote } = await setUp();
    const sales = (await f.db.select().from(orgUnits).where(eq(orgUnits.path, '/Sales')).limit(1))[0]!;
    await f.db.insert(appAvailability).values({ appKey: 'gotomeeting', orgUnitId: sales.id, on: false });
    expect((await run()).counts).toEqual({ created: 2 }); // admin and cat; Sales has the app off
    expect(remote('ann@example.com')).toBeUndefined();

    google.renameOrgUnit('/Sales', 'Revenue');
    const changes = await follow();
    expect(changes.orgUnits?.map((o) => o.path)).toContain('/Revenue');
    expect((await f.db.select().from(orgUnits).where(eq(orgUnits.id, sales.id)).limit(1))[0]!.path).toBe('/Revenue');
    expect((await run()).counts).toEqual({});
    expect(remote('ann@example.com')).toBeUndefined();

    google.moveOrgUnit('/Revenue', '/Support');
    await follow();
    await fullRead(); // the full read agrees
    expect((await f.db.select().from(orgUnits).where(eq(orgUnits.id, sales.id)).limit(1))[0]!.path).toBe('/Support/Revenue');
    const ann = (await readSnapshot(f.db)).users.find((u) => u.primaryEmail === 'ann@example.com')!;
    expect(ann.orgUnitPath).toBe('/Support/Revenue');
    expect((await f.db.select().from(directoryUsers).where(eq(directoryUsers.id, ann.id)).limit(1))[0]!.orgUnitId).toBe(sales.id);
    expect((await run()).counts).toEqual({});
    expect(remote('ann@example.com')).toBeUndefined();
  });

  it('G-2: an event Google shows 30 minutes late is applied, once', async () => {
    const { google, target, follow, run, remote } = await setUp();
    await run();
    await follow(); // a look with nothing new: the cursor moves past "now"
    google.state.eventLagMs = 30 * 60_000;
    google.changeName('cat@example.com', 'Catherine', 'Late');
    const late = await follow();
    expect(late.users.get('cat@example.com')).toMatchObject({ givenName: 'Catherine' });
    expect(late.events).toBe(2);
    expect((await run()).counts).toEqual({ updated: 1 });
    expect(remote('cat@example.com')).toMatchObject({ name: { givenName: 'Catherine', familyName: 'Late' } });

    const again = await follow();
    expect(again.events).toBe(0);
    expect(again.users.size).toBe(0);
    expect((await run()).counts).toEqual({});
    expect(target.users()).toHaveLength(4);
  });
});
