import { describe, expect, it } from 'vitest';
import { testServer } from '../test/harness.js';

describe('first-run setup (S-1)', () => {
  it('creates the first super-admin only with the printed one-time token', async () => {
    const server = await testServer();
    const c = server.client();
    expect((await c.get('/api/setup')).json).toEqual({ needsSetup: true });

    const input = { name: 'Ada', email: 'Ada@Example.com', password: 'a long enough password' };
    const wrong = await c.post('/api/setup', { ...input, token: 'guess' });
    expect(wrong.status).toBe(403);
    expect(wrong.json.error.fields.token).toMatch(/not valid/);

    const ok = await c.post('/api/setup', { ...input, token: server.setupToken.value });
    expect(ok.status).toBe(201);
    expect(ok.json.admin).toMatchObject({ email: 'ada@example.com', role: 'super_admin' });
    expect((await c.get('/api/session')).json.admin.name).toBe('Ada');
    expect((await c.get('/api/setup')).json).toEqual({ needsSetup: false });

    const again = await server.client().post('/api/setup', { ...input, token: 'anything' });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('setup_closed');
  });

  it('refuses a short password next to the field, with no admin created', async () => {
    const server = await testServer();
    const res = await server.client().post('/api/setup', { name: 'Ada', email: 'ada@example.com', password: 'short', token: server.setupToken.value });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'validation_failed', fields: { password: 'Use at least 12 characters' } });
    expect((await server.client().get('/api/setup')).json.needsSetup).toBe(true);
  });
});

describe('sign-in (S-1, S-3)', () => {
  it('signs in and out with an HTTP-only SameSite cookie', async () => {
    const server = await testServer();
    const { email, password } = await server.addAdmin('super_admin');
    const c = server.client();
    const res = await c.signIn(email.toUpperCase(), password);
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect((await c.get('/api/directory/users')).status).toBe(200);
    expect((await c.delete('/api/session')).status).toBe(204);
    expect((await c.get('/api/directory/users')).status).toBe(401);
  });

  it('gives the same answer for a wrong password and an unknown address', async () => {
    const server = await testServer();
    const { email } = await server.addAdmin('super_admin');
    const wrongPassword = await server.client().signIn(email, 'not the password');
    const unknownEmail = await server.client().signIn('nobody@example.com', 'not the password');
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.json).toEqual(unknownEmail.json);
    expect(wrongPassword.json.error.message).toBe('Wrong e-mail or password.');
  });

  it('delays a new browser after five failures, even with the right password (sign-in-throttling.test.ts has the rest)', async () => {
    const server = await testServer();
    const { email, password } = await server.addAdmin('super_admin');
    const c = server.client();
    for (let i = 0; i < 5; i++) expect((await c.signIn(email, 'wrong password')).status).toBe(401);
    const blocked = await c.signIn(email, password);
    expect(blocked.status).toBe(429);
    expect(blocked.json.error.code).toBe('rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('CSRF (S-3)', () => {
  it('refuses a signed-in write without the session token', async () => {
    const server = await testServer();
    const c = await server.signedIn('super_admin');
    c.forgetCsrfToken();
    const res = await c.post('/api/directory/groups', { email: 'new@example.com', name: 'New' });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('csrf_failed');
  });

  it('refuses a write from another origin', async () => {
    const server = await testServer();
    const c = await server.signedIn('super_admin');
    const res = await c.request('POST', '/api/directory/groups', { email: 'new@example.com', name: 'New' }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('csrf_failed');
  });
});
