import { eq } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { admins } from '@autoprov/db';
import { manualClock, testServer } from '../test/harness.js';

/** What the admin's authenticator app shows, computed with the same library. */
const codeFor = (secret: string, at: Date) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: at.getTime() });

async function withTwoFactor(server: Awaited<ReturnType<typeof testServer>>, clock: ReturnType<typeof manualClock>, role: 'super_admin' | 'read_only' = 'super_admin') {
  const credentials = await server.addAdmin(role, 'a good long passphrase');
  const c = server.client();
  expect((await c.signIn(credentials.email, credentials.password)).status).toBe(200);
  const setup = await c.post('/api/account/two-factor/setup');
  expect(setup.status).toBe(200);
  expect(setup.json.uri).toMatch(/^otpauth:\/\/totp\/autoprov:/);
  expect(setup.json.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
  const confirmed = await c.post('/api/account/two-factor/confirm', { code: codeFor(setup.json.secret, clock.now()) });
  expect(confirmed.status).toBe(200);
  clock.advance(30_000);
  return { ...credentials, secret: setup.json.secret as string, recoveryCodes: confirmed.json.codes as string[], client: c };
}

describe('password strength (S-6)', () => {
  it('refuses a repeated character and a password equal to the e-mail, next to the field', async () => {
    const server = await testServer();
    const superAdmin = await server.signedIn('super_admin');
    for (const password of ['aaaaaaaaaaaa', 'new.admin@example.com']) {
      const res = await superAdmin.post('/api/admins', { name: 'New Admin', email: 'new.admin@example.com', role: 'read_only', password });
      expect(res.status).toBe(400);
      expect(res.json.error.fields.password).toMatch(/^Too easy to guess\./);
    }
    expect((await superAdmin.get('/api/admins')).json.items.map((a: { email: string }) => a.email)).not.toContain('new.admin@example.com');
  });

  it('refuses a weak password at first-run setup, with no admin created', async () => {
    const server = await testServer();
    const res = await server.client().post('/api/setup', { name: 'Ada', email: 'ada@example.com', password: 'ada@example.com', token: server.setupToken.value });
    expect(res.status).toBe(400);
    expect(res.json.error.fields.password).toMatch(/personal/);
    expect((await server.client().get('/api/setup')).json.needsSetup).toBe(true);
  });
});

describe('changing one\'s own password (S-6)', () => {
  it('needs the current password, refuses a weak one, and signs out the other sessions', async () => {
    const server = await testServer();
    const { email, password } = await server.addAdmin('read_only', 'my first long passphrase');
    const here = server.client();
    const elsewhere = server.client();
    await here.signIn(email, password);
    await elsewhere.signIn(email, password);

    const wrong = await here.post('/api/account/password', { currentPassword: 'not it at all', newPassword: 'my second long passphrase' });
    expect(wrong.json.error.fields.currentPassword).toBe('This is not your current password.');
    const weak = await here.post('/api/account/password', { currentPassword: password, newPassword: 'aaaaaaaaaaaa' });
    expect(weak.json.error.fields.newPassword).toMatch(/Too easy to guess/);

    expect((await here.post('/api/account/password', { currentPassword: password, newPassword: 'my second long passphrase' })).status).toBe(204);
    expect((await here.get('/api/session')).status).toBe(200);
    expect((await elsewhere.get('/api/session')).status).toBe(401);
    expect((await server.client().signIn(email, password)).status).toBe(401);
    expect((await server.client().signIn(email, 'my second long passphrase')).status).toBe(200);
  });
});

describe('two-factor sign-in (S-6)', () => {
  it('asks for the code after the password, accepts it once, and refuses a wrong one', async () => {
    const clock = manualClock();
    const server = await testServer({ clock });
    const { email, password, secret } = await withTwoFactor(server, clock);

    const noCode = await server.client().signIn(email, password);
    expect(noCode.status).toBe(401);
    expect(noCode.json.error.code).toBe('second_factor_required');
    expect(noCode.headers.get('set-cookie') ?? '').not.toMatch(/autoprov_session=[^;]/);

    const wrong = await server.client().signIn(email, password, '000000' === codeFor(secret, clock.now()) ? '111111' : '000000');
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.fields.code).toMatch(/not valid/);

    const code = codeFor(secret, clock.now());
    const ok = await server.client().signIn(email, password, code);
    expect(ok.status).toBe(200);
    expect(ok.json.twoFactor).toEqual({ enabled: true, setupRequired: false });
    // The same code, replayed within its 30 seconds, is refused (RFC 6238 §5.2).
    expect((await server.client().signIn(email, password, code)).status).toBe(401);
  });

  it('takes each recovery code once instead of the authenticator', async () => {
    const clock = manualClock();
    const server = await testServer({ clock });
    const { email, password, recoveryCodes } = await withTwoFactor(server, clock);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const stored = JSON.stringify((await server.db.select().from(admins).where(eq(admins.email, email)).limit(1))[0]);
    expect(stored).not.toContain(recoveryCodes[0]);

    expect((await server.client().signIn(email, password, recoveryCodes[0]!.toUpperCase())).status).toBe(200);
    expect((await server.client().signIn(email, password, recoveryCodes[0])).status).toBe(401);
  });

  it('keeps the seed sealed at rest and the code of another seed useless', async () => {
    const clock = manualClock();
    const server = await testServer({ clock });
    const { email, password, secret } = await withTwoFactor(server, clock);
    const row = (await server.db.select().from(admins).where(eq(admins.email, email)).limit(1))[0]!;
    expect(row.totpSecret).not.toContain(secret);
    const otherSeed = new Secret({ size: 20 }).base32;
    expect((await server.client().signIn(email, password, codeFor(otherSeed, clock.now()))).status).toBe(401);
  });

  it('turns off only with the password, and not while a super-admin requires it', async () => {
    const clock = manualClock();
    const server = await testServer({ clock });
    const boss = await withTwoFactor(server, clock);
    const reader = await withTwoFactor(server, clock, 'read_only');

    expect((await boss.client.put('/api/admins/security-settings', { requireTwoFactor: true })).status).toBe(200);
    const refused = await reader.client.post('/api/account/two-factor/disable', { password: reader.password });
    expect(refused.status).toBe(409);
    expect((await boss.client.put('/api/admins/security-settings', { requireTwoFactor: false })).status).toBe(200);

    expect((await reader.client.post('/api/account/two-factor/disable', { password: 'wrong one' })).json.error.fields.password).toBeTruthy();
    expect((await reader.client.post('/api/account/two-factor/disable', { password: reader.password })).status).toBe(204);
    expect((await server.client().signIn(reader.email, reader.password)).status).toBe(200);
  });

  it('when required by a super-admin, gives an admin without it nothing but its setup', async () => {
    const clock = manualClock();
    const server = await testServer({ clock });
    const plain = await server.signedIn('super_admin');
    expect((await plain.put('/api/admins/security-settings', { requireTwoFactor: true })).json.error.message).toMatch(/your own account first/);

    const boss = await withTwoFactor(server, clock);
    expect((await boss.client.put('/api/admins/security-settings', { requireTwoFactor: true })).status).toBe(200);

    const { email, password } = await server.addAdmin('read_only', 'reader long passphrase');
    const reader = server.client();
    const signedIn = await reader.signIn(email, password);
    expect(signedIn.json.twoFactor).toEqual({ enabled: false, setupRequired: true });
    const blocked = await reader.get('/api/directory/users');
    expect(blocked.status).toBe(403);
    expect(blocked.json.error.code).toBe('second_factor_setup_required');

    const setup = await reader.post('/api/account/two-factor/setup');
    expect((await reader.post('/api/account/two-factor/confirm', { code: codeFor(setup.json.secret, clock.now()) })).status).toBe(200);
    expect((await reader.get('/api/directory/users')).status).toBe(200);
  });
});
