import type { AppDatabase, Tx } from '@autoprov/db';
import type { EscrowKind } from '@autoprov/contract';
import type { Operation } from './model.js';
import type { AppFailureKind } from './ports.js';
import { clearEscrow, loadEscrow, loadEscrowRow, saveEscrowRow, type EscrowRow } from './store.js';

const minute = 60 * 1000;
const hour = 60 * minute;
const day = 24 * hour;

/** E-16: the waits before the 2nd, 3rd, … attempt; after the last, daily. */
const escrowSteps = [1 * minute, 5 * minute, 30 * minute, 2 * hour, 6 * hour, 12 * hour, 24 * hour];
/** E-16: past this long after the first failure, the schedule gives up (full runs still try). */
export const escrowGivesUpAfterMs = 28 * day;

/**
 * E-16, the one owner of the retry schedule: after `attempts` failed attempts (the first
 * failure being attempt 1), when the next one is, or null once 28 days have gone by.
 */
export function nextEscrowAttempt(attempts: number, firstFailedAt: Date, lastAttemptAt: Date): Date | null {
  const wait = escrowSteps[Math.max(0, attempts - 1)] ?? day;
  const next = new Date(lastAttemptAt.getTime() + wait);
  return next.getTime() - firstFailedAt.getTime() > escrowGivesUpAfterMs ? null : next;
}

/** Network, timeouts, 5xx, 429 and 408 are worth trying again later; the app's other refusals are not. */
export const escrowKindOf = (failure: AppFailureKind | 'unknown'): EscrowKind => (failure === 'transient' || failure === 'unknown' ? 'transient' : 'permanent');

/** Sorted-key JSON: the same operation always gives the same text. */
function stable(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(',')}}`;
}

/**
 * What an operation would send, as text: a permanent refusal is tried again when this changes
 * (the user's directory data changed what autoprov sends).
 */
export function operationFingerprint(op: Operation): string {
  switch (op.kind) {
    case 'create':
      return stable({ kind: op.kind, attributes: op.attributes });
    case 'update':
    case 'unsuspend':
      return stable({ kind: op.kind, remoteId: op.remoteId, attributes: op.attributes });
    case 'suspend':
    case 'delete':
      return stable({ kind: op.kind, remoteId: op.remoteId, trigger: op.trigger });
    case 'start_timer':
    case 'cancel_timer':
      return stable({ kind: op.kind });
  }
}

/** One failed attempt, as the report line and the app's page tell it. */
export interface EscrowAttempt {
  attempt: number;
  nextAttemptAt: Date | null;
  kind: EscrowKind;
}

/**
 * E-16: records a failed attempt of `op` for its user: the attempt count goes up (whatever the
 * operation, it is the same user's pending work) and the next attempt follows the schedule.
 */
export async function escrowFailure(
  db: AppDatabase,
  entry: { configurationId: string; userEmail: string; op: Operation; failure: AppFailureKind | 'unknown'; reason: string; at: Date },
): Promise<EscrowAttempt> {
  const { configurationId, op, at } = entry;
  const existing = await loadEscrowRow(db, configurationId, op.userId);
  const kind = escrowKindOf(entry.failure);
  const attempt = (existing?.attempts ?? 0) + 1;
  const firstFailedAt = existing?.firstFailedAt ?? at;
  const nextAttemptAt = kind === 'transient' ? nextEscrowAttempt(attempt, firstFailedAt, at) : null;
  await saveEscrowRow(db, {
    configurationId,
    directoryUserId: op.userId,
    userEmail: entry.userEmail,
    operation: op.kind,
    kind,
    fingerprint: operationFingerprint(op),
    attempts: attempt,
    lastError: entry.reason,
    firstFailedAt,
    lastAttemptAt: at,
    nextAttemptAt,
  });
  return { attempt, nextAttemptAt, kind };
}

/**
 * E-16: whether a run leaves this operation alone: it was refused for good before and would
 * send the same thing again. It goes when the user's data changes it, or a super-admin asks.
 */
export function waitsForChange(escrowed: EscrowRow | undefined, op: Operation, retryRefused: boolean): boolean {
  return !retryRefused && escrowed?.kind === 'permanent' && escrowed.fingerprint === operationFingerprint(op);
}

/**
 * E-16 within one run: which operations wait for a change, and the escrow kept in step with
 * what the run did. One per run; `forUsers` once per planned chunk.
 */
export class RunEscrow {
  private escrowed = new Map<string, EscrowRow>();
  /** Transient failures of this run (E-17 counts them), and the last reason an app gave. */
  transientFailures = 0;
  lastError: string | null = null;

  constructor(
    private readonly db: AppDatabase,
    private readonly configurationId: string,
    private readonly retryRefused: boolean,
  ) {}

  /** Loads the escrow of a chunk's users; clears the users the plan no longer has work for. */
  async forUsers(userIds: Iterable<string>, operations: Operation[]) {
    this.escrowed = await loadEscrow(this.db, this.configurationId, [...userIds]);
    if (this.escrowed.size === 0) return;
    const withWork = new Set(operations.filter((op) => op.kind !== 'start_timer' && op.kind !== 'cancel_timer').map((op) => op.userId));
    const settled = [...this.escrowed.keys()].filter((id) => !withWork.has(id));
    if (settled.length > 0) await clearEscrow(this.db, this.configurationId, settled);
    for (const id of settled) this.escrowed.delete(id);
  }

  /** A refusal that would be sent again unchanged is left alone (E-16). */
  waits(op: Operation): boolean {
    return waitsForChange(this.escrowed.get(op.userId), op, this.retryRefused);
  }

  /** The user's operation went through: out of escrow. Returns the write to batch, if any. */
  succeeded(userId: string): ((tx: Tx) => Promise<void>) | null {
    if (!this.escrowed.has(userId)) return null;
    this.escrowed.delete(userId);
    return async (tx) => await clearEscrow(tx, this.configurationId, [userId]);
  }

  /** Records one failed attempt, through `tx` when batched; returns what the report line says about it. */
  async failed(entry: { op: Operation; userEmail: string; failure: AppFailureKind | 'unknown'; reason: string; at: Date }, tx: Tx = this.db): Promise<EscrowAttempt> {
    const attempt = await escrowFailure(tx, { configurationId: this.configurationId, ...entry });
    if (attempt.kind === 'transient') this.transientFailures++;
    this.lastError = entry.reason;
    return attempt;
  }
}
