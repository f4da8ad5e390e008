import { randomUUID } from 'node:crypto';
import { endEpisodesOf } from '../alerts/alert-center.js';
import { and, desc, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import {
  AppError,
  catalogAt,
  defaultDeprovisioning,
  deprovisioningInputSchema,
  wizardSteps,
  type AppDetail,
  type AppSummary,
  type AvailabilityInput,
  type CatalogEntry,
  type Configuration,
  type DeprovisioningInput,
  type EndpointInput,
  type MappingInput,
  type ScopeInput,
  type SsoSettingsInput,
  type SyncRun,
  type WizardStep,
} from '@autoprov/contract';
import {
  appAvailability,
  appConfigurations,
  configurationAudit,
  deprovisionTimers,
  directoryGroups,
  orgUnits,
  pendingAuthorizations,
  provisionedAccounts,
  provisionedTeams,
  scopeGroups,
  ssoSettings,
  syncRuns,
  teamMappings,
  usageEvents,
  type AppDatabase,
  type DbOrTx,
} from '@autoprov/db';
import type { Actor } from '@autoprov/directory';
import { earliestTimerOf, escrowSummary, healthOf, nextRunOf } from '@autoprov/engine';
import type { AppsSettings, ServerDeps } from '../deps.js';

export type ConfigurationRow = typeof appConfigurations.$inferSelect;
type Deps = Pick<ServerDeps, 'db' | 'clock' | 'apps'>;

const dayMs = 24 * 60 * 60 * 1000;

export function appCatalog(settings: AppsSettings): CatalogEntry[] {
  return catalogAt(settings.vendorUrls);
}

export function requireEntry(settings: AppsSettings, key: string): CatalogEntry {
  const entry = appCatalog(settings).find((e) => e.key === key);
  if (!entry) throw new AppError('not_found', `There is no app "${key}" in the catalog.`);
  return entry;
}

export function findConfiguration(db: AppDatabase, appKey: string): ConfigurationRow | null {
  return db.select().from(appConfigurations).where(and(eq(appConfigurations.appKey, appKey), isNull(appConfigurations.deletedAt))).get() ?? null;
}

export function requireConfiguration(db: AppDatabase, appKey: string): ConfigurationRow {
  const row = findConfiguration(db, appKey);
  if (!row) throw new AppError('not_found', 'Provisioning is not set up for this app.');
  return row;
}

/** L-6: who changed what, when. */
export function audit(db: DbOrTx, at: Date, appKey: string, actor: Actor, action: string, detail?: string) {
  db.insert(configurationAudit).values({ appKey, adminLabel: actor.label, action, detail: detail ?? null, at }).run();
}

export function listApps({ db, apps }: Deps): AppSummary[] {
  const configs = new Map(db.select().from(appConfigurations).where(isNull(appConfigurations.deletedAt)).all().map((c) => [c.appKey, c]));
  const sso = new Set(db.select({ appKey: ssoSettings.appKey }).from(ssoSettings).all().map((s) => s.appKey));
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

export const runView = (r: typeof syncRuns.$inferSelect): SyncRun => ({
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
export function runOf(db: AppDatabase, configurationId: string, runId: string) {
  const run = db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.id, runId), eq(syncRuns.configurationId, configurationId)))
    .get();
  if (!run) throw new AppError('not_found', 'There is no such sync run for this app.');
  return run;
}

export const getRun = (db: AppDatabase, configurationId: string, runId: string): SyncRun => runView(runOf(db, configurationId, runId));

type AuthorizationSummary = { kind: 'oauth' | 'bearer'; origin: string | null } | null;

function configurationView(deps: Deps, row: ConfigurationRow, authorization: AuthorizationSummary): Configuration {
  const { db, clock } = deps;
  const scope = db
    .select({ groupId: scopeGroups.groupId, accessLevel: scopeGroups.accessLevel, name: directoryGroups.name, email: directoryGroups.email })
    .from(scopeGroups)
    .innerJoin(directoryGroups, eq(directoryGroups.id, scopeGroups.groupId))
    .where(eq(scopeGroups.configurationId, row.id))
    .orderBy(directoryGroups.name)
    .all();
  const teamOf = new Map(db.select().from(teamMappings).where(eq(teamMappings.configurationId, row.id)).all().map((t) => [t.groupId, t.teamName]));
  const runs = db.select().from(syncRuns).where(eq(syncRuns.configurationId, row.id)).orderBy(desc(syncRuns.requestedAt)).limit(20).all();
  const current = runs.find((r) => r.state === 'running') ?? [...runs].reverse().find((r) => r.state === 'pending') ?? null;
  const last = runs.find((r) => r.endedAt !== null) ?? null;
  const held = row.heldRunId ? (runs.find((r) => r.id === row.heldRunId) ?? null) : null;
  const pendingTimers = db
    .select({ n: sql<number>`count(*)` })
    .from(deprovisionTimers)
    .where(eq(deprovisionTimers.configurationId, row.id))
    .get();
  const since = new Date(clock.now().getTime() - dayMs);
  const failures = db
    .select({ n: sql<number>`count(*)` })
    .from(usageEvents)
    .where(and(eq(usageEvents.appKey, row.appKey), eq(usageEvents.kind, 'failure'), gte(usageEvents.occurredAt, since)))
    .get();
  const accounts = db
    .select({ n: sql<number>`count(*)` })
    .from(provisionedAccounts)
    .where(eq(provisionedAccounts.configurationId, row.id))
    .get();
  const now = clock.now();
  const health = healthOf(db, row.id);
  // The scheduler's own view: a timer whose operation failed waits on the escrow schedule (E-16).
  const nextRun = nextRunOf(row, earliestTimerOf(db, row.id), now, undefined, health);
  // A run already due starts at the scheduler's next look: "now", not a time in the past.
  const nextRunAt = nextRun.at ? new Date(Math.max(now.getTime(), nextRun.at.getTime())).toISOString() : null;
  const parsedRules = deprovisioningInputSchema.safeParse({ ...defaultDeprovisioning, ...(row.deprovisioning ?? {}) });
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
    deprovisioning: parsedRules.success ? parsedRules.data : defaultDeprovisioning,
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
    escrow: escrowView(db, row.id),
  };
}

