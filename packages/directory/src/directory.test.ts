import { beforeEach, describe, expect, it } from 'vitest';
import { type OpenDatabase } from '@autoprov/db';
import { openTestDatabase } from '@autoprov/db/testing';
import { AppError, userInputSchema } from '@autoprov/contract';
import {
  addGroupMember,
  changeUserStatus,
  createUser,
  getGroup,
  listChanges,
  listGroups,
  listOrgUnits,
  listUsers,
  seedDemoOrganisation,
  systemClock,
  updateUser,
  type Actor,
} from './index.js';

const admin: Actor = { adminId: null, label: 'ada@example.com' };
let store: OpenDatabase;

beforeEach(async () => {
  store = await openTestDatabase();
  await seedDemoOrganisation(store.db, systemClock);
});

const allUsers = async (status?: 'active' | 'suspended' | 'archived' | 'deleted') =>
  await listUsers(store.db, { page: 1, pageSize: 100, status });

describe('demo organisation (SPEC §1)', () => {
  it('has about 200 users in 4+ org units, 10+ groups and the special cases', async () => {
    const all = await listUsers(store.db, { page: 1, pageSize: 1 });
    expect(all.total).toBeGreaterThanOrEqual(195);
    expect((await listOrgUnits(store.db)).length).toBeGreaterThanOrEqual(5);
    expect((await listGroups(store.db, { page: 1, pageSize: 100 })).total).toBeGreaterThanOrEqual(10);
    expect((await allUsers('archived')).total).toBe(1);
    expect((await allUsers('suspended')).total).toBe(1);
    expect((await listUsers(store.db, { page: 1, pageSize: 5, q: '@example.org' })).total).toBe(1);
    const partners = (await listGroups(store.db, { page: 1, pageSize: 5, q: 'partners' })).items[0]!;
    expect((await getGroup(store.db, partners.id)).members.some((m) => m.kind === 'external')).toBe(true);
    const engineering = (await listGroups(store.db, { page: 1, pageSize: 5, q: 'engineering@' })).items[0]!;
    expect((await getGroup(store.db, engineering.id)).members.some((m) => m.kind === 'group')).toBe(true);
  });

  it('seeds only once', async () => {
    expect(await seedDemoOrganisation(store.db, systemClock)).toBe(false);
  });
});

describe('users', () => {
  const input = async () =>
    userInputSchema.parse({
      primaryEmail: 'new.hire@example.com',
      givenName: 'New',
      familyName: 'Hire',
      orgUnitId: (await listOrgUnits(store.db))[1]!.id,
      jobTitle: '',
    });

  it('creates a user and records who did it', async () => {
    const user = await createUser(store.db, systemClock, admin, await input());
    expect(user.status).toBe('active');
    expect(user.jobTitle).toBeNull();
    const [last] = (await listChanges(store.db, 1, 1)).items;
    expect(last).toMatchObject({ action: 'created', entityId: user.id, actorLabel: 'ada@example.com' });
  });

  it('refuses an address outside the organisation, naming the field', async () => {
    const bad = { ...await input(), primaryEmail: 'someone@elsewhere.test' };
    await expect(createUser(store.db, systemClock, admin, bad)).rejects.toThrowError(
      expect.objectContaining({ code: 'validation_failed', fields: expect.objectContaining({ primaryEmail: expect.stringContaining('elsewhere.test') }) }),
    );
  });

  it('refuses a taken address whatever its case, and frees it once the user is deleted', async () => {
    const first = await createUser(store.db, systemClock, admin, await input());
    const again = async () => await createUser(store.db, systemClock, admin, { ...await input(), primaryEmail: 'New.Hire@Example.com' });
    await expect(again()).rejects.toThrowError(AppError);
    await changeUserStatus(store.db, systemClock, admin, first.id, 'delete');
    expect((await again()).id).not.toBe(first.id);
    expect((await allUsers('deleted')).items.map((u) => u.id)).toContain(first.id);
  });

  it('walks the status transitions and refuses the impossible ones', async () => {
    const user = await createUser(store.db, systemClock, admin, await input());
    expect((await changeUserStatus(store.db, systemClock, admin, user.id, 'suspend')).status).toBe('suspended');
    expect((await changeUserStatus(store.db, systemClock, admin, user.id, 'restore')).status).toBe('active');
    expect((await changeUserStatus(store.db, systemClock, admin, user.id, 'archive')).status).toBe('archived');
    await expect(changeUserStatus(store.db, systemClock, admin, user.id, 'suspend')).rejects.toThrowError(/archived/);
    await changeUserStatus(store.db, systemClock, admin, user.id, 'delete');
    await expect(updateUser(store.db, systemClock, admin, user.id, { givenName: 'X' })).rejects.toThrowError(/deleted/);
  });

  it('records only the fields that changed', async () => {
    const user = await createUser(store.db, systemClock, admin, await input());
    await updateUser(store.db, systemClock, admin, user.id, { givenName: 'Renamed', familyName: 'Hire' });
    const [last] = (await listChanges(store.db, 1, 1)).items;
    expect(last?.summary).toBe('Updated givenName of new.hire@example.com');
  });

  it('searches by name, e-mail and full name, with % taken literally', async () => {
    await createUser(store.db, systemClock, admin, await input());
    expect((await listUsers(store.db, { page: 1, pageSize: 10, q: 'new hire' })).total).toBe(1);
    expect((await listUsers(store.db, { page: 1, pageSize: 10, q: '%' })).total).toBe(0);
  });
});

