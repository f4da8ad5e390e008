import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '@autoprov/db';
import { manualClock, testServer } from '../test/harness.js';

const attackers = Array.from({ length: 10 }, (_, i) => `203.0.113.${10 + i}`);

/** The real admin's browser: it signed in once before, from their office. */
async function realAdminBrowser(server: Awaited<ReturnType<typeof testServer>>, email: string, password: string, address: string) {
  const browser = server.client({ address });
  expect((await browser.signIn(email, password)).status).toBe(200);
  expect(browser.cookieNames()).toContain('autoprov_device');
  expect((await browser.delete('/api/session')).status).toBe(204);
  return browser;
}

// Each checked attempt runs scrypt on purpose; on a busy machine these take a while.
describe('sign-in throttling (S-3, S-6), as the attacker', { timeout: 60_000 }, () => {
  it('slows 50 guesses at one account from 10 addresses, while the real admin still signs in from another address', async () => {
    const clock = manualClock();
    const server = await testServer({ clock });
    const { email, password } = await server.addAdmin('super_admin', 'the real admin passphrase');
    const office = await realAdminBrowser(server, email, password, '198.51.100.1');

    const answers: number[] = [];
    for (let i = 0; i < 50; i++) {
      const attacker = server.client({ address: attackers[i % 10] });
      answers.push((await attacker.signIn(email, `guess number ${i}`)).status);
      clock.advance(100); // 50 guesses in 5 seconds
    }
    // Five are checked against the password, then one after 1 s, one after 2 s more (the delay
    // doubles); the other 43 are refused unchecked, whichever address they come from.
    expect(answers.filter((s) => s === 401)).toHaveLength(7);
    expect(answers.filter((s) => s === 429)).toHaveLength(43);

    // Guessing the right password now does not get in: it is not even checked.
    const lucky = await server.client({ address: attackers[0] }).signIn(email, password);
    expect(lucky.status).toBe(429);
    expect(Number(lucky.headers.get('retry-after'))).toBeGreaterThan(0);

    // The real admin, from a new address (a hotel), on the browser they used before: straight in.
    const hotel = server.client({ address: '192.0.2.77' });
    hotel.useCookiesOf(office);
    const res = await hotel.signIn(email, password);
    expect(res.status).toBe(200);
    expect(res.json.admin.email).toBe(email);
  });

  it('grows the delay, and lets an attempt through once it has passed: a delay, not a lock', async () => {
    const clock = manualClock();
    const server = await testServer({ clock });
    const { email, password } = await server.addAdmin('super_admin', 'the real admin passphrase');
    const c = server.client({ address: '198.51.100.9' });
    for (let i = 0; i < 5; i++) expect((await c.signIn(email, 'wrong password')).status).toBe(401);
    const first = await c.signIn(email, password);
    expect(first.status).toBe(429);
    const firstWait = Number(first.headers.get('retry-after'));
    clock.advance(firstWait * 1000);
    expect((await c.signIn(email, 'wrong again')).status).toBe(401);
    const second = await c.signIn(email, password);
    expect(Number(second.headers.get('retry-after'))).toBe(firstWait * 2);
    clock.advance(firstWait * 2 * 1000);
    expect((await c.signIn(email, password)).status).toBe(200);
  });

  it('does not let five bad tries from a shared proxy address block the real admin there', async () => {
    const clock = manualClock();
    const proxy = '198.51.100.200';
    const server = await testServer({ clock });
    const { email, password } = await server.addAdmin('super_admin', 'the real admin passphrase');
    const admin = await realAdminBrowser(server, email, password, proxy);
    const colleague = server.client({ address: proxy });
    for (let i = 0; i < 8; i++) await colleague.signIn(email, 'someone else guessing');
    expect((await colleague.signIn(email, password)).status).toBe(429);
    expect((await admin.signIn(email, password)).status).toBe(200);
  });

  it('counts a trusted browser on its own: guessing from it is slowed too', async () => {
    const server = await testServer({ clock: manualClock() });
    const { email, password } = await server.addAdmin('super_admin', 'the real admin passphrase');
    const stolenLaptop = await realAdminBrowser(server, email, password, '198.51.100.3');
    for (let i = 0; i < 5; i++) expect((await stolenLaptop.signIn(email, 'guess')).status).toBe(401);
    expect((await stolenLaptop.signIn(email, password)).status).toBe(429);
  });

  it('slows one address spraying many accounts, counting an IPv6 /64 as one address', async () => {
    const server = await testServer({ clock: manualClock() });
    const { email, password } = await server.addAdmin('super_admin', 'the real admin passphrase');
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      // Each guess from a different address of the same /64, at a different account.
      const sprayer = server.client({ address: `2001:db8:5:6::${(i + 1).toString(16)}` });
      statuses.push((await sprayer.signIn(`someone${i}@example.com`, 'Winter2026!')).status);
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    // The account under spraying is not itself slowed for a different network.
    expect((await server.client({ address: '2001:db8:9:9::1' }).signIn(email, password)).status).toBe(200);
  });

  it('believes X-Forwarded-For only from a trusted proxy: rotating the header does not escape the limit', async () => {
    const server = await testServer({ clock: manualClock() });
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const attacker = server.client({ address: '203.0.113.50' });
      const res = await attacker.request('POST', '/api/session', { email: `x${i}@example.com`, password: 'guess' }, { 'x-forwarded-for': `10.9.${i}.1` });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
  });

  it('behind a trusted proxy, counts each client by its forwarded address: a sprayer there is slowed, not everyone', async () => {
    const behindProxy = await testServer({ clock: manualClock(), trustedProxies: ['10.0.0.0/8'] });
    const sprayer = behindProxy.client({ address: '10.0.0.2' });
    for (let i = 0; i < 20; i++) await sprayer.request('POST', '/api/session', { email: `y${i}@example.com`, password: 'guess' }, { 'x-forwarded-for': '192.0.2.66' });
    expect((await sprayer.request('POST', '/api/session', { email: 'z@example.com', password: 'guess' }, { 'x-forwarded-for': '192.0.2.66' })).status).toBe(429);
    expect((await sprayer.request('POST', '/api/session', { email: 'z@example.com', password: 'guess' }, { 'x-forwarded-for': '192.0.2.67' })).status).toBe(401);
  });
});