/** E-16: how many users wait for a retry, and the first of them (due soonest; refusals last). */
function escrowView(db: AppDatabase, configurationId: string): Configuration['escrow'] {
  const { total, items } = escrowSummary(db, configurationId);
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

export function appDetail(deps: Deps, key: string, authorizationOf: (row: ConfigurationRow) => AuthorizationSummary): AppDetail {
  const { db } = deps;
  const entry = requireEntry(deps.apps, key);
  const sso = db.select().from(ssoSettings).where(eq(ssoSettings.appKey, key)).get();
  const row = findConfiguration(db, key);
  const auditRows = db
    .select()
    .from(configurationAudit)
    .where(eq(configurationAudit.appKey, key))
    .orderBy(desc(configurationAudit.at), desc(configurationAudit.id))
    .limit(50)
    .all();
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
    },
    sso: sso ? { entityId: sso.entityId, ssoUrl: sso.ssoUrl, certificate: sso.certificate, updatedAt: sso.updatedAt.toISOString() } : null,
    availability: availabilityRows(db, key),
    configuration: row ? configurationView(deps, row, authorizationOf(row)) : null,
    audit: auditRows.map((a) => ({ id: a.id, adminLabel: a.adminLabel, action: a.action, detail: a.detail, at: a.at.toISOString() })),
  };
}

function availabilityRows(db: AppDatabase, appKey: string) {
  const units = db.select().from(orgUnits).orderBy(orgUnits.path).all();
  const own = new Map(
    db
      .select()
      .from(appAvailability)
      .where(eq(appAvailability.appKey, appKey))
      .all()
      .map((a) => [a.orgUnitId, a.on]),
  );
  const byPath = new Map(units.map((u) => [u.path, u]));
  const effective = (path: string): boolean => {
    for (let p = path; ; p = p.slice(0, p.lastIndexOf('/')) || '/') {
      const unit = byPath.get(p);
      const setting = unit ? own.get(unit.id) : undefined;
      if (setting !== undefined) return setting;
      if (p === '/') return true;
    }
  };
  return units.map((u) => ({
    orgUnitId: u.id,
    path: u.path,
    own: own.has(u.id) ? (own.get(u.id) ? ('on' as const) : ('off' as const)) : null,
    effective: effective(u.path) ? ('on' as const) : ('off' as const),
  }));
}

export function saveSso({ db, clock }: Deps, appKey: string, input: SsoSettingsInput, actor: Actor) {
  const now = clock.now();
  db.transaction((tx) => {
    tx.insert(ssoSettings)
      .values({ appKey, ...input, updatedAt: now })
      .onConflictDoUpdate({ target: ssoSettings.appKey, set: { ...input, updatedAt: now } })
      .run();
    audit(tx, now, appKey, actor, 'SSO settings saved', `Entity ID ${input.entityId}, sign-in URL ${input.ssoUrl}`);
  });
}

