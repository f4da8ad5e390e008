import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cursorAt, googleClients, googleProblemField, googleScopes, parseServiceAccountKey, readChangesSince, readGoogleDirectory, testGoogleConnection, type ServiceAccountKey } from './index.js';
import { makeServiceAccountKey, startFakeGoogle, type FakeGoogle } from './testing/fake-google.js';

let google: FakeGoogle;
const key = makeServiceAccountKey();
const adminEmail = 'admin@example.com';
const settings = () => ({ key: key as ServiceAccountKey, adminEmail, rootUrl: google.rootUrl, tokenUrl: google.tokenUrl });
const fast = { baseMs: 1, maxMs: 5 };

beforeAll(async () => {
  google = await startFakeGoogle();
  google.registerKey(key);
  google.addUser({ primaryEmail: adminEmail, givenName: 'Ada', familyName: 'Admin', orgUnitPath: '/' }, false);
  for (const path of ['/Engineering', '/Engineering/Platform', '/Sales']) google.addOrgUnit(path);
  for (let i = 0; i < 4999; i++) {
    google.addUser(
      {
        primaryEmail: `user${String(i).padStart(4, '0')}@example.com`,
        givenName: i === 7 ? 'Łukasz' : 'User',
        familyName: i === 7 ? 'Müller-王' : String(i),
        orgUnitPath: i % 3 ? '/Engineering/Platform' : '/Sales',
        suspended: i === 1,
        archived: i === 2,
        deleted: i === 3,
        title: 'Engineer',
        department: 'R&D',
        employeeId: `E${i}`,
      },
      false,
    );
  }
  google.addGroup({ email: 'platform@example.com', name: 'Platform', members: [{ email: 'user0004@example.com', type: 'USER' }] }, false);
  google.addGroup(
    {
      email: 'engineering@example.com',
      name: 'Engineering',
      members: [
        { email: 'platform@example.com', type: 'GROUP' },
        { email: 'user0005@example.com', type: 'USER' },
        { email: 'partner@outside.test', type: 'USER' },
      ],
    },
    false,
  );
});
afterAll(() => google.close());

describe('reading Google Workspace through Google’s client library (issue 6)', () => {
  it('reads 5,000 users in pages of 500, with suspended, archived and deleted users, org units, domains and groups', async () => {
    const before = google.state.requests.users;
    const read = await readGoogleDirectory(await googleClients(settings()), fast);
    expect(google.state.requests.users - before).toBe(10 + 1); // 10 pages of live users, 1 of deleted ones
    expect(read.users).toHaveLength(5000);
    expect(read.primaryDomain).toBe('example.com');
    expect(read.secondaryDomains).toEqual(['example.org']);
    expect(read.orgUnits.map((o) => o.path).sort()).toEqual(['/Engineering', '/Engineering/Platform', '/Sales']);
    const byEmail = new Map(read.users.map((u) => [u.primaryEmail, u]));
    expect(byEmail.get('user0001@example.com')!.status).toBe('suspended');
    expect(byEmail.get('user0002@example.com')!.status).toBe('archived');
    expect(byEmail.get('user0003@example.com')!.status).toBe('deleted');
    expect(byEmail.get('user0007@example.com')).toMatchObject({ givenName: 'Łukasz', familyName: 'Müller-王', jobTitle: 'Engineer', department: 'R&D', employeeId: 'E7', orgUnitPath: '/Engineering/Platform' });
    const engineering = read.groups.find((g) => g.email === 'engineering@example.com')!;
    expect(engineering.members).toEqual([
      { kind: 'group', id: read.groups.find((g) => g.email === 'platform@example.com')!.id, email: 'platform@example.com' },
      { kind: 'user', id: byEmail.get('user0005@example.com')!.id, email: 'user0005@example.com' },
      { kind: 'external', id: null, email: 'partner@outside.test' },
    ]);
  });

  it('an incremental read picks up an added, a renamed, a suspended and a deleted user, and nothing twice', async () => {
    const clients = await googleClients(settings());
    const cursor = cursorAt(new Date(Date.now() - 1000));
    const quiet = await readChangesSince(clients, cursor, new Set(['example.com', 'example.org']), fast);
    expect(quiet.users.size).toBe(0);

    google.addUser({ primaryEmail: 'new.hire@example.com', givenName: 'New', familyName: 'Hire', orgUnitPath: '/Sales' });
    google.changeName('user0010@example.com', 'Renée', 'Renamed');
    google.suspendUser('user0011@example.com');
    google.deleteUser('user0012@example.com');
    google.addMember('platform@example.com', 'new.hire@example.com');
    const changes = await readChangesSince(clients, quiet.cursor, new Set(['example.com', 'example.org']), fast);
    expect(changes.users.get('new.hire@example.com')).toMatchObject({ givenName: 'New', status: 'active', orgUnitPath: '/Sales' });
    expect(changes.users.get('user0010@example.com')).toMatchObject({ givenName: 'Renée', familyName: 'Renamed' });
    expect(changes.users.get('user0011@example.com')).toMatchObject({ status: 'suspended' });
    expect(changes.users.get('user0012@example.com')).toBeNull();
    expect(changes.groups.get('platform@example.com')!.members.map((m) => m.email)).toContain('new.hire@example.com');
    expect(changes.users.size).toBe(4);

    const again = await readChangesSince(clients, changes.cursor, new Set(['example.com']), fast);
    expect(again.users.size).toBe(0);
    expect(again.groups.size).toBe(0);
  });

  it('waits and asks again when Google answers 403 rate limit or 429', async () => {
    google.state.rateLimitNext = 6;
    const before = google.state.rateLimited;
    const read = await readGoogleDirectory(await googleClients(settings()), fast);
    expect(google.state.rateLimited - before).toBe(6);
    expect(read.users.length).toBeGreaterThanOrEqual(5000);
  });
});

