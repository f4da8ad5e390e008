import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryGroups } from '@autoprov/db';
import { startFiveHundredGateway, startScimmyServer } from '@autoprov/scim-client/testing';
import { idpCertificate } from '../test/idp-certificate.js';
import { testServer } from '../test/harness.js';

// E-16, E-17 through the API: a custom SCIM app on 127.0.0.1 behind a gateway that can answer 503.
let scim: Awaited<ReturnType<typeof startScimmyServer>>;
let gateway: Awaited<ReturnType<typeof startFiveHundredGateway>>;
beforeAll(async () => {
  scim = await startScimmyServer({ token: 'route-token' });
  gateway = await startFiveHundredGateway(scim.baseUrl);
});
afterAll(async () => {
  await gateway.close();
  await scim.close();
});

describe('quarantine and escrow on the app page (E-16, E-17)', () => {
  it('a down app is quarantined with the reason and what waits; Retry now is audited, probes, and ends quarantine once the app answers', async () => {
    const server = await testServer({ appBackoffMs: 2 });
    const su = await server.signedIn('super_admin');
    const readOnly = await server.signedIn('read_only');
    const api = '/api/apps/custom-scim';
    const groupId = async (email: string) => (await server.db.select().from(directoryGroups)).find((g) => g.email === email)!.id;
    expect((await su.request('PUT', `${api}/sso`, { entityId: 'https://sso.example.com/custom', ssoUrl: 'https://sso.example.com/saml', certificate: idpCertificate })).status).toBe(200);
    await su.post(`${api}/configuration`);
    expect((await su.put(`${api}/configuration/bearer-token`, { token: 'route-token', endpointUrl: gateway.baseUrl })).status).toBe(200);
    expect((await su.put(`${api}/configuration/endpoint`, { endpointUrl: gateway.baseUrl })).status).toBe(200);
    await su.put(`${api}/configuration/scope`, { groups: [{ groupId: await groupId('managers@example.com'), accessLevel: 'user' }] });
    expect((await su.post(`${api}/configuration/finish`)).status).toBe(200);
    await su.put(`${api}/configuration/activation`, { active: true });
    const configuration = async () => (await su.get(api)).json.configuration;
    const idle = async () => server.scheduler.idle((await configuration()).id);
    await idle();
    const managed = scim.users.size;
    expect(managed).toBeGreaterThan(0);
    expect((await su.post(`${api}/configuration/quarantine/retry`)).json.error.code).toBe('conflict');

    // The app goes down while Finance comes into scope: every create fails, the app is quarantined.
    gateway.outage(503);
    await su.put(`${api}/configuration/scope`, {
      groups: [
        { groupId: await groupId('managers@example.com'), accessLevel: 'user' },
        { groupId: await groupId('finance@example.com'), accessLevel: 'user' },
      ],
    });
    await idle();
    const quarantined = await configuration();
    expect(quarantined.quarantine).toMatchObject({ reason: expect.stringMatching(/of \d+ operations of a run failed because the app could not be reached/), probes: 0 });
    expect(quarantined.quarantine.lastErrors[0].message).toMatch(/Service Unavailable/);
    expect(quarantined.nextRunReason).toBe('quarantined');
    expect(Date.parse(quarantined.nextRunAt) - Date.now()).toBeGreaterThan(4 * 60_000);
    expect(quarantined.escrow.total).toBeGreaterThanOrEqual(10);
    expect(quarantined.escrow.items[0]).toMatchObject({ operation: 'create', kind: 'transient', attempts: 1, nextAttemptAt: expect.any(String) });
    expect((await server.alerts.list()).filter((n) => n.kind === 'quarantined' && n.endedAt === null)).toHaveLength(1);

    // Read-only admins see it but cannot retry (S-1).
    expect((await readOnly.get(api)).json.configuration.quarantine).not.toBeNull();
    expect((await readOnly.post(`${api}/configuration/quarantine/retry`)).status).toBe(403);

    // Still down: the probe says so, the next one waits longer; it is audited (L-6).
    const stillDown = await su.post(`${api}/configuration/quarantine/retry`);
    expect(stillDown.json).toMatchObject({ ok: false, message: expect.stringMatching(/still does not answer/) });
    expect((await configuration()).quarantine.probes).toBe(1);

    gateway.outage(null);
    const back = await su.post(`${api}/configuration/quarantine/retry`);
    expect(back.json).toMatchObject({ ok: true });
    await idle();
    const after = await configuration();
    expect(after.quarantine).toBeNull();
    expect(after.escrow.total).toBe(0);
    expect(after.nextRunReason).not.toBe('quarantined');
    expect(scim.users.size).toBe(managed + quarantined.escrow.total);
    expect((await server.alerts.list()).filter((n) => n.kind === 'quarantined' && n.endedAt === null)).toHaveLength(0);
    const audit = (await su.get(api)).json.audit.map((a: { action: string }) => a.action);
    expect(audit.filter((a: string) => a === 'Quarantine: retry now')).toHaveLength(2);

    // E-16: asking to retry a user with nothing waiting is a 404.
    expect((await su.post(`${api}/configuration/escrow/nobody/retry`)).status).toBe(404);
  });
});