export function setAvailability({ db, clock }: Deps, appKey: string, input: AvailabilityInput, actor: Actor) {
  const unit = db.select().from(orgUnits).where(eq(orgUnits.id, input.orgUnitId)).get();
  if (!unit) throw new AppError('validation_failed', 'There is no such organisational unit.', { orgUnitId: 'Choose an organisational unit' });
  const now = clock.now();
  db.transaction((tx) => {
    if (input.setting === 'inherit') {
      tx.delete(appAvailability).where(and(eq(appAvailability.appKey, appKey), eq(appAvailability.orgUnitId, unit.id))).run();
    } else {
      const on = input.setting === 'on';
      tx.insert(appAvailability)
        .values({ appKey, orgUnitId: unit.id, on })
        .onConflictDoUpdate({ target: [appAvailability.appKey, appAvailability.orgUnitId], set: { on } })
        .run();
    }
    const words = { on: 'ON', off: 'OFF', inherit: 'inherited from the parent unit' }[input.setting];
    audit(tx, now, appKey, actor, 'Availability changed', `${unit.path}: ${words}`);
  });
}

/** The configuration the wizard fills in; made on first use with the catalog's defaults (W-4, W-6). */
export function draftFor({ db, clock, apps }: Deps, appKey: string, actor: Actor): ConfigurationRow {
  const existing = findConfiguration(db, appKey);
  if (existing) return existing;
  const entry = requireEntry(apps, appKey);
  const now = clock.now();
  const mapping = Object.fromEntries(entry.attributes.filter((a) => a.defaultSource).map((a) => [a.path, a.defaultSource!]));
  const id = randomUUID();
  db.transaction((tx) => {
    tx.insert(appConfigurations)
      .values({ id, appKey, state: 'draft', mapping, deprovisioning: defaultDeprovisioning, wizardStep: 'prerequisite', createdAt: now, updatedAt: now })
      .run();
    audit(tx, now, appKey, actor, 'Provisioning setup started');
  });
  return findConfiguration(db, appKey)!;
}

function touch(db: DbOrTx, id: string, values: Partial<typeof appConfigurations.$inferInsert>, at: Date) {
  db.update(appConfigurations)
    .set({ ...values, updatedAt: at })
    .where(eq(appConfigurations.id, id))
    .run();
}

const stepIndex = (s: string) => (wizardSteps as readonly string[]).indexOf(s);

/** Remembers the furthest step reached, never going back (Back keeps what was entered). */
export function reachStep({ db, clock }: Deps, row: ConfigurationRow, step: WizardStep) {
  if (stepIndex(step) > stepIndex(row.wizardStep)) touch(db, row.id, { wizardStep: step }, clock.now());
}

export function saveEndpoint(deps: Deps, row: ConfigurationRow, input: EndpointInput, actor: Actor) {
  const now = deps.clock.now();
  deps.db.transaction((tx) => {
    touch(tx, row.id, { endpointUrl: input.endpointUrl }, now);
    audit(tx, now, row.appKey, actor, 'Endpoint URL set', input.endpointUrl);
  });
}

export function saveMapping(deps: Deps, row: ConfigurationRow, input: MappingInput, actor: Actor) {
  const mapping = Object.fromEntries(input.rows.filter((r) => r.source).map((r) => [r.attribute, r.source]));
  const now = deps.clock.now();
  deps.db.transaction((tx) => {
    touch(tx, row.id, { mapping }, now);
    audit(
      tx,
      now,
      row.appKey,
      actor,
      'Attribute mapping saved',
      Object.entries(mapping)
        .map(([a, s]) => `${a} ← ${s}`)
        .join(', '),
    );
  });
}

export function saveScope(deps: Deps, row: ConfigurationRow, input: ScopeInput, actor: Actor) {
  const { db, clock } = deps;
  const ids = input.groups.map((g) => g.groupId);
  const known = ids.length ? db.select({ id: directoryGroups.id, name: directoryGroups.name }).from(directoryGroups).where(inArray(directoryGroups.id, ids)).all() : [];
  const nameOf = new Map(known.map((g) => [g.id, g.name]));
  const fields: Record<string, string> = {};
  input.groups.forEach((g, i) => {
    if (!nameOf.has(g.groupId)) fields[`groups.${i}.groupId`] = 'This group no longer exists';
  });
  if (Object.keys(fields).length) throw new AppError('validation_failed', 'A group in the scope no longer exists.', fields);
  const now = clock.now();
  db.transaction((tx) => {
    tx.delete(scopeGroups).where(eq(scopeGroups.configurationId, row.id)).run();
    for (const g of input.groups) tx.insert(scopeGroups).values({ configurationId: row.id, groupId: g.groupId, accessLevel: g.accessLevel }).run();
    // E-13: the groups sent as teams (several groups may share one).
    tx.delete(teamMappings).where(eq(teamMappings.configurationId, row.id)).run();
    for (const g of input.groups) if (g.teamName) tx.insert(teamMappings).values({ configurationId: row.id, groupId: g.groupId, teamName: g.teamName }).run();
    touch(tx, row.id, {}, now);
    const detail = input.groups.length
      ? input.groups.map((g) => `${nameOf.get(g.groupId)} (${g.accessLevel}${g.teamName ? `, team ${g.teamName}` : ''})`).join(', ')
      : 'every user for whom the app is ON';
    audit(tx, now, row.appKey, actor, 'Scope saved', detail);
  });
}

