import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { demoAppSchema, type DemoApp } from '@autoprov/demo-app';
import { syncReportLines } from '@autoprov/db';
import { serverWithGoToMeeting, startDemoApp } from '../test/demo-app-setup.js';

// E-19 from the console's side: "Reconcile now" and the drift setting are a super-admin's,
// audited (L-6), and switching to "correct" says first what it will set back (M-6).
let demo: DemoApp;
beforeAll(async () => {
  demo = await startDemoApp();
});
afterAll(() => demo.close());

describe('reconciliation routes (E-19)', () => {
  it('Reconcile now: refused while provisioning is off and to a read-only admin; a super-admin starts it, audited', async () => {
    const { server, su, api, configuration, idle } = await serverWithGoToMeeting(demo);
    expect((await su.post(`${api}/configuration/reconcile`)).json.error.message).toMatch(/not active/);
    await su.request('PUT', `${api}/configuration/activation`, { active: true });
    await idle();

    const readOnly = await server.signedIn('read_only');
    const refused = await readOnly.post(`${api}/configuration/reconcile`);
    expect(refused.status).toBe(403);

    const started = await su.post(`${api}/configuration/reconcile`);
    expect(started.status).toBe(202);
    await idle();
    const runs = (await su.get(`${api}/configuration/runs?pageSize=5`)).json.items;
    expect(runs[0]).toMatchObject({ id: started.json.runId, trigger: 'reconcile', state: 'succeeded' });
    expect((await configuration()).driftMode).toBe('correct');
    const audit = (await su.get(api)).json.audit as { action: string; detail: string | null }[];
    expect(audit[0]).toMatchObject({ action: 'Reconciliation started', detail: 'Accounts changed in the app are set back.' });
  });

  it('the drift setting: its impact first (the drift the last reconciliation reported), then saved and audited; bad input is refused', async () => {
    const { server, su, api, configuration, idle } = await serverWithGoToMeeting(demo);
    await su.request('PUT', `${api}/configuration/activation`, { active: true });
    await idle();
    expect((await su.request('PUT', `${api}/configuration/drift`, { mode: 'sometimes' })).status).toBe(400);
    const readOnly = await server.signedIn('read_only');
    expect((await readOnly.request('PUT', `${api}/configuration/drift`, { mode: 'report' })).status).toBe(403);

    expect((await su.post(`${api}/configuration/drift/preview`, { mode: 'report' })).json).toEqual({ seenAt: null, accounts: { count: 0, users: [] } });
    const saved = await su.request('PUT', `${api}/configuration/drift`, { mode: 'report' });
    expect(saved.json.configuration.driftMode).toBe('report');
    expect(saved.json.audit[0]).toMatchObject({ action: 'Drift setting changed', detail: expect.stringMatching(/^Report only/) });

    // Someone changes an account in the demo app's own database; a report-only reconciliation finds it.
    const [row] = await demo.db.query.users.findMany();
    await demo.db.update(demoAppSchema.users).set({ resource: { ...row!.resource, title: 'Changed by hand' } }).where(eq(demoAppSchema.users.id, row!.id));
    const started = await su.post(`${api}/configuration/reconcile`);
    await idle();
    const lines = await server.db.select().from(syncReportLines).where(eq(syncReportLines.runId, started.json.runId));
    expect(lines.filter((l) => l.action === 'drift_found')).toHaveLength(1);

    const impact = (await su.post(`${api}/configuration/drift/preview`, { mode: 'correct' })).json;
    expect(impact).toMatchObject({ seenAt: expect.any(String), accounts: { count: 1, users: [{ email: row!.userName, changes: { title: { before: 'Changed by hand' } } }] } });
    await su.request('PUT', `${api}/configuration/drift`, { mode: 'correct' });
    expect((await configuration()).driftMode).toBe('correct');
  });
});