describe('groups', () => {
  it('lists each group with its own number of direct members (users, nested groups, outsiders)', async () => {
    const listed = (await listGroups(store.db, { page: 1, pageSize: 100 })).items;
    expect(listed.length).toBeGreaterThanOrEqual(10);
    for (const g of listed) expect(g.directMemberCount).toBe((await getGroup(store.db, g.id)).members.length);
    expect(listed.every((g) => g.directMemberCount > 0)).toBe(true);
    expect(new Set(listed.map((g) => g.directMemberCount)).size).toBeGreaterThan(1);
    const platform = listed.find((g) => g.email === 'platform@example.com')!;
    await addGroupMember(store.db, systemClock, admin, platform.id, { kind: 'external', email: 'guest@outside.test' });
    const after = (await listGroups(store.db, { page: 1, pageSize: 5, q: 'platform@' })).items[0]!;
    expect(after.directMemberCount).toBe(platform.directMemberCount + 1);
  });

  it('adds and refuses duplicate members, and refuses a nesting loop', async () => {
    const groups = (await listGroups(store.db, { page: 1, pageSize: 100 })).items;
    const engineering = groups.find((g) => g.email === 'engineering@example.com')!;
    const platform = groups.find((g) => g.email === 'platform@example.com')!;
    await expect(addGroupMember(store.db, systemClock, admin, platform.id, { kind: 'group', groupId: engineering.id })).rejects.toThrowError(/loop/);
    const detail = await addGroupMember(store.db, systemClock, admin, platform.id, { kind: 'external', email: 'guest@outside.test' });
    expect(detail.members.find((m) => m.externalEmail === 'guest@outside.test')?.kind).toBe('external');
    await expect(addGroupMember(store.db, systemClock, admin, platform.id, { kind: 'external', email: 'GUEST@outside.test' })).rejects.toThrowError(/already a member/);
  });
});

describe('snapshot for provisioning', () => {
  it('resolves nested groups: platform members are in engineering and all-staff too', async () => {
    const { readSnapshot } = await import('./snapshot.js');
    const snapshot = await readSnapshot(store.db);
    expect(snapshot.primaryDomain).toBe('example.com');
    const groups = (await listGroups(store.db, { page: 1, pageSize: 100 })).items;
    const idOf = (email: string) => groups.find((g) => g.email === email)!.id;
    const platformUser = snapshot.users.find((u) => u.orgUnitPath === '/Engineering/Platform')!;
    expect([...platformUser.groupIds].sort()).toEqual(
      [idOf('platform@example.com'), idOf('engineering@example.com'), idOf('all-staff@example.com')].sort(),
    );
    expect(snapshot.users.length).toBe((await listUsers(store.db, { page: 1, pageSize: 1 })).total);
  });

  it('E-11: the changes since a cursor end at the newest change and name the users they affect', async () => {
    const { builtInDirectory } = await import('./snapshot.js');
    const directory = builtInDirectory(store.db);
    const cursor = (await directory.changesSince(0)).upTo;
    expect(await directory.changesSince(cursor)).toMatchObject({ upTo: cursor });
    expect(await (await directory.changesSince(cursor)).affectedUserIds()).toEqual([]);
    const someone = (await allUsers('active')).items[0]!;
    await updateUser(store.db, systemClock, admin, someone.id, { jobTitle: 'Cursor Keeper' });
    const changes = await directory.changesSince(cursor);
    expect(changes.upTo).toBeGreaterThan(cursor);
    expect(await changes.affectedUserIds()).toEqual([someone.id]);
    // Changes already taken into account are not seen again.
    expect(await (await directory.changesSince(changes.upTo)).affectedUserIds()).toEqual([]);
  });
});