export function saveDeprovisioning(deps: Deps, row: ConfigurationRow, input: DeprovisioningInput, actor: Actor) {
  const now = deps.clock.now();
  deps.db.transaction((tx) => {
    touch(tx, row.id, { deprovisioning: input }, now);
    const detail = Object.entries(input)
      .map(([trigger, r]) => `${trigger}: ${r.action} ${r.delay === 'next_sync' ? 'within 24 hours' : `after ${r.delay}`}`)
      .join(', ');
    audit(tx, now, row.appKey, actor, 'Deprovisioning saved', detail);
  });
}

/** W-7: the draft is complete; refuses while a step is missing, naming it. */
export function finishSetup(deps: Deps, row: ConfigurationRow, entry: CatalogEntry, authorized: boolean, actor: Actor) {
  const missing: string[] = [];
  if (!authorized) missing.push('authorize autoprov (step 2)');
  if (!row.endpointUrl) missing.push('give the endpoint URL (step 3)');
  const unmapped = entry.attributes.filter((a) => a.required && !row.mapping[a.path]);
  if (unmapped.length) missing.push(`map ${unmapped.map((a) => a.label).join(', ')} (step 4)`);
  if (missing.length) throw new AppError('conflict', `The setup is not finished: ${missing.join('; ')}.`);
  const now = deps.clock.now();
  deps.db.transaction((tx) => {
    touch(tx, row.id, { setupCompletedAt: row.setupCompletedAt ?? now, wizardStep: 'finish' }, now);
    audit(tx, now, row.appKey, actor, 'Setup finished', 'Saved as a draft: nothing is sent to the app until it is activated.');
  });
}

/** W-8 and M-3: activate, or disable keeping everything. */
export function setActive(deps: Deps, row: ConfigurationRow, active: boolean, actor: Actor): ConfigurationRow {
  const now = deps.clock.now();
  if (active) {
    if (!row.setupCompletedAt) throw new AppError('conflict', 'Finish the setup before activating provisioning.');
    if (row.state === 'needs_reauthorization') throw new AppError('conflict', 'Re-authorize autoprov first: the app no longer accepts its authorization.');
    if (row.state === 'active') return row;
  } else if (row.state === 'disabled' || row.state === 'draft') {
    return row;
  }
  deps.db.transaction((tx) => {
    touch(tx, row.id, { state: active ? 'active' : 'disabled', heldRunId: null }, now);
    audit(tx, now, row.appKey, actor, active ? 'Provisioning activated' : 'Provisioning disabled', active ? undefined : 'The configuration is kept; accounts in the app are left as they are.');
  });
  return requireConfiguration(deps.db, row.appKey);
}

/**
 * M-4: the configuration goes; the accounts in the app stay as they are. Its sync history and
 * reports stay too (M-6: they are the audit trail): the row is kept, marked deleted, with
 * nothing left that could reach the app (no credentials, scope, links or timers).
 */
export function deleteConfiguration(deps: Deps, row: ConfigurationRow, actor: Actor) {
  const { db, clock } = deps;
  const running = db
    .select({ id: syncRuns.id })
    .from(syncRuns)
    .where(and(eq(syncRuns.configurationId, row.id), eq(syncRuns.state, 'running')))
    .get();
  if (running) throw new AppError('conflict', 'A sync is running for this app. Turn provisioning off, wait for the sync to end, then delete.');
  const now = clock.now();
  db.transaction((tx) => {
    for (const table of [scopeGroups, teamMappings, provisionedTeams, provisionedAccounts, deprovisionTimers, pendingAuthorizations]) {
      tx.delete(table).where(eq(table.configurationId, row.id)).run();
    }
    tx.update(syncRuns)
      .set({ state: 'failed', endedAt: now, error: 'The configuration was deleted before this run started.' })
      .where(and(eq(syncRuns.configurationId, row.id), eq(syncRuns.state, 'pending')))
      .run();
    touch(tx, row.id, { deletedAt: now, state: 'disabled', heldRunId: null, sealedCredentials: null }, now);
    endEpisodesOf(tx, row.id, now);
    audit(tx, now, row.appKey, actor, 'Configuration deleted', 'Provisioning stopped; the accounts already in the app were left there. Its sync history and reports are kept.');
  });
}

