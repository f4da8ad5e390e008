import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { directoryUsers } from '@autoprov/db';
import { openTestDatabase } from '@autoprov/db/testing';
import { addMissed, cursorAt, googleClients, readChangesSince, readGoogleDirectory, type GoogleClients, type ServiceAccountKey } from '@autoprov/google-directory';
import { makeServiceAccountKey, startFakeGoogle, type FakeGoogle } from '@autoprov/google-directory/testing';
import { applyGoogleChanges, applyGoogleRead, mirroredGoogleIds } from './google-mirror.js';
import { latestChangeId, readSnapshot, usersAffectedBetween } from './snapshot.js';
import { seedDemoOrganisation } from './demo-seed.js';
import { systemClock } from './actor.js';
import { getGroup, listGroups } from './groups.js';

let google: FakeGoogle;
const key = makeServiceAccountKey();
let clients: GoogleClients;
const fast = { baseMs: 1, maxMs: 5 };

beforeAll(async () => {
  google = await startFakeGoogle();
  google.registerKey(key);
  google.addOrgUnit('/Sales');
  google.addUser({ primaryEmail: 'admin@example.com', givenName: 'Ada', familyName: 'Admin', orgUnitPath: '/' }, false);
  clients = await googleClients({ key: key as ServiceAccountKey, adminEmail: 'admin@example.com', rootUrl: google.rootUrl, tokenUrl: google.tokenUrl });
});
afterAll(() => google.close());

describe('Google Workspace as the directory (issue 6)', () => {
  it('a full read makes the directory what Google holds, keeping the ids of users with the same address', async () => {
    const { db } = await openTestDatabase();
    await seedDemoOrganisation(db, systemClock);
    const someone = (await db.select().from(directoryUsers).where(eq(directoryUsers.status, 'active')).limit(1))[0]!;
    google.addUser({ primaryEmail: someone.primaryEmail, givenName: someone.givenName, familyName: 'FromGoogle', orgUnitPath: '/Sales' }, false);
    google.addUser({ primaryEmail: 'only.in.google@example.com', givenName: 'Only', familyName: 'Google', orgUnitPath: '/Sales/EMEA', suspended: true }, false);
    google.addGroup({ email: 'sales@example.com', name: 'Sales', members: [{ email: someone.primaryEmail, type: 'USER' }, { email: 'guest@partner.test', type: 'USER' }] }, false);
    google.addGroup({ email: 'all@example.com', name: 'All', members: [{ email: 'sales@example.com', type: 'GROUP' }] }, false);

    const summary = await applyGoogleRead(db, systemClock, await readGoogleDirectory(clients, fast));
    expect(summary.usersCreated).toBe(2); // admin and only.in.google
    const snapshot = await readSnapshot(db);
    const live = snapshot.users.filter((u) => u.status !== 'deleted');
    expect(live.map((u) => u.primaryEmail).sort()).toEqual(['admin@example.com', 'only.in.google@example.com', someone.primaryEmail].sort());
    const kept = snapshot.users.find((u) => u.primaryEmail === someone.primaryEmail)!;
    expect(kept.id).toBe(someone.id);
    expect(kept.attributes.familyName).toBe('FromGoogle');
    expect(kept.orgUnitPath).toBe('/Sales');
    expect(snapshot.users.find((u) => u.primaryEmail === 'only.in.google@example.com')).toMatchObject({ status: 'suspended', orgUnitPath: '/Sales/EMEA' });
    expect(snapshot.users.filter((u) => u.status === 'deleted').length).toBeGreaterThan(190);

    const groups = (await listGroups(db, { page: 1, pageSize: 50 })).items.map((g) => g.email).sort();
    expect(groups).toEqual(['all@example.com', 'sales@example.com']);
    // Nested membership: someone is in "All" through "Sales".
    const all = (await listGroups(db, { page: 1, pageSize: 50 })).items.find((g) => g.email === 'all@example.com')!;
    expect(kept.groupIds.has(all.id)).toBe(true);
    const sales = await getGroup(db, (await listGroups(db, { page: 1, pageSize: 50, q: 'sales@' })).items[0]!.id);
    expect(sales.members.map((m) => m.kind).sort()).toEqual(['external', 'user']);

    // Reading again changes nothing.
    const cursor = await latestChangeId(db);
    expect(await applyGoogleRead(db, systemClock, await readGoogleDirectory(clients, fast))).toEqual({ usersCreated: 0, usersUpdated: 0, usersDeleted: 0, groupsChanged: 0 });
    expect(await latestChangeId(db)).toBe(cursor);
  });

  it('E-14: a full read without anyone in it changes nothing', async () => {
    const { db } = await openTestDatabase();
    await seedDemoOrganisation(db, systemClock);
    const before = await latestChangeId(db);
    await expect(applyGoogleRead(db, systemClock, { primaryDomain: 'example.com', secondaryDomains: [], orgUnits: [], users: [], groups: [] })).rejects.toThrow(/no users/);
    expect(await latestChangeId(db)).toBe(before);
    expect((await readSnapshot(db)).users.filter((u) => u.status === 'deleted')).toHaveLength(0);
  });

  it('an incremental read writes change records that narrow the next provisioning run to the users concerned', async () => {
    const { db } = await openTestDatabase();
    const since = cursorAt(new Date(Date.now() - 1000));
    await applyGoogleRead(db, systemClock, await readGoogleDirectory(clients, fast));
    const before = await latestChangeId(db);
    google.addUser({ primaryEmail: 'late.hire@example.com', givenName: 'Late', familyName: 'Hire', orgUnitPath: '/Sales' });
    google.suspendUser('only.in.google@example.com');
    google.addMember('sales@example.com', 'late.hire@example.com');
    const changes = await readChangesSince(clients, since, new Set(['example.com', 'example.org']), fast);
    const summary = await applyGoogleChanges(db, systemClock, changes);
    expect(summary.usersCreated).toBe(1);
    const late = (await db.select().from(directoryUsers).where(eq(directoryUsers.primaryEmail, 'late.hire@example.com')).limit(1))[0]!;
    const affected = await usersAffectedBetween(db, before, await latestChangeId(db));
    expect(affected).toContain(late.id);
    const salesGroup = (await listGroups(db, { page: 1, pageSize: 50, q: 'sales@' })).items[0]!;
    expect((await getGroup(db, salesGroup.id)).members.some((m) => m.user?.id === late.id)).toBe(true);
  });
});