// A SQLite file started again; a PostgreSQL database outlives every process anyway (below).
describe.skipIf(process.env.AUTOPROV_TEST_DIALECT === 'postgres')('throttling counters survive a restart (S-6)', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps slowing an account after the app is started again on the same database', async () => {
    dir = mkdtempSync(join(tmpdir(), 'autoprov-throttle-'));
    const file = join(dir, 'autoprov.sqlite');
    const clock = manualClock();
    const first = await testServer({ clock, database: openDatabase(file) });
    const { email, password } = await first.addAdmin('super_admin', 'the real admin passphrase');
    for (let i = 0; i < 5; i++) expect((await first.client({ address: '203.0.113.1' }).signIn(email, 'guess')).status).toBe(401);
    await first.store.close();

    const second = await testServer({ clock, database: openDatabase(file), secretKey: first.secretKey });
    const after = await second.client({ address: '203.0.113.2' }).signIn(email, password);
    expect(after.status).toBe(429);
    await second.store.close();
  });
});

// Issue 16: web processes behind one load balancer share the counters through the database.
describe('throttling counters shared by two app instances on one database', () => {
  it('failures sent to one instance slow the account on the other', async () => {
    const clock = manualClock();
    const first = await testServer({ clock });
    const second = await testServer({ clock, database: first.store, secretKey: first.secretKey });
    const { email, password } = await first.addAdmin('super_admin', 'the real admin passphrase');
    for (let i = 0; i < 5; i++) expect((await first.client({ address: '203.0.113.1' }).signIn(email, 'guess')).status).toBe(401);
    expect((await second.client({ address: '203.0.113.2' }).signIn(email, password)).status).toBe(429);
    await first.store.close();
  });
});