describe('test connection: what is wrong, in words (issue 6 item 1)', () => {
  it('connects with a good key and delegation', async () => {
    expect(await testGoogleConnection(settings())).toMatchObject({ ok: true, primaryDomain: 'example.com' });
  });

  it('a key Google does not know (deleted, or another project) is a bad key', async () => {
    const other = makeServiceAccountKey(key.client_email); // same account name, a key Google never saw
    expect(await testGoogleConnection({ ...settings(), key: other as ServiceAccountKey })).toMatchObject({ ok: false, problem: 'bad_key', message: expect.stringMatching(/refused the service account key/) });
  });

  it('delegation not granted, or a scope missing from it', async () => {
    google.state.grantedScopes = [];
    const none = await testGoogleConnection(settings());
    expect(none).toMatchObject({ ok: false, problem: 'delegation_missing', message: expect.stringContaining(`client ID ${key.client_id}`) });
    google.state.grantedScopes = Object.values(googleScopes).filter((s) => s !== googleScopes.audit);
    const missing = await testGoogleConnection(settings());
    expect(missing).toMatchObject({ ok: false, problem: 'scope_missing', message: expect.stringContaining(googleScopes.audit) });
    google.state.grantedScopes = 'all';
  });

  it('an admin e-mail that is not a super-admin, or not a user at all', async () => {
    google.addUser({ primaryEmail: 'someone@example.com', givenName: 'Some', familyName: 'One', orgUnitPath: '/' }, false);
    expect(await testGoogleConnection({ ...settings(), adminEmail: 'someone@example.com' })).toMatchObject({ ok: false, problem: 'not_super_admin' });
    expect(await testGoogleConnection({ ...settings(), adminEmail: 'ghost@example.com' })).toMatchObject({ ok: false, problem: 'unknown_admin', message: expect.stringContaining('ghost@example.com') });
  });

  it('quota exceeded is said as such', async () => {
    google.state.rateLimitNext = 1;
    google.state.rateLimited = 0; // the next answer is a 403 userRateLimitExceeded
    expect(await testGoogleConnection(settings())).toMatchObject({ ok: false, problem: 'quota' });
  });

  it('an uploaded file that is not a service account key', () => {
    expect(parseServiceAccountKey('not json')).toMatchObject({ ok: false, message: expect.stringMatching(/not JSON/) });
    expect(parseServiceAccountKey(JSON.stringify({ type: 'authorized_user' }))).toMatchObject({ ok: false, message: expect.stringMatching(/not a service account key/) });
    expect(parseServiceAccountKey(JSON.stringify(key))).toMatchObject({ ok: true });
  });
});

