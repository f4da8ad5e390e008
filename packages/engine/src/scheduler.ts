import type { ConfigurationState, NextRunReason, SyncTrigger } from '@autoprov/contract';
import type { EngineDeps } from './engine-deps.js';
import { AppCallError } from './ports.js';
import { leaveQuarantine, recordFailedProbe } from './quarantine.js';
import { executeRun, signalAlert, type RunRequest } from './run.js';
import {
  advanceDirectoryCursor,
  configurationRow,
  configurationsWithPendingRuns,
  createRun,
  dueEscrowUsers,
  earliestTimerOf,
  hasRunInProgress,
  healthOf,
  nextPendingRun,
  recordRunFailure,
  refuseHeldRun,
  releaseHeldRun,
  runningRuns,
  schedulableConfigurations,
  transientEscrowUsers,
  updateRun,
  waitingChangeRun,
} from './store.js';

export interface SchedulerOptions {
  /** How often to look for directory changes and due timers (E-11: within seconds). */
  pollMs?: number;
  /** Called at each look, so the process can say the scheduler is alive (readiness). */
  onLook?: () => void;
  /** A look that failed (the database could not be reached): the next look tries again. */
  onLookFailed?: (err: Error) => void;
}

const dayMs = 24 * 60 * 60 * 1000;

/** E-11: a full reconciliation runs daily; the app page's "next run" reads the same period. */
export const fullSyncEveryMs = dayMs;

export interface NextRun {
  /** When the scheduler starts the next run (now or in the past: at its next look); null: none. */
  at: Date | null;
  reason: NextRunReason;
}

/**
 * L-5, E-11: when the scheduler will start this app's next run by itself, and why. The
 * scheduler itself decides with this, so the app's page says what will really happen.
 * Directory changes start runs in between, within seconds.
 */
export function nextRunOf(
  config: { state: ConfigurationState; heldRunId: string | null; lastFullSyncAt: Date | null },
  earliestTimer: Date | null,
  now: Date,
  health: Pick<HealthState, 'quarantinedAt' | 'nextProbeAt' | 'backoffUntil'> | null = null,
): NextRun {
  if (config.state === 'needs_reauthorization') return { at: null, reason: 'needs_reauthorization' };
  if (config.state !== 'active') return { at: null, reason: 'not_active' };
  if (config.heldRunId) return { at: null, reason: 'held' };
  // E-17: a quarantined app gets probes only; the full sync waits until it answers.
  if (health?.quarantinedAt) return { at: health.nextProbeAt ?? now, reason: 'quarantined' };
  const next = scheduledRunOf(config.lastFullSyncAt, earliestTimer, now);
  // A run that could not reach the app holds the schedule back (no run every few seconds).
  if (health?.backoffUntil && next.at && next.at < health.backoffUntil) return { ...next, at: health.backoffUntil };
  return next;
}

type HealthState = NonNullable<Awaited<ReturnType<typeof healthOf>>>;

function scheduledRunOf(lastFullSyncAt: Date | null, earliestTimer: Date | null, now: Date): NextRun {
  if (!lastFullSyncAt) return { at: now, reason: 'first_sync' };
  const fullDue = new Date(lastFullSyncAt.getTime() + fullSyncEveryMs);
  if (earliestTimer && earliestTimer < fullDue) return { at: earliestTimer, reason: 'deprovisioning_due' };
  return { at: fullDue, reason: 'daily_sync' };
}

/**
 * Decides when runs happen and keeps one run per app at a time (E-12): a run asked for while
 * another is running waits as a pending row, so it survives a restart too.
 */
export class ProvisioningScheduler {
  private readonly running = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;

  constructor(
    private readonly deps: EngineDeps,
    private readonly options: SchedulerOptions = {},
  ) {}

  /** Queues a run and returns its id at once; it starts as soon as the app is free. */
  async requestRun(configurationId: string, trigger: SyncTrigger, extra: Partial<RunRequest> = {}): Promise<string> {
    const { db, clock } = this.deps;
    // A change-driven run already waiting will see this change too: one is enough.
    if (trigger === 'change' && !extra.dryRun) {
      const waiting = await waitingChangeRun(db, configurationId);
      if (waiting) return waiting;
    }
    const subject = trigger === 'on_demand' ? (extra.onlyUserIds?.[0] ?? null) : null;
    const runId = await createRun(db, configurationId, trigger, extra.dryRun ?? false, clock.now(), subject);
    this.pendingRequests.set(runId, { configurationId, trigger, runId, ...extra });
    void this.drain(configurationId);
    return runId;
  }

