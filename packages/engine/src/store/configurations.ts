import { and, eq, sql } from 'drizzle-orm';
import { appAvailability, appConfigurations, orgUnits, scopeGroups, type AppDatabase, type ConfigurationRow, transaction } from '@autoprov/db';
import { catalogEntry, deprovisioningRulesOf } from '@autoprov/contract';
import type { PlanConfiguration } from '../model.js';
import { updateRun } from './runs.js';

/** Everything about one app configuration that a run reads, in one go. */
export async function loadConfiguration(db: AppDatabase, configurationId: string) {
  const row = await configurationRow(db, configurationId);
  // A deleted configuration keeps its row for its history only (M-4): nothing runs for it.
  if (!row || row.deletedAt) return null;
  const entry = catalogEntry(row.appKey);
  const scope = await db.select().from(scopeGroups).where(eq(scopeGroups.configurationId, configurationId));
  const availability = new Map(
    (await db
      .select({ path: orgUnits.path, on: appAvailability.on })
      .from(appAvailability)
      .innerJoin(orgUnits, eq(orgUnits.id, appAvailability.orgUnitId))
      .where(eq(appAvailability.appKey, row.appKey)))
      .map((a) => [a.path, a.on]),
  );
  const planConfiguration: Omit<PlanConfiguration, 'primaryDomain'> = {
    mapping: row.mapping,
    scope: scope.map((s) => ({ groupId: s.groupId, accessLevel: s.accessLevel })),
    accessLevels: entry?.accessLevels.map((l) => l.value) ?? [],
    defaultAccessLevel: entry?.defaultAccessLevel ?? '',
    rules: deprovisioningRulesOf(row.deprovisioning),
  };
  return { row, planConfiguration, availability };
}

/** The configuration's row as stored (a deleted one too), or undefined. */
export async function configurationRow(db: AppDatabase, configurationId: string): Promise<ConfigurationRow | undefined> {
  return (await db.select().from(appConfigurations).where(eq(appConfigurations.id, configurationId)).limit(1))[0];
}

/** The configurations the scheduler looks at: active, and not held by the deletion guard (E-14). */
export async function schedulableConfigurations(db: AppDatabase): Promise<ConfigurationRow[]> {
  return await db
    .select()
    .from(appConfigurations)
    .where(and(eq(appConfigurations.state, 'active'), sql`${appConfigurations.heldRunId} is null`));
}

/** E-14: the deletion guard held this run; the configuration waits for a super-admin. */
export async function holdRun(db: AppDatabase, configurationId: string, runId: string, at: Date) {
  await db.update(appConfigurations).set({ heldRunId: runId, updatedAt: at }).where(eq(appConfigurations.id, configurationId));
}

/** E-14: a super-admin allowed the held run. */
export async function releaseHeldRun(db: AppDatabase, configurationId: string) {
  await db.update(appConfigurations).set({ heldRunId: null }).where(eq(appConfigurations.id, configurationId));
}

/** E-14: a super-admin refused the held run: the run says so, and provisioning is disabled (M-3). */
export async function refuseHeldRun(db: AppDatabase, configurationId: string, heldRunId: string, error: string, at: Date) {
  await transaction(db, async () => {
    await updateRun(db, heldRunId, { error });
    await db.update(appConfigurations).set({ heldRunId: null, state: 'disabled', updatedAt: at }).where(eq(appConfigurations.id, configurationId));
  });
}

/** E-9: the app refused autoprov's authorization; nothing runs until a super-admin re-authorizes. */
export async function markNeedsReauthorization(db: AppDatabase, configurationId: string, at: Date) {
  await db.update(appConfigurations).set({ state: 'needs_reauthorization', updatedAt: at }).where(eq(appConfigurations.id, configurationId));
}

/** E-11: a full reconciliation ended; the next one is due a period after it. */
export async function markFullSync(db: AppDatabase, configurationId: string, at: Date) {
  await db.update(appConfigurations).set({ lastFullSyncAt: at }).where(eq(appConfigurations.id, configurationId));
}

/** E-11: the directory changes up to `cursor` are taken into account by this configuration's runs. */
export async function advanceDirectoryCursor(db: AppDatabase, configurationId: string, cursor: number) {
  await db.update(appConfigurations).set({ directoryCursor: cursor }).where(eq(appConfigurations.id, configurationId));
}

/** S-2: the app's credentials, sealed. */
export async function saveSealedCredentials(db: AppDatabase, configurationId: string, sealed: string, at: Date) {
  await db.update(appConfigurations).set({ sealedCredentials: sealed, updatedAt: at }).where(eq(appConfigurations.id, configurationId));
}
