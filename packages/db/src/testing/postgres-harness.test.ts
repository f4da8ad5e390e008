import { existsSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../../../../scripts/lib/postgres.mjs';
import setup from './postgres.global-setup.js';

const outside = Boolean(process.env.AUTOPROV_TEST_DATABASE_URL);

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  // A server that goes away errors idle clients: expected here, not a crash of the run.
  client.on('error', () => {});
  await client.connect();
  return client;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = await connect(url);
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('startPostgres', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers on 127.0.0.1 as the postgres superuser', async () => {
    expect(server.url).toMatch(/^postgres:\/\//);
    const [row] = await query<{ one: number; superuser: string; encoding: string }>(
      server.url,
      "select 1 as one, current_setting('is_superuser') as superuser, current_setting('server_encoding') as encoding",
    );
    expect(row).toEqual({ one: 1, superuser: 'on', encoding: 'UTF8' });
  });

  it.skipIf(outside)('takes 200 connections, for tests that run several processes', async () => {
    const [row] = await query<{ max: string }>(server.url, "select current_setting('max_connections') as max");
    expect(row?.max).toBe('200');
  });

  it.skipIf(outside)('restart() cuts connections, keeps committed data and answers again on the same port', async () => {
    await query(server.url, 'create table kept (id int primary key, name text not null)');
    await query(server.url, "insert into kept values (1, 'before the restart')");
    const open = await connect(server.url);
    try {
      await server.restart();
      // The connection opened before is gone: the server really went down.
      await expect(open.query('select 1')).rejects.toThrow();
    } finally {
      await open.end().catch(() => {});
    }
    expect(await query(server.url, 'select id, name from kept')).toEqual([{ id: 1, name: 'before the restart' }]);
  });

  it.skipIf(outside)('stop() ends the server and removes its data directory', async () => {
    const own = await startPostgres();
    expect(own.dataDir).not.toBeNull();
    expect(existsSync(own.dataDir as string)).toBe(true);
    await own.stop();
    expect(existsSync(own.dataDir as string)).toBe(false);
    await expect(query(own.url, 'select 1')).rejects.toThrow();
    await own.stop(); // twice is harmless (teardowns may repeat it)
  });

  it.skipIf(outside)('takes AUTOPROV_TEST_DATABASE_URL as given, and refuses to restart a server it did not start', async () => {
    process.env.AUTOPROV_TEST_DATABASE_URL = server.url;
    try {
      const given = await startPostgres();
      expect(given).toMatchObject({ url: server.url, port: server.port, dataDir: null });
      await expect(given.restart()).rejects.toThrow(/AUTOPROV_TEST_DATABASE_URL/);
      await given.stop();
      // stop() left the outside server alone.
      expect(await query(server.url, 'select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      delete process.env.AUTOPROV_TEST_DATABASE_URL;
    }
  });
});

describe('the vitest global setup', () => {
  it.skipIf(outside)('provides the address of a server it stops at teardown', async () => {
    const provided = new Map<string, unknown>();
    const teardown = await setup({ provide: (key, value) => void provided.set(key, value) });
    const url = provided.get('postgresUrl') as string;
    expect(await query(url, 'select 1 as one')).toEqual([{ one: 1 }]);
    await teardown();
    await expect(query(url, 'select 1')).rejects.toThrow();
  });
});
