import { eq } from 'drizzle-orm';
import type { SecuritySettings } from '@autoprov/contract';
import { securitySettings, type AppDatabase } from '@autoprov/db';

export function readSecuritySettings(db: AppDatabase): SecuritySettings {
  const row = db.select().from(securitySettings).where(eq(securitySettings.id, 1)).get();
  return { requireTwoFactor: row?.requireTwoFactor ?? false };
}

export function writeSecuritySettings(db: AppDatabase, settings: SecuritySettings): void {
  db.insert(securitySettings)
    .values({ id: 1, ...settings })
    .onConflictDoUpdate({ target: securitySettings.id, set: settings })
    .run();
}
