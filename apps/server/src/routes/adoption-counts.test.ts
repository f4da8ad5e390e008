import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoApp } from '@autoprov/demo-app';
import type { SyncRun } from '@autoprov/contract';
import { serverWithGoToMeeting, startDemoApp } from '../test/demo-app-setup.js';

// E-3, L-1, L-2, L-3: an account that was already in the app is adopted, and every count says
// so: the run's summary, its report, the usage log and its counts. Against the built-in demo app.
let demo: DemoApp;
beforeAll(async () => {
  demo = await startDemoApp();
});
afterAll(() => demo.close());

async function activateAndWait(setup: Awaited<ReturnType<typeof serverWithGoToMeeting>>): Promise<SyncRun> {
  await setup.su.request('PUT', `${setup.api}/configuration/activation`, { active: true });
  await setup.idle();
  return (await setup.configuration()).lastRun;
}

describe('adopted is never counted as created', () => {
  it('a first setup creates every account; a second setup over the same app adopts them all and creates none', async () => {
    const first = await serverWithGoToMeeting(demo);
    const created = await activateAndWait(first);
    const accounts = (await demo.db.query.users.findMany()).length;
    expect(accounts).toBeGreaterThan(100);
    expect(created.counts).toEqual({ created: accounts });
    expect((await first.su.get('/api/reports/usage/summary')).json.counts).toMatchObject({ user_created: accounts, user_adopted: 0 });
    await first.server.scheduler.stop();

    // Another autoprov (a fresh database, as after deleting the configuration) set up over the same app.
    const second = await serverWithGoToMeeting(demo);
    const adopted = await activateAndWait(second);
    expect(adopted).toMatchObject({ state: 'succeeded', counts: { adopted: accounts } });
    expect(adopted.counts.created).toBeUndefined();
    expect(await demo.db.query.users.findMany()).toHaveLength(accounts);

    const ro = await second.server.signedIn('read_only');
    const report = (await ro.get(`${second.api}/configuration/runs/${adopted.id}/report?pageSize=200`)).json;
    expect(new Set(report.items.map((l: { action: string }) => l.action))).toEqual(new Set(['adopt']));
    expect((await ro.get(`${second.api}/configuration/runs/${adopted.id}/report?action=create`)).json.items).toHaveLength(0);

    const summary = (await ro.get('/api/reports/usage/summary')).json;
    expect(summary.counts).toMatchObject({ user_created: 0, user_adopted: accounts });
    expect((await ro.get('/api/reports/usage?kind=user_created')).json.items).toHaveLength(0);
    const csv = await (await ro.raw('/api/reports/usage.csv')).text();
    expect(csv).not.toMatch(/User created/);
    expect(csv.match(/User adopted/g)).toHaveLength(accounts);
    await second.server.scheduler.stop();
  });
});
