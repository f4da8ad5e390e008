import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { appConfigurations, openDatabase, syncRuns } from '@autoprov/db';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
// Compiled as `npm start` compiles it: the process runs dist/main.js, not the TypeScript sources.
beforeAll(() => {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../../scripts/bundle-app.mjs', import.meta.url))], { cwd: serverDir, stdio: 'inherit' });
}, 60_000);
const modeOf = (path: string) => statSync(path).mode & 0o777;

/** Starts autoprov as `npm start` does, on a data folder of its own; looks while it runs, then stops it. */
async function startOnce(dataDir: string, whileRunning: () => void | Promise<void> = () => {}, env: Record<string, string> = {}) {
  const { AUTOPROV_PUBLIC_URL: _unused, AUTOPROV_SECRET_KEY: _none, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
    cwd: serverDir,
    env: { ...inherited, PORT: '0', HOST: '127.0.0.1', AUTOPROV_DATA_DIR: dataDir, AUTOPROV_SEED_DEMO: 'false', AUTOPROV_CONSOLE_DIR: join(dataDir, 'no-console'), LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`autoprov did not start:\n${output}`)), 60_000);
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
      if (output.includes('is running')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => reject(new Error(`autoprov exited with ${code}:\n${output}`)));
  });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    await whileRunning();
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

describe('files only the owner can read (S-6)', () => {
  it('after the first start: the data folder is 0700, the database and the key 0600, whatever the umask', async () => {
    const root = mkdtempSync(join(tmpdir(), 'autoprov-modes-'));
    const dataDir = join(root, 'data');
    try {
      // The -wal and -shm files exist while autoprov runs (a clean stop folds them back).
      await startOnce(dataDir, () => {
        expect(modeOf(dataDir)).toBe(0o700);
        for (const f of ['autoprov.sqlite', 'autoprov.sqlite-wal', 'autoprov.sqlite-shm', 'secret.key']) expect({ f, mode: modeOf(join(dataDir, f)) }).toEqual({ f, mode: 0o600 });
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 90_000);

  it('tightens an older install left readable by every local user', async () => {
    const root = mkdtempSync(join(tmpdir(), 'autoprov-modes-'));
    const dataDir = join(root, 'data');
    try {
      mkdirSync(dataDir, { mode: 0o755 });
      chmodSync(dataDir, 0o755);
      writeFileSync(join(dataDir, 'secret.key'), `${'ab'.repeat(32)}\n`, { mode: 0o644 });
      writeFileSync(join(dataDir, 'autoprov.sqlite'), '', { mode: 0o644 });
      await startOnce(dataDir);
      expect(modeOf(dataDir)).toBe(0o700);
      for (const f of ['autoprov.sqlite', 'secret.key']) expect({ f, mode: modeOf(join(dataDir, f)) }).toEqual({ f, mode: 0o600 });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 90_000);
});

const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });

describe('process roles (AUTOPROV_ROLE, issue 16)', () => {
  const metricsToken = 't'.repeat(40);
  /** A data folder whose database holds a run a previous process left running (cut off). */
  async function dataWithInterruptedRun() {
    const root = mkdtempSync(join(tmpdir(), 'autoprov-role-'));
    const dataDir = join(root, 'data');
    const { db, close } = openDatabase(join(dataDir, 'autoprov.sqlite'));
    const configurationId = randomUUID();
    const runId = randomUUID();
    await db.insert(appConfigurations).values({ id: configurationId, appKey: 'custom-scim', state: 'draft' });
    await db.insert(syncRuns).values({ id: runId, configurationId, trigger: 'manual', state: 'running', requestedAt: new Date(), startedAt: new Date() });
    await close();
    const runState = async () => {
      const store = openDatabase(join(dataDir, 'autoprov.sqlite'));
      try {
        return (await store.db.select().from(syncRuns).where(eq(syncRuns.id, runId)).limit(1))[0]?.state;
      } finally {
        await store.close();
      }
    };
    return { root, dataDir, runState };
  }
  const get = async (url: string, headers: Record<string, string> = {}) => {
    const res = await fetch(url, { headers, redirect: 'manual' });
    return { status: res.status, text: await res.text() };
  };

  it('web serves the console and its API but starts no scheduler: the cut-off run is left as it was', async () => {
    const { root, dataDir, runState } = await dataWithInterruptedRun();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    try {
      await startOnce(
        dataDir,
        async () => {
          expect((await get(`${base}/api/setup`)).status).toBe(200);
          const ready = await get(`${base}/readyz`);
          expect(ready.status).toBe(200);
          expect(Object.keys(JSON.parse(ready.text).checks)).toEqual(['database', 'migrations']);
          expect(await runState()).toBe('running');
          // The metrics of a web process: requests and the shared queue, no runs of its own.
          const metrics = await get(`${base}/metrics`, { authorization: `Bearer ${metricsToken}` });
          expect(metrics.status).toBe(200);
          expect(metrics.text).toMatch(/^autoprov_run_queue\{state="running"\} 1$/m);
          expect(metrics.text).not.toContain('autoprov_runs_total');
        },
        { PORT: String(port), AUTOPROV_ROLE: 'web', AUTOPROV_METRICS_TOKEN: metricsToken },
      );
      expect(await runState()).toBe('running');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 90_000);

  it('worker runs the scheduler (it closes the cut-off run) and answers only health, readiness and metrics', async () => {
    const { root, dataDir, runState } = await dataWithInterruptedRun();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    try {
      await startOnce(
        dataDir,
        async () => {
          expect(await runState()).toBe('failed');
          expect((await get(`${base}/healthz`)).status).toBe(200);
          const ready = await get(`${base}/readyz`);
          expect({ status: ready.status, body: JSON.parse(ready.text) }).toMatchObject({ status: 200, body: { checks: { scheduler: { ok: true } } } });
          for (const path of ['/api/setup', '/', '/sign-in', '/api/health']) expect({ path, status: (await get(`${base}${path}`)).status }).toEqual({ path, status: 404 });
          expect((await get(`${base}/metrics`)).status).toBe(401);
          const metrics = await get(`${base}/metrics`, { authorization: `Bearer ${metricsToken}` });
          expect(metrics.text).toContain('# TYPE autoprov_runs_total counter');
        },
        { PORT: String(port), AUTOPROV_ROLE: 'worker', AUTOPROV_METRICS_TOKEN: metricsToken },
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 90_000);

  it('refuses to start with an unknown role, naming the ones it accepts', async () => {
    const root = mkdtempSync(join(tmpdir(), 'autoprov-role-'));
    try {
      await expect(startOnce(join(root, 'data'), () => {}, { AUTOPROV_ROLE: 'scheduler' })).rejects.toThrow(/AUTOPROV_ROLE must be one of web, worker, all/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 90_000);
});
