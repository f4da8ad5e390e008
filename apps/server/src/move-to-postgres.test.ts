import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@autoprov/db';
import { createEmptyDatabase } from '@autoprov/db/testing';
import { seedDemoOrganisation, systemClock } from '@autoprov/directory';
import { startPostgres, type PostgresServer } from '../../../scripts/lib/postgres.mjs';
import { countsTable } from './move-to-postgres.js';

// The command as an admin runs it: its own process, on a data folder holding a SQLite install
// (the demo organisation, written here through the store code while this process is on SQLite).

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const tsx = join(serverDir, 'node_modules', '.bin', 'tsx');

let server: PostgresServer;
let dataDir: string;
const secretKeyHex = randomBytes(32).toString('hex');

beforeAll(async () => {
  server = await startPostgres();
  dataDir = mkdtempSync(join(tmpdir(), 'autoprov-move-cli-'));
  writeFileSync(join(dataDir, 'secret.key'), `${secretKeyHex}\n`, { mode: 0o600 });
  const { db, close } = openDatabase(join(dataDir, 'autoprov.sqlite'));
  try {
    await seedDemoOrganisation(db, systemClock);
  } finally {
    await close();
  }
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function query<T extends pg.QueryResultRow>(url: string, statement: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(statement)).rows;
  } finally {
    await client.end();
  }
}

function runCommand(args: string[], env: Record<string, string> = {}) {
  const { AUTOPROV_DATABASE_URL: _url, AUTOPROV_SECRET_KEY: _key, ...inherited } = process.env;
  return spawnSync(tsx, ['src/move-to-postgres.ts', ...args], { cwd: serverDir, encoding: 'utf8', env: { ...inherited, AUTOPROV_DATA_DIR: dataDir, ...env }, timeout: 60_000 });
}

describe('move-to-postgres (the command)', () => {
  it('moves the install, prints the counts and the next steps, never the password; a second run is refused', async () => {
    const url = new URL(await createEmptyDatabase(server.url, 'autoprov_cli'));
    url.password = 'never-shown-pw';
    const target = url.toString();

    const first = runCommand([target]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^table\s+\| SQLite \| PostgreSQL$/m);
    expect(first.stdout).toContain('Every table has as many rows in PostgreSQL as in SQLite.');
    expect(first.stdout).toContain(`AUTOPROV_DATABASE_URL=${target.replace('never-shown-pw', '***')}`);
    expect(first.stdout).toContain(`AUTOPROV_SECRET_KEY set to the content of ${join(dataDir, 'secret.key')}`);
    expect(first.stdout).not.toContain(secretKeyHex);
    expect(first.stdout + first.stderr).not.toContain('never-shown-pw');
    const [users] = await query<{ n: string }>(target, 'select count(*) as n from directory_users');
    expect(Number(users?.n)).toBeGreaterThan(150);
    const counted = [...first.stdout.matchAll(/^(\w+)\s+\|\s+(\d+) \|\s+(\d+)$/gm)];
    expect(counted).toHaveLength(33);
    for (const [, table, inSqlite, inPostgres] of counted) expect({ table, inPostgres }).toEqual({ table, inPostgres: inSqlite });
    expect(first.stdout).toMatch(new RegExp(`^directory_users\\s+\\|\\s+${users?.n} \\|\\s+${users?.n}$`, 'm'));

    // From AUTOPROV_DATABASE_URL this time: the database now has rows, so nothing happens.
    const second = runCommand([], { AUTOPROV_DATABASE_URL: target });
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/is not empty: table \w+ has rows/);
    expect(second.stderr).not.toContain('never-shown-pw');
    const [after] = await query<{ n: string }>(target, 'select count(*) as n from directory_users');
    expect(after?.n).toBe(users?.n);
  }, 120_000);

  it('says how to call it without a target, and refuses what is not a PostgreSQL address', () => {
    const none = runCommand([]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('Usage: move-to-postgres <postgres://');
    for (const wrong of ['/tmp/other.sqlite', 'postgres://user:pw@host:port/db']) {
      const refused = runCommand([wrong]);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toBe('The target must be a PostgreSQL address: postgres://user:password@host:5432/database\n');
    }
  }, 60_000);
});

describe('countsTable', () => {
  it('aligns the three columns', () => {
    expect(countsTable([{ table: 'admins', sqlite: 2, postgres: 2 }, { table: 'usage_events', sqlite: 12345, postgres: 12345 }])).toBe(
      ['table        | SQLite | PostgreSQL', '-------------|--------|-----------', 'admins       |      2 |          2', 'usage_events |  12345 |      12345', ''].join('\n'),
    );
  });
});
