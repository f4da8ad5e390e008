import { describe, expect, it } from 'vitest';
import { routes } from '@autoprov/contract';
import { testServer } from '../test/harness.js';

/**
 * Writes any signed-in admin (or nobody yet) may make: sign-in, first-run setup, a reset link,
 * sign-out, and their own password and two-factor sign-in (account.routes.test.ts shows those
 * touch only the caller's own account).
 */
const notForSuperAdminsOnly = new Set([
  'POST /api/session',
  'POST /api/setup',
  'POST /api/password-reset',
  'DELETE /api/session',
  'POST /api/account/password',
  'POST /api/account/two-factor/setup',
  'POST /api/account/two-factor/confirm',
  'POST /api/account/two-factor/disable',
]);

/** Open to a visitor who is not signed in. */
const open = ['GET /api/health', 'GET /api/setup', 'POST /api/setup', 'GET /api/session', 'POST /api/session', 'GET /api/password-reset', 'POST /api/password-reset'];

describe('read-only admins cannot write (S-1)', () => {
  it('the route table says who may call each route as the server enforces it (the walks below)', () => {
    // The OAuth callback is a read that only a super-admin completes (others are sent back with an error).
    const table = Object.values(routes)
      .map((r) => ({ route: `${r.method} ${r.path}`, auth: r.auth as string }))
      .filter(({ route }) => route !== 'GET /api/oauth/callback');
    const expected = table.map(({ route }) => ({
      route,
      auth: open.includes(route) ? 'public' : route.startsWith('GET ') || notForSuperAdminsOnly.has(route) ? 'admin' : 'super_admin',
    }));
    expect(table).toEqual(expected);
  });

  it('refuses every write route with 403 and changes nothing', async () => {
    const server = await testServer();
    const readOnly = await server.signedIn('read_only');
    const writes = server.app.routes
      .filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method))
      .map((r) => `${r.method} ${r.path}`)
      .filter((route) => !notForSuperAdminsOnly.has(route));
    expect(writes.length).toBeGreaterThanOrEqual(12);
    // The new super-admin writes of S-6 are walked too.
    expect(writes).toEqual(expect.arrayContaining(['POST /api/admins/:id/reset-link', 'PUT /api/admins/security-settings']));
    // And those of L-7: alert settings, a new webhook secret, the test deliveries.
    expect(writes).toEqual(
      expect.arrayContaining(['PUT /api/alerts/settings', 'POST /api/alerts/settings/webhook-secret', 'POST /api/alerts/test-email', 'POST /api/alerts/test-webhook']),
    );

    const before = (await readOnly.get('/api/directory/changes')).json.total;
    const aUser = (await readOnly.get('/api/directory/users?pageSize=1')).json.items[0].id;
    for (const route of new Set(writes)) {
      const [method, path] = route.split(' ') as [string, string];
      const concrete = path.replace(/:[a-zA-Z]+/g, aUser);
      const res = await readOnly.request(method, concrete, {});
      expect({ route, status: res.status, code: res.json?.error?.code }).toEqual({ route, status: 403, code: 'forbidden' });
    }
    expect((await readOnly.get('/api/directory/changes')).json.total).toBe(before);
  });

  it('still lets a read-only admin read the directory and sign out', async () => {
    const server = await testServer();
    const readOnly = await server.signedIn('read_only');
    expect((await readOnly.get('/api/directory/users')).status).toBe(200);
    expect((await readOnly.get('/api/directory/groups')).status).toBe(200);
    expect((await readOnly.delete('/api/session')).status).toBe(204);
  });

  it('refuses every route but setup, sign-in, reset links and health to a visitor who is not signed in', async () => {
    const server = await testServer();
    const visitor = server.client();
    // Probes and scrapers hold no session: health and readiness say nothing secret, and /metrics
    // asks for its own token (operations/operations.test.ts, as an attacker).
    const probes = ['GET /healthz', 'GET /readyz', 'GET /metrics'];
    const walked: string[] = [];
    for (const r of server.app.routes.filter((r) => r.method !== 'ALL')) {
      const route = `${r.method} ${r.path}`;
      if (open.includes(route) || probes.includes(route)) continue;
      walked.push(route);
      const res = await visitor.request(r.method, r.path.replace(/:[a-zA-Z]+/g, 'x'), r.method === 'GET' ? undefined : {});
      // The OAuth callback is a browser navigation: it sends the visitor to sign in instead.
      if (route === 'GET /api/oauth/callback') expect(res.headers.get('location')).toBe('/sign-in');
      else expect({ route, status: res.status }).toEqual({ route, status: 401 });
    }
    expect(walked).toEqual(expect.arrayContaining(['POST /api/account/password', 'POST /api/account/two-factor/disable', 'POST /api/admins/:id/reset-link']));
  });

  it('limits the body and takes JSON only on every write route, signed in or not (S-6)', async () => {
    const server = await testServer();
    const clients = { visitor: server.client(), readOnly: await server.signedIn('read_only'), superAdmin: await server.signedIn('super_admin') };
    const writes = new Set(server.app.routes.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method)).map((r) => `${r.method} ${r.path}`));
    const oversized = JSON.stringify({ padding: 'x'.repeat(300 * 1024) });
    for (const [who, client] of Object.entries(clients)) {
      for (const route of writes) {
        const [method, path] = route.split(' ') as [string, string];
        const concrete = path.replace(/:[a-zA-Z]+/g, 'x');
        const big = await client.request(method, concrete, oversized);
        expect({ who, route, status: big.status, code: big.json?.error?.code }).toEqual({ who, route, status: 413, code: 'payload_too_large' });
        const form = await client.request(method, concrete, 'a=1', { 'content-type': 'application/x-www-form-urlencoded' });
        expect({ who, route, status: form.status }).toEqual({ who, route, status: 415 });
      }
    }
  });
});
