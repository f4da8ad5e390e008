import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Secret, TOTP } from 'otpauth';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '@autoprov/db';
import { manualClock, publicUrl, testServer } from '../test/harness.js';

const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;

describe('one-time reset links (S-6)', () => {
  it('lets a super-admin send another admin a link that works once', async () => {
    const server = await testServer();
    const boss = await server.signedIn('super_admin');
    const reader = await server.addAdmin('read_only', 'forgotten long passphrase');
    const readerSession = server.client();
    await readerSession.signIn(reader.email, reader.password);
    const id = (await boss.get('/api/admins')).json.items.find((a: { email: string }) => a.email === reader.email).id;

    const link = await boss.post(`/api/admins/${id}/reset-link`, {});
    expect(link.status).toBe(201);
    expect(link.json.url).toMatch(new RegExp(`^${publicUrl}/reset-password\\?token=`));
    const token = tokenOf(link.json.url);

    const visitor = server.client();
    expect((await visitor.get(`/api/password-reset?token=${token}`)).json).toEqual({ email: reader.email, name: 'read_only', clearsTwoFactor: false });
    const weak = await visitor.post('/api/password-reset', { token, password: reader.email });
    expect(weak.json.error.fields.password).toMatch(/Too easy to guess/);
    expect((await visitor.post('/api/password-reset', { token, password: 'a brand new passphrase' })).status).toBe(204);

    // Used once: the link is dead, the old password and the old sessions too.
    const again = await visitor.post('/api/password-reset', { token, password: 'yet another passphrase' });
    expect(again.status).toBe(404);
    expect((await visitor.get(`/api/password-reset?token=${token}`)).status).toBe(404);
    expect((await readerSession.get('/api/session')).status).toBe(401);
    expect((await server.client().signIn(reader.email, reader.password)).status).toBe(401);
    expect((await server.client().signIn(reader.email, 'a brand new passphrase')).status).toBe(200);
  });

  it('refuses a guessed or replaced link, and an expired one', async () => {
    const clock = manualClock();
    const server = await testServer({ clock });
    const boss = await server.signedIn('super_admin');
    const reader = await server.addAdmin('read_only');
    const id = (await boss.get('/api/admins')).json.items.find((a: { email: string }) => a.email === reader.email).id;
    const first = tokenOf((await boss.post(`/api/admins/${id}/reset-link`, {})).json.url);
    const second = tokenOf((await boss.post(`/api/admins/${id}/reset-link`, {})).json.url);
    const visitor = server.client();
    expect((await visitor.post('/api/password-reset', { token: 'guessed-token', password: 'a brand new passphrase' })).status).toBe(404);
    expect((await visitor.post('/api/password-reset', { token: first, password: 'a brand new passphrase' })).status).toBe(404);
    clock.advance(25 * 60 * 60 * 1000);
    expect((await visitor.post('/api/password-reset', { token: second, password: 'a brand new passphrase' })).status).toBe(404);
  });
});

describe('reset-admin, the command run on the server (S-6)', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a one-time link that sets a new password and turns two-factor sign-in off', async () => {
    dir = mkdtempSync(join(tmpdir(), 'autoprov-reset-'));
    const clock = manualClock(new Date());
    const server = await testServer({ clock, database: openDatabase(join(dir, 'autoprov.sqlite')) });
    const { email } = await server.addAdmin('super_admin', 'lost long passphrase');
    const c = server.client();
    await c.signIn(email, 'lost long passphrase');
    const setup = await c.post('/api/account/two-factor/setup');
    const code = new TOTP({ secret: Secret.fromBase32(setup.json.secret) }).generate({ timestamp: clock.now().getTime() });
    expect((await c.post('/api/account/two-factor/confirm', { code })).status).toBe(200);
    // Locked out: the password is forgotten and the account is slowed by guessing.
    for (let i = 0; i < 6; i++) await server.client({ address: '203.0.113.5' }).signIn(email, 'which one was it');

    const serverDir = fileURLToPath(new URL('../..', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/reset-admin.ts', email.toUpperCase()], {
      cwd: serverDir,
      env: { ...process.env, AUTOPROV_DATA_DIR: dir, AUTOPROV_PUBLIC_URL: publicUrl, LOG_LEVEL: 'silent' },
    });
    const url = /(http:\S+reset-password\?token=\S+)/.exec(stdout)?.[1];
    expect(url).toBeTruthy();

    const visitor = server.client({ address: '198.51.100.40' });
    expect((await visitor.get(`/api/password-reset?token=${tokenOf(url!)}`)).json.clearsTwoFactor).toBe(true);
    expect((await visitor.post('/api/password-reset', { token: tokenOf(url!), password: 'found again passphrase' })).status).toBe(204);
    const back = await visitor.signIn(email, 'found again passphrase');
    expect(back.status).toBe(200);
    expect(back.json.twoFactor.enabled).toBe(false);
    expect((await visitor.post('/api/password-reset', { token: tokenOf(url!), password: 'a third passphrase here' })).status).toBe(404);
    await server.store.close();
  });

  it('says so when no admin has the e-mail', async () => {
    dir = mkdtempSync(join(tmpdir(), 'autoprov-reset-'));
    const serverDir = fileURLToPath(new URL('../..', import.meta.url));
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/reset-admin.ts', 'nobody@example.com'], {
      cwd: serverDir,
      env: { ...process.env, AUTOPROV_DATA_DIR: dir, LOG_LEVEL: 'silent' },
    });
    await expect(run).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/No admin has the e-mail nobody@example.com/) });
  });
});
