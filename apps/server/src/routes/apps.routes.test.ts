import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createDemoApp, type DemoApp } from '@autoprov/demo-app';
import { consentLikeABrowser } from '@autoprov/demo-app/testing';
import { directoryGroups, directoryUsers } from '@autoprov/db';
import { publicUrl, testServer } from '../test/harness.js';
import { idpCertificate } from '../test/idp-certificate.js';

const admin = { adminEmail: 'admin@example.com', adminPassword: 'demo-admin-password' };
const redirectUri = `${publicUrl}/api/oauth/callback`;
const sso = { entityId: 'https://sso.example.com/gotomeeting', ssoUrl: 'https://sso.example.com/saml', certificate: idpCertificate };

let demo: DemoApp;
let htmlSite: Server;
let htmlUrl: string;

beforeAll(async () => {
  demo = await createDemoApp({
    databaseFile: ':memory:',
    accountKey: '4821937',
    verifiedDomains: ['example.com'],
    ...admin,
    clientId: 'autoprov',
    clientSecret: 'autoprov-demo-secret',
    redirectUris: [redirectUri],
  });
  await demo.listen(0);
  // A web site that is not a SCIM service.
  htmlSite = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Welcome</html>'));
  await new Promise<void>((r) => htmlSite.listen(0, '127.0.0.1', r));
  htmlUrl = `http://127.0.0.1:${(htmlSite.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await demo.close();
  htmlSite.close();
});

async function setup() {
  const server = await testServer({
    apps: { vendorUrls: { gotomeeting: demo.url }, oauthClients: { gotomeeting: { clientId: 'autoprov', clientSecret: 'autoprov-demo-secret' } } },
  });
  return server;
}

type Client = Awaited<ReturnType<Awaited<ReturnType<typeof testServer>>['signedIn']>>;

async function authorize(client: Client, appKey = 'gotomeeting') {
  const start = await client.post(`/api/apps/${appKey}/configuration/authorization`, {});
  expect(start.status).toBe(200);
  expect(start.json.authorizationUrl).toContain(`${demo.url}/oauth/auth`);
  const { callbackUrl, pagesSeen } = await consentLikeABrowser({ authorizationUrl: start.json.authorizationUrl, appUrl: demo.url, redirectUri, ...admin });
  expect(pagesSeen).toEqual(['login', 'confirm']);
  const callbackPath = new URL(callbackUrl).pathname + new URL(callbackUrl).search;
  return Object.assign(await client.get(callbackPath), { callbackPath });
}

describe('the setup wizard over the API (SPEC §2), against the built-in demo app', () => {
  it('W-1: refuses to start before SSO is configured, then starts with the catalog defaults', async () => {
    const server = await setup();
    const su = await server.signedIn('super_admin');
    const refused = await su.post('/api/apps/gotomeeting/configuration');
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toMatch(/SSO/);

    const badSso = await su.request('PUT', '/api/apps/gotomeeting/sso', { entityId: '', ssoUrl: 'not a url', certificate: 'x' });
    expect(badSso.status).toBe(400);
    expect(Object.keys(badSso.json.error.fields)).toEqual(expect.arrayContaining(['entityId', 'ssoUrl', 'certificate']));
    // Shaped like a certificate, but X.509 cannot read it: refused next to the field, nothing saved.
    const fakeCertificate = await su.request('PUT', '/api/apps/gotomeeting/sso', { ...sso, certificate: 'MIIBszCCAVmgAwIBAgIUQkAA' });
    expect(fakeCertificate.status).toBe(400);
    expect(fakeCertificate.json.error.fields).toEqual({ certificate: expect.stringMatching(/not a readable X\.509 certificate/) });
    expect((await su.get('/api/apps/gotomeeting')).json.sso).toBeNull();
    expect((await su.request('PUT', '/api/apps/gotomeeting/sso', sso)).status).toBe(200);

    const started = await su.post('/api/apps/gotomeeting/configuration');
    expect(started.status).toBe(201);
    const config = started.json.configuration;
    expect(config.state).toBe('draft');
    expect(config.mapping.userName).toBe('primaryEmail');
    expect(config.deprovisioning.suspended).toEqual({ delay: 'next_sync', action: 'suspend' });
    expect(started.json.app.endpointTemplate).toBe(`${demo.url}/scim/v2/accounts/{AccountKey}`);
  });

  it('walks W-2…W-8: authorize, endpoint (refusals in words), mapping, scope, deprovisioning, finish, activate', async () => {
    const server = await setup();
    const su = await server.signedIn('super_admin');
    await su.request('PUT', '/api/apps/gotomeeting/sso', sso);
    await su.post('/api/apps/gotomeeting/configuration');

    // W-3 before W-2: the connection is tested with the authorization, which is missing.
    const early = await su.request('PUT', '/api/apps/gotomeeting/configuration/endpoint', { endpointUrl: `${demo.url}/scim/v2/accounts/4821937` });
    expect(early.json.error.fields.endpointUrl).toMatch(/Authorize autoprov first/);

    // W-2: the app's own sign-in and consent pages, and back to the wizard's next step.
    const back = await authorize(su);
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe('/apps/gotomeeting/setup/endpoint?authorized=1');
    expect((await su.get('/api/apps/gotomeeting')).json.configuration.authorization).toBe('oauth');
    // A callback cannot be replayed.
    const replay = await su.get(back.callbackPath);
    expect(replay.headers.get('location')).toMatch(/^\/apps\?authorization_error=.*already%20used/);

    // W-3: every kind of wrong endpoint is refused with words that say what to fix.
    const endpoint = (endpointUrl: string) => su.request('PUT', '/api/apps/gotomeeting/configuration/endpoint', { endpointUrl });
    const refusals = {
      placeholder: await endpoint(`${demo.url}/scim/v2/accounts/{AccountKey}`),
      malformed: await endpoint('scim.example.com/v2'),
      wrongKey: await endpoint(`${demo.url}/scim/v2/accounts/1111111`),
      unreachable: await endpoint('http://127.0.0.1:9/scim/v2'),
      notScim: await endpoint(htmlUrl),
    };
    for (const r of Object.values(refusals)) expect(r.status).toBe(400);
    expect(refusals.placeholder.json.error.fields.endpointUrl).toMatch(/Replace \{AccountKey\}/);
    expect(refusals.malformed.json.error.fields.endpointUrl).toMatch(/not a valid URL/);
    expect(refusals.wrongKey.json.error.fields.endpointUrl).toMatch(/no account with this key.*#accounts\//);
    // S-5: GoToMeeting's authorization is for GoToMeeting's origin; nothing is sent elsewhere.
    expect(refusals.unreachable.json.error.fields.endpointUrl).toMatch(/authorized for http:\/\/127\.0\.0\.1:\d+ only.*nothing was sent/);
    expect(refusals.notScim.json.error.fields.endpointUrl).toMatch(/authorized for .* only.*nothing was sent/);
    expect((await su.get('/api/apps/gotomeeting')).json.configuration.endpointUrl).toBeNull();

    const check = await su.post('/api/apps/gotomeeting/configuration/endpoint/check', { endpointUrl: `${demo.url}/scim/v2/accounts/4821937` });
    expect(check.json).toEqual({ ok: true, message: expect.stringMatching(/^Connected/) });
    expect((await endpoint(`${demo.url}/scim/v2/accounts/4821937`)).status).toBe(200);

    // W-4: a required attribute left unmapped is refused, on its row.
    const detail = (await su.get('/api/apps/gotomeeting')).json;
    const rows = detail.app.attributes.map((a: { path: string }) => ({ attribute: a.path, source: detail.configuration.mapping[a.path] ?? '' }));
    const familyIndex = rows.findIndex((r: { attribute: string }) => r.attribute === 'name.familyName');
    const unmapped = rows.map((r: { attribute: string; source: string }, i: number) => (i === familyIndex ? { ...r, source: '' } : r));
    const refusedMapping = await su.request('PUT', '/api/apps/gotomeeting/configuration/mapping', { rows: unmapped });
    expect(refusedMapping.status).toBe(400);
    expect(refusedMapping.json.error.fields[`rows.${familyIndex}.source`]).toMatch(/Last name is required/);
    const preview = await su.post('/api/apps/gotomeeting/configuration/mapping/preview', { rows });
    expect(preview.json.user.primaryEmail).toMatch(/@example\.com$/);
    expect(preview.json.attributes.find((a: { attribute: string }) => a.attribute === 'userName').value).toBe(preview.json.user.primaryEmail);
    expect((await su.request('PUT', '/api/apps/gotomeeting/configuration/mapping', { rows })).status).toBe(200);

    // W-5: two groups with access levels; an unknown access level is refused.
    const groups = await server.db.select().from(directoryGroups).limit(2);
    const badScope = await su.request('PUT', '/api/apps/gotomeeting/configuration/scope', { groups: [{ groupId: groups[0]!.id, accessLevel: 'superuser' }] });
    expect(badScope.json.error.fields['groups.0.accessLevel']).toBe('Choose an access level');
    const scope = await su.request('PUT', '/api/apps/gotomeeting/configuration/scope', {
      groups: [
        { groupId: groups[0]!.id, accessLevel: 'organizer' },
        { groupId: groups[1]!.id, accessLevel: 'admin' },
      ],
    });
    expect(scope.json.configuration.scope.map((g: { name: string }) => g.name).sort()).toEqual([groups[0]!.name, groups[1]!.name].sort());

    // W-6, W-7: activation is refused until the setup is finished.
    const rules = { app_off: { delay: '1d', action: 'suspend' }, suspended: { delay: 'next_sync', action: 'suspend' }, deleted: { delay: '7d', action: 'delete' } };
    expect((await su.request('PUT', '/api/apps/gotomeeting/configuration/deprovisioning', rules)).json.configuration.deprovisioning).toEqual(rules);
    expect((await su.request('PUT', '/api/apps/gotomeeting/configuration/activation', { active: true })).status).toBe(409);
    const finished = await su.post('/api/apps/gotomeeting/configuration/finish');
    expect(finished.json.configuration).toMatchObject({ state: 'draft', setupComplete: true });
    expect(await demo.db.query.users.findMany()).toHaveLength(0);

    // W-8: only now does anything reach the app.
    const active = await su.request('PUT', '/api/apps/gotomeeting/configuration/activation', { active: true });
    expect(active.json.configuration.state).toBe('active');
    const runId = active.json.configuration.currentRun.id;
    let run;
    for (let i = 0; i < 200; i++) {
      run = (await su.get(`/api/apps/gotomeeting/configuration/runs/${runId}`)).json;
      if (!['pending', 'running'].includes(run.state)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(run.state).toMatch(/succeeded|partly_failed/);
    const inApp = await demo.db.query.users.findMany();
    expect(inApp.length).toBeGreaterThan(0);
    expect(inApp.length).toBe(run.counts.created);

    // L-6: every step above is in the app's audit, with who did it.
    const audit = (await su.get('/api/apps/gotomeeting')).json.audit.map((a: { action: string }) => a.action);
    expect(audit).toEqual(expect.arrayContaining(['SSO settings saved', 'Authorized with OAuth', 'Endpoint URL set', 'Scope saved', 'Setup finished', 'Provisioning activated']));

    // M-4: the configuration goes, the accounts stay in the app.
    expect((await su.request('PUT', '/api/apps/gotomeeting/configuration/activation', { active: false })).json.configuration.state).toBe('disabled');
    expect((await su.delete('/api/apps/gotomeeting/configuration')).json.configuration).toBeNull();
    expect(await demo.db.query.users.findMany()).toHaveLength(inApp.length);
    await server.scheduler.stop();
  });

  it('W-2: an admin who denies consent is sent back to the wizard with the reason', async () => {
    const server = await setup();
    const su = await server.signedIn('super_admin');
    await su.request('PUT', '/api/apps/gotomeeting/sso', sso);
    await su.post('/api/apps/gotomeeting/configuration');
    const start = await su.post('/api/apps/gotomeeting/configuration/authorization', {});
    const { callbackUrl } = await consentLikeABrowser({ authorizationUrl: start.json.authorizationUrl, appUrl: demo.url, redirectUri, ...admin, allow: false });
    const back = await su.get(new URL(callbackUrl).pathname + new URL(callbackUrl).search);
    expect(back.headers.get('location')).toMatch(/^\/apps\/gotomeeting\/setup\/authorize\?authorization_error=.*did%20not%20allow/);
    expect((await su.get('/api/apps/gotomeeting')).json.configuration.authorization).toBeNull();
  });

  it('a custom app takes a bearer token; GoToMeeting does not', async () => {
    const server = await setup();
    const su = await server.signedIn('super_admin');
    await su.request('PUT', '/api/apps/custom-scim/sso', sso);
    await su.post('/api/apps/custom-scim/configuration');
    expect((await su.request('PUT', '/api/apps/custom-scim/configuration/bearer-token', { token: '' })).json.error.fields.token).toBe('Paste the token');
    // S-5: a token is granted for one endpoint's origin, given with it.
    const noEndpoint = await su.request('PUT', '/api/apps/custom-scim/configuration/bearer-token', { token: 'not-a-token-the-app-knows' });
    expect(noEndpoint.json.error.fields.endpointUrl).toBe('Enter the endpoint URL');
    const badEndpoint = await su.request('PUT', '/api/apps/custom-scim/configuration/bearer-token', { token: 'x', endpointUrl: 'scim.example.com' });
    expect(badEndpoint.json.error.fields.endpointUrl).toMatch(/not a valid URL/);
    const stored = await su.request('PUT', '/api/apps/custom-scim/configuration/bearer-token', {
      token: 'not-a-token-the-app-knows',
      endpointUrl: `${demo.url}/scim/v2/accounts/4821937`,
    });
    expect(stored.json.configuration.authorization).toBe('bearer');
    expect(stored.json.configuration.authorizedOrigin).toBe(demo.url);
    expect(JSON.stringify(stored.json)).not.toContain('not-a-token-the-app-knows');
    const unauthorized = await su.request('PUT', '/api/apps/custom-scim/configuration/endpoint', { endpointUrl: `${demo.url}/scim/v2/accounts/4821937` });
    expect(unauthorized.json.error.fields.endpointUrl).toMatch(/refused autoprov's authorization/);

    await su.request('PUT', '/api/apps/gotomeeting/sso', sso);
    await su.post('/api/apps/gotomeeting/configuration');
    expect((await su.request('PUT', '/api/apps/gotomeeting/configuration/bearer-token', { token: 'x' })).status).toBe(400);
  });

  it("issue 15 item 3: Slack takes a token only, bound to Slack's own address; one given for another address is refused", async () => {
    const server = await setup();
    const su = await server.signedIn('super_admin');
    const app = (await su.get('/api/apps/slack')).json.app;
    expect(app).toMatchObject({ name: 'Slack', authorization: 'bearer', endpointTemplate: 'https://api.slack.com/scim/v2/', takesGroups: true });
    expect(app.notes.join(' ')).toMatch(/Deleting an account in Slack deactivates it/);
    await su.request('PUT', '/api/apps/slack/sso', sso);
    await su.post('/api/apps/slack/configuration');
    const elsewhere = await su.request('PUT', '/api/apps/slack/configuration/bearer-token', { token: 'xoxp-1', endpointUrl: 'https://slack.attacker.example/scim/v2/' });
    expect(elsewhere.json.error.fields.endpointUrl).toBe("Slack's endpoint is at https://api.slack.com");
    const stored = await su.request('PUT', '/api/apps/slack/configuration/bearer-token', { token: 'xoxp-1', endpointUrl: 'https://api.slack.com/scim/v2/' });
    expect(stored.json.configuration).toMatchObject({ authorization: 'bearer', authorizedOrigin: 'https://api.slack.com' });
  });

  it('S-5 as the attacker: a listener on another loopback port never receives a stored token, whatever URL is typed', async () => {
    const heard: string[] = [];
    const listener = createServer((req, res) => {
      heard.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: 'secret internal detail '.repeat(500) }));
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    const listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    try {
      const server = await setup();
      const su = await server.signedIn('super_admin');
      for (const key of ['gotomeeting', 'custom-scim']) {
        await su.request('PUT', `/api/apps/${key}/sso`, sso);
        await su.post(`/api/apps/${key}/configuration`);
      }
      await authorize(su);
      // A bearer token given for the html site (not a SCIM service: its words come back, bounded).
      await su.request('PUT', '/api/apps/custom-scim/configuration/bearer-token', { token: 'pasted-secret', endpointUrl: htmlUrl });
      const typed = [`${listenerUrl}/scim/v2/accounts/4821937`, `${listenerUrl}/`, `${listenerUrl.replace('127.0.0.1', 'localhost')}/x`, `${demo.url.replace('http:', 'https:')}/scim`];
      for (const key of ['gotomeeting', 'custom-scim']) {
        for (const endpointUrl of typed) {
          const check = await su.post(`/api/apps/${key}/configuration/endpoint/check`, { endpointUrl });
          const save = await su.request('PUT', `/api/apps/${key}/configuration/endpoint`, { endpointUrl });
          for (const r of [check, save]) {
            expect(r.status).toBe(400);
            expect(r.json.error.fields.endpointUrl).toMatch(/only, and this endpoint is at .*nothing was sent/);
          }
        }
        expect((await su.get(`/api/apps/${key}`)).json.configuration.endpointUrl).toBeNull();
      }
      expect(heard).toEqual([]);

      // From the granted origin, the app's own words are shown, never at length.
      const notScim = await su.post('/api/apps/custom-scim/configuration/endpoint/check', { endpointUrl: htmlUrl });
      expect(notScim.json.error.fields.endpointUrl).toMatch(/not as a SCIM 2\.0 service/);
      expect(notScim.json.error.message.length).toBeLessThan(500);

      // A new grant for the listener's origin is what it takes; only then is anything sent there.
      const custom = await su.post('/api/apps/custom-scim/configuration/authorization', {
        client: { authorizationUrl: `${demo.url}/oauth/auth`, tokenUrl: `${demo.url}/oauth/token`, clientId: 'autoprov', clientSecret: 'x', scope: '' },
      });
      expect(custom.json.error.fields['client.endpointUrl']).toBe('Enter the endpoint URL');
      await su.request('PUT', '/api/apps/custom-scim/configuration/bearer-token', { token: 'token-for-the-listener', endpointUrl: listenerUrl });
      const refused = await su.post('/api/apps/custom-scim/configuration/endpoint/check', { endpointUrl: `${listenerUrl}/scim` });
      expect(refused.json.error.fields.endpointUrl.length).toBeLessThan(500);
      expect(heard.every((h) => h.endsWith('Bearer token-for-the-listener'))).toBe(true);
      expect(heard.length).toBeGreaterThan(0);
    } finally {
      listener.close();
    }
  });

  it('E-13: apps that take groups can get a scope group as a team; GoToMeeting cannot', async () => {
    const server = await setup();
    const su = await server.signedIn('super_admin');
    const [sales, support] = await server.db.select().from(directoryGroups).limit(2);
    for (const key of ['custom-scim', 'gotomeeting']) {
      await su.request('PUT', `/api/apps/${key}/sso`, sso);
      await su.post(`/api/apps/${key}/configuration`);
    }
    const saved = await su.request('PUT', '/api/apps/custom-scim/configuration/scope', {
      groups: [
        { groupId: sales!.id, accessLevel: 'user', teamName: 'Customer facing' },
        { groupId: support!.id, accessLevel: 'user', teamName: 'Customer facing' },
      ],
    });
    expect(saved.json.configuration.scope.map((g: { teamName: string }) => g.teamName)).toEqual(['Customer facing', 'Customer facing']);
    const refused = await su.request('PUT', '/api/apps/gotomeeting/configuration/scope', { groups: [{ groupId: sales!.id, accessLevel: 'organizer', teamName: 'Sales' }] });
    expect(refused.json.error.fields['groups.0.teamName']).toBe('This app does not take groups as teams');
  });

  it('availability per org unit is inherited by the units below, and can be reset to inherit', async () => {
    const server = await setup();
    const su = await server.signedIn('super_admin');
    const units = (await su.get('/api/apps/gotomeeting')).json.availability as { orgUnitId: string; path: string; effective: string }[];
    const sales = units.find((u) => u.path === '/Sales')!;
    const off = (await su.request('PUT', '/api/apps/gotomeeting/availability', { orgUnitId: sales.orgUnitId, setting: 'off' })).json.availability;
    for (const u of off as typeof units) expect(u.effective).toBe(u.path === '/Sales' || u.path.startsWith('/Sales/') ? 'off' : 'on');
    const back = (await su.request('PUT', '/api/apps/gotomeeting/availability', { orgUnitId: sales.orgUnitId, setting: 'inherit' })).json.availability;
    expect((back as typeof units).every((u) => u.effective === 'on')).toBe(true);
  });

  it('a read-only admin can read an app but change nothing', async () => {
    const server = await setup();
    const ro = await server.signedIn('read_only');
    expect((await ro.get('/api/apps')).json.items.map((a: { key: string }) => a.key)).toEqual(['gotomeeting', 'workleap', 'custom-scim', 'slack', 'github-emu', 'aws-iam-identity-center', 'zoom', 'miro', 'atlassian', 'dropbox']);
    expect((await ro.get('/api/apps/gotomeeting')).status).toBe(200);
    expect((await ro.request('PUT', '/api/apps/gotomeeting/sso', sso)).status).toBe(403);
    expect((await ro.get('/api/oauth/callback?state=x&code=y')).headers.get('location')).toMatch(/Only%20a%20super-admin/);
    // An unknown user id in the directory does not matter here; the route is what is checked.
    expect((await server.db.select().from(directoryUsers).where(eq(directoryUsers.status, 'active'))).length).toBeGreaterThan(0);
  });
});
