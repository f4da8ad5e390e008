import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { AppError, defaultDeprovisioning, type CatalogLimits, type DriftMode } from '@autoprov/contract';
import {
  appConfigurations,
  deprovisionTimers,
  pendingAuthorizations,
  provisionedAccounts,
  provisionedTeams,
  scopeGroups,
  syncRuns,
  teamMappings,
  type AppDatabase,
  type ConfigurationRow,
  type DbOrTx, transaction } from '@autoprov/db';
import type { Actor, Clock } from '@autoprov/directory';
import { endEpisodesOf } from '../alerts/alert-center.js';
import { audit } from './audit-trail.js';
import { requireConfiguration } from './views.js';

/**
 * The server's one writer of `app_configurations` and `sync_runs` (the engine writes them through
 * its store): a configuration is created, filled in by the wizard, authorized, switched on and
 * off, paused and deleted here. The wizard's commands change only the setup fields, through
 * `updateSetup`; the state, the held run, the credentials and the deletion change nowhere else.
 * Depends on nothing of the server's wiring (deps.ts), so the directory source can pause apps.
 */
interface Deps {
  db: AppDatabase;
  clock: Clock;
}

/** What the wizard fills in (W-3…W-7). */
export type SetupFields = Partial<Pick<typeof appConfigurations.$inferInsert, 'endpointUrl' | 'mapping' | 'deprovisioning' | 'wizardStep' | 'setupCompletedAt'>>;

type ConfigurationChange = Partial<typeof appConfigurations.$inferInsert>;

async function update(db: DbOrTx, id: string, values: ConfigurationChange, at: Date) {
  await db.update(appConfigurations)
    .set({ ...values, updatedAt: at })
    .where(eq(appConfigurations.id, id));
}

/** W-4, W-6: a draft made on the wizard's first use, with the catalog's mapping and the default rules. */
export async function createDraft(tx: DbOrTx, appKey: string, mapping: Record<string, string>, at: Date): Promise<string> {
  const id = randomUUID();
  await tx.insert(appConfigurations)
    .values({ id, appKey, state: 'draft', mapping, deprovisioning: defaultDeprovisioning, wizardStep: 'prerequisite', createdAt: at, updatedAt: at });
  return id;
}

/** A wizard step's answer saved (the configuration's updatedAt moves with it). */
export async function updateSetup(tx: DbOrTx, configurationId: string, fields: SetupFields, at: Date) {
  await update(tx, configurationId, fields, at);
}

/**
 * W-2, M-5: autoprov was authorized in the app (the sealed credentials are stored by the
 * engine's `storeCredentials`). An app that had refused us is active again; returns whether so.
 */
export async function recordAuthorization({ db, clock }: Deps, row: ConfigurationRow, actor: Actor, what: string): Promise<{ reauthorized: boolean }> {
  const now = clock.now();
  const reauthorized = row.state === 'needs_reauthorization';
  await transaction(db, async (tx) => {
    await update(tx, row.id, { authorizedBy: actor.label, authorizedAt: now, ...(reauthorized ? { state: 'active' as const } : {}) }, now);
    await audit(tx, now, row.appKey, actor, reauthorized ? 'Re-authorized' : what);
  });
  return { reauthorized };
}

/** W-8 and M-3: activate, or disable keeping everything. */
export async function setActive(deps: Deps, row: ConfigurationRow, active: boolean, actor: Actor): Promise<ConfigurationRow> {
  const now = deps.clock.now();
  if (active) {
    if (!row.setupCompletedAt) throw new AppError('conflict', 'Finish the setup before activating provisioning.');
    if (row.state === 'needs_reauthorization') throw new AppError('conflict', 'Re-authorize autoprov first: the app no longer accepts its authorization.');
    if (row.state === 'active') return row;
  } else if (row.state === 'disabled' || row.state === 'draft') {
    return row;
  }
  await transaction(deps.db, async (tx) => {
    await update(tx, row.id, { state: active ? 'active' : 'disabled', heldRunId: null }, now);
    await audit(tx, now, row.appKey, actor, active ? 'Provisioning activated' : 'Provisioning disabled', active ? undefined : 'The configuration is kept; accounts in the app are left as they are.');
  });
  return await requireConfiguration(deps.db, row.appKey);
}

