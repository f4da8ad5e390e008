import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { DemoApp } from '@autoprov/demo-app';
import { consentLikeABrowser } from '@autoprov/demo-app/testing';
import { deprovisionTimers, directoryGroups, orgUnits } from '@autoprov/db';
import { testServer } from '../test/harness.js';
import { admin, redirectUri, sso, startDemoApp } from '../test/demo-app-setup.js';

/**
 * M-6 over the API, against the built-in demo app: each preview is checked against what the
 * change then really does (the timers autoprov keeps, the accounts the demo app holds).
 */
const day = 24 * 60 * 60 * 1000;

/** A demo app of its own per test, so that its accounts are only this test's. */
let demo: DemoApp;
beforeEach(async () => {
  demo = await startDemoApp();
});
afterEach(async () => demo.close());

type Server = Awaited<ReturnType<typeof testServer>>;
type Client = Awaited<ReturnType<Server['signedIn']>>;
type Person = { email: string; name: string | null };

const groupNamed = async (server: Server, name: string) => (await server.db.select().from(directoryGroups).where(eq(directoryGroups.name, name)).limit(1))[0]!.id;

const rules = { app_off: { delay: '7d', action: 'suspend' }, suspended: { delay: 'next_sync', action: 'suspend' }, deleted: { delay: '7d', action: 'delete' } };

/** GoToMeeting set up over the API with these groups as its scope, activated, and its first run over. */
async function activeGoToMeeting(groupNames: string[] = []) {
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
  const scope = await Promise.all(groupNames.map(async (name) => ({ groupId: await groupNamed(server, name), accessLevel: 'organizer' })));
  expect((await su.request('PUT', '/api/apps/gotomeeting/configuration/scope', { groups: scope })).status).toBe(200);
  expect((await su.request('PUT', '/api/apps/gotomeeting/configuration/deprovisioning', rules)).status).toBe(200);
  expect((await su.post('/api/apps/gotomeeting/configuration/finish')).status).toBe(200);
  const configurationId = (await su.request('PUT', '/api/apps/gotomeeting/configuration/activation', { active: true })).json.configuration.id as string;
  await server.scheduler.idle(configurationId);
  return { server, su, configurationId };
}

const emails = (list: { users: Person[] }) => list.users.map((u) => u.email).sort();
const timersOf = async (server: Server, configurationId: string) => await server.db.select().from(deprovisionTimers).where(eq(deprovisionTimers.configurationId, configurationId));
const demoAccounts = async () => await demo.db.query.users.findMany();

async function settle(server: Server, su: Client, configurationId: string) {
  await server.scheduler.idle(configurationId);
  return (await su.get('/api/apps/gotomeeting')).json;
}

