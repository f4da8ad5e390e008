import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerOnlyFolder } from './db/index.js';
import { createDemoApp, demoAppSchema, type DemoApp } from './index.js';
import { hashStoredTokens } from './oidc-adapter.js';
import { authorizeLikeABrowser } from './testing/authorize.js';

const redirectUri = 'http://127.0.0.1:3000/api/oauth/callback';
const client = { clientId: 'autoprov', clientSecret: 'test-secret', redirectUri };
let app: DemoApp;
let tokens: { access_token: string; refresh_token: string };

const options = {
  databaseFile: ':memory:',
  accountKey: '4821937',
  verifiedDomains: ['example.com'],
  adminEmail: 'admin@example.com',
  adminPassword: 'demo-admin-password',
  clientId: client.clientId,
  clientSecret: client.clientSecret,
  redirectUris: [redirectUri],
};

beforeAll(async () => {
  app = await createDemoApp(options);
  await app.listen(0);
  ({ tokens } = await authorizeLikeABrowser({ appUrl: app.url, ...client, adminEmail: 'admin@example.com', adminPassword: 'demo-admin-password' }));
});
afterAll(() => app.close());

const scim = (path: string, init: RequestInit = {}, token = tokens.access_token) =>
  fetch(`${app.scimBaseUrl()}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json', ...(init.headers ?? {}) },
  });
const newUser = (userName: string, role?: string) =>
  JSON.stringify({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName,
    name: { givenName: 'Zoé', familyName: "O'Brien" },
    emails: [{ type: 'work', value: userName, primary: true }],
    ...(role ? { roles: [{ value: role }] } : {}),
  });

describe('OAuth 2.0 (SPEC §6, W-2)', () => {
  it('walks sign-in and consent, and issues an access and a refresh token', () => {
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeTruthy();
  });

  it('refuses a token exchange without the PKCE verifier', async () => {
    const res = await fetch(`${app.url}/oauth/auth?client_id=autoprov&redirect_uri=${encodeURIComponent(redirectUri)}&response_type=code&scope=openid`, { redirect: 'manual' });
    // No code_challenge: PKCE is required, so the request is refused (to the redirect URI).
    expect(res.headers.get('location')).toMatch(/error=invalid_request/);
  });

  it('refreshes the access token', async () => {
    const res = await fetch(`${app.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('autoprov:test-secret').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }).toString(),
    });
    const body = (await res.json()) as { access_token: string; refresh_token?: string };
    expect(res.status).toBe(200);
    expect((await scim('/Users', {}, body.access_token)).status).toBe(200);
    if (body.refresh_token) tokens.refresh_token = body.refresh_token;
  });
});

