import { and, desc, eq, gte, isNull, sql } from 'drizzle-orm';
import {
  AppError,
  deprovisioningRulesOf,
  requestLimitsOf,
  wizardSteps,
  type AppDetail,
  type AppSummary,
  type Configuration,
  type SyncRun,
  type WizardStep,
} from '@autoprov/contract';
import {
  appAvailability,
  appConfigurations,
  deprovisionTimers,
  directoryGroups,
  orgUnits,
  provisionedAccounts,
  scopeGroups,
  ssoSettings,
  syncRuns,
  teamMappings,
  usageEvents,
  type AppDatabase,
  type ConfigurationRow,
  type SyncRunRow,
} from '@autoprov/db';
import type { Clock } from '@autoprov/directory';
import { availabilityExplainer, earliestTimerOf, escrowSummary, healthOf, nextRunOf } from '@autoprov/engine';
import { auditTrailOf } from './audit-trail.js';
import { appCatalog, requireEntry, type AppsSettings } from './catalog.js';

/**
 * What the console reads of the apps and their provisioning configurations; nothing here
 * writes. The rules it shows come from their owners: availability and the next run from the
 * engine, the deprovisioning defaults from the contract.
 */
interface Deps {
  db: AppDatabase;
  clock: Clock;
  apps: AppsSettings;
}

/** The app's page counts the failures of the last 24 hours. */
const failureWindowMs = 24 * 60 * 60 * 1000;

export async function findConfiguration(db: AppDatabase, appKey: string): Promise<ConfigurationRow | null> {
  return (await db.select().from(appConfigurations).where(and(eq(appConfigurations.appKey, appKey), isNull(appConfigurations.deletedAt))).limit(1))[0] ?? null;
}

export async function requireConfiguration(db: AppDatabase, appKey: string): Promise<ConfigurationRow> {
  const row = await findConfiguration(db, appKey);
  if (!row) throw new AppError('not_found', 'Provisioning is not set up for this app.');
  return row;
}

export async function listApps({ db, apps }: Deps): Promise<AppSummary[]> {
  const configs = new Map((await db.select().from(appConfigurations).where(isNull(appConfigurations.deletedAt))).map((c) => [c.appKey, c]));
  const sso = new Set((await db.select({ appKey: ssoSettings.appKey }).from(ssoSettings)).map((s) => s.appKey));
  return appCatalog(apps).map((entry) => {
    const config = configs.get(entry.key);
    return {
      key: entry.key,
      name: entry.name,
      description: entry.description,
      ssoConfigured: sso.has(entry.key),
      provisioningState: config?.state ?? null,
      setupComplete: Boolean(config?.setupCompletedAt),
    };
  });
}

export const runView = (r: SyncRunRow): SyncRun => ({
  id: r.id,
  trigger: r.trigger,
  state: r.state,
  dryRun: r.dryRun,
  requestedAt: r.requestedAt.toISOString(),
  startedAt: r.startedAt?.toISOString() ?? null,
  endedAt: r.endedAt?.toISOString() ?? null,
  planned: r.planned,
  done: r.done,
  counts: r.counts,
  error: r.error,
});

/** One run of this configuration, or 404. */
export async function runOf(db: AppDatabase, configurationId: string, runId: string): Promise<SyncRunRow> {
  const run = (await db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.id, runId), eq(syncRuns.configurationId, configurationId))).limit(1))[0];
  if (!run) throw new AppError('not_found', 'There is no such sync run for this app.');
  return run;
}

export const getRun = async (db: AppDatabase, configurationId: string, runId: string): Promise<SyncRun> => runView(await runOf(db, configurationId, runId));

type AuthorizationSummary = { kind: 'oauth' | 'bearer'; origin: string | null } | null;

