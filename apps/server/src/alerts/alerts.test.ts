import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeEverything, type DemoApp } from '@autoprov/demo-app';
import { directoryGroups, directoryUsers } from '@autoprov/db';
import { listUsers, systemActor, systemClock, updateUser } from '@autoprov/directory';
import { startFiveHundredGateway, startScimmyServer } from '@autoprov/scim-client/testing';
import { idpCertificate } from '../test/idp-certificate.js';
import { serverWithGoToMeeting, startDemoApp } from '../test/demo-app-setup.js';
import { publicUrl, testServer } from '../test/harness.js';
import { startSmtpInbox } from '../testing/smtp-inbox.js';

// L-7 against real parts on loopback: the demo app (SPEC §6), an SMTP server from the
// nodemailer project, and a webhook receiver that checks the signature as a receiver would.


interface Hook {
  valid: boolean;
  body: Record<string, unknown>;
}

/** A webhook receiver on 127.0.0.1: checks the HMAC over `<timestamp>.<raw body>` and the timestamp's age. */
async function startReceiver() {
  const hooks: Hook[] = [];
  let secret = '';
  let status = 200;
  const server: HttpServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const timestamp = String(req.headers['x-autoprov-timestamp'] ?? '');
      const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-autoprov-signature'] ?? ''));
      const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
      const valid = fresh && given.length === expected.length && timingSafeEqual(given, expected);
      hooks.push({ valid, body: JSON.parse(raw) as Record<string, unknown> });
      res.writeHead(valid ? status : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/autoprov`;
  return {
    hooks,
    url,
    useSecret: (s: string) => void (secret = s),
    answer: (s: number) => void (status = s),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let demo: DemoApp;
let smtp: Awaited<ReturnType<typeof startSmtpInbox>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
// A custom SCIM app (SCIMMY) behind a gateway that can refuse chosen requests with 400 or be taken down with 503.
let scim: Awaited<ReturnType<typeof startScimmyServer>>;
let gateway: Awaited<ReturnType<typeof startFiveHundredGateway>>;
beforeAll(async () => {
  [demo, smtp, receiver, scim] = await Promise.all([startDemoApp(), startSmtpInbox(), startReceiver(), startScimmyServer({ token: 'alerts-token' })]);
  gateway = await startFiveHundredGateway(scim.baseUrl);
});
afterAll(async () => {
  await gateway.close();
  await Promise.all([demo.close(), smtp.close(), receiver.close(), scim.close()]);
});

const settingsFor = (overrides: Record<string, unknown> = {}) => ({
  smtpHost: '127.0.0.1',
  smtpPort: smtp.port,
  smtpSecure: false,
  smtpUser: '',
  smtpPassword: '',
  smtpFrom: 'autoprov@example.com',
  recipients: '',
  webhookUrl: receiver.url,
  ...overrides,
});

/**
 * A server with the custom SCIM app set up through the API against the gateway, managers in
 * scope, alerts going to the inbox and the receiver, activated and its first run over.
 */
async function serverWithCustomScim() {
  scim.users.clear();
  gateway.outage(null);
  gateway.refuse(null);
  const server = await testServer({ appBackoffMs: 2 });
  const su = await server.signedIn('super_admin');
  const api = '/api/apps/custom-scim';
  const groupId = async (email: string) => (await server.db.select().from(directoryGroups)).find((g) => g.email === email)!.id;
  const scope = async (...emails: string[]) => su.put(`${api}/configuration/scope`, { groups: await Promise.all(emails.map(async (e) => ({ groupId: await groupId(e), accessLevel: 'user' }))) });
  expect((await su.request('PUT', `${api}/sso`, { entityId: 'https://sso.example.com/custom', ssoUrl: 'https://sso.example.com/saml', certificate: idpCertificate })).status).toBe(200);
  await su.post(`${api}/configuration`);
  expect((await su.put(`${api}/configuration/bearer-token`, { token: 'alerts-token', endpointUrl: gateway.baseUrl })).status).toBe(200);
  expect((await su.put(`${api}/configuration/endpoint`, { endpointUrl: gateway.baseUrl })).status).toBe(200);
  await scope('managers@example.com');
  expect((await su.post(`${api}/configuration/finish`)).status).toBe(200);
  const saved = await su.put('/api/alerts/settings', settingsFor({ recipients: 'ops@example.com' }));
  receiver.useSecret(saved.json.webhookSecret);
  await su.put(`${api}/configuration/activation`, { active: true });
  const configuration = async () => (await su.get(api)).json.configuration;
  const configurationId = (await configuration()).id as string;
  /** Every run and every alert delivery started so far is over. */
  const settled = async () => {
    await server.scheduler.idle(configurationId);
    await server.alerts.idle();
  };
  await settled();
  expect(scim.users.size).toBeGreaterThan(2);
  return { server, su, api, scope, configuration, settled };
}

describe('alerts (L-7)', () => {
  it('goes out once per episode by e-mail and signed webhook, with a link, and is listed; a new episode goes out again', async () => {
    const { server, su, api, authorize, configuration, idle } = await serverWithGoToMeeting(demo);
    const saved = await su.put('/api/alerts/settings', settingsFor({ recipients: 'ops@example.com, oncall@example.com' }));
    expect(saved.status).toBe(200);
    // The secret is shown once, when it is made; never again (S-2).
    expect(saved.json.webhookSecret).toMatch(/^[0-9a-f]{64}$/);
    receiver.useSecret(saved.json.webhookSecret);
    const shown = (await su.get('/api/alerts/settings')).json;
    expect(shown).toMatchObject({ webhookSecretSet: true, effectiveRecipients: ['ops@example.com', 'oncall@example.com'] });
    expect(shown.webhookSecret).toBeUndefined();

    await su.request('PUT', `${api}/configuration/activation`, { active: true });
    await idle();
    const mailsBefore = smtp.mails.length;
    const hooksBefore = receiver.hooks.length;

    // The app revokes autoprov's authorization (M-5): the next run with work to do stops, and the episode opens.
    const someone = (await listUsers(server.db, { page: 1, pageSize: 1, status: 'active', q: '@example.com' })).items[0]!;
    revokeEverything(demo.db);
    await updateUser(server.db, systemClock, systemActor, someone.id, { familyName: 'Changed' });
    await su.post(`${api}/configuration/sync`, { dryRun: false });
    await idle();
    await server.alerts.idle();
    expect((await configuration()).state).toBe('needs_reauthorization');
    const mails = smtp.mails.slice(mailsBefore);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to.sort()).toEqual(['oncall@example.com', 'ops@example.com']);
    expect(mails[0]!.subject).toBe('[autoprov] GoToMeeting: Needs re-authorization');
    expect(mails[0]!.body).toContain(`${publicUrl}/apps/gotomeeting`);
    const hooks = receiver.hooks.slice(hooksBefore);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ valid: true, body: { kind: 'needs_reauthorization', app: { key: 'gotomeeting', name: 'GoToMeeting' }, link: `${publicUrl}/apps/gotomeeting` } });

    // The same episode again (the engine runs into the refusal once more): nothing new goes out.
    const configurationId = (await configuration()).id as string;
    await server.scheduler.requestRun(configurationId, 'manual');
    await idle();
    await server.alerts.idle();
    expect(smtp.mails.length - mailsBefore).toBe(1);
    expect(receiver.hooks.length - hooksBefore).toBe(1);

    const listed = (await su.get('/api/alerts/notifications')).json.items;
    expect(listed).toEqual([
      expect.objectContaining({
        kind: 'needs_reauthorization',
        appName: 'GoToMeeting',
        link: '/apps/gotomeeting',
        endedAt: null,
        deliveries: expect.arrayContaining([
          expect.objectContaining({ channel: 'email', ok: true, to: 'ops@example.com, oncall@example.com' }),
          expect.objectContaining({ channel: 'webhook', ok: true, to: receiver.url }),
        ]),
      }),
    ]);
    // Every admin reads the list (S-1).
    const readOnly = await server.signedIn('read_only');
    expect((await readOnly.get('/api/alerts/notifications')).json.items).toHaveLength(1);

    // Re-authorized: the episode ends. Revoked again: a new episode, a new alert.
    await authorize();
    await idle();
    expect((await su.get('/api/alerts/notifications')).json.items[0].endedAt).not.toBeNull();
    revokeEverything(demo.db);
    await updateUser(server.db, systemClock, systemActor, someone.id, { familyName: 'Again' });
    await su.post(`${api}/configuration/sync`, { dryRun: false });
    await idle();
    await server.alerts.idle();
    expect(smtp.mails.length - mailsBefore).toBe(2);
    expect(receiver.hooks.length - hooksBefore).toBe(2);
    expect((await su.get('/api/alerts/notifications')).json.items.map((n: { endedAt: string | null }) => n.endedAt === null)).toEqual([true, false]);
    await authorize();
    await idle();
    await server.scheduler.stop();
  });

  it('E-14: a held run alerts once while it stays held; allowing it ends the episode', async () => {
    const { server, su, api, configuration, idle } = await serverWithGoToMeeting(demo);
    const saved = await su.put('/api/alerts/settings', settingsFor());
    receiver.useSecret(saved.json.webhookSecret);
    await su.request('PUT', `${api}/configuration/activation`, { active: true });
    await idle();
    const mailsBefore = smtp.mails.length;
    // Only Finance in scope: the run would suspend everyone else at once, and is held.
    const finance = (await server.db.select().from(directoryGroups)).find((g) => g.name === 'Finance')!;
    expect((await su.request('PUT', `${api}/configuration/scope`, { groups: [{ groupId: finance.id, accessLevel: 'organizer' }] })).status).toBe(200);
    await idle();
    await server.alerts.idle();
    const heldRunId = (await configuration()).heldRun?.id as string;
    expect(heldRunId).toBeTruthy();
    const mails = smtp.mails.slice(mailsBefore);
    expect(mails.map((m) => m.subject)).toEqual(['[autoprov] GoToMeeting: Run held by the deletion guard']);
    expect(mails[0]!.body).toMatch(/would suspend or delete \d+ of \d+ accounts/);
    // Nobody listed: every super-admin gets it.
    const superAdmins = (await su.get('/api/admins')).json.items.filter((a: { role: string }) => a.role === 'super_admin').map((a: { email: string }) => a.email);
    expect(mails[0]!.to.sort()).toEqual(superAdmins.sort());

    // Held again in the same episode: nothing new.
    await server.scheduler.requestRun((await configuration()).id, 'manual');
    await idle();
    await server.alerts.idle();
    expect((await configuration()).heldRun?.id).not.toBe(heldRunId);
    expect(smtp.mails.length - mailsBefore).toBe(1);

    expect((await su.post(`${api}/configuration/held-run/allow`)).status).toBe(202);
    await idle();
    const [held] = (await su.get('/api/alerts/notifications')).json.items;
    expect(held).toMatchObject({ kind: 'run_held', endedAt: expect.any(String) });
    await server.scheduler.stop();
  });

  it('sends a test e-mail and a test webhook, and records a delivery that keeps failing without breaking anything', async () => {
    const server = await testServer({ alertRetry: { delaysMs: [5, 5] } });
    const su = await server.signedIn('super_admin');
    const saved = await su.put('/api/alerts/settings', settingsFor({ recipients: 'ops@example.com' }));
    receiver.useSecret(saved.json.webhookSecret);
    const before = smtp.mails.length;
    const email = await su.post('/api/alerts/test-email');
    expect(email.json.delivery).toMatchObject({ channel: 'email', ok: true, to: 'ops@example.com' });
    expect(smtp.mails.slice(before).map((m) => m.subject)).toEqual(['[autoprov] Test e-mail']);
    const hook = await su.post('/api/alerts/test-webhook');
    expect(hook.json.delivery).toMatchObject({ channel: 'webhook', ok: true });
    expect(receiver.hooks.at(-1)).toMatchObject({ valid: true, body: { kind: 'test' } });

    // A new secret: the receiver still holding the old one refuses what is signed with the new.
    const replaced = await su.post('/api/alerts/settings/webhook-secret');
    expect(replaced.json.webhookSecret).not.toBe(saved.json.webhookSecret);
    const refused = await su.post('/api/alerts/test-webhook');
    expect(refused.json.delivery).toMatchObject({ ok: false, error: 'The webhook answered 401.' });
    expect(receiver.hooks.at(-1)?.valid).toBe(false);
    receiver.useSecret(replaced.json.webhookSecret);

    // Form errors come back by field.
    const bad = await su.put('/api/alerts/settings', settingsFor({ smtpFrom: '', recipients: 'not-an-address', webhookUrl: 'ftp://x' }));
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json.error.fields).sort()).toEqual(['recipients', 'smtpFrom', 'webhookUrl']);

    // Nothing listens on this port: the e-mail fails and says so.
    await su.put('/api/alerts/settings', settingsFor({ smtpPort: receiver.url.match(/:(\d+)\//)![1] === '1' ? 2 : 1 }));
    const down = await su.post('/api/alerts/test-email');
    expect(down.json.delivery).toMatchObject({ channel: 'email', ok: false, attempts: 1 });
    expect(down.json.delivery.error).toBeTruthy();
  });

  it('L-7, E-16: a partly failed run alerts once by e-mail and signed webhook and is listed; the episode lasts until a clean run, then a new one alerts again', async () => {
    const { server, su, api, settled } = await serverWithCustomScim();
    const mailsBefore = smtp.mails.length;
    const hooksBefore = receiver.hooks.length;
    const newMails = () => smtp.mails.slice(mailsBefore);
    const newHooks = () => receiver.hooks.slice(hooksBefore);
    const [a, b] = (await listUsers(server.db, { page: 1, pageSize: 200, status: 'active', q: '' })).items.filter((u) => [...scim.users.values()].some((r) => String(r.userName).toLowerCase() === u.primaryEmail.toLowerCase()));
    expect(a && b).toBeTruthy();
    const remoteIdOf = (email: string) => [...scim.users.values()].find((r) => String(r.userName).toLowerCase() === email.toLowerCase())!.id;
    /** The app refuses every write to this user's account; the others go through. */
    const refuseWritesTo = (email: string | null) => {
      const path = email ? `/Users/${remoteIdOf(email)}` : null;
      gateway.refuse(path ? (method, p) => method !== 'GET' && p.split('?')[0] === path : null);
    };
    let edits = 0;
    /** Both users change in the directory; a manual run sends the two updates. Returns the run's state. */
    const runWithTwoUpdates = async () => {
      edits++;
      for (const u of [a!, b!]) await updateUser(server.db, systemClock, systemActor, u.id, { familyName: `Edit ${edits}` });
      const { runId } = (await su.post(`${api}/configuration/sync`, { dryRun: false })).json;
      await settled();
      return (await su.get(`${api}/configuration/runs/${runId}`)).json;
    };

    // The app refuses A's update and takes B's: the run partly failed, and the episode opens.
    refuseWritesTo(a!.primaryEmail);
    const first = await runWithTwoUpdates();
    expect(first.state).toBe('partly_failed');
    expect(newMails().map((m) => m.subject)).toEqual(['[autoprov] Custom SCIM 2.0 app: Run partly failed']);
    expect(newMails()[0]!.to).toEqual(['ops@example.com']);
    expect(newMails()[0]!.body).toContain(`${publicUrl}/apps/custom-scim`);
    expect(newMails()[0]!.body).toMatch(/1 of 2 operations failed/);
    expect(newHooks()).toEqual([
      { valid: true, body: expect.objectContaining({ kind: 'run_partly_failed', runId: first.id, app: { key: 'custom-scim', name: 'Custom SCIM 2.0 app' }, link: `${publicUrl}/apps/custom-scim` }) },
    ]);
    const listed = (await su.get('/api/alerts/notifications')).json.items;
    expect(listed).toEqual([
      expect.objectContaining({
        kind: 'run_partly_failed',
        appKey: 'custom-scim',
        link: '/apps/custom-scim',
        endedAt: null,
        deliveries: expect.arrayContaining([expect.objectContaining({ channel: 'email', ok: true }), expect.objectContaining({ channel: 'webhook', ok: true })]),
      }),
    ]);

    // A second partly failed run in the same episode (now B is refused): nothing new goes out.
    refuseWritesTo(b!.primaryEmail);
    expect((await runWithTwoUpdates()).state).toBe('partly_failed');
    expect(newMails()).toHaveLength(1);
    expect(newHooks()).toHaveLength(1);
    expect((await su.get('/api/alerts/notifications')).json.items).toHaveLength(1);

    // The app takes everything again: a clean run ends the episode, and says nothing by mail.
    refuseWritesTo(null);
    expect((await runWithTwoUpdates()).state).toBe('succeeded');
    const [ended] = (await su.get('/api/alerts/notifications')).json.items;
    expect(ended).toMatchObject({ kind: 'run_partly_failed', endedAt: expect.any(String) });
    expect(newMails()).toHaveLength(1);

    // A later partly failed run is a new episode: it alerts again.
    refuseWritesTo(a!.primaryEmail);
    const later = await runWithTwoUpdates();
    expect(later.state).toBe('partly_failed');
    expect(newMails().map((m) => m.subject)).toEqual(['[autoprov] Custom SCIM 2.0 app: Run partly failed', '[autoprov] Custom SCIM 2.0 app: Run partly failed']);
    expect(newHooks().map((h) => [h.valid, h.body.kind, h.body.runId])).toEqual([
      [true, 'run_partly_failed', first.id],
      [true, 'run_partly_failed', later.id],
    ]);
    const open = (await su.get('/api/alerts/notifications')).json.items.map((n: { kind: string; endedAt: string | null }) => [n.kind, n.endedAt === null]);
    expect(open).toEqual([
      ['run_partly_failed', true],
      ['run_partly_failed', false],
    ]);
    gateway.refuse(null);
    await server.scheduler.stop();
  });

  it('L-7, E-17: quarantine alerts once by e-mail and signed webhook while the app stays down; leaving quarantine ends the episode, the next outage alerts again', async () => {
    const { server, su, api, scope, configuration, settled } = await serverWithCustomScim();
    const mailsBefore = smtp.mails.length;
    const hooksBefore = receiver.hooks.length;
    const newMails = () => smtp.mails.slice(mailsBefore);
    const newHooks = () => receiver.hooks.slice(hooksBefore);
    const quarantineEpisodes = async () =>
      ((await su.get('/api/alerts/notifications')).json.items as { kind: string; endedAt: string | null }[]).filter((n) => n.kind === 'quarantined').map((n) => n.endedAt === null);

    // The app answers 503 while Finance comes into scope: the run's creates all fail, the app is quarantined.
    gateway.outage(503);
    await scope('managers@example.com', 'finance@example.com');
    await settled();
    expect((await configuration()).quarantine).not.toBeNull();
    expect(newMails().map((m) => m.subject)).toEqual(['[autoprov] Custom SCIM 2.0 app: Quarantined']);
    expect(newMails()[0]!.body).toMatch(/because the app could not be reached/);
    expect(newHooks()).toEqual([{ valid: true, body: expect.objectContaining({ kind: 'quarantined', app: { key: 'custom-scim', name: 'Custom SCIM 2.0 app' } }) }]);
    expect(await quarantineEpisodes()).toEqual([true]);

    // Still down: a probe that fails and a run an admin starts are the same episode: nothing new.
    expect((await su.post(`${api}/configuration/quarantine/retry`)).json.ok).toBe(false);
    const user = (await server.db.select().from(directoryUsers)).find((u) => [...scim.users.values()].some((r) => String(r.userName).toLowerCase() === u.primaryEmail.toLowerCase()))!;
    await updateUser(server.db, systemClock, systemActor, user.id, { familyName: 'Still down' });
    const { runId } = (await su.post(`${api}/configuration/sync`, { dryRun: false })).json;
    await settled();
    expect((await su.get(`${api}/configuration/runs/${runId}`)).json.state).toBe('failed');
    expect((await configuration()).quarantine).not.toBeNull();
    expect(newMails()).toHaveLength(1);
    expect(newHooks()).toHaveLength(1);

    // Back up: the probe takes it out of quarantine and the episode ends.
    gateway.outage(null);
    expect((await su.post(`${api}/configuration/quarantine/retry`)).json.ok).toBe(true);
    await settled();
    expect((await configuration()).quarantine).toBeNull();
    expect(await quarantineEpisodes()).toEqual([false]);
    expect(newMails()).toHaveLength(1);

    // Down again while Meeting hosts come into scope: a new episode, a new alert.
    gateway.outage(503);
    await scope('managers@example.com', 'finance@example.com', 'meeting-hosts@example.com');
    await settled();
    expect((await configuration()).quarantine).not.toBeNull();
    expect(newMails().map((m) => m.subject)).toEqual(['[autoprov] Custom SCIM 2.0 app: Quarantined', '[autoprov] Custom SCIM 2.0 app: Quarantined']);
    expect(newHooks().map((h) => [h.valid, h.body.kind])).toEqual([
      [true, 'quarantined'],
      [true, 'quarantined'],
    ]);
    expect(await quarantineEpisodes()).toEqual([true, false]);
    gateway.outage(null);
    await server.scheduler.stop();
  });
});
