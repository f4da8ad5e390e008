import { eq } from 'drizzle-orm';
import { admins, openDatabaseAt, type AppDatabase } from '@autoprov/db';
import { systemClock, type Clock } from '@autoprov/directory';
import { createPasswordReset, resetLinkUrl } from './auth/password-resets.js';
import { loadConfig } from './env.js';

/**
 * For an admin locked out of the console (password forgotten, authenticator lost): whoever can
 * run commands on the server prints a one-time link, valid one hour, that sets a new password
 * and turns two-factor sign-in off. Usage: `pnpm --filter @autoprov/server reset-admin <email>`.
 */
export async function resetAdmin(db: AppDatabase, clock: Clock, publicUrl: string, email: string): Promise<string> {
  const admin = (await db.select().from(admins).where(eq(admins.email, email.trim().toLowerCase())).limit(1))[0];
  if (!admin) throw new Error(`No admin has the e-mail ${email}.`);
  const { token } = await createPasswordReset(db, clock, admin.id, { createdBy: 'server', clearsTwoFactor: true, lifetimeMs: 60 * 60 * 1000 });
  return resetLinkUrl(publicUrl, token);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const email = process.argv[2];
  if (!email) {
    process.stderr.write('Usage: reset-admin <e-mail of the admin>\n');
    process.exit(2);
  }
  const config = loadConfig();
  const { db, close } = await openDatabaseAt(config.databaseUrl ?? config.databaseFile);
  try {
    const link = await resetAdmin(db, systemClock, config.publicUrl, email);
    process.stdout.write(
      [
        `A one-time link for ${email} (valid one hour; it also turns two-factor sign-in off):`,
        `  ${link}`,
        'Open it in a browser to choose a new password; using it signs this admin out everywhere.',
        '',
      ].join('\n'),
    );
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  } finally {
    await close();
  }
}
