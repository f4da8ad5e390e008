import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { DemoApp } from '@autoprov/demo-app';
import { consentLikeABrowser } from '@autoprov/demo-app/testing';
import { appConfigurations, directoryGroups, directoryUsers, orgUnits } from '@autoprov/db';
import { testServer } from '../test/harness.js';
import { admin, redirectUri, sso, startDemoApp } from '../test/demo-app-setup.js';

/** E-20 over the API, against the built-in demo app: one user's plan and why, the run, its exchanges. */
const rules = { app_off: { delay: '7d', action: 'suspend' }, suspended: { delay: 'next_sync', action: 'suspend' }, deleted: { delay: '7d', action: 'delete' } };

let demo: DemoApp;
beforeEach(async () => {
  demo = await startDemoApp();
});
afterEach(async () => demo.close());

/** GoToMeeting set up over the API for the Sales group, activated, its first run over. */
async function salesOnGoToMeeting() {
  const server = await testServer({
    apps: { vendorUrls: { gotomeeting: demo.url }, oauthClients: { gotomeeting: { clientId: 'autoprov', clientSecret: 'autoprov-demo-secret' } } },
  });
  const su = await server.signedIn('super_admin');
  await su.request('PUT', '/api/apps/gotomeeting/sso', sso);
  await su.post('/api/apps/gotomeeting/configuration');
  const start = await su.post('/api/apps/gotomeeting/configuration/authorization', {});
  const { callbackUrl } = await consentLikeABrowser({ authorizationUrl: start.json.authorizationUrl, appUrl: demo.url, redirectUri, ...admin });
  await su.get(new URL(callbackUrl).pathname + new URL(callbackUrl).search);
  expect((await su.request('PUT', '/api/apps/gotomeeting/configuration/endpoint', { endpointUrl: `${demo.url}/scim/v2/accounts/4821937` })).status).toBe(200);
  const detail = (await su.get('/api/apps/gotomeeting')).json;
  const rows = detail.app.attributes.map((a: { path: string }) => ({ attribute: a.path, source: detail.configuration.mapping[a.path] ?? '' }));
  expect((await su.request('PUT', '/api/apps/gotomeeting/configuration/mapping', { rows })).status).toBe(200);
  const sales = (await server.db.select().from(directoryGroups).where(eq(directoryGroups.name, 'Sales')).limit(1))[0]!.id;
  expect((await su.request('PUT', '/api/apps/gotomeeting/configuration/scope', { groups: [{ groupId: sales, accessLevel: 'organizer' }] })).status).toBe(200);
  expect((await su.request('PUT', '/api/apps/gotomeeting/configuration/deprovisioning', rules)).status).toBe(200);
  expect((await su.post('/api/apps/gotomeeting/configuration/finish')).status).toBe(200);
  const configurationId = (await su.request('PUT', '/api/apps/gotomeeting/configuration/activation', { active: true })).json.configuration.id as string;
  await server.scheduler.idle(configurationId);
  return { server, su, configurationId, sales };
}

