import type { Configuration, ConfigurationState, DeprovisionAction, DeprovisionDelay, NextRunReason, SyncRunState, SyncTrigger } from '@autoprov/contract';

export const stateLabels: Record<ConfigurationState, string> = {
  draft: 'Not active (draft)',
  active: 'Active',
  disabled: 'Disabled',
  needs_reauthorization: 'Needs re-authorization',
};

export const delayLabels: Record<DeprovisionDelay, string> = {
  next_sync: 'Within 24 hours',
  '1d': 'After 1 day',
  '7d': 'After 7 days',
  '21d': 'After 21 days',
};

export const actionLabels: Record<DeprovisionAction, string> = {
  suspend: 'Suspend the account in the app',
  delete: 'Delete the account in the app',
};

export const runStateLabels: Record<SyncRunState, string> = {
  pending: 'Pending',
  running: 'Running',
  succeeded: 'Succeeded',
  partly_failed: 'Partly failed',
  failed: 'Failed',
  held: 'Held by the deletion guard',
};

/** L-2: what started a run. */
export const triggerLabels: Record<SyncTrigger, string> = {
  scheduled: 'Schedule',
  change: 'Directory change',
  manual: 'Manual',
  activation: 'Activation',
  scope_change: 'Scope change',
  availability_change: 'Availability change',
  deprovisioning_change: 'Deprovisioning change',
  reauthorization: 'Re-authorization',
  on_demand: 'One user on demand',
  retry: 'Retry of failed operations',
  reconcile: 'Reconciliation',
};

export const countLabels: Record<string, string> = {
  created: 'created',
  adopted: 'adopted',
  updated: 'updated',
  suspended: 'suspended',
  unsuspended: 'unsuspended',
  deleted: 'deleted',
  failed: 'failed',
  create: 'to create',
  update: 'to update',
  suspend: 'to suspend',
  unsuspend: 'to unsuspend',
  delete: 'to delete',
  planned_deprovisions: 'planned suspensions or deletions',
  teams_updated: 'teams updated',
  drift_corrected: 'drift corrected',
  drift_found: 'drift found (report only)',
  not_managed: 'not managed by autoprov',
  waiting_for_change: 'refused before, waiting for a change',
};

/** A run's counts in words, always in the order above: what was done first, what waits last. */
export function countsText(counts: Record<string, number>): string {
  const parts = Object.entries(countLabels)
    .filter(([k]) => counts[k] !== undefined)
    .map(([k, label]) => `${counts[k]!.toLocaleString()} ${label}`);
  return parts.length ? parts.join(', ') : 'no changes';
}

export const formatTime = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

const nextRunWhy: Record<NextRunReason, string> = {
  first_sync: 'the first full sync',
  daily_sync: 'the daily full sync',
  deprovisioning_due: 'a deprovisioning delay ends',
  quarantined: 'a probe of the app, which is quarantined (full syncs wait until it answers)',
  held: 'None: a run is held by the deletion guard until a super-admin allows or cancels it',
  needs_reauthorization: 'None until autoprov is re-authorized',
  not_active: 'None: provisioning is off',
};

/** L-5: when the next run is and why; directory changes are sent in between. */
export function nextRunText(config: Pick<Configuration, 'nextRunAt' | 'nextRunReason'>, now = Date.now()): string {
  if (!config.nextRunAt) return nextRunWhy[config.nextRunReason];
  const at = Date.parse(config.nextRunAt);
  // Due now: the scheduler starts it at its next look, within seconds.
  const when = at <= now + 5_000 ? 'Now' : formatTime(config.nextRunAt);
  return `${when}: ${nextRunWhy[config.nextRunReason]} (directory changes are sent within seconds in between)`;
}

/** E-16: an operation waiting to be tried again, by kind. */
export const operationLabels: Record<string, string> = {
  create: 'Create the account',
  update: 'Update the account',
  unsuspend: 'Unsuspend the account',
  suspend: 'Suspend the account',
  delete: 'Delete the account',
};

/** E-16 in a report: which attempt this was, and when the next one is. */
export function attemptText(attempt: number, nextAttemptAt: string | null): string {
  return `(attempt ${attempt}; ${nextAttemptAt ? `next try at ${formatTime(nextAttemptAt)}` : 'not retried on a schedule'})`;
}
