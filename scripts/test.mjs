// Installs everything and runs every check (README, command 2; CI runs exactly this).
// Typecheck, lint and build stop the run at once; every test suite runs, then one summary line.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pnpmCommand, run } from './lib/pnpm.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const pnpm = pnpmCommand();
const step = (title) => console.log(`== ${title}`);

try {
  await run(pnpm, ['install', '--frozen-lockfile'], { cwd: root });
  await run(['sh'], ['scripts/install-chromium.sh'], { cwd: root });
  await run(['sh'], ['scripts/install-postgres.sh'], { cwd: root });
  step('typecheck');
  await run(pnpm, ['typecheck'], { cwd: root });
  step('lint');
  await run(pnpm, ['lint'], { cwd: root });
  step('build');
  await run(pnpm, ['build'], { cwd: root });
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  console.log('0 passed, 1 failed');
  process.exit(1);
}

let status = 0;
const suite = async (title, args) => {
  step(title);
  await run(pnpm, args, { cwd: root }).catch(() => (status = 1));
};
await suite('unit and integration tests (vitest)', ['test:unit']);
await suite('the start command from a fresh clone (smoke)', ['test:smoke']);
await suite('browser journeys (playwright)', ['test:e2e']);

const summary = spawnSync(process.execPath, ['scripts/summary.mjs'], { cwd: root, stdio: 'inherit' });
process.exit(status || summary.status || 0);
