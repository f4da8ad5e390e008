import { transaction, type AppDatabase } from '@autoprov/db';
import { nextEscrowAttempt } from './escrow.js';
import { healthOf, makeEscrowDue, saveHealth, type HealthRow } from './store.js';

const minute = 60 * 1000;
const hour = 60 * minute;

/** E-17: this many attempts in a row that found the app unreachable quarantine it. */
export const quarantineAfterStreak = 3;
/** E-17: a run of at least this many operations, most failing transiently, quarantines at once. */
export const quarantineRunSize = 10;
const firstProbeMs = 5 * minute;
const slowestProbeMs = 6 * hour;
const keptErrors = 5;

/** What a finished (or stopped) run says about the app's health. */
export interface RunHealth {
  /** Operations sent to the app. */
  operations: number;
  succeeded: number;
  /** Operations that failed for a transient reason (network, 5xx, 429). */
  transientFailures: number;
  /** The run stopped before its end because the app could not be reached. */
  stoppedTransient: boolean;
}

/**
 * E-17, pure: `answering` when the app did something for us (the streak ends), `failing` when the
 * app could not be reached for most of what was asked, `silent` when the run says nothing (it sent
 * nothing, or failed for reasons that are not the app's availability).
 */
export function assessRun(h: RunHealth): 'answering' | 'failing' | 'silent' {
  if (h.stoppedTransient) return 'failing';
  if (h.operations > 0 && h.transientFailures * 2 > h.operations) return 'failing';
  if (h.succeeded > 0) return 'answering';
  return 'silent';
}

/** E-17, pure: whether the app goes into quarantine after this run, given the failing streak it makes. */
export function quarantineVerdict(h: RunHealth, streak: number): string | null {
  if (assessRun(h) !== 'failing') return null;
  if (h.operations >= quarantineRunSize) return `${h.transientFailures} of ${h.operations} operations of a run failed because the app could not be reached.`;
  if (streak >= quarantineAfterStreak) return `The app could not be reached for ${streak} attempts in a row.`;
  return null;
}

/** E-17: the wait before the next probe after `probes` failed ones: 5 minutes, doubling up to 6 hours. */
export function probeDelayMs(probes: number): number {
  return Math.min(slowestProbeMs, firstProbeMs * 2 ** Math.max(0, probes));
}

const withError = (row: HealthRow | null, message: string | null, at: Date) =>
  message ? [{ at: at.toISOString(), message }, ...(row?.recentErrors ?? [])].slice(0, keptErrors) : (row?.recentErrors ?? []);

/**
 * E-17: records what a run said about the app. A failing run lengthens the streak and, when the
 * whole run stopped, holds scheduled runs back on the escrow schedule (no run every few seconds);
 * an answering one ends it. Says when the app enters quarantine, with why.
 */
export async function recordRunHealth(
  db: AppDatabase,
  configurationId: string,
  h: RunHealth,
  lastError: string | null,
  now: Date,
): Promise<{ quarantined: string | null; recovered: boolean }> {
  const row = await healthOf(db, configurationId);
  const verdict = assessRun(h);
  if (verdict === 'answering') {
    // A run an admin started while the app was quarantined reached it: that is a probe that succeeded.
    if (row?.quarantinedAt) {
      await leaveQuarantine(db, configurationId, now);
      return { quarantined: null, recovered: true };
    }
    if (row && (row.failingStreak > 0 || row.backoffUntil)) await saveHealth(db, configurationId, { failingStreak: 0, backoffUntil: null });
    return { quarantined: null, recovered: false };
  }
  if (verdict === 'silent' || row?.quarantinedAt) return { quarantined: null, recovered: false };
  const streak = (row?.failingStreak ?? 0) + 1;
  const recentErrors = withError(row, lastError, now);
  const reason = quarantineVerdict(h, streak);
  if (reason) {
    await saveHealth(db, configurationId, { failingStreak: streak, backoffUntil: null, quarantinedAt: now, quarantineReason: reason, recentErrors, probes: 0, lastProbeAt: null, nextProbeAt: new Date(now.getTime() + probeDelayMs(0)) });
    return { quarantined: reason, recovered: false };
  }
  const backoffUntil = h.stoppedTransient ? nextEscrowAttempt(streak, now, now) : (row?.backoffUntil ?? null);
  await saveHealth(db, configurationId, { failingStreak: streak, backoffUntil, recentErrors });
  return { quarantined: null, recovered: false };
}

/** E-17: a probe that failed: the next one waits longer. */
export async function recordFailedProbe(db: AppDatabase, configurationId: string, error: string, now: Date): Promise<Date> {
  const row = await healthOf(db, configurationId);
  const probes = (row?.probes ?? 0) + 1;
  const nextProbeAt = new Date(now.getTime() + probeDelayMs(probes));
  await saveHealth(db, configurationId, { probes, lastProbeAt: now, nextProbeAt, recentErrors: withError(row, error, now) });
  return nextProbeAt;
}

/** E-17: the app answered: out of quarantine, with a clean slate, and the escrowed operations due now. */
export async function leaveQuarantine(db: AppDatabase, configurationId: string, now: Date) {
  await transaction(db, async () => {
    await saveHealth(db, configurationId, { failingStreak: 0, backoffUntil: null, quarantinedAt: null, quarantineReason: null, probes: 0, lastProbeAt: now, nextProbeAt: null, recentErrors: [] });
    await makeEscrowDue(db, configurationId, now);
  });
}
