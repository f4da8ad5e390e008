import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { directoryUsers, openDatabase } from '@autoprov/db';
import { cursorAt, googleClients, readChangesSince, readGoogleDirectory, type GoogleClients, type ServiceAccountKey } from '@autoprov/google-directory';
import { makeServiceAccountKey, startFakeGoogle, type FakeGoogle } from '@autoprov/google-directory/testing';
import { applyGoogleChanges, applyGoogleRead } from './google-mirror.js';
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
    const { db } = openDatabase(':memory:');
    seedDemoOrganisation(db, systemClock);
    const someone = db.select().from(directoryUsers).where(eq(directoryUsers.status, 'active')).get()!;
    google.addUser({ primaryEmail: someone.primaryEmail, givenName: someone.givenName, familyName: 'FromGoogle', orgUnitPath: '/Sales' }, false);
    google.addUser({ primaryEmail: 'only.in.google@example.com', givenName: 'Only', familyName: 'Google', orgUnitPath: '/Sales/EMEA', suspended: true }, false);
    google.addGroup({ email: 'sales@example.com', name: 'Sales', members: [{ email: someone.primaryEmail, type: 'USER' }, { email: 'guest@partner.test', type: 'USER' }] }, false);
    google.addGroup({ email: 'all@example.com', name: 'All', members: [{ email: 'sales@example.com', type: 'GROUP' }] }, false);

    const summary = applyGoogleRead(db, systemClock, await readGoogleDirectory(clients, fast));
    expect(summary.usersCreated).toBe(2); // admin and only.in.google
    const snapshot = readSnapshot(db);
    const live = snapshot.users.filter((u) => u.status !== 'deleted');
    expect(live.map((u) => u.primaryEmail).sort()).toEqual(['admin@example.com', 'only.in.google@example.com', someone.primaryEmail].sort());
    const kept = snapshot.users.find((u) => u.primaryEmail === someone.primaryEmail)!;
    expect(kept.id).toBe(someone.id);
    expect(kept.attributes.familyName).toBe('FromGoogle');
    expect(kept.orgUnitPath).toBe('/Sales');
    expect(snapshot.users.find((u) => u.primaryEmail === 'only.in.google@example.com')).toMatchObject({ status: 'suspended', orgUnitPath: '/Sales/EMEA' });
    expect(snapshot.users.filter((u) => u.status === 'deleted').length).toBeGreaterThan(190);

    const groups = listGroups(db, { page: 1, pageSize: 50 }).items.map((g) => g.email).sort();
    expect(groups).toEqual(['all@example.com', 'sales@example.com']);
    // Nested membership: someone is in "All" through "Sales".
    const all = listGroups(db, { page: 1, pageSize: 50 }).items.find((g) => g.email === 'all@example.com')!;
    expect(kept.groupIds.has(all.id)).toBe(true);
    const sales = getGroup(db, listGroups(db, { page: 1, pageSize: 50, q: 'sales@' }).items[0]!.id);
    expect(sales.members.map((m) => m.kind).sort()).toEqual(['external', 'user']);

    // Reading again changes nothing.
    const cursor = latestChangeId(db);
    expect(applyGoogleRead(db, systemClock, await readGoogleDirectory(clients, fast))).toEqual({ usersCreated: 0, usersUpdated: 0, usersDeleted: 0, groupsChanged: 0 });
    expect(latestChangeId(db)).toBe(cursor);
  });

  it('E-14: a full read without anyone in it changes nothing', () => {
    const { db } = openDatabase(':memory:');
    seedDemoOrganisation(db, systemClock);
    const before = latestChangeId(db);
    expect(() => applyGoogleRead(db, systemClock, { primaryDomain: 'example.com', secondaryDomains: [], orgUnits: [], users: [], groups: [] })).toThrow(/no users/);
    expect(latestChangeId(db)).toBe(before);
    expect(readSnapshot(db).users.filter((u) => u.status === 'deleted')).toHaveLength(0);
  });

  it('an incremental read writes change records that narrow the next provisioning run to the users concerned', async () => {
    const { db } = openDatabase(':memory:');
    const since = cursorAt(new Date(Date.now() - 1000));
    applyGoogleRead(db, systemClock, await readGoogleDirectory(clients, fast));
    const before = latestChangeId(db);
    google.addUser({ primaryEmail: 'late.hire@example.com', givenName: 'Late', familyName: 'Hire', orgUnitPath: '/Sales' });
    google.suspendUser('only.in.google@example.com');
    google.addMember('sales@example.com', 'late.hire@example.com');
    const changes = await readChangesSince(clients, since, new Set(['example.com', 'example.org']), fast);
    const summary = applyGoogleChanges(db, systemClock, changes);
    expect(summary.usersCreated).toBe(1);
    const late = db.select().from(directoryUsers).where(eq(directoryUsers.primaryEmail, 'late.hire@example.com')).get()!;
    const affected = usersAffectedBetween(db, before, latestChangeId(db));
    expect(affected).toContain(late.id);
    const salesGroup = listGroups(db, { page: 1, pageSize: 50, q: 'sales@' }).items[0]!;
    expect(getGroup(db, salesGroup.id).members.some((m) => m.user?.id === late.id)).toBe(true);
  });
});
