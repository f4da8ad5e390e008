// The README's start command, tried as a newcomer would (issue 10): a fresh clone in a temporary
// folder, no pnpm on PATH, `npm start` exactly as written with only the ports moved, then Ctrl-C.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));

const freePort = () =>
  new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });

/** PATH with every folder that holds a pnpm removed: the newcomer has only Node and npm. */
const pathWithoutPnpm = () =>
  (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir && !existsSync(join(dir, 'pnpm')))
    .join(delimiter);

/** Processes whose command line or working folder is inside `folder` (Linux /proc). */
function processesIn(folder) {
  const found = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        // a process of another user: its command line is enough
      }
      if (cmdline.includes(folder) || cwd.startsWith(folder)) found.push(`${pid} ${cmdline.trim()}`);
    } catch {
      // it ended while we looked
    }
  }
  return found;
}

const answers = async (url) => {
  try {
    return (await fetch(url, { redirect: 'manual' })).status;
  } catch {
    return 0;
  }
};

describe('npm start from a fresh clone (README, command 1)', () => {
  const work = mkdtempSync(join(tmpdir(), 'autoprov-smoke-'));
  const clone = join(work, 'autoprov');
  let group = null;
  afterAll(() => {
    // A failed assertion must not leave the servers running: end the whole process group.
    if (group) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('installs, builds, starts both servers with a plain banner, and Ctrl-C leaves nothing running', async () => {
    execFileSync('git', ['clone', '--quiet', repo, clone]);
    const [port, demoPort] = [await freePort(), await freePort()];
    // The newcomer's environment: nothing of ours set but the two ports.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AUTOPROV_|DEMO_APP_|E2E_|PORT$|HOST$|LOG_LEVEL$|VITEST|NODE_ENV$)/.test(k)));
    Object.assign(env, { PATH: pathWithoutPnpm(), PORT: String(port), DEMO_APP_PORT: String(demoPort) });

    // Its own process group, so that Ctrl-C can be sent to the group as a terminal does.
    const start = spawn('npm', ['start'], { cwd: clone, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    group = start.pid;
    let output = '';
    start.stdout.on('data', (c) => (output += c));
    start.stderr.on('data', (c) => (output += c));
    const exited = new Promise((done) => start.once('exit', (code, signal) => done({ code, signal })));

    const ready = await Promise.race([
      new Promise((done) => {
        const check = setInterval(() => {
          if (/Press Ctrl-C to stop/.test(output)) {
            clearInterval(check);
            done(true);
          }
        }, 250);
      }),
      exited.then(() => false),
      new Promise((done) => setTimeout(() => done(false), 8 * 60_000)),
    ]);
    expect(ready, `npm start did not become ready:\n${output}`).toBe(true);

    // The banner ends the output and says the three things a newcomer needs.
    const banner = output.slice(output.lastIndexOf('autoprov is ready.'));
    const consoleUrl = `http://127.0.0.1:${port}`;
    expect(banner).toContain(`Console      ${consoleUrl}`);
    const setupLink = new RegExp(`First run    (${consoleUrl}/setup\\?token=\\S+)`).exec(banner)?.[1];
    expect(setupLink, banner).toBeDefined();
    expect(banner).toContain(`http://127.0.0.1:${demoPort}/admin`);
    expect(banner).toMatch(/admin e-mail admin@example\.com, password \S{8,}/);
    expect(banner, 'no JSON log line in the banner').not.toMatch(/^\{/m);

    expect(await answers(consoleUrl)).toBe(200);
    expect(await answers(setupLink)).toBe(200);
    const setup = await (await fetch(`${consoleUrl}/api/setup`)).json();
    expect(setup).toEqual({ needsSetup: true });
    expect(await answers(`http://127.0.0.1:${demoPort}/admin`)).toBe(200);
    // One port variable is enough: the demo app's OAuth server accepts autoprov's moved redirect.
    const authorize = await fetch(
      `http://127.0.0.1:${demoPort}/oauth/auth?client_id=autoprov&response_type=code&scope=openid&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256&redirect_uri=${encodeURIComponent(`${consoleUrl}/api/oauth/callback`)}`,
      { redirect: 'manual' },
    );
    // A refused redirect URI is a 400 page; an accepted one goes on to the sign-in interaction.
    expect(authorize.status, 'the redirect URI is accepted').toBe(303);
    const next = new URL(authorize.headers.get('location') ?? '', `http://127.0.0.1:${demoPort}`);
    expect(next.href).toContain(`http://127.0.0.1:${demoPort}/interaction/`);

    // Ctrl-C: SIGINT to the whole foreground process group.
    process.kill(-start.pid, 'SIGINT');
    const stopped = await Promise.race([exited, new Promise((done) => setTimeout(() => done(null), 30_000))]);
    expect(stopped, `npm start did not stop on Ctrl-C:\n${output.slice(-2000)}`).not.toBeNull();
    await new Promise((done) => setTimeout(done, 500));
    expect(processesIn(clone)).toEqual([]);
    expect(await answers(consoleUrl)).toBe(0);
    expect(await answers(`http://127.0.0.1:${demoPort}/admin`)).toBe(0);
  }, 10 * 60_000);
});
