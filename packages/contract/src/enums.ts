// Closed sets shared by the database columns, the API schemas and the console.

export const adminRoles = ['super_admin', 'read_only'] as const;
export type AdminRole = (typeof adminRoles)[number];

/** SPEC §1: a directory user's status; `deleted` users are kept so the engine can deprovision them. */
export const userStatuses = ['active', 'suspended', 'archived', 'deleted'] as const;
export type UserStatus = (typeof userStatuses)[number];

export const domainKinds = ['primary', 'secondary'] as const;
export type DomainKind = (typeof domainKinds)[number];

export const groupMemberKinds = ['user', 'group', 'external'] as const;
export type GroupMemberKind = (typeof groupMemberKinds)[number];

export const directoryEntityKinds = ['user', 'group', 'org_unit'] as const;
export type DirectoryEntityKind = (typeof directoryEntityKinds)[number];

export const directoryChangeActions = [
  'created',
  'updated',
  'suspended',
  'restored',
  'archived',
  'deleted',
  'member_added',
  'member_removed',
] as const;
export type DirectoryChangeAction = (typeof directoryChangeActions)[number];

/** SPEC §1: the state of an app's provisioning configuration. */
export const configurationStates = ['draft', 'active', 'disabled', 'needs_reauthorization'] as const;
export type ConfigurationState = (typeof configurationStates)[number];

/** W-6: what starts a deprovisioning timer. */
export const deprovisionTriggers = ['app_off', 'suspended', 'deleted'] as const;
export type DeprovisionTrigger = (typeof deprovisionTriggers)[number];

/** W-6: "within 24 hours" means the next sync. */
export const deprovisionDelays = ['next_sync', '1d', '7d', '21d'] as const;
export type DeprovisionDelay = (typeof deprovisionDelays)[number];

export const deprovisionActions = ['suspend', 'delete'] as const;
export type DeprovisionAction = (typeof deprovisionActions)[number];

/**
 * L-2: what started a run. `scheduled` is the daily reconciliation or a deprovisioning delay
 * that ended; `change` a directory change (E-11); `on_demand` one user provisioned now (E-20);
 * `retry` the users whose escrowed operations are due again (E-16); `reconcile` a full run that
 * also reads what the app holds (E-19: daily, or "Reconcile now"); the others an admin's action.
 */
export const syncTriggers = [
  'scheduled',
  'change',
  'manual',
  'activation',
  'scope_change',
  'availability_change',
  'deprovisioning_change',
  'reauthorization',
  'on_demand',
  'retry',
  'reconcile',
] as const;
export type SyncTrigger = (typeof syncTriggers)[number];

/** L-5: why the next run happens when it does, or why there is none. */
export const nextRunReasons = [
  'first_sync',
  'daily_sync',
  'deprovisioning_due',
  'held',
  'quarantined',
  'needs_reauthorization',
  'not_active',
] as const;
export type NextRunReason = (typeof nextRunReasons)[number];

/** L-2; `held` is a run the deletion guard stopped before it wrote anything (E-14). */
export const syncRunStates = ['pending', 'running', 'succeeded', 'partly_failed', 'failed', 'held'] as const;
export type SyncRunState = (typeof syncRunStates)[number];

/**
 * L-1: the events of the usage log. An existing account taken over (E-3) is `user_adopted`,
 * never `user_created`: "User created" counts only accounts autoprov made.
 */
export const usageEventKinds = [
  'user_created',
  'user_adopted',
  'user_updated',
  'user_suspended',
  'user_unsuspended',
  'user_deleted',
  'failure',
] as const;
export type UsageEventKind = (typeof usageEventKinds)[number];

export const accountStates = ['active', 'suspended'] as const;
export type AccountState = (typeof accountStates)[number];

/** E-19 ownership: how an account came to be autoprov's; accounts with neither are never touched. */
export const accountOrigins = ['created', 'adopted'] as const;
export type AccountOrigin = (typeof accountOrigins)[number];

/** E-19: what a reconciliation does with a linked account that drifted in the app. */
export const driftModes = ['correct', 'report'] as const;
export type DriftMode = (typeof driftModes)[number];

/**
 * L-7: what super-admins are alerted about. `quarantined` (E-17) is raised once quarantine
 * exists; the others come from the engine today.
 */
export const alertKinds = ['needs_reauthorization', 'quarantined', 'run_held', 'run_partly_failed'] as const;
export type AlertKind = (typeof alertKinds)[number];

/** L-7: how an alert goes out besides the console's notifications list. */
export const alertChannels = ['email', 'webhook'] as const;
export type AlertChannel = (typeof alertChannels)[number];

/**
 * E-16: why an operation waits in escrow. `transient` failures (network, timeout, 5xx, 429, 408)
 * are retried on a growing schedule; a `permanent` refusal waits for the user's data to change
 * or for a super-admin to ask.
 */
export const escrowKinds = ['transient', 'permanent'] as const;
export type EscrowKind = (typeof escrowKinds)[number];