describe("Google's ids, not addresses (G-1)", () => {
  it('matches a built-in user by address once, then follows the Google id: renames, swaps and a reused address', async () => {
    const google2 = await startFakeGoogle();
    try {
      google2.registerKey(key);
      google2.addOrgUnit('/Sales');
      google2.addUser({ primaryEmail: 'admin@example.com', givenName: 'Ada', familyName: 'Admin', orgUnitPath: '/' }, false);
      const { db } = await openTestDatabase();
      await seedDemoOrganisation(db, systemClock);
      const [first, second] = await db.select().from(directoryUsers).where(eq(directoryUsers.status, 'active')).limit(2);
      const a = google2.addUser({ primaryEmail: first!.primaryEmail, givenName: 'A', familyName: 'One', orgUnitPath: '/Sales' }, false);
      const b = google2.addUser({ primaryEmail: second!.primaryEmail, givenName: 'B', familyName: 'Two', orgUnitPath: '/Sales' }, false);
      const c2 = await googleClients({ key: key as ServiceAccountKey, adminEmail: 'admin@example.com', rootUrl: google2.rootUrl, tokenUrl: google2.tokenUrl });
      await applyGoogleRead(db, systemClock, await readGoogleDirectory(c2, fast));
      const row = async (id: string) => (await db.select().from(directoryUsers).where(eq(directoryUsers.id, id)).limit(1))[0]!;
      // Matched by address the first time: the same rows, now known by Google's ids.
      expect(await row(first!.id)).toMatchObject({ googleId: a.id, status: 'active' });
      expect(await row(second!.id)).toMatchObject({ googleId: b.id, status: 'active' });

      // A swap of addresses: each row follows its Google user; nobody is created or deleted.
      google2.renameUser(first!.primaryEmail, 'swap@example.com');
      google2.renameUser(second!.primaryEmail, first!.primaryEmail);
      google2.renameUser('swap@example.com', second!.primaryEmail);
      expect(await applyGoogleRead(db, systemClock, await readGoogleDirectory(c2, fast))).toMatchObject({ usersCreated: 0, usersDeleted: 0, usersUpdated: 2 });
      expect((await row(first!.id)).primaryEmail).toBe(second!.primaryEmail);
      expect((await row(second!.id)).primaryEmail).toBe(first!.primaryEmail);

      // An address given to someone new after its holder was renamed is a new person.
      google2.renameUser(first!.primaryEmail, 'moved.on@example.com'); // b's current address
      const newcomer = google2.addUser({ primaryEmail: first!.primaryEmail, givenName: 'New', familyName: 'Comer', orgUnitPath: '/' }, false);
      expect(await applyGoogleRead(db, systemClock, await readGoogleDirectory(c2, fast))).toMatchObject({ usersCreated: 1, usersDeleted: 0 });
      expect((await row(second!.id)).primaryEmail).toBe('moved.on@example.com');
      expect((await db.select().from(directoryUsers).where(eq(directoryUsers.googleId, newcomer.id)).limit(1))[0]!.id).not.toBe(second!.id);
    } finally {
      await google2.close();
    }
  });

  it('G-2: a group deleted while the full read runs is left out; the read still succeeds', async () => {
    google.addGroup({ email: 'short-lived@example.com', name: 'Short-lived', members: [{ email: 'admin@example.com', type: 'USER' }] }, false);
    google.state.afterGroupsListed = () => google.deleteGroup('short-lived@example.com');
    const read = await readGoogleDirectory(clients, fast);
    expect(read.groups.map((g) => g.email)).not.toContain('short-lived@example.com');
    expect(read.groups.map((g) => g.email)).toContain('sales@example.com');
  });
});

