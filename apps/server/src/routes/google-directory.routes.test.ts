import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { appConfigurations } from '@autoprov/db';
import { makeServiceAccountKey, startFakeGoogle, type FakeGoogle } from '@autoprov/google-directory/testing';
import pino from 'pino';
import { systemClock } from '@autoprov/directory';
import { GoogleDirectorySync } from '../directory-source/google-source.js';
import { testServer } from '../test/harness.js';

let google: FakeGoogle;
const key = makeServiceAccountKey();
const adminEmail = 'admin@example.com';

beforeAll(async () => {
  google = await startFakeGoogle();
  google.registerKey(key);
  google.addOrgUnit('/Sales');
  google.addUser({ primaryEmail: adminEmail, givenName: 'Ada', familyName: 'Admin', orgUnitPath: '/' }, false);
  for (let i = 0; i < 30; i++) google.addUser({ primaryEmail: `g${i}@example.com`, givenName: 'Goo', familyName: `Gle ${i}`, orgUnitPath: '/Sales' }, false);
  google.addUser({ primaryEmail: 'not.admin@example.com', givenName: 'Not', familyName: 'Admin', orgUnitPath: '/' }, false);
  google.addGroup({ email: 'sales@example.com', name: 'Sales team', members: [{ email: 'g1@example.com', type: 'USER' }] }, false);
});
afterAll(() => google.close());

describe('Google Workspace as the directory, over the API (issue 6)', () => {
  it('checks, previews, switches (pausing provisioning), follows changes, and disconnects keeping the data', async () => {
    const server = await testServer({ google: { rootUrl: google.rootUrl, tokenUrl: google.tokenUrl } });
    const su = await server.signedIn('super_admin');
    const input = { serviceAccountKey: JSON.stringify(key), adminEmail };

    // Words next to the field they concern.
    const notJson = await su.post('/api/directory/google/check', { ...input, serviceAccountKey: '{ nope' });
    expect(notJson.json.error.fields.serviceAccountKey).toMatch(/not JSON/);
    const notAdmin = await su.post('/api/directory/google/check', { ...input, adminEmail: 'not.admin@example.com' });
    expect(notAdmin.json.error.fields.adminEmail).toMatch(/not a super-admin/);
    expect((await su.post('/api/directory/google/check', input)).json).toEqual({ ok: true, message: `Connected to example.com as ${adminEmail}.` });

    // An active app is paused by the switch, never deprovisioned by it.
    await server.db.insert(appConfigurations).values({ id: randomUUID(), appKey: 'gotomeeting', state: 'active', mapping: {}, setupCompletedAt: new Date() });
    const preview = (await su.post('/api/directory/google/preview', input)).json;
    expect(preview).toMatchObject({ primaryDomain: 'example.com', usersInGoogle: 32, newUsers: 32, matched: 0, groups: 1, appsPaused: ['gotomeeting'] });
    expect(preview.notInGoogle).toBeGreaterThan(190);

    const source = (await su.post('/api/directory/google/connect', input)).json;
    expect(source).toMatchObject({ kind: 'google', google: { adminEmail, primaryDomain: 'example.com', clientEmail: key.client_email } });
    expect(JSON.stringify(source)).not.toContain('PRIVATE KEY');
    expect((await server.db.select().from(appConfigurations).where(eq(appConfigurations.appKey, 'gotomeeting')).limit(1))[0]!.state).toBe('disabled');
    const users = (await su.get('/api/directory/users?status=active&pageSize=100')).json;
    expect(users.total).toBe(32);
    expect((await su.get('/api/directory/groups?q=sales')).json.items[0].name).toBe('Sales team');

    // Edits are made in Google now.
    const refused = await su.post('/api/directory/users', { primaryEmail: 'x@example.com', givenName: 'X', familyName: 'Y', orgUnitId: users.items[0].orgUnitId });
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toMatch(/Google Admin console/);

    // A change in Google arrives with the next incremental read.
    google.addUser({ primaryEmail: 'arrives.later@example.com', givenName: 'Arrives', familyName: 'Later', orgUnitPath: '/Sales' });
    await server.googleSync.sync();
    expect((await su.get('/api/directory/users?q=arrives.later')).json.total).toBe(1);
    expect((await su.get('/api/directory/changes')).json.items[0]).toMatchObject({ actorLabel: 'Google Workspace' });
    expect((await su.get('/api/directory/source')).json.google.lastChangeReadAt).not.toBeNull();

    // A failing read is recorded and changes nothing.
    google.state.grantedScopes = [];
    await server.googleSync.sync(true);
    const failing = (await su.get('/api/directory/source')).json;
    expect(failing.google.lastError).toMatch(/Domain-wide delegation/);
    expect(failing.google.lastErrorField).toBe('serviceAccountKey');
    expect((await su.get('/api/directory/users?status=active&pageSize=1')).json.total).toBe(33);
    google.state.grantedScopes = 'all';

    // G-2: a full read that keeps failing does not hold up the changes; its failure stays shown.
    const daily = new GoogleDirectorySync({ db: server.db, clock: systemClock, secrets: server.secrets, google: { rootUrl: google.rootUrl, tokenUrl: google.tokenUrl }, logger: pino({ level: 'silent' }) }, { fullEveryMs: 0 });
    google.state.brokenGroups.add('sales@example.com');
    google.addUser({ primaryEmail: 'during.outage@example.com', givenName: 'During', familyName: 'Outage', orgUnitPath: '/Sales' });
    await daily.sync();
    expect((await su.get('/api/directory/users?q=during.outage')).json.total).toBe(1);
    expect((await su.get('/api/directory/source')).json.google.lastError).toMatch(/Invalid Input/);
    expect((await su.get('/api/directory/source')).json.google.lastErrorField).toBeNull();
    google.state.brokenGroups.clear();
    await daily.sync(true);
    expect((await su.get('/api/directory/source')).json.google.lastError).toBeNull();

    // Disconnecting keeps what was read; the built-in directory is editable again.
    const back = (await su.delete('/api/directory/google')).json;
    expect(back).toMatchObject({ kind: 'built_in', google: null, previousGoogleDomain: 'example.com' });
    expect((await su.get('/api/directory/users?status=active&pageSize=1')).json.total).toBe(34);
    await server.scheduler.stop();
  });
});