  /**
   * E-20: one user provisioned now, with every SCIM exchange of the run kept. E-12 still holds:
   * while another run of the app is going on or waiting, this one waits its turn (`queued`).
   */
  async requestUserRun(configurationId: string, userId: string): Promise<{ runId: string; queued: boolean }> {
    const busy = this.running.has(configurationId) || await hasRunInProgress(this.deps.db, configurationId);
    // A super-admin asked for this user: an operation the app refused before is tried again too (E-16).
    const runId = await this.requestRun(configurationId, 'on_demand', { onlyUserIds: [userId], captureExchanges: true, retryRefused: true });
    return { runId, queued: busy };
  }

  private readonly pendingRequests = new Map<string, RunRequest>();
  /** Apps whose held run was asked to carry out every pending timer (kept in memory, like pendingRequests). */
  private readonly heldCarryOuts = new Set<string>();

  /** Runs the app's pending runs one after another, oldest first. */
  private drain(configurationId: string): Promise<void> {
    const current = this.running.get(configurationId);
    if (current) return current;
    const loop = (async () => {
      for (;;) {
        const next = await nextPendingRun(this.deps.db, configurationId);
        if (!next) break;
        // A run queued before a restart is rebuilt from its row (an on-demand run keeps its user, E-20).
        const request = this.pendingRequests.get(next.id) ?? {
          configurationId,
          trigger: next.trigger,
          dryRun: next.dryRun,
          runId: next.id,
          ...(next.subjectUserId ? { onlyUserIds: [next.subjectUserId], captureExchanges: true, retryRefused: true } : {}),
          // A retry queued before a restart is for the users whose attempt is due by now (E-16).
          ...(next.trigger === 'retry' ? { onlyUserIds: await dueEscrowUsers(this.deps.db, configurationId, this.deps.clock.now()) } : {}),
        };
        this.pendingRequests.delete(next.id);
        let onlyUserIds: string[] | undefined;
        // A run for one user (E-20) sees no other change: the changes stay for the next run.
        if (!request.dryRun && request.trigger !== 'on_demand' && request.trigger !== 'retry') {
          const config = await configurationRow(this.deps.db, configurationId);
          const changes = await this.deps.directory.changesSince?.(config?.directoryCursor ?? 0);
          // A change-driven run reads only the users the changes can affect (E-11).
          if (request.trigger === 'change' && config) onlyUserIds = await changes?.affectedUserIds() ?? undefined;
          // The directory changes this run will see are taken into account.
          if (changes) await advanceDirectoryCursor(this.deps.db, configurationId, changes.upTo);
        }
        await executeRun(this.deps, { ...request, runId: next.id, ...(onlyUserIds ? { onlyUserIds } : {}) });
        // A held carry-out (M-6) is still a carry-out once allowed.
        if (request.carryOutTimers) {
          if ((await configurationRow(this.deps.db, configurationId))?.heldRunId === next.id) this.heldCarryOuts.add(configurationId);
        }
      }
    })().finally(() => this.running.delete(configurationId));
    this.running.set(configurationId, loop);
    return loop;
  }

  /** E-14: a super-admin allows the run the deletion guard held; it runs again, allowed. */
  async allowHeldRun(configurationId: string): Promise<string | null> {
    if (!(await configurationRow(this.deps.db, configurationId))?.heldRunId) return null;
    await releaseHeldRun(this.deps.db, configurationId);
    await signalAlert(this.deps, { ended: 'run_held', configurationId });
    const carryOutTimers = this.heldCarryOuts.delete(configurationId);
    return await this.requestRun(configurationId, 'manual', { allowMassDeprovisioning: true, ...(carryOutTimers ? { carryOutTimers } : {}) });
  }

  /**
   * E-14: a super-admin refuses the held run. Provisioning is disabled (the configuration is
   * kept, M-3) so that nothing is deprovisioned until the directory is put right and it is
   * enabled again.
   */
  async cancelHeldRun(configurationId: string, by: string): Promise<boolean> {
    const { db, clock } = this.deps;
    const heldRunId = (await configurationRow(db, configurationId))?.heldRunId;
    if (!heldRunId) return false;
    this.heldCarryOuts.delete(configurationId);
    await refuseHeldRun(db, configurationId, heldRunId, `Cancelled by ${by}; provisioning was disabled.`, clock.now());
    await signalAlert(this.deps, { ended: 'run_held', configurationId });
    return true;
  }

  /** Resolves when no run is running or waiting for this app. */
  async idle(configurationId: string): Promise<void> {
    while (this.running.has(configurationId)) await this.running.get(configurationId);
  }

