import { existsSync } from 'node:fs';
import { isPostgresUrl, withoutPassword } from '@autoprov/db';
import { moveToPostgres } from '@autoprov/db/move-to-postgres';
import { loadConfig, type Config } from './env.js';

/**
 * Issue 16: moves an install from its SQLite file (AUTOPROV_DATA_DIR/autoprov.sqlite) into an
 * empty PostgreSQL database, every table in one transaction, and compares the counts. Run with
 * autoprov stopped. Usage: `pnpm --filter @autoprov/server move-to-postgres postgres://…`
 * (or with AUTOPROV_DATABASE_URL set). The password is never printed.
 */
export async function moveInstall(config: Config, target: string, write: (text: string) => void): Promise<void> {
  const usage = 'The target must be a PostgreSQL address: postgres://user:password@host:5432/database';
  if (!isPostgresUrl(target) || !URL.canParse(target)) throw new Error(usage);
  const shown = withoutPassword(target);
  write(`Copying ${config.databaseFile}\n     to ${shown} (autoprov must be stopped) …\n`);
  const { tables } = await moveToPostgres({
    sqliteFile: config.databaseFile,
    postgresUrl: target,
    onTable: ({ table, rows }) => write(`  ${table}: ${rows}\n`),
  });
  write(`\n${countsTable(tables)}\nEvery table has as many rows in PostgreSQL as in SQLite.\n\n${nextSteps(config, shown)}`);
}

/** `table | SQLite | PostgreSQL`, aligned. */
export function countsTable(tables: { table: string; sqlite: number; postgres: number }[]): string {
  const rows = [['table', 'SQLite', 'PostgreSQL'], ...tables.map((t) => [t.table, String(t.sqlite), String(t.postgres)])];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(' | ');
  return [line(rows[0] ?? []), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)].join('\n') + '\n';
}

function nextSteps(config: Config, shownUrl: string): string {
  // Sealed secrets (app tokens, the Google key, SMTP password) open only with the key that sealed them.
  const key = config.secretKeyHex
    ? '     and the same AUTOPROV_SECRET_KEY as now (the same 64 hex characters).'
    : existsSync(config.secretKeyFile)
      ? `     and the same secret key: AUTOPROV_SECRET_KEY set to the content of ${config.secretKeyFile}\n     (for example AUTOPROV_SECRET_KEY=$(cat ${config.secretKeyFile})). A process without it makes a new key\n     and cannot open the app tokens, the Google key or the SMTP password.`
      : `     and the secret key this install used: none was found (no AUTOPROV_SECRET_KEY, no ${config.secretKeyFile}),\n     and without it the sealed app tokens, Google key and SMTP password cannot be opened.`;
  return [
    'Next steps:',
    `  1. Start every autoprov process (web, worker, all) with AUTOPROV_DATABASE_URL=${shownUrl}`,
    '     (with its password)',
    key,
    `  2. Keep ${config.databaseFile} as a backup: with AUTOPROV_DATABASE_URL set, autoprov no longer uses it.`,
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const config = loadConfig();
    const target = process.argv[2] ?? config.databaseUrl;
    if (!target) {
      process.stderr.write('Usage: move-to-postgres <postgres://user:password@host:5432/database> (or set AUTOPROV_DATABASE_URL)\n');
      process.exit(2);
    }
    await moveInstall(config, target, (text) => process.stdout.write(text));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
