import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp as pgTimestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import {
  accountOrigins,
  accountStates,
  configurationStates,
  deprovisionActions,
  deprovisionTriggers,
  driftModes,
  syncRunStates,
  syncTriggers,
  usageEventKinds,
} from '@autoprov/contract/enums';
import type { CatalogLimits, DeprovisioningInput } from '@autoprov/contract';
import { orgUnits } from './directory.js';

// PostgreSQL twin of ../schema/provisioning.ts: same tables, columns and row types (same-shape.test.ts).
const timestamp = (name: string) => pgTimestamp(name, { mode: 'date', withTimezone: true, precision: 3 });

/** One provisioning configuration per app (SPEC §1). */
export const appConfigurations = pgTable(
  'app_configurations',
  {
    id: text('id').primaryKey(),
    /** The catalog entry: `gotomeeting`, `workleap`, `custom-scim`; one live configuration per app. */
    appKey: text('app_key').notNull(),
    state: text('state', { enum: configurationStates }).notNull().default('draft'),
    endpointUrl: text('endpoint_url'),
    /** Sealed JSON (S-2): OAuth client and tokens, or a bearer token. Never sent to the browser. */
    sealedCredentials: text('sealed_credentials'),
    /** W-2, M-5: the admin who last authorized autoprov in the app, and when (shown on the app's page). */
    authorizedBy: text('authorized_by'),
    authorizedAt: timestamp('authorized_at'),
    /** App attribute → directory attribute (W-4). */
    mapping: jsonb('mapping').$type<Record<string, string>>().notNull().default({}),
    /** W-6: per trigger, the delay and the action; null takes the defaults (`deprovisioningRulesOf`). */
    deprovisioning: jsonb('deprovisioning').$type<DeprovisioningInput>(),
    /** E-14: set when the deletion guard stopped a run; cleared by allow or cancel. */
    heldRunId: text('held_run_id'),
    /** E-19: a reconciliation sets drifted accounts back (`correct`) or only reports them. */
    driftMode: text('drift_mode', { enum: driftModes }).notNull().default('correct'),
    /** E-18: the request limits a super-admin set for the app; null takes the catalog's. */
    limitsOverride: jsonb('limits_override').$type<CatalogLimits>(),
    /** The last directory change the engine has taken into account (E-11). */
    // A directory_changes id, which is a bigint.
    directoryCursor: bigint('directory_cursor', { mode: 'number' }).notNull().default(0),
    lastFullSyncAt: timestamp('last_full_sync_at'),
    /** The furthest wizard step the admin reached, so a reload or a return resumes there (W-1…W-8). */
    wizardStep: text('wizard_step').notNull().default('authorize'),
    /** W-7: set when the admin finished the wizard; only then can the configuration be activated. */
    setupCompletedAt: timestamp('setup_completed_at'),
    /**
     * M-4, M-6: a deleted configuration keeps its row so that its sync history and reports (the
     * audit trail) stay; everything else about it goes.
     */
    deletedAt: timestamp('deleted_at'),
    createdAt: timestamp('created_at').notNull().defaultNow(),
    updatedAt: timestamp('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('app_configurations_live_app_key_idx').on(t.appKey).where(sql`${t.deletedAt} is null`)],
);

/** A stored configuration as read, JSON columns typed: the one row type both server and engine use. */
export type ConfigurationRow = typeof appConfigurations.$inferSelect;

/** W-5: the groups that make up the scope, each with its access level (E-7). */
export const scopeGroups = pgTable(
  'scope_groups',
  {
    configurationId: text('configuration_id')
      .notNull()
      .references(() => appConfigurations.id, { onDelete: 'cascade' }),
    groupId: text('group_id').notNull(),
    accessLevel: text('access_level').notNull(),
  },
  (t) => [primaryKey({ columns: [t.configurationId, t.groupId] })],
);

/** SPEC §1 app availability: ON/OFF per org unit, inherited by the units below. */
export const appAvailability = pgTable(
  'app_availability',
  {
    appKey: text('app_key').notNull(),
    orgUnitId: text('org_unit_id')
      .notNull()
      .references(() => orgUnits.id, { onDelete: 'cascade' }),
    on: boolean('on').notNull(),
  },
  (t) => [primaryKey({ columns: [t.appKey, t.orgUnitId] })],
);

/**
 * The link between a directory user and their account in the app (E-10: unique per app and
 * user). A row is written with `remoteId` null *before* the create request is sent, so a crash
 * between the two is recovered by searching the app, not by creating again.
 */
export const provisionedAccounts = pgTable(
  'provisioned_accounts',
  {
    configurationId: text('configuration_id')
      .notNull()
      .references(() => appConfigurations.id, { onDelete: 'cascade' }),
    directoryUserId: text('directory_user_id').notNull(),
    userName: text('user_name').notNull(),
    remoteId: text('remote_id'),
    state: text('state', { enum: accountStates }).notNull().default('active'),
    /** E-19 ownership: autoprov created the account, or adopted one it found with the same userName (E-3). */
    origin: text('origin', { enum: accountOrigins }).notNull().default('created'),
    lastSent: jsonb('last_sent').$type<Record<string, string | null>>().notNull().default({}),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.configurationId, t.directoryUserId] }),
    uniqueIndex('provisioned_accounts_remote_idx').on(t.configurationId, t.remoteId),
  ],
);

