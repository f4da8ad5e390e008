import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { verifyPassword } from './passwords.js';

/**
 * The admin password the demo app made up on its first start, kept beside its database
 * (owner-readable only) so every start can show it until the admin changes it — the way
 * Jenkins keeps `initialAdminPassword`. A newcomer who restarts is never locked out.
 */
export function initialPasswordFile(databaseFile: string) {
  return join(dirname(databaseFile), 'initial-admin-password');
}

export function keepInitialPassword(databaseFile: string, password: string) {
  writeFileSync(initialPasswordFile(databaseFile), `${password}\n`, { mode: 0o600 });
}

/** The made-up password while it is still the admin's; forgotten once it was changed. */
export async function stillInitialPassword(databaseFile: string, adminPasswordHash: string): Promise<string | null> {
  const file = initialPasswordFile(databaseFile);
  if (!existsSync(file)) return null;
  const password = readFileSync(file, 'utf8').trim();
  if (await verifyPassword(password, adminPasswordHash)) return password;
  rmSync(file, { force: true });
  return null;
}