  /**
   * One look at every active app: directory changes, due timers, a full sync that is due.
   * Held apps (E-14) and apps that need re-authorization (E-9) are left alone.
   */
  async tick(): Promise<void> {
    this.options.onLook?.();
    const { db, clock } = this.deps;
    const now = clock.now();
    // A run another process queued (a web-only process writes pending rows, issue 16) starts here.
    for (const configurationId of await configurationsWithPendingRuns(db)) if (!this.running.has(configurationId)) void this.drain(configurationId);
    for (const config of await schedulableConfigurations(db)) {
      if (this.running.has(config.id)) continue;
      const health = await healthOf(db, config.id);
      const next = nextRunOf(config, await earliestTimerOf(db, config.id), now, health);
      // E-17: a quarantined app is only probed, on its own slowing schedule; changes wait.
      if (health?.quarantinedAt) {
        if (next.at && next.at <= now) void this.probe(config.id);
        continue;
      }
      // A full run covers the escrowed users too.
      // E-19: the daily full run is a reconciliation (it also reads what the app holds).
      if (next.at && next.at <= now) {
        await this.requestRun(config.id, next.reason === 'daily_sync' ? 'reconcile' : 'scheduled');
        continue;
      }
      if (((await this.deps.directory.changesSince?.(config.directoryCursor))?.upTo ?? config.directoryCursor) > config.directoryCursor) await this.requestRun(config.id, 'change');
      // E-16: the users whose failed operation is due again, in a small run of their own.
      const due = await dueEscrowUsers(db, config.id, now);
      if (due.length > 0) await this.requestRun(config.id, 'retry', { onlyUserIds: due });
    }
  }

  /**
   * E-17: one light request to a quarantined app. It answers: out of quarantine, and the
   * escrowed operations go at once. It does not: the next probe waits longer. Runs in the app's
   * slot (E-12), so a probe and a run never overlap.
   */
  probe(configurationId: string): Promise<{ ok: boolean; message: string }> {
    const { db, clock } = this.deps;
    if (this.running.has(configurationId)) return this.running.get(configurationId)!.then(() => this.probe(configurationId));
    let result = { ok: false, message: '' };
    const work = (async () => {
      try {
        const app = await this.deps.appFor(configurationId);
        await app.probe();
        await leaveQuarantine(db, configurationId, clock.now());
        await signalAlert(this.deps, { ended: 'quarantined', configurationId });
        result = { ok: true, message: 'The app answered: it is out of quarantine.' };
      } catch (err) {
        const reason = err instanceof AppCallError ? err.reason : (err as Error).message;
        await recordFailedProbe(db, configurationId, `Probe: ${reason}`, clock.now());
        result = { ok: false, message: `The app still does not answer (${reason}). It stays quarantined and is checked again later, less often.` };
      }
    })().finally(() => this.running.delete(configurationId));
    this.running.set(configurationId, work);
    return work.then(async () => {
      // The escrowed operations were made due by leaving quarantine: they go now.
      if (result.ok) {
        const due = await transientEscrowUsers(db, configurationId);
        if (due.length > 0) await this.requestRun(configurationId, 'retry', { onlyUserIds: due });
      }
      return result;
    });
  }

  /**
   * E-16: a super-admin asks to try one user's escrowed operation again now, a refused one
   * included (it is otherwise tried again only when the user's data changes).
   */
  async retryUser(configurationId: string, userId: string): Promise<string> {
    return await this.requestRun(configurationId, 'retry', { onlyUserIds: [userId], retryRefused: true });
  }

  /**
   * Starts polling. Runs a previous process left running were cut off: they are closed as
   * failed and a new run is queued, which finishes the work without creating twice (E-10).
   */
  async start(): Promise<void> {
    const { db, clock } = this.deps;
    const interrupted = await runningRuns(db);
    for (const run of interrupted) {
      const error = 'Interrupted: autoprov stopped during this run.';
      await updateRun(db, run.id, { state: 'failed', endedAt: clock.now(), error });
      if (!run.dryRun) await recordRunFailure(db, run.configurationId, run.id, error, clock.now());
    }
    for (const configurationId of await configurationsWithPendingRuns(db)) void this.drain(configurationId);
    // An on-demand run is for the admin watching it: it is not started again unasked (E-20).
    for (const run of interrupted) if (!run.dryRun && run.trigger !== 'on_demand') await this.requestRun(run.configurationId, run.trigger);

    this.timer = setInterval(() => void this.look(), this.options.pollMs ?? 1000);
    this.timer.unref();
  }

  /** One look, never two at once; a failed look is told, not thrown (nothing would catch it). */
  private async look(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.tick();
    } catch (err) {
      this.options.onLookFailed?.(err as Error);
    } finally {
      this.ticking = false;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all([...this.running.values()]);
  }
}