describe('SCIM 2.0 service (SPEC §6)', () => {
  it('creates a user with product access and a welcome e-mail with a working set-password link', async () => {
    const res = await scim('/Users', { method: 'POST', body: newUser('zoe@example.com', 'admin') });
    expect(res.status).toBe(201);
    const user = (await res.json()) as { id: string; meta: { location: string } };
    expect(user.meta.location).toContain('/scim/v2/accounts/4821937/Users/');
    const mail = app.db.query.outbox.findFirst({ where: (o, { eq }) => eq(o.userId, user.id) }).sync()!;
    expect(mail.body).toContain('GoToMeeting Admin');
    const link = /(http\S+set-password\?token=\S+)/.exec(mail.body)![1]!;
    expect((await fetch(link)).status).toBe(200);
    const token = new URL(link).searchParams.get('token')!;
    const set = await fetch(`${app.url}/set-password`, { method: 'POST', body: new URLSearchParams({ token, password: 'a new password' }) });
    expect(set.status).toBe(200);
    expect((await fetch(link)).status).toBe(404);
  });

  it('finds a user by userName without case, and pages', async () => {
    const found = (await (await scim(`/Users?filter=${encodeURIComponent('userName eq "ZOE@example.com"')}`)).json()) as { totalResults: number };
    expect(found.totalResults).toBe(1);
    const page = (await (await scim('/Users?startIndex=1&count=0')).json()) as { totalResults: number; Resources: unknown[] };
    expect(page.Resources).toHaveLength(0);
    expect(page.totalResults).toBeGreaterThanOrEqual(1);
  });

  it('refuses a user outside the verified domains, naming them', async () => {
    const res = await scim('/Users', { method: 'POST', body: newUser('someone@elsewhere.test') });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ scimType: 'invalidValue', detail: expect.stringMatching(/elsewhere\.test.*example\.com/) });
  });

  it('refuses a duplicate, an unknown product access and a malformed body', async () => {
    expect((await scim('/Users', { method: 'POST', body: newUser('Zoe@Example.com') })).status).toBe(409);
    expect((await scim('/Users', { method: 'POST', body: newUser('x@example.com', 'superuser') })).status).toBe(400);
    const bad = await scim('/Users', { method: 'POST', body: '{"userName":' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ scimType: 'invalidSyntax' });
  });

  it('patches, suspends, unsuspends and deletes', async () => {
    const { id } = (await (await scim('/Users', { method: 'POST', body: newUser('bob@example.com') })).json()) as { id: string };
    const patch = (Operations: unknown[]) => scim(`/Users/${id}`, { method: 'PATCH', body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations }) });
    expect((await patch([{ op: 'replace', path: 'name.givenName', value: 'Robert' }])).status).toBe(204);
    expect((await patch([{ op: 'replace', path: 'active', value: false }])).status).toBe(204);
    let user = (await (await scim(`/Users/${id}`)).json()) as { active: boolean; name: { givenName: string } };
    expect(user).toMatchObject({ active: false, name: { givenName: 'Robert' } });
    expect((await patch([{ op: 'replace', path: 'active', value: true }])).status).toBe(204);
    user = (await (await scim(`/Users/${id}`)).json()) as typeof user;
    expect(user.active).toBe(true);
    expect((await scim(`/Users/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await scim(`/Users/${id}`)).status).toBe(404);
  });

  it('answers 404 for a wrong account key and 401 without a valid token', async () => {
    const wrong = await fetch(app.scimBaseUrl().replace('4821937', '123') + '/Users', { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(wrong.status).toBe(404);
    expect(await wrong.json()).toMatchObject({ detail: 'No account 123.' });
    expect((await scim('/Users', {}, 'not-a-token')).status).toBe(401);
  });
});

describe('change admin password (M-5)', () => {
  it('revokes every token: the access token gets 401 and the refresh token is refused', async () => {
    const jar: string[] = [];
    const signIn = await fetch(`${app.url}/admin/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ email: 'admin@example.com', password: 'demo-admin-password' }),
    });
    expect(signIn.headers.get('location')).toBe('/admin#accounts/4821937');
    jar.push(...signIn.headers.getSetCookie().map((c) => c.split(';')[0]!));
    const adminPage = await (await fetch(`${app.url}/admin`, { headers: { cookie: jar.join('; ') } })).text();
    expect(adminPage).toContain('zoe@example.com');
    expect(adminPage).toContain('GoToMeeting Admin');
    const csrf = /name="csrf" value="([^"]+)"/.exec(adminPage)![1]!;
    const change = await fetch(`${app.url}/admin/password`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: jar.join('; ') },
      body: new URLSearchParams({ csrf, current: 'demo-admin-password', next: 'another-password' }),
    });
    expect(change.headers.get('location')).toBe('/admin/password?done=1');
    expect((await scim('/Users')).status).toBe(401);
    const refresh = await fetch(`${app.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('autoprov:test-secret').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }).toString(),
    });
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('what a local reader, a guesser or a framing page gets from the demo app (S-6)', () => {
  it('keeps no usable token or session id in its files, which only their owner can read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-app-'));
    const file = join(dir, 'data', 'demo-app.sqlite');
    ownerOnlyFolder(join(dir, 'data'));
    const own = await createDemoApp({ ...options, databaseFile: file });
    try {
      await own.listen(0);
      const { tokens: issued } = await authorizeLikeABrowser({ appUrl: own.url, ...client, adminEmail: 'admin@example.com', adminPassword: 'demo-admin-password' });
      const signIn = await fetch(`${own.url}/admin/sign-in`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ email: 'admin@example.com', password: 'demo-admin-password' }) });
      const sessionId = /demo_admin_session=([^;]+)/.exec(signIn.headers.get('set-cookie') ?? '')![1]!;
      const onDisk = ['', '-wal', '-shm'].map((s) => (existsSync(file + s) ? readFileSync(file + s).toString('latin1') : '')).join('');
      for (const secret of [issued.access_token, issued.refresh_token, sessionId]) expect(onDisk).not.toContain(secret);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) expect({ f, mode: statSync(f).mode & 0o777 }).toEqual({ f, mode: 0o600 });
      expect(statSync(join(dir, 'data')).mode & 0o777).toBe(0o700);
      // The tokens still work: they are found by their hash.
      expect((await fetch(`${own.scimBaseUrl()}/Users`, { headers: { authorization: `Bearer ${issued.access_token}` } })).status).toBe(200);

      // A token stored in the clear by an earlier version is hashed in place, and keeps working.
      const row = own.db.select().from(demoAppSchema.oidcStore).where(eq(demoAppSchema.oidcStore.model, 'AccessToken')).get()!;
      own.db
        .update(demoAppSchema.oidcStore)
        .set({ id: issued.access_token, payload: { ...row.payload, jti: issued.access_token } })
        .where(eq(demoAppSchema.oidcStore.id, row.id))
        .run();
      hashStoredTokens(own.db);
      expect(own.db.select().from(demoAppSchema.oidcStore).all().some((r) => r.id === issued.access_token || JSON.stringify(r.payload).includes(issued.access_token))).toBe(false);
      expect((await fetch(`${own.scimBaseUrl()}/Users`, { headers: { authorization: `Bearer ${issued.access_token}` } })).status).toBe(200);
    } finally {
      await own.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('throttles its admin sign-in, even for the right password once an address is blocked', async () => {
    const own = await createDemoApp({ ...options, databaseFile: ':memory:' });
    try {
      await own.listen(0);
      const signIn = (password: string) => fetch(`${own.url}/admin/sign-in`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ email: 'admin@example.com', password }) });
      for (let i = 0; i < 10; i++) expect((await signIn(`guess-${i}`)).headers.get('location')).toBe('/admin?error=1');
      const blocked = await signIn('demo-admin-password');
      expect(blocked.status).toBe(429);
      expect(blocked.headers.get('set-cookie')).toBeNull();
      expect(await blocked.text()).toMatch(/Too many failed sign-in attempts/);
    } finally {
      await own.close();
    }
  });

  it('sends autoprov’s security headers on its pages, OAuth server and SCIM service; HSTS only over https', async () => {
    for (const url of [`${app.url}/admin`, `${app.url}/oauth/.well-known/openid-configuration`, `${app.scimBaseUrl()}/Users`]) {
      const res = await fetch(url);
      expect({ url, csp: res.headers.get('content-security-policy') }).toEqual({ url, csp: expect.stringContaining("frame-ancestors 'none'") });
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
    // The consent form leads back to autoprov: allowed, and nowhere else.
    expect((await fetch(`${app.url}/admin`)).headers.get('content-security-policy')).toContain("form-action 'self' http://127.0.0.1:3000");
  });
});