async function configurationView(deps: Deps, row: ConfigurationRow, authorization: AuthorizationSummary): Promise<Configuration> {
  const { db, clock } = deps;
  const scope = await db
    .select({ groupId: scopeGroups.groupId, accessLevel: scopeGroups.accessLevel, name: directoryGroups.name, email: directoryGroups.email })
    .from(scopeGroups)
    .innerJoin(directoryGroups, eq(directoryGroups.id, scopeGroups.groupId))
    .where(eq(scopeGroups.configurationId, row.id))
    .orderBy(directoryGroups.name);
  const teamOf = new Map((await db.select().from(teamMappings).where(eq(teamMappings.configurationId, row.id))).map((t) => [t.groupId, t.teamName]));
  const runs = await db.select().from(syncRuns).where(eq(syncRuns.configurationId, row.id)).orderBy(desc(syncRuns.requestedAt)).limit(20);
  const current = runs.find((r) => r.state === 'running') ?? [...runs].reverse().find((r) => r.state === 'pending') ?? null;
  const last = runs.find((r) => r.endedAt !== null) ?? null;
  const held = row.heldRunId ? (runs.find((r) => r.id === row.heldRunId) ?? null) : null;
  const pendingTimers = (await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(deprovisionTimers)
    .where(eq(deprovisionTimers.configurationId, row.id)).limit(1))[0];
  const now = clock.now();
  const failures = (await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(usageEvents)
    .where(and(eq(usageEvents.appKey, row.appKey), eq(usageEvents.kind, 'failure'), gte(usageEvents.occurredAt, new Date(now.getTime() - failureWindowMs)))).limit(1))[0];
  const accounts = (await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(provisionedAccounts)
    .where(eq(provisionedAccounts.configurationId, row.id)).limit(1))[0];
  // L-5: the scheduler's own rule, so the page says what will really happen (E-16, E-17 included).
  const health = await healthOf(db, row.id);
  const nextRun = nextRunOf(row, await earliestTimerOf(db, row.id), now, health);
  // A run already due starts at the scheduler's next look: "now", not a time in the past.
  const nextRunAt = nextRun.at ? new Date(Math.max(now.getTime(), nextRun.at.getTime())).toISOString() : null;
  return {
    id: row.id,
    state: row.state,
    wizardStep: (wizardSteps as readonly string[]).includes(row.wizardStep) ? (row.wizardStep as WizardStep) : 'prerequisite',
    setupComplete: Boolean(row.setupCompletedAt),
    authorization: authorization?.kind ?? null,
    authorizedOrigin: authorization?.origin ?? null,
    authorizedBy: authorization ? row.authorizedBy : null,
    authorizedAt: authorization ? (row.authorizedAt?.toISOString() ?? null) : null,
    endpointUrl: row.endpointUrl,
    mapping: row.mapping,
    scope: scope.map((g) => ({ ...g, teamName: teamOf.get(g.groupId) ?? '' })),
    deprovisioning: deprovisioningRulesOf(row.deprovisioning),
    heldRun: held ? runView(held) : null,
    lastRun: last ? runView(last) : null,
    currentRun: current ? runView(current) : null,
    nextRunAt,
    nextRunReason: nextRun.reason,
    pendingTimers: pendingTimers?.n ?? 0,
    failuresLast24h: failures?.n ?? 0,
    accounts: accounts?.n ?? 0,
    quarantine: health?.quarantinedAt
      ? {
          since: health.quarantinedAt.toISOString(),
          reason: health.quarantineReason ?? '',
          lastErrors: health.recentErrors,
          probes: health.probes,
          lastProbeAt: health.lastProbeAt?.toISOString() ?? null,
          nextProbeAt: health.nextProbeAt?.toISOString() ?? null,
        }
      : null,
    escrow: await escrowView(db, row.id),
    driftMode: row.driftMode,
    requestLimits: { override: row.limitsOverride ?? null, effective: requestLimitsOf(row.appKey, row.limitsOverride) },
  };
}

/** E-16: how many users wait for a retry, and the first of them (due soonest; refusals last). */
async function escrowView(db: AppDatabase, configurationId: string): Promise<Configuration['escrow']> {
  const { total, items } = await escrowSummary(db, configurationId);
  return {
    total,
    items: items.map((e) => ({
      userId: e.directoryUserId,
      userEmail: e.userEmail,
      operation: e.operation,
      kind: e.kind,
      attempts: e.attempts,
      lastError: e.lastError,
      lastAttemptAt: e.lastAttemptAt.toISOString(),
      nextAttemptAt: e.nextAttemptAt?.toISOString() ?? null,
    })),
  };
}

export async function appDetail(deps: Deps, key: string, authorizationOf: (row: ConfigurationRow) => AuthorizationSummary): Promise<AppDetail> {
  const { db } = deps;
  const entry = requireEntry(deps.apps, key);
  const sso = (await db.select().from(ssoSettings).where(eq(ssoSettings.appKey, key)).limit(1))[0];
  const row = await findConfiguration(db, key);
  return {
    app: {
      key: entry.key,
      name: entry.name,
      description: entry.description,
      endpointTemplate: entry.endpointTemplate,
      endpointHelp: entry.endpointHelp,
      authorization: entry.authorization,
      builtInOAuth: entry.oauth !== null && Boolean(deps.apps.oauthClients[entry.key]),
      attributes: entry.attributes,
      accessLevels: entry.accessLevels,
      defaultAccessLevel: entry.defaultAccessLevel,
      takesGroups: entry.takesGroups,
      notes: entry.notes,
      limits: entry.limits,
      limitsSource: entry.limitsSource,
    },
    sso: sso ? { entityId: sso.entityId, ssoUrl: sso.ssoUrl, certificate: sso.certificate, updatedAt: sso.updatedAt.toISOString() } : null,
    availability: await availabilityRows(db, key),
    configuration: row ? await configurationView(deps, row, authorizationOf(row)) : null,
    audit: await auditTrailOf(db, key),
  };
}

/** SPEC §1 app availability per org unit: its own setting and the one in effect (the engine's rule). */
async function availabilityRows(db: AppDatabase, appKey: string) {
  const units = await db.select().from(orgUnits).orderBy(orgUnits.path);
  const own = new Map(
    (await db
      .select()
      .from(appAvailability)
      .where(eq(appAvailability.appKey, appKey)))
      .map((a) => [a.orgUnitId, a.on]),
  );
  const effective = availabilityExplainer(new Map(units.flatMap((u) => (own.has(u.id) ? [[u.path, own.get(u.id)!] as const] : []))));
  return units.map((u) => ({
    orgUnitId: u.id,
    path: u.path,
    own: own.has(u.id) ? (own.get(u.id) ? ('on' as const) : ('off' as const)) : null,
    effective: effective(u.path).on ? ('on' as const) : ('off' as const),
  }));
}