describe('M-6: impact first, over the API', () => {
  it('M-1: removing a group previews who starts a delay and when; the update then starts exactly those timers', async () => {
    const { server, su, configurationId } = await activeGoToMeeting();
    const sales = await groupNamed(server, 'Sales');
    const managers = await groupNamed(server, 'Managers');
    const scoped = [
      { groupId: sales, accessLevel: 'organizer' },
      { groupId: managers, accessLevel: 'admin' },
    ];
    // From "everyone" to two groups: the preview names who starts a delay, and the change does it.
    const narrowing = await su.post('/api/apps/gotomeeting/configuration/scope/preview', { groups: scoped });
    expect(narrowing.status).toBe(200);
    expect(narrowing.json.active).toBe(true);
    expect(narrowing.json.deprovisioned.count).toBeGreaterThan(100);
    expect(narrowing.json.deprovisioned.users).toHaveLength(50);
    expect(narrowing.json.provisioned.count).toBe(0);
    await su.request('PUT', '/api/apps/gotomeeting/configuration/scope', { groups: scoped });
    await settle(server, su, configurationId);
    expect(await timersOf(server, configurationId)).toHaveLength(narrowing.json.deprovisioned.count);

    // Then without Managers: only the managers outside Sales start a delay, 7 days from now.
    const withoutManagers = await su.post('/api/apps/gotomeeting/configuration/scope/preview', { groups: [scoped[0]] });
    const { deprovisioned, accessLevelChanged, provisioned } = withoutManagers.json;
    expect(deprovisioned.count).toBeGreaterThan(0);
    expect(provisioned.count).toBe(0);
    for (const u of deprovisioned.users) {
      expect(u).toMatchObject({ trigger: 'app_off', action: 'suspend' });
      expect(Math.abs(Date.parse(u.at) - (Date.now() + 7 * day))).toBeLessThan(60_000);
      expect(u.name).toBeTruthy();
    }
    // A manager in Sales keeps the account but goes from admin to organizer.
    for (const u of accessLevelChanged.users) expect(u).toMatchObject({ from: 'admin', to: 'organizer' });
    const before = new Set((await timersOf(server, configurationId)).map((t) => t.directoryUserId));
    await su.request('PUT', '/api/apps/gotomeeting/configuration/scope', { groups: [scoped[0]] });
    await settle(server, su, configurationId);
    expect((await timersOf(server, configurationId)).filter((t) => !before.has(t.directoryUserId))).toHaveLength(deprovisioned.count);
    const accessOf = new Map((await demoAccounts()).map((a) => [a.userName, a.productAccess]));
    expect(accessLevelChanged.count).toBeGreaterThan(0);
    for (const u of accessLevelChanged.users) expect(accessOf.get(u.email)).toBe('organizer');
    await server.scheduler.stop();
  });

  it('M-1: emptying the scope previews that everyone is provisioned; the demo app then holds exactly that many more', async () => {
    const { server, su, configurationId } = await activeGoToMeeting(['Finance']);
    const before = (await demoAccounts()).length;
    expect(before).toBeGreaterThan(0);
    const preview = (await su.post('/api/apps/gotomeeting/configuration/scope/preview', { groups: [] })).json;
    expect(preview.provisioned.count).toBeGreaterThan(150);
    expect(preview.deprovisioned.count).toBe(0);
    // Never the secondary-domain user (E-2).
    expect(emails(preview.provisioned).every((e) => e.endsWith('@example.com'))).toBe(true);
    await su.request('PUT', '/api/apps/gotomeeting/configuration/scope', { groups: [] });
    await settle(server, su, configurationId);
    expect((await demoAccounts()).length).toBe(before + preview.provisioned.count);
    expect(await timersOf(server, configurationId)).toHaveLength(0);
    await server.scheduler.stop();
  });

  it('M-2: a changed delay previews which timers move and to when; the update moves them there', async () => {
    const { server, su, configurationId } = await activeGoToMeeting();
    const sales = (await server.db.select().from(orgUnits).where(eq(orgUnits.path, '/Sales')).limit(1))[0]!;
    // SPEC §1: turning the app OFF for Sales previews its users starting a delay.
    const off = await su.post('/api/apps/gotomeeting/availability/preview', { orgUnitId: sales.id, setting: 'off' });
    expect(off.json.deprovisioned.count).toBeGreaterThan(0);
    await su.request('PUT', '/api/apps/gotomeeting/availability', { orgUnitId: sales.id, setting: 'off' });
    await settle(server, su, configurationId);
    const started = await timersOf(server, configurationId);
    expect(started.map((t) => t.directoryUserId).length).toBe(off.json.deprovisioned.count);

    const shorter = { ...rules, app_off: { delay: '1d', action: 'delete' } };
    const preview = await su.post('/api/apps/gotomeeting/configuration/deprovisioning/preview', shorter);
    expect(preview.json.timersMoved.count).toBe(started.length);
    for (const moved of preview.json.timersMoved.users) {
      expect(moved.action).toBe('delete');
      expect(Date.parse(moved.from) - Date.parse(moved.to)).toBe(6 * day);
    }
    const saved = await su.request('PUT', '/api/apps/gotomeeting/configuration/deprovisioning', shorter);
    expect(saved.json.configuration.deprovisioning.app_off).toEqual({ delay: '1d', action: 'delete' });
    await settle(server, su, configurationId);
    const dueAfter = new Map((await timersOf(server, configurationId)).map((t) => [t.directoryUserId, t]));
    expect(dueAfter.size).toBe(started.length);
    const dueTimes = new Set([...dueAfter.values()].map((t) => t.dueAt.toISOString()));
    for (const moved of preview.json.timersMoved.users) expect(dueTimes).toContain(moved.to);
    for (const t of dueAfter.values()) expect(t.action).toBe('delete');
    await server.scheduler.stop();
  });

  it('M-4: the deletion preview counts who waits for a delay; carried out first, the demo app suspends them; the history stays reachable', async () => {
    const { server, su, configurationId } = await activeGoToMeeting();
    const finance = await groupNamed(server, 'Finance');
    await su.request('PUT', '/api/apps/gotomeeting/configuration/scope', { groups: [{ groupId: finance, accessLevel: 'organizer' }] });
    await settle(server, su, configurationId);
    const deletion = (await su.get('/api/apps/gotomeeting/configuration/deletion-impact')).json;
    const waiting = (await timersOf(server, configurationId)).length;
    expect(deletion.pendingTimers.count).toBe(waiting);
    expect(deletion.accounts).toBe((await demoAccounts()).length);
    const activeInApp = async () => (await demoAccounts()).filter((a) => a.active).length;
    const activeBefore = await activeInApp();

    const carried = await su.post('/api/apps/gotomeeting/configuration/timers/carry-out');
    expect(carried.status).toBe(202);
    // E-14 still stands: suspending most accounts at once waits for a super-admin to allow it.
    expect((await settle(server, su, configurationId)).configuration.heldRun.id).toBe(carried.json.runId);
    expect((await su.post('/api/apps/gotomeeting/configuration/held-run/allow')).status).toBe(202);
    await settle(server, su, configurationId);
    expect(await activeInApp()).toBe(activeBefore - waiting);
    expect((await su.get('/api/apps/gotomeeting/configuration/deletion-impact')).json.pendingTimers.count).toBe(0);

    const runs = (await su.get('/api/apps/gotomeeting/configuration/runs')).json.items as { id: string; state: string }[];
    expect((await su.delete('/api/apps/gotomeeting/configuration')).json.configuration).toBeNull();
    // The accounts stay in the app; the history stays in Reports.
    expect((await demoAccounts()).length).toBe(deletion.accounts);
    const deleted = (await su.get('/api/reports/deleted-configurations')).json.items;
    expect(deleted).toEqual([expect.objectContaining({ id: configurationId, appKey: 'gotomeeting', appName: 'GoToMeeting', runs: runs.length })]);
    const history = (await su.get(`/api/reports/deleted-configurations/${configurationId}/runs`)).json.items as { id: string }[];
    expect(history.map((r) => r.id)).toEqual(runs.map((r) => r.id));
    const report = await su.get(`/api/reports/deleted-configurations/${configurationId}/runs/${runs[0]!.id}/report?action=suspend&pageSize=200`);
    expect(report.status).toBe(200);
    expect(report.json.items).toHaveLength(waiting);
    // A new configuration for the app starts afresh beside the deleted one.
    expect((await su.post('/api/apps/gotomeeting/configuration')).status).toBe(201);
    expect((await su.get('/api/apps/gotomeeting')).json.configuration.state).toBe('draft');
    await server.scheduler.stop();
  });
});