describe('E-20 one user on demand, over the API', () => {
  it('shows a new Sales user would be created and why, runs for them alone, and shows each request and answer with the token masked', async () => {
    const { server, su, configurationId, sales } = await salesOnGoToMeeting();
    const accountsBefore = (await demo.db.query.users.findMany()).length;
    const root = (await server.db.select().from(orgUnits).where(eq(orgUnits.path, '/')).limit(1))[0]!;
    const created = await su.post('/api/directory/users', { primaryEmail: 'ondemand.person@example.com', givenName: 'Ondemand', familyName: 'Person', orgUnitId: root.id });
    expect(created.status).toBe(201);
    const userId = created.json.id as string;
    expect((await su.post(`/api/directory/groups/${sales}/members`, { kind: 'user', userId })).status).toBeLessThan(300);

    const plan = await su.get(`/api/apps/gotomeeting/configuration/on-demand?userId=${userId}`);
    expect(plan.status).toBe(200);
    expect(plan.json).toMatchObject({ inScope: true, canRun: true, account: null, user: { primaryEmail: 'ondemand.person@example.com', orgUnitPath: '/' } });
    expect(plan.json.checks.map((c: { rule: string; passed: boolean }) => [c.rule, c.passed])).toEqual([
      ['status', true],
      ['domain', true],
      ['org_unit', true],
      ['scope_group', true],
    ]);
    expect(plan.json.checks[3].detail).toContain('Sales');
    expect(plan.json.actions.map((a: { action: string }) => a.action)).toEqual(['create']);

    const started = await su.post('/api/apps/gotomeeting/configuration/on-demand/run', { userId });
    expect(started.status).toBe(202);
    expect(started.json.queued).toBe(false);
    await server.scheduler.idle(configurationId);
    const run = await su.get(`/api/apps/gotomeeting/configuration/on-demand/runs/${started.json.runId}`);
    expect(run.json.run).toMatchObject({ trigger: 'on_demand', state: 'succeeded', counts: { created: 1 } });
    expect(run.json.userId).toBe(userId);
    expect(run.json.lines).toEqual([{ action: 'create', result: 'succeeded', reason: null }]);
    const post = run.json.exchanges.find((e: { method: string; url: string }) => e.method === 'POST' && e.url.endsWith('/Users'));
    expect(post).toMatchObject({ status: 201, requestHeaders: { authorization: 'Bearer ••••••••' } });
    expect(post.requestBody).toContain('ondemand.person@example.com');
    // No credential is in what the console is given.
    expect(JSON.stringify(run.json)).not.toMatch(/Bearer [A-Za-z0-9._~+/-]{12,}/);
    // One user reached the app, no one else.
    expect(await demo.db.query.users.findMany()).toHaveLength(accountsBefore + 1);

    // Asked again: the account holds what the directory says, nothing to send.
    const again = await su.get(`/api/apps/gotomeeting/configuration/on-demand?userId=${userId}`);
    expect(again.json.actions).toEqual([{ action: 'nothing', changes: null, detail: 'The account already holds what the directory says.' }]);
    expect(again.json.account).toMatchObject({ userName: 'ondemand.person@example.com', state: 'active' });
  });

  it('says why a user outside the scope gets nothing, lets a read-only admin see it but not run it, and refuses while provisioning is off', async () => {
    const { server, su, configurationId } = await salesOnGoToMeeting();
    const outsider = await (async () => {
      for (const u of await server.db.select({ id: directoryUsers.id }).from(directoryUsers).where(eq(directoryUsers.status, 'active'))) {
        const p = await su.get(`/api/apps/gotomeeting/configuration/on-demand?userId=${u.id}`);
        if (p.json.checks.some((c: { rule: string; passed: boolean }) => c.rule === 'scope_group' && !c.passed)) return u;
      }
      throw new Error('no user outside Sales');
    })();
    const readOnly = await server.signedIn('read_only');
    const plan = await readOnly.get(`/api/apps/gotomeeting/configuration/on-demand?userId=${outsider.id}`);
    expect(plan.status).toBe(200);
    expect(plan.json.inScope).toBe(false);
    expect(plan.json.checks.find((c: { rule: string }) => c.rule === 'scope_group')).toMatchObject({ passed: false, detail: 'The user is in none of the scope groups (Sales).' });
    expect(plan.json.actions).toEqual([{ action: 'nothing', changes: null, detail: 'The user is not in scope and has no account in the app.' }]);
    expect((await readOnly.post('/api/apps/gotomeeting/configuration/on-demand/run', { userId: outsider.id })).status).toBe(403);
    expect((await su.get('/api/apps/gotomeeting/configuration/on-demand?userId=nobody')).status).toBe(404);

    await server.db.update(appConfigurations).set({ state: 'disabled' }).where(eq(appConfigurations.id, configurationId));
    const refused = await su.post('/api/apps/gotomeeting/configuration/on-demand/run', { userId: outsider.id });
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toBe('Provisioning is not active: activate it first.');
  });
});
