import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../../../scripts/lib/postgres.mjs';
import { acquireEngineLease } from './engine-lease.js';

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

const settled = async (p: Promise<unknown>, ms: number) => await Promise.race([p.then(() => true), new Promise((r) => setTimeout(() => r(false), ms))]);

describe('one engine process at a time on PostgreSQL (issue 16)', () => {
  it('a second process stands by while the first holds the lease, and takes over when it lets go', async () => {
    const first = await acquireEngineLease(server.url, { retryMs: 50 });
    let standby = false;
    const second = acquireEngineLease(server.url, { retryMs: 50, onStandby: () => (standby = true) });
    expect(await settled(second, 500)).toBe(false);
    expect(standby).toBe(true);
    await first.release();
    // Let go on purpose is not a loss: the process that did it is not told to stop.
    expect(await settled(first.lost, 200)).toBe(false);
    expect(await settled(second, 2_000)).toBe(true);
    await (await second).release();
  });

  it('the holder killed mid-way (its session ended by the server): it hears it lost the lease, the standby takes over', async () => {
    const first = await acquireEngineLease(server.url, { retryMs: 50 });
    const second = acquireEngineLease(server.url, { retryMs: 50 });
    expect(await settled(second, 300)).toBe(false);
    // What PostgreSQL does when the holder's process dies: its session goes, the lock with it.
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and granted and objid = 7224517`);
    await admin.end();
    expect(await settled(first.lost, 2_000)).toBe(true);
    expect(await settled(second, 2_000)).toBe(true);
    await first.release();
    await (await second).release();
  });

  it('PostgreSQL restarted: the holder hears it, and a process waiting through the outage gets the lease once it is back', async () => {
    const first = await acquireEngineLease(server.url, { retryMs: 50 });
    await server.restart();
    expect(await settled(first.lost, 2_000)).toBe(true);
    await first.release();
    const again = await acquireEngineLease(server.url, { retryMs: 50 });
    await again.release();
  }, 60_000);

  it('stops waiting when shut down', async () => {
    const first = await acquireEngineLease(server.url, { retryMs: 50 });
    const controller = new AbortController();
    const second = acquireEngineLease(server.url, { retryMs: 50, signal: controller.signal });
    controller.abort();
    await expect(second).rejects.toThrow();
    await first.release();
  });
});