/** E-5: timers survive restarts because they are rows. */
export const deprovisionTimers = pgTable(
  'deprovision_timers',
  {
    configurationId: text('configuration_id')
      .notNull()
      .references(() => appConfigurations.id, { onDelete: 'cascade' }),
    directoryUserId: text('directory_user_id').notNull(),
    trigger: text('trigger', { enum: deprovisionTriggers }).notNull(),
    action: text('action', { enum: deprovisionActions }).notNull(),
    dueAt: timestamp('due_at').notNull(),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.configurationId, t.directoryUserId] }), index('deprovision_timers_due_idx').on(t.dueAt)],
);

export const syncRuns = pgTable(
  'sync_runs',
  {
    id: text('id').primaryKey(),
    configurationId: text('configuration_id')
      .notNull()
      .references(() => appConfigurations.id, { onDelete: 'cascade' }),
    trigger: text('trigger', { enum: syncTriggers }).notNull(),
    state: text('state', { enum: syncRunStates }).notNull().default('pending'),
    dryRun: boolean('dry_run').notNull().default(false),
    requestedAt: timestamp('requested_at').notNull(),
    startedAt: timestamp('started_at'),
    endedAt: timestamp('ended_at'),
    /** Counts per action and result, e.g. `{ created: 3, failed: 1 }`. */
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    /** For progress (L-4): how many operations the run planned and how many are done. */
    planned: integer('planned').notNull().default(0),
    done: integer('done').notNull().default(0),
    error: text('error'),
    /** E-20: the one directory user an on-demand run is for (kept so a queued run survives a restart). */
    subjectUserId: text('subject_user_id'),
  },
  (t) => [index('sync_runs_configuration_idx').on(t.configurationId, t.requestedAt)],
);

export type SyncRunRow = typeof syncRuns.$inferSelect;

/** E-20: every SCIM request and answer of an on-demand run, secrets masked, a capped number per run. */
export const runExchanges = pgTable(
  'run_exchanges',
  {
    // By default, not always: a copy from SQLite keeps its ids.
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    runId: text('run_id')
      .notNull()
      .references(() => syncRuns.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    at: timestamp('at').notNull(),
    method: text('method').notNull(),
    url: text('url').notNull(),
    requestHeaders: jsonb('request_headers').$type<Record<string, string>>().notNull(),
    requestBody: text('request_body'),
    status: integer('status'),
    responseBody: text('response_body'),
    durationMs: integer('duration_ms').notNull(),
    error: text('error'),
  },
  (t) => [index('run_exchanges_run_idx').on(t.runId, t.seq)],
);

/** L-3: one line per user a run touched. */
export const syncReportLines = pgTable(
  'sync_report_lines',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    runId: text('run_id')
      .notNull()
      .references(() => syncRuns.id, { onDelete: 'cascade' }),
    directoryUserId: text('directory_user_id').notNull(),
    userEmail: text('user_email').notNull(),
    action: text('action').notNull(),
    result: text('result', { enum: ['succeeded', 'failed', 'planned', 'reported'] }).notNull(),
    changes: jsonb('changes').$type<Record<string, { before: string | null; after: string | null }>>(),
    reason: text('reason'),
    /** E-16: a failed operation's attempt number, and when it is tried again (null: not by the schedule). */
    attempt: integer('attempt'),
    nextAttemptAt: timestamp('next_attempt_at'),
  },
  // The report's order (L-3): by user e-mail, then as written.
  (t) => [index('sync_report_lines_run_idx').on(t.runId, t.result), index('sync_report_lines_user_idx').on(t.runId, t.userEmail, t.id)],
);