/** E-19: a reconciliation sets drifted accounts back, or only reports them. */
export async function setDriftMode({ db, clock }: Deps, row: ConfigurationRow, mode: DriftMode, actor: Actor) {
  if (row.driftMode === mode) return;
  const now = clock.now();
  await transaction(db, async (tx) => {
    await update(tx, row.id, { driftMode: mode }, now);
    const words = mode === 'correct' ? 'Correct: accounts changed in the app are set back to what the directory says' : 'Report only: drift is listed in the report, nothing is changed';
    await audit(tx, now, row.appKey, actor, 'Drift setting changed', words);
  });
}

/** How limits read in the audit trail: `5/s, burst 10, 2 at once; POST /Users 2.9/s (burst 5)`. */
export function limitsInWords(limits: CatalogLimits): string {
  const overall = `${limits.ratePerSecond}/s, burst ${limits.burst}, ${limits.concurrency} at once`;
  const operations = (limits.perOperation ?? []).map((l) => `${l.operations.join(' and ')} ${l.ratePerSecond}/s (burst ${l.burst})`);
  return [overall, ...operations].join('; ');
}

/**
 * E-18: the request limits a super-admin sets for the app (null: back to the catalog's). The
 * engine paces the app by them from its next connection to it (the next run), no restart.
 */
export async function setRequestLimits({ db, clock }: Deps, row: ConfigurationRow, limits: CatalogLimits | null, actor: Actor) {
  if (JSON.stringify(limits) === JSON.stringify(row.limitsOverride ?? null)) return;
  const now = clock.now();
  await transaction(db, async (tx) => {
    await update(tx, row.id, { limitsOverride: limits }, now);
    if (limits) await audit(tx, now, row.appKey, actor, 'Request limits changed', `${limitsInWords(limits)} (was ${row.limitsOverride ? limitsInWords(row.limitsOverride) : "the catalog's"})`);
    else await audit(tx, now, row.appKey, actor, "Request limits set back to the catalog's", `Was ${limitsInWords(row.limitsOverride!)}`);
  });
}

/**
 * Every active app is disabled (M-3: its configuration kept), each with a line in its audit
 * trail saying why; returns their app keys. Used when the directory is switched, so the switch
 * itself never deprovisions anyone.
 */
export async function pauseAllActive({ db, clock }: Deps, actor: Actor, why: string): Promise<string[]> {
  const now = clock.now();
  return await transaction(db, async (tx) => {
    const active = await tx
      .select({ id: appConfigurations.id, appKey: appConfigurations.appKey })
      .from(appConfigurations)
      .where(and(eq(appConfigurations.state, 'active'), isNull(appConfigurations.deletedAt)));
    for (const { id, appKey } of active) {
      await update(tx, id, { state: 'disabled' }, now);
      await audit(tx, now, appKey, actor, 'Provisioning paused', why);
    }
    return active.map((a) => a.appKey);
  });
}

/**
 * M-4: the configuration goes; the accounts in the app stay as they are. Its sync history and
 * reports stay too (M-6: they are the audit trail): the row is kept, marked deleted, with
 * nothing left that could reach the app (no credentials, scope, links or timers).
 */
export async function deleteConfiguration({ db, clock }: Deps, row: ConfigurationRow, actor: Actor) {
  const running = (await db
    .select({ id: syncRuns.id })
    .from(syncRuns)
    .where(and(eq(syncRuns.configurationId, row.id), eq(syncRuns.state, 'running'))).limit(1))[0];
  if (running) throw new AppError('conflict', 'A sync is running for this app. Turn provisioning off, wait for the sync to end, then delete.');
  const now = clock.now();
  await transaction(db, async (tx) => {
    for (const table of [scopeGroups, teamMappings, provisionedTeams, provisionedAccounts, deprovisionTimers, pendingAuthorizations]) {
      await tx.delete(table).where(eq(table.configurationId, row.id));
    }
    await tx.update(syncRuns)
      .set({ state: 'failed', endedAt: now, error: 'The configuration was deleted before this run started.' })
      .where(and(eq(syncRuns.configurationId, row.id), eq(syncRuns.state, 'pending')));
    await update(tx, row.id, { deletedAt: now, state: 'disabled', heldRunId: null, sealedCredentials: null }, now);
    await endEpisodesOf(tx, row.id, now);
    await audit(tx, now, row.appKey, actor, 'Configuration deleted', 'Provisioning stopped; the accounts already in the app were left there. Its sync history and reports are kept.');
  });
}
