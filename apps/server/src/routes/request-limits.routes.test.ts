import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { catalogEntry } from '@autoprov/contract';
import { appConfigurations } from '@autoprov/db';
import { testServer } from '../test/harness.js';
import { idpCertificate } from '../test/idp-certificate.js';

const sso = { entityId: 'https://sso.example.com/slack', ssoUrl: 'https://sso.example.com/saml', certificate: idpCertificate };
const api = '/api/apps/slack';
const slack = catalogEntry('slack')!.limits;

/** A server with a draft Slack configuration, and its super-admin. */
async function withSlack() {
  const server = await testServer();
  const su = await server.signedIn('super_admin');
  await su.request('PUT', `${api}/sso`, sso);
  expect((await su.post(`${api}/configuration`)).status).toBe(201);
  const stored = async () => (await server.db.select().from(appConfigurations).where(eq(appConfigurations.appKey, 'slack')).limit(1))[0]!.limitsOverride;
  return { server, su, stored };
}

describe('request limits, changeable by a super-admin (E-18, L-6)', () => {
  it("the app page shows the catalog's limits, where they come from, no override, and the catalog's as effective", async () => {
    const { su } = await withSlack();
    const page = (await su.get(api)).json;
    expect(page.app.limits).toEqual(slack);
    expect(page.app.limitsSource).toMatch(/^https:\/\/docs\.slack\.dev\//);
    expect(page.configuration.requestLimits).toEqual({ override: null, effective: slack });
  });

  it('E-18: a super-admin sets them (audited), the page shows override and effective; reset goes back to the catalog\'s (audited)', async () => {
    const { su, stored } = await withSlack();
    // perOperation left out: the vendor's per-operation limits stay the catalog's.
    const saved = await su.put(`${api}/configuration/limits`, { ratePerSecond: 2, burst: 4, concurrency: 1 });
    expect(saved.status).toBe(200);
    expect(saved.json.configuration.requestLimits).toEqual({
      override: { ratePerSecond: 2, burst: 4, concurrency: 1 },
      effective: { ratePerSecond: 2, burst: 4, concurrency: 1, perOperation: slack.perOperation },
    });
    expect(await stored()).toEqual({ ratePerSecond: 2, burst: 4, concurrency: 1 });
    expect(saved.json.audit[0]).toMatchObject({ action: 'Request limits changed', detail: "2/s, burst 4, 1 at once (was the catalog's)" });

    // Per-operation limits can be changed too.
    const perOperation = [{ operations: ['POST /Users'], ratePerSecond: 1, burst: 2 }];
    const again = await su.put(`${api}/configuration/limits`, { ratePerSecond: 3, burst: 4, concurrency: 2, perOperation });
    expect(again.json.configuration.requestLimits.effective).toEqual({ ratePerSecond: 3, burst: 4, concurrency: 2, perOperation });
    expect(again.json.audit[0].detail).toBe('3/s, burst 4, 2 at once; POST /Users 1/s (burst 2) (was 2/s, burst 4, 1 at once)');

    const reset = await su.delete(`${api}/configuration/limits`);
    expect(reset.status).toBe(200);
    expect(reset.json.configuration.requestLimits).toEqual({ override: null, effective: slack });
    expect(await stored()).toBeNull();
    expect(reset.json.audit[0]).toMatchObject({ action: "Request limits set back to the catalog's", detail: 'Was 3/s, burst 4, 2 at once; POST /Users 1/s (burst 2)' });
    // Nothing to reset: no second line.
    const twice = await su.delete(`${api}/configuration/limits`);
    expect(twice.json.audit.filter((a: { action: string }) => a.action.startsWith('Request limits'))).toHaveLength(3);
  });

  it('a read-only admin sees the limits but can neither change nor reset them (403, nothing stored)', async () => {
    const { server, su, stored } = await withSlack();
    await su.put(`${api}/configuration/limits`, { ratePerSecond: 2, burst: 4, concurrency: 1 });
    const readOnly = await server.signedIn('read_only');
    expect((await readOnly.get(api)).json.configuration.requestLimits.override).toEqual({ ratePerSecond: 2, burst: 4, concurrency: 1 });
    // As an attacker with a read-only session: raise the pace, then drop it back to the catalog's.
    expect((await readOnly.put(`${api}/configuration/limits`, { ratePerSecond: 1000, burst: 1000, concurrency: 64 })).status).toBe(403);
    expect((await readOnly.delete(`${api}/configuration/limits`)).status).toBe(403);
    expect(await stored()).toEqual({ ratePerSecond: 2, burst: 4, concurrency: 1 });
  });

  it('values out of bounds are refused with 400 and a message per field; nothing stored', async () => {
    const { su, stored } = await withSlack();
    const bad = await su.put(`${api}/configuration/limits`, {
      ratePerSecond: 0,
      burst: 2.5,
      concurrency: 65,
      perOperation: [
        { operations: ['POST /Users'], ratePerSecond: 5000, burst: 1 },
        { operations: ['POST /Users', 'TRACE /Users'], ratePerSecond: 1, burst: 0 },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'validation_failed' });
    expect(bad.json.error.fields).toEqual({
      ratePerSecond: expect.stringMatching(/At least 0\.01/),
      burst: 'A whole number',
      concurrency: 'At most 64',
      'perOperation.0.ratePerSecond': 'At most 1000 a second',
      'perOperation.1.operations.1': expect.stringMatching(/method and a resource/),
      'perOperation.1.burst': 'At least 1',
    });
    const duplicate = await su.put(`${api}/configuration/limits`, {
      ratePerSecond: 1,
      burst: 1,
      concurrency: 1,
      perOperation: [
        { operations: ['POST /Users'], ratePerSecond: 1, burst: 1 },
        { operations: ['POST /Users'], ratePerSecond: 1, burst: 1 },
      ],
    });
    expect(duplicate.json.error.fields).toEqual({ 'perOperation.1.operations.0': 'POST /Users has a limit already' });
    expect((await su.put(`${api}/configuration/limits`, { ratePerSecond: 'fast', burst: 1, concurrency: 1 })).json.error.fields.ratePerSecond).toMatch(/Enter a number/);
    expect(await stored()).toBeNull();
  });

  it('an app with no configuration has no limits of its own to set (404)', async () => {
    const server = await testServer();
    const su = await server.signedIn('super_admin');
    expect((await su.put('/api/apps/zoom/configuration/limits', { ratePerSecond: 1, burst: 1, concurrency: 1 })).status).toBe(404);
    expect((await su.get('/api/apps/zoom')).json.app.limits).toEqual(catalogEntry('zoom')!.limits);
  });
});
