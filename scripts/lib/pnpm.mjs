// The one place that decides how to run pnpm 10: the installed one, or `npx -y pnpm@10` on a
// machine that has only Node and npm. A command, not a shell function, so anything can spawn it.
import { spawn, spawnSync } from 'node:child_process';

/** `[command, ...args]` that runs pnpm 10. */
export function pnpmCommand() {
  const installed = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (installed.status === 0 && /^10\./.test(installed.stdout.trim())) return ['pnpm'];
  return ['npx', '-y', 'pnpm@10'];
}

/**
 * Runs `[command, ...args]` and resolves when it succeeds. `quiet` keeps its output unless it
 * fails, so the start command's banner is not buried in build chatter.
 */
export function run([command, ...prefix], args, { cwd, quiet = false, env = process.env } = {}) {
  return new Promise((done, fail) => {
    const child = spawn(command, [...prefix, ...args], { cwd, env, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    if (quiet) {
      child.stdout.on('data', (c) => (output += c));
      child.stderr.on('data', (c) => (output += c));
    }
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      if (code === 0) return done();
      if (quiet) process.stderr.write(output);
      fail(new Error(`${[command, ...prefix, ...args].join(' ')} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}
