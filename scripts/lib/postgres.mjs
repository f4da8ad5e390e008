// A throwaway PostgreSQL server for the tests: Debian's binaries (scripts/install-postgres.sh puts
// them there), a fresh data directory under the system temp folder, a free port on 127.0.0.1.
// AUTOPROV_TEST_DATABASE_URL names an outside server instead, and then nothing is started.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, chownSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SUPERUSER = 'postgres';

/** Starts a server (or takes AUTOPROV_TEST_DATABASE_URL's); see postgres.d.mts. */
export async function startPostgres(options = {}) {
  const outside = process.env.AUTOPROV_TEST_DATABASE_URL;
  if (outside) return outsideServer(outside);

  const bin = options.binDir ?? findBinDir();
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? systemUser(SUPERUSER) : null;
  const root = await mkdtemp(join(tmpdir(), 'autoprov-pg-'));
  const dataDir = join(root, 'data');
  const socketDir = join(root, 'socket');
  const logFile = join(root, 'server.log');
  mkdirSync(socketDir);
  if (owner) {
    // PostgreSQL refuses to run as root: the `postgres` user owns the folder and runs the server.
    chownSync(root, owner.uid, owner.gid);
    chownSync(socketDir, owner.uid, owner.gid);
  }
  const exec = (command, args) => runAs(owner, join(bin, command), args, root);

  let stopped = false;
  const removeOnExit = () => {
    // A test run that dies without stop() must not leave a server behind.
    if (stopped) return;
    spawnSync(...commandFor(owner, join(bin, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'immediate']), { cwd: root, stdio: 'ignore' });
    rmSync(root, { recursive: true, force: true });
  };
  process.on('exit', removeOnExit);

  let port = 0;
  try {
    if (owner) reachable(owner, root);
    await exec('initdb', ['-D', dataDir, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions']);
    writeFileSync(
      join(dataDir, 'postgresql.conf'),
      [
        '',
        '# autoprov test server: reached on 127.0.0.1 only, durability traded for speed.',
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${socketDir.replaceAll("'", "''")}'`,
        'max_connections = 200',
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        '',
      ].join('\n'),
      { flag: 'a' },
    );
    // The port is free when asked, not when the server binds it: try again on a fresh one.
    for (let attempt = 1; ; attempt++) {
      port = options.port ?? (await freePort());
      try {
        await pgStart(exec, dataDir, logFile, port);
        break;
      } catch (err) {
        if (attempt >= 3 || options.port != null) throw err;
      }
    }
  } catch (err) {
    removeOnExit();
    stopped = true;
    process.off('exit', removeOnExit);
    throw err;
  }

  const url = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    dataDir,
    async restart() {
      if (stopped) throw new Error('restart() after stop(): this PostgreSQL server is gone');
      await exec('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60']);
      await pgStart(exec, dataDir, logFile, port);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      process.off('exit', removeOnExit);
      try {
        // No postmaster.pid: already down (a restart() that failed to start), nothing to stop.
        if (existsSync(join(dataDir, 'postmaster.pid'))) await exec('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

function outsideServer(url) {
  const parsed = new URL(url);
  return {
    url,
    port: Number(parsed.port || 5432),
    dataDir: null,
    async restart() {
      throw new Error('restart() needs a server the tests started: AUTOPROV_TEST_DATABASE_URL names an outside one');
    },
    async stop() {},
  };
}

async function pgStart(exec, dataDir, logFile, port) {
  try {
    // -w waits until the server accepts connections (or gives up at -t seconds).
    await exec('pg_ctl', ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', `-p ${port}`]);
  } catch (err) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n') : '';
    throw new Error(`${err instanceof Error ? err.message : String(err)}\nserver log (${logFile}):\n${log}`);
  }
}

/** The newest Debian PostgreSQL's bin folder, or pg_config's when it holds the server. */
export function findBinDir() {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => /^\d+(\.\d+)?$/.test(v) && isExecutable(join(base, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return join(base, versions[0], 'bin');
  const config = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const bindir = config.status === 0 ? config.stdout.trim() : '';
  if (bindir && isExecutable(join(bindir, 'initdb'))) return bindir;
  throw new Error(
    "PostgreSQL's server binaries (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin nor in `pg_config --bindir`. " +
      'Run `sh scripts/install-postgres.sh` (installs Debian\'s postgresql), or set AUTOPROV_TEST_DATABASE_URL to a server the tests may use.',
  );
}

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function systemUser(name) {
  const id = (flag) => spawnSync('id', [flag, name], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error(
      `Running as root, the PostgreSQL test server must run as the \`${name}\` user, which does not exist: ` +
        "install Debian's postgresql (sh scripts/install-postgres.sh), which creates it.",
    );
  }
  return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function reachable(owner, folder) {
  const probe = spawnSync(...commandFor(owner, 'test', ['-w', folder]), { stdio: 'ignore' });
  if (probe.status !== 0) {
    throw new Error(`The \`${owner.name}\` user cannot write to ${folder}: point TMPDIR to a folder it can reach (e.g. /tmp).`);
  }
}

function commandFor(owner, file, args) {
  return owner ? ['runuser', ['-u', owner.name, '--', file, ...args]] : [file, args];
}

function runAs(owner, file, args, cwd) {
  const [command, argv] = commandFor(owner, file, args);
  return new Promise((done, fail) => {
    // The server's own cwd must be a folder its user can enter (root's home is not).
    const child = spawn(command, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      if (code === 0) return done(output);
      fail(new Error(`${[command, ...argv].join(' ')} failed (${signal ?? `exit code ${code}`}):\n${output.trim()}`));
    });
  });
}

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
