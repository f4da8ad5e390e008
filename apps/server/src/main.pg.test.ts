import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createEmptyDatabase, dropDatabase } from '@autoprov/db/testing';

// Issue 16: autoprov processes on one PostgreSQL database, started the way the README says
// (compiled dist/main.js, AUTOPROV_DATABASE_URL, one secret key, AUTOPROV_ROLE).
const serverDir = fileURLToPath(new URL('..', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'autoprov-pg-'));
let databaseUrl = '';
const secretKey = randomBytes(32).toString('hex');
const children: ChildProcess[] = [];

beforeAll(async () => {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../../scripts/bundle-app.mjs', import.meta.url))], { cwd: serverDir, stdio: 'inherit' });
  databaseUrl = await createEmptyDatabase(inject('postgresUrl'), 'autoprov_processes');
}, 90_000);
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
  if (databaseUrl) await dropDatabase(inject('postgresUrl'), databaseUrl);
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

/** One autoprov process as the README starts it; resolves once it says it is running. */
async function start(role: 'web' | 'worker', name: string) {
  const port = await freePort();
  const { AUTOPROV_PUBLIC_URL: _unused, AUTOPROV_SECRET_KEY: _none, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
    cwd: serverDir,
    env: {
      ...inherited,
      PORT: String(port),
      HOST: '127.0.0.1',
      AUTOPROV_ROLE: role,
      AUTOPROV_DATABASE_URL: databaseUrl,
      AUTOPROV_SECRET_KEY: secretKey,
      AUTOPROV_DATA_DIR: join(root, name),
      AUTOPROV_CONSOLE_DIR: join(root, 'no-console'),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 60_000);
    child.stdout!.on('data', (c: Buffer) => {
      output += c.toString();
      if (output.includes('is running')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${output}`)));
  });
  const readiness = async () => {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    return { status: res.status, body: (await res.json()) as { checks: Record<string, { ok: boolean; detail?: string }> } };
  };
  return { child, readiness, output: () => output };
}

const standingBy = (r: { body: { checks: Record<string, { detail?: string }> } }) => /Standing by/.test(r.body.checks.scheduler?.detail ?? '');

describe('several processes on one PostgreSQL (issue 16)', () => {
  it('two workers: one runs the engine, the other stands by and takes over when the first is killed; a web process is ready beside them', async () => {
    // Started together: the migrations run once, under a lock, whoever comes first.
    const [first, web] = await Promise.all([start('worker', 'worker-1'), start('web', 'web-1')]);
    await expect.poll(async () => standingBy(await first.readiness()), { timeout: 10_000 }).toBe(false);
    expect((await first.readiness()).status).toBe(200);
    const second = await start('worker', 'worker-2');
    await expect.poll(async () => standingBy(await second.readiness()), { timeout: 10_000 }).toBe(true);
    expect((await second.readiness()).status).toBe(200);
    expect(second.output()).toContain('standing by to take over');

    const ready = await web.readiness();
    expect(ready).toMatchObject({ status: 200, body: { checks: { database: { ok: true }, migrations: { ok: true } } } });

    first.child.kill('SIGKILL');
    await expect.poll(async () => standingBy(await second.readiness()), { timeout: 15_000 }).toBe(false);
    expect(await second.readiness()).toMatchObject({ status: 200, body: { checks: { scheduler: { ok: true } } } });
    expect(second.output()).toContain('this process now runs the engine');
  }, 120_000);
});
