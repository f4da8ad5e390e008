import { execFileSync, spawn } from 'node:child_process';
import { rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { e2eServer } from './server-config.js';

const serverDir = fileURLToPath(new URL('../../apps/server', import.meta.url));
const demoAppDir = fileURLToPath(new URL('../../apps/demo-app', import.meta.url));
const bundler = fileURLToPath(new URL('../../scripts/bundle-app.mjs', import.meta.url));

/** The journeys run the servers as `npm start` does, compiled (dist/main.js), built from the sources of now. */
function compile(cwd: string) {
  execFileSync(process.execPath, [bundler], { cwd, stdio: 'inherit' });
}

/** Starts one of our processes and resolves with the first match of `ready` in its output. */
function start(name: string, cwd: string, env: NodeJS.ProcessEnv, ready: RegExp) {
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.on('data', (chunk: Buffer) => {
    // oidc-provider warns on every start that Node 20 is not its preferred runtime.
    if (!/Unsupported runtime/.test(chunk.toString())) process.stderr.write(chunk);
  });
  const matched = new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 60 s:\n${output}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] ?? match[0]);
      }
    });
    child.on('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${output}`)));
  });
  return { child, matched };
}

const stop = async (child: ReturnType<typeof spawn>) => {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
};

/**
 * Starts autoprov as a newcomer would (fresh data folder, demo organisation) and keeps the
 * one-time setup link it prints, which the first-run journey opens.
 */
export default async function globalSetup() {
  rmSync(e2eServer.dataDir, { recursive: true, force: true });
  mkdirSync(e2eServer.dataDir, { recursive: true });
  compile(demoAppDir);
  compile(serverDir);
  const { demoApp } = e2eServer;
  const app = start(
    'the demo app',
    demoAppDir,
    {
      DEMO_APP_PORT: String(demoApp.port),
      DEMO_APP_HOST: '127.0.0.1',
      DEMO_APP_DATA_DIR: demoApp.dataDir,
      DEMO_APP_ACCOUNT_KEY: demoApp.accountKey,
      DEMO_APP_ADMIN_EMAIL: demoApp.adminEmail,
      DEMO_APP_ADMIN_PASSWORD: demoApp.adminPassword,
      DEMO_APP_REDIRECT_URIS: `${e2eServer.url}/api/oauth/callback`,
    },
    /is running: /,
  );
  await app.matched;
  const server = start(
    'autoprov',
    serverDir,
    {
      PORT: String(e2eServer.port),
      HOST: '127.0.0.1',
      AUTOPROV_DATA_DIR: e2eServer.dataDir,
      AUTOPROV_GOTOMEETING_URL: demoApp.url,
      AUTOPROV_GOOGLE_ROOT_URL: e2eServer.googleFake.rootUrl,
      AUTOPROV_GOOGLE_TOKEN_URL: e2eServer.googleFake.tokenUrl,
      AUTOPROV_GOOGLE_POLL_SECONDS: '5',
      LOG_LEVEL: 'warn',
    },
    /create the super-admin at (\S+)/,
  );
  const setupLink = await server.matched.catch(async (err: unknown) => {
    await stop(app.child);
    throw err;
  });
  writeFileSync(e2eServer.setupLinkFile, setupLink);

  return async () => {
    await stop(server.child);
    await stop(app.child);
  };
}
