import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
// Compiled as `npm start` compiles it: the process runs dist/main.js, not the TypeScript sources.
beforeAll(() => {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../../scripts/bundle-app.mjs', import.meta.url))], { cwd: serverDir, stdio: 'inherit' });
}, 60_000);
const modeOf = (path: string) => statSync(path).mode & 0o777;

/** Starts autoprov as `npm start` does, on a data folder of its own; looks while it runs, then stops it. */
async function startOnce(dataDir: string, whileRunning: () => void = () => {}) {
  const { AUTOPROV_PUBLIC_URL: _unused, AUTOPROV_SECRET_KEY: _none, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
    cwd: serverDir,
    env: { ...inherited, PORT: '0', HOST: '127.0.0.1', AUTOPROV_DATA_DIR: dataDir, AUTOPROV_SEED_DEMO: 'false', AUTOPROV_CONSOLE_DIR: join(dataDir, 'no-console'), LOG_LEVEL: 'silent' },
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
    whileRunning();
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