describe('Google as it really behaves (G-1, G-2)', () => {
  const domains = new Set(['example.com', 'example.org']);

  it('after RENAME_USER the old address answers with the renamed user (an alias): one id, both addresses read', async () => {
    const clients = await googleClients(settings());
    const cursor = cursorAt(new Date(Date.now() - 1000));
    const before = (await readChangesSince(clients, cursor, domains, fast)).cursor;
    google.renameUser('user0020@example.com', 'user.twenty@example.com');
    const changes = await readChangesSince(clients, before, domains, fast);
    const old = changes.users.get('user0020@example.com');
    expect(old).toMatchObject({ primaryEmail: 'user.twenty@example.com' });
    expect(changes.users.get('user.twenty@example.com')!.id).toBe(old!.id);
  });

  it('membership changed by a group owner is in the groups_enterprise log only, and is read from it', async () => {
    const clients = await googleClients(settings());
    const cursor = (await readChangesSince(clients, cursorAt(new Date(Date.now() - 1000)), domains, fast)).cursor;
    google.changeMembershipAsOwner('platform@example.com', 'user0030@example.com', 'add_member');
    const changes = await readChangesSince(clients, cursor, domains, fast);
    expect(changes.groups.get('platform@example.com')!.members.map((m) => m.email)).toContain('user0030@example.com');
    expect((await readChangesSince(clients, changes.cursor, domains, fast)).groups.size).toBe(0);
  });

  it('org unit renames and moves ask for the tree again, with the same ids under new paths', async () => {
    const clients = await googleClients(settings());
    const cursor = (await readChangesSince(clients, cursorAt(new Date(Date.now() - 1000)), domains, fast)).cursor;
    const id = google.orgUnitId('/Engineering/Platform');
    google.renameOrgUnit('/Engineering/Platform', 'Infrastructure');
    google.moveOrgUnit('/Engineering/Infrastructure', '/Sales');
    const changes = await readChangesSince(clients, cursor, domains, fast);
    expect(changes.orgUnits!.find((o) => o.id === id)).toMatchObject({ path: '/Sales/Infrastructure', name: 'Infrastructure' });
    google.moveOrgUnit('/Sales/Infrastructure', '/Engineering');
    google.renameOrgUnit('/Engineering/Infrastructure', 'Platform');
  });
});

describe('errors in words, for each documented case (G-2)', () => {
  it('the Reports API refuses an admin without Reports rights with 401 authError: the admin e-mail is to change', async () => {
    google.state.noReportsAccess.add(adminEmail);
    try {
      const result = await testGoogleConnection(settings());
      expect(result).toMatchObject({ ok: false, problem: 'no_reports_access', message: expect.stringMatching(/may not read the audit log/) });
      expect(googleProblemField.no_reports_access).toBe('adminEmail');
    } finally {
      google.state.noReportsAccess.delete(adminEmail);
    }
  });

  it('the Reports API over quota answers 503: said as quota, and retried by the reads', async () => {
    google.state.reportsOverQuotaNext = 1;
    expect(await testGoogleConnection(settings())).toMatchObject({ ok: false, problem: 'quota' });
    google.state.reportsOverQuotaNext = 2;
    const clients = await googleClients(settings());
    await expect(readChangesSince(clients, cursorAt(new Date()), new Set(['example.com']), fast)).resolves.toMatchObject({ events: expect.any(Number) });
    expect(google.state.reportsOverQuotaNext).toBe(0);
  });

  it('a deleted or disabled service account: the key is to change', async () => {
    google.state.deletedServiceAccounts.add(key.client_email);
    try {
      const result = await testGoogleConnection(settings());
      expect(result).toMatchObject({ ok: false, problem: 'service_account_gone', message: expect.stringMatching(/deleted or disabled in Google Cloud/) });
      expect(googleProblemField.service_account_gone).toBe('serviceAccountKey');
    } finally {
      google.state.deletedServiceAccounts.delete(key.client_email);
    }
  });

  it('a subject deleted from Google Workspace: the admin e-mail is to change', async () => {
    google.addUser({ primaryEmail: 'former.admin@example.com', givenName: 'Former', familyName: 'Admin', orgUnitPath: '/' }, false);
    google.state.superAdmins.add('former.admin@example.com');
    google.deleteUser('former.admin@example.com');
    expect(await testGoogleConnection({ ...settings(), adminEmail: 'former.admin@example.com' })).toMatchObject({ ok: false, problem: 'unknown_admin', message: expect.stringMatching(/was deleted from Google Workspace/) });
  });

  it('a server clock that is off ("Token must be a short-lived token"): the clock is to fix, not the key', async () => {
    google.state.clockSkewMs = 2 * 3600_000;
    try {
      const result = await testGoogleConnection(settings());
      expect(result).toMatchObject({ ok: false, problem: 'clock_skew', message: expect.stringMatching(/clock of the server running autoprov is off/) });
      expect(googleProblemField.clock_skew).toBeUndefined();
    } finally {
      google.state.clockSkewMs = 0;
    }
  });
});
