import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./engine-process.ts', import.meta.url));
// `--import tsx` resolves from the working folder: the engine package has tsx.
const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/** Starts engine-process.ts with these arguments, in a process a test may SIGKILL. */
export function engineProcess(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: packageDir, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** The process's exit code; null when a signal ended it. */
export const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
