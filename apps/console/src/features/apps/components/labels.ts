import type { ConfigurationState, DeprovisionAction, DeprovisionDelay, SyncRunState, SyncTrigger } from '@autoprov/contract';

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

export const triggerLabels: Record<SyncTrigger, string> = { scheduled: 'Scheduled', change: 'Directory change', manual: 'Manual' };

export const countLabels: Record<string, string> = {
  created: 'created',
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
};

export function countsText(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .filter(([k]) => countLabels[k])
    .map(([k, n]) => `${n.toLocaleString()} ${countLabels[k]}`);
  return parts.length ? parts.join(', ') : 'no changes';
}

export const formatTime = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');
