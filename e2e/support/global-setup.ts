import { spawn } from 'node:child_process';
import { rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { e2eServer } from './server-config.js';

const serverDir = fileURLToPath(new URL('../../apps/server', import.meta.url));

/**
 * Starts autoprov as a newcomer would (fresh data folder, demo organisation) and keeps the
 * one-time setup link it prints, which the first-run journey opens.
 */
export default async function globalSetup() {
  rmSync(e2eServer.dataDir, { recursive: true, force: true });
  mkdirSync(e2eServer.dataDir, { recursive: true });
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, PORT: String(e2eServer.port), HOST: '127.0.0.1', AUTOPROV_DATA_DIR: e2eServer.dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));

  const setupLink = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`autoprov did not start in 60 s:\n${output}`)), 60_000);
    server.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /create the super-admin at (\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    server.on('exit', (code) => reject(new Error(`autoprov exited with ${code}:\n${output}`)));
  });
  writeFileSync(e2eServer.setupLinkFile, setupLink);

  return async () => {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  };
}
