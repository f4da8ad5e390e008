import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeEverything, type DemoApp } from '@autoprov/demo-app';
import { directoryGroups } from '@autoprov/db';
import { listUsers, systemActor, systemClock, updateUser } from '@autoprov/directory';
import type { SyncRun } from '@autoprov/contract';
import { serverWithGoToMeeting, startDemoApp } from '../test/demo-app-setup.js';

// L-2: every run says what started it; L-5: the app's page counts a failed run and says why
// the next run is when it is. Against the built-in demo app, over its own OAuth.
let demo: DemoApp;
beforeAll(async () => {
  demo = await startDemoApp();
});
afterAll(() => demo.close());
describe('run triggers and the state at a glance (L-2, L-5)', () => {
  it('names what started each run: activation, scope change, availability change, manual, re-authorization, directory change', async () => {
    const { server, su, api, authorize, configuration, idle } = await serverWithGoToMeeting(demo);
    const runs = async (): Promise<SyncRun[]> => (await su.get(`${api}/configuration/runs?pageSize=50`)).json.items;
    const latest = async () => (await runs())[0]!;

    const draft = await configuration();
    expect(draft).toMatchObject({ nextRunAt: null, nextRunReason: 'not_active', authorization: 'oauth', authorizedBy: expect.stringMatching(/^super_admin-.+@example\.com$/) });
    expect(Date.now() - Date.parse(draft.authorizedAt)).toBeLessThan(60_000);

    await su.request('PUT', `${api}/configuration/activation`, { active: true });
    await idle();
    expect(await latest()).toMatchObject({ trigger: 'activation', state: 'succeeded' });
    // After the first full sync, the next one is the daily reconciliation, a day later.
    const afterFirst = await configuration();
    expect(afterFirst.nextRunReason).toBe('daily_sync');
    expect(Date.parse(afterFirst.nextRunAt) - Date.now()).toBeGreaterThan(23 * 60 * 60 * 1000);

    // Changes that leave everyone in scope, so that the deletion guard holds nothing.
    const allStaff = (await server.db.select().from(directoryGroups)).find((g) => g.email === 'all-staff@example.com')!;
    expect((await su.request('PUT', `${api}/configuration/scope`, { groups: [{ groupId: allStaff.id, accessLevel: 'admin' }] })).status).toBe(200);
    await idle();
    expect(await latest()).toMatchObject({ trigger: 'scope_change', state: 'succeeded' });

    const sales = ((await su.get(api)).json.availability as { orgUnitId: string; path: string }[]).find((u) => u.path === '/Sales')!;
    await su.request('PUT', `${api}/availability`, { orgUnitId: sales.orgUnitId, setting: 'on' });
    await idle();
    expect(await latest()).toMatchObject({ trigger: 'availability_change', state: 'succeeded' });

    await su.post(`${api}/configuration/sync`, { dryRun: false });
    await idle();
    expect((await latest()).trigger).toBe('manual');

    // A directory change the scheduler notices on its next look.
    const someone = (await listUsers(server.db, { page: 1, pageSize: 1, status: 'active', q: '@example.com' })).items[0]!;
    await updateUser(server.db, systemClock, systemActor, someone.id, { familyName: 'Changed' });
    await server.scheduler.tick();
    await idle();
    expect((await latest()).trigger).toBe('change');

    // The app revokes autoprov's authorization: the next run fails as a whole, and that counts.
    expect((await configuration()).failuresLast24h).toBe(0);
    revokeEverything(demo.db);
    await updateUser(server.db, systemClock, systemActor, someone.id, { familyName: 'Again' });
    await su.post(`${api}/configuration/sync`, { dryRun: false });
    await idle();
    expect(await latest()).toMatchObject({ trigger: 'manual', state: 'failed' });
    const refused = await configuration();
    expect(refused).toMatchObject({ state: 'needs_reauthorization', failuresLast24h: 1, nextRunAt: null, nextRunReason: 'needs_reauthorization' });
    const failures = (await su.get('/api/reports/usage?kind=failure')).json.items;
    expect(failures).toHaveLength(1);
    expect(failures[0].detail).toMatch(/re-authorize/i);

    await authorize();
    await idle();
    expect(await latest()).toMatchObject({ trigger: 'reauthorization', state: 'succeeded' });
    expect(Date.parse((await configuration()).authorizedAt)).toBeGreaterThan(Date.parse(draft.authorizedAt));

    expect((await runs()).map((r) => r.trigger).reverse()).toEqual(['activation', 'scope_change', 'availability_change', 'manual', 'change', 'manual', 'reauthorization']);
    await server.scheduler.stop();
  });
});
