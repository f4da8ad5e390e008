import { eq } from 'drizzle-orm';
import type { SecuritySettings } from '@autoprov/contract';
import { securitySettings, type AppDatabase } from '@autoprov/db';

export async function readSecuritySettings(db: AppDatabase): Promise<SecuritySettings> {
  const row = (await db.select().from(securitySettings).where(eq(securitySettings.id, 1)).limit(1))[0];
  return { requireTwoFactor: row?.requireTwoFactor ?? false };
}

export async function writeSecuritySettings(db: AppDatabase, settings: SecuritySettings): Promise<void> {
  await db.insert(securitySettings)
    .values({ id: 1, ...settings })
    .onConflictDoUpdate({ target: securitySettings.id, set: settings });
}