/** L-1: the usage log, kept 30 days. */
export const usageEvents = pgTable(
  'usage_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    occurredAt: timestamp('occurred_at').notNull(),
    appKey: text('app_key').notNull(),
    kind: text('kind', { enum: usageEventKinds }).notNull(),
    directoryUserId: text('directory_user_id'),
    userEmail: text('user_email'),
    runId: text('run_id'),
    detail: text('detail'),
  },
  (t) => [
    index('usage_events_time_idx').on(t.occurredAt, t.id),
    index('usage_events_kind_idx').on(t.kind, t.occurredAt, t.id),
    index('usage_events_app_idx').on(t.appKey, t.occurredAt, t.id),
    index('usage_events_app_kind_idx').on(t.appKey, t.kind, t.occurredAt, t.id),
    index('usage_events_user_idx').on(t.userEmail, t.occurredAt, t.id),
  ],
);

/** L-1's counts and chart: events per day, app and kind, kept in step with usage_events. */
export const usageEventDays = pgTable(
  'usage_event_days',
  {
    day: text('day').notNull(),
    appKey: text('app_key').notNull(),
    kind: text('kind', { enum: usageEventKinds }).notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.appKey, t.kind] })],
);

/** E-13: directory groups mapped to the app's groups (teams); several may map to one team. */
export const teamMappings = pgTable(
  'team_mappings',
  {
    configurationId: text('configuration_id')
      .notNull()
      .references(() => appConfigurations.id, { onDelete: 'cascade' }),
    groupId: text('group_id').notNull(),
    teamName: text('team_name').notNull(),
  },
  (t) => [primaryKey({ columns: [t.configurationId, t.groupId, t.teamName] })],
);

/** E-13: the app's group behind a team, with the members autoprov last set. */
export const provisionedTeams = pgTable(
  'provisioned_teams',
  {
    configurationId: text('configuration_id')
      .notNull()
      .references(() => appConfigurations.id, { onDelete: 'cascade' }),
    teamName: text('team_name').notNull(),
    remoteId: text('remote_id').notNull(),
    /** Remote account ids. */
    members: jsonb('members').$type<string[]>().notNull().default([]),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.configurationId, t.teamName] })],
);

/** W-1: the app's SSO settings; provisioning is offered once SSO is marked configured. */
export const ssoSettings = pgTable('sso_settings', {
  appKey: text('app_key').primaryKey(),
  entityId: text('entity_id').notNull(),
  ssoUrl: text('sso_url').notNull(),
  certificate: text('certificate').notNull(),
  updatedAt: timestamp('updated_at').notNull(),
});

/**
 * W-2: an authorization the admin started and has not finished. The PKCE verifier and the
 * client settings are sealed (S-2); a row lives minutes and is used once.
 */
export const pendingAuthorizations = pgTable('pending_authorizations', {
  state: text('state').primaryKey(),
  configurationId: text('configuration_id')
    .notNull()
    .references(() => appConfigurations.id, { onDelete: 'cascade' }),
  adminId: text('admin_id').notNull(),
  sealed: text('sealed').notNull(),
  createdAt: timestamp('created_at').notNull(),
});

/** L-6: every configuration change an admin made (who, what, when). */
export const configurationAudit = pgTable(
  'configuration_audit',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    appKey: text('app_key').notNull(),
    adminLabel: text('admin_label').notNull(),
    action: text('action').notNull(),
    detail: text('detail'),
    at: timestamp('at').notNull(),
  },
  (t) => [index('configuration_audit_app_idx').on(t.appKey, t.at)],
);