describe('connecting another Google organisation (G-1)', () => {
  it('matches by address again on connect, so a move between Google tenants keeps everyone; a daily read does not', async () => {
    const { db } = await openTestDatabase();
    await applyGoogleRead(db, systemClock, await readGoogleDirectory(clients, fast), { connecting: true });
    const admin = (await db.select().from(directoryUsers).where(eq(directoryUsers.primaryEmail, 'admin@example.com')).limit(1))[0]!;
    const tenant = await startFakeGoogle();
    try {
      tenant.registerKey(key);
      const moved = tenant.addUser({ primaryEmail: 'admin@example.com', givenName: 'Ada', familyName: 'Admin', orgUnitPath: '/' }, false);
      const c2 = await googleClients({ key: key as ServiceAccountKey, adminEmail: 'admin@example.com', rootUrl: tenant.rootUrl, tokenUrl: tenant.tokenUrl });
      const read = await readGoogleDirectory(c2, fast);
      // As a daily read, a new id at a known address is a new person (the old one left Google).
      const { db: daily } = await openTestDatabase();
      await applyGoogleRead(daily, systemClock, await readGoogleDirectory(clients, fast), { connecting: true });
      expect(await applyGoogleRead(daily, systemClock, read)).toMatchObject({ usersCreated: 1 });
      // On connect, the same address is the same person.
      expect(await applyGoogleRead(db, systemClock, read, { connecting: true })).toMatchObject({ usersCreated: 0 });
      expect((await db.select().from(directoryUsers).where(eq(directoryUsers.id, admin.id)).limit(1))[0]).toMatchObject({ googleId: moved.id, status: 'active' });
    } finally {
      await tenant.close();
    }
  });
});

describe('a full read while Google changes (G-2)', () => {
  it('a user renamed while the pages are read is not taken for a deletion', async () => {
    const org = await startFakeGoogle();
    try {
      org.registerKey(key);
      org.addUser({ primaryEmail: 'admin@example.com', givenName: 'Ada', familyName: 'Admin', orgUnitPath: '/' }, false);
      for (let i = 0; i < 600; i++) org.addUser({ primaryEmail: `u${String(i).padStart(3, '0')}@example.com`, givenName: 'U', familyName: String(i), orgUnitPath: '/' }, false);
      const c = await googleClients({ key: key as ServiceAccountKey, adminEmail: 'admin@example.com', rootUrl: org.rootUrl, tokenUrl: org.tokenUrl });
      const { db } = await openTestDatabase();
      await applyGoogleRead(db, systemClock, await readGoogleDirectory(c, fast), { connecting: true });
      const last = (await db.select().from(directoryUsers).where(eq(directoryUsers.primaryEmail, 'u599@example.com')).limit(1))[0]!;

      // Renamed to an address that sorts first, after the first page of 500 was served.
      org.state.afterUsersPage = () => org.renameUser('u599@example.com', 'a.first@example.com');
      const read = await readGoogleDirectory(c, fast);
      expect(read.users.some((u) => u.id === last.googleId)).toBe(false); // the listing missed it
      const summary = await applyGoogleRead(db, systemClock, await addMissed(c, read, await mirroredGoogleIds(db), fast));
      expect(summary).toMatchObject({ usersDeleted: 0, usersCreated: 0, usersUpdated: 1 });
      expect((await db.select().from(directoryUsers).where(eq(directoryUsers.id, last.id)).limit(1))[0]).toMatchObject({ primaryEmail: 'a.first@example.com', status: 'active' });
    } finally {
      await org.close();
    }
  });
});
