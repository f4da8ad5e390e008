// Installs everything, builds the console and starts autoprov with the built-in demo app
// (README, command 1). Written in Node, not sh: it must work where only Node and npm exist,
// and it owns its two servers directly so that Ctrl-C stops both and leaves nothing behind.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pnpmCommand, run } from './lib/pnpm.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = process.env;
const dataDir = env.AUTOPROV_DATA_DIR ? resolve(env.AUTOPROV_DATA_DIR) : join(root, 'data');
const logDir = join(dataDir, 'logs');

const pnpm = pnpmCommand();
try {
  console.log('autoprov: installing dependencies…');
  await run(pnpm, ['install', '--frozen-lockfile'], { cwd: root });
  // The console, and the two servers compiled to JavaScript (dist/main.js): no TypeScript loader at run time.
  console.log('autoprov: building…');
  // Build chatter (chunk sizes, warnings) goes to the terminal only if the build fails.
  await run(pnpm, ['build'], { cwd: root, quiet: true });
} catch (err) {
  console.error(`autoprov: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

mkdirSync(logDir, { recursive: true, mode: 0o700 });
console.log('autoprov: starting autoprov and the demo app…');

/** Each server's JSON log lines go to its log file; its plain lines are read for the banner. */
function startServer(name, dir) {
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a', mode: 0o600 });
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
    cwd: join(root, dir),
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const plain = [];
  let pending = '';
  child.stdout.on('data', (chunk) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('{')) {
        log.write(`${line}\n`);
        echoProblem(name, line);
      } else if (line.trim()) {
        plain.push(line.trim());
        child.emit('plain-line');
      }
    }
  });
  const exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  return { name, child, plain, log, exited };
}

/** Warnings and errors still reach the terminal, one readable line each. */
function echoProblem(name, line) {
  try {
    const entry = JSON.parse(line);
    if (typeof entry.level === 'number' && entry.level >= 40) console.error(`[${name}] ${entry.level >= 50 ? 'error' : 'warning'}: ${entry.msg ?? line}`);
  } catch {
    // not JSON after all: already kept in the log file
  }
}

/** A folder as the reader will find it: relative to where they are, unless that climbs out. */
function shown(folder) {
  const rel = relative(process.cwd(), folder);
  return rel && !rel.startsWith('..') ? rel : folder;
}

function waitFor(server, pattern) {
  return new Promise((done, fail) => {
    const check = () => {
      const match = server.plain.map((l) => pattern.exec(l)).find(Boolean);
      if (match) {
        server.child.off('plain-line', check);
        done(match);
      }
    };
    server.child.on('plain-line', check);
    server.exited.then(({ code, signal }) => fail(new Error(`${server.name} stopped before it was ready (${signal ?? `exit code ${code}`}); see ${join(logDir, `${server.name}.log`)}`)));
    check();
  });
}

const demo = startServer('demo-app', 'apps/demo-app');
const autoprov = startServer('autoprov', 'apps/server');
const servers = [demo, autoprov];

let stopping = false;
async function stopAll(exitCode) {
  if (stopping) return;
  stopping = true;
  for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGTERM');
  // Each server closes its database and exits; one that hangs is not left behind.
  const killer = setTimeout(() => servers.forEach((s) => s.child.kill('SIGKILL')), 8000);
  await Promise.all(servers.map((s) => s.exited));
  clearTimeout(killer);
  servers.forEach((s) => s.log.end());
  process.exit(exitCode);
}
// Ctrl-C reaches the whole process group; the servers may already be stopping on their own.
process.on('SIGINT', () => void stopAll(130));
process.on('SIGTERM', () => void stopAll(143));
process.on('SIGHUP', () => void stopAll(129));
for (const s of servers) {
  void s.exited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`autoprov: ${s.name} stopped (${signal ?? `exit code ${code}`}); stopping the other server. Logs: ${join(logDir, `${s.name}.log`)}`);
    void stopAll(1);
  });
}

try {
  const [consoleUrl] = (await waitFor(autoprov, /autoprov is running: (\S+)/)).slice(1);
  const firstStep = autoprov.plain.find((l) => /create the super-admin at|Sign in at/.test(l)) ?? '';
  const setupLink = /create the super-admin at (\S+)/.exec(firstStep)?.[1];
  const signInLink = /Sign in at (\S+)/.exec(firstStep)?.[1];
  const [demoUrl] = (await waitFor(demo, /is running: (\S+)/)).slice(1);
  const admin = /Admin: (\S+)(?: \/ password: (\S+))?/.exec(demo.plain.find((l) => l.startsWith('Admin:')) ?? '');
  const password = admin?.[2] ?? (env.DEMO_APP_ADMIN_PASSWORD ? 'the one in DEMO_APP_ADMIN_PASSWORD' : 'the one you set in the demo app');
  const banner = [
    '',
    '  autoprov is ready.',
    '',
    `  Console      ${consoleUrl}`,
    setupLink
      ? `  First run    ${setupLink}\n               open it to create the super-admin (works once; a restart prints a new link)`
      : `  Sign in      ${signInLink ?? `${consoleUrl}/sign-in`}`,
    `  Demo app     ${demoUrl}   (GoToMeeting's side, to provision into)`,
    `               admin e-mail ${admin?.[1] ?? 'admin@example.com'}, password ${password}`,
    `  Data, logs   ${shown(dataDir)}, ${shown(logDir)}`,
    '',
    '  Press Ctrl-C to stop both servers.',
    '',
  ];
  console.log(banner.join('\n'));
} catch (err) {
  console.error(`autoprov: ${err instanceof Error ? err.message : String(err)}`);
  await stopAll(1);
}
