import type { SyncTrigger } from '@autoprov/contract';
import { applyOperations, callsApp, sentBy, waitingForChange, type ApplyContext } from './apply.js';
import { RunEscrow } from './escrow.js';
import { exchangeRecorder } from './exchanges.js';
import type { Operation } from './model.js';
import { countDeprovisions, exceedsDeletionGuard } from './plan.js';
import { planSourceFor, type PlannedChunk } from './plan-source.js';
import { recordRunHealth, type RunHealth } from './quarantine.js';
import { reconcileAccounts } from './reconcile.js';
import type { EngineDeps } from './engine-deps.js';
import { AppCallError, type AlertSignal, type AppForOptions, type AppPort, type RemoteAccount } from './ports.js';
import {
  clearEscrow,
  createRun,
  holdRun,
  loadEscrow,
  loadConfiguration,
  loadTeamMappings,
  markFullSync,
  markNeedsReauthorization,
  recordRunFailure,
  updateRun,
  writeReportLine,
} from './store.js';
import { syncTeams } from './teams.js';
import { WriteBatcher } from './store/write-batcher.js';

/** L-7: alerts go out beside the run; a failing alert sink never breaks it. */
export async function signalAlert(deps: Pick<EngineDeps, 'alerts'>, signal: AlertSignal | { ended: AlertSignal['kind']; configurationId: string }) {
  try {
    if ('ended' in signal) await deps.alerts?.ended(signal.ended, signal.configurationId);
    else await deps.alerts?.started(signal);
  } catch {
    // The sink records its own failures; the run carries on.
  }
}

export interface RunRequest {
  configurationId: string;
  trigger: SyncTrigger;
  dryRun?: boolean;
  /** E-14: a super-admin allowed the run the guard held. */
  allowMassDeprovisioning?: boolean;
  /** An existing pending run to carry out (one queued earlier), instead of a new one. */
  runId?: string;
  /** A change-driven run looks at these users only (E-11). */
  onlyUserIds?: string[];
  /** M-6: every pending deprovisioning is carried out now (before a configuration is deleted). */
  carryOutTimers?: boolean;
  /** E-20: every SCIM request and answer of this run is kept with it, secrets masked. */
  captureExchanges?: boolean;
  /** E-16: a super-admin asked: operations the app refused before are sent again too. */
  retryRefused?: boolean;
}

type Counts = Record<string, number>;

/** Up to this many planned operations are kept from pass 1 instead of planned again. */
const keepAtMost = 20_000;

/**
 * Carries out one sync run of one app (SPEC §4): pending → running, then read and plan (pass 1),
 * the deletion guard (held), a dry run's report (succeeded), or the plan applied to the app and
 * the teams synced (succeeded, partly failed, failed). A run that stops is failed.
 */
export async function executeRun(deps: EngineDeps, request: RunRequest): Promise<string> {
  const { db, clock } = deps;
  const runId = request.runId ?? await createRun(db, request.configurationId, request.trigger, request.dryRun ?? false, clock.now());
  await updateRun(db, runId, { state: 'running', startedAt: clock.now() });
  const counts: Counts = {};
  const count = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  let batcher: WriteBatcher | null = null;
  let recorder: ReturnType<typeof exchangeRecorder> | null = null;
  let escrow: RunEscrow | null = null;

  try {
    const loaded = await loadConfiguration(db, request.configurationId);
    if (!loaded) throw new Error('The configuration no longer exists.');
    const { row, planConfiguration, availability } = loaded;

    // A change-driven run without readUsers reads everyone; one user on demand is that user only (E-20).
    const only = request.onlyUserIds && (deps.directory.readUsers || request.trigger === 'on_demand' || request.trigger === 'retry') ? request.onlyUserIds : undefined;
    recorder = request.captureExchanges ? exchangeRecorder(db, runId, clock) : null;
    const appOptions: AppForOptions = recorder ? { onExchange: (exchange) => recorder?.record(exchange) } : {};
    const now = clock.now();
    const teamsFollowGroups = (await loadTeamMappings(db, row.id)).length > 0;
    const source = await planSourceFor(deps, {
      configurationId: row.id,
      planConfiguration,
      availability,
      now,
      only,
      teamsFollowGroups,
      carryOutTimers: request.carryOutTimers ?? false,
    });

    // Pass 1: what the run would do, before anything is written (E-14). Small plans are kept.
    const totals = { appCalls: 0, deprovisions: 0, creates: 0, operations: 0, withheld: false };
    let kept: PlannedChunk[] | null = [];
    for await (const chunk of source.chunks()) {
      if (chunk.withheld) totals.withheld = true;
      totals.deprovisions += countDeprovisions(chunk.operations);
      for (const op of chunk.operations) {
        totals.operations++;
        if (op.kind === 'create') totals.creates++;
        if (callsApp(op)) {
          totals.appCalls++;
          if (request.dryRun) {
            await writeReportLine(db, runId, { directoryUserId: op.userId, userEmail: chunk.emailOf.get(op.userId) ?? '', action: op.kind, result: 'planned', ...sentBy(op) });
            count(op.kind);
          }
        }
      }
      if (kept && (source.keepAll || totals.operations <= (deps.paging?.keepAtMost ?? keepAtMost))) kept.push(chunk);
      else kept = null;
    }

    const guard = exceedsDeletionGuard({ deprovisions: totals.deprovisions }, await source.accountCount(), deps.deletionGuard);
    if (guard.held && !request.allowMassDeprovisioning && !request.dryRun) {
      await holdRun(db, row.id, runId, now);
      await updateRun(db, runId, {
        state: 'held',
        endedAt: clock.now(),
        counts: { planned_deprovisions: guard.deprovisions },
        error: `Held: this run would suspend or delete ${guard.deprovisions} of ${guard.accountCount} accounts. A super-admin must allow or cancel it.`,
      });
      await signalAlert(deps, {
        kind: 'run_held',
        configurationId: row.id,
        runId,
        message: `The deletion guard held a run that would suspend or delete ${guard.deprovisions} of ${guard.accountCount} accounts. A super-admin must allow or cancel it.`,
      });
      return runId;
    }
    await updateRun(db, runId, { planned: totals.appCalls });
    if (request.dryRun) {
      await updateRun(db, runId, { state: 'succeeded', endedAt: clock.now(), counts, done: totals.appCalls });
      return runId;
    }

    let done = 0;
    if (totals.operations > 0 || teamsFollowGroups) {
      const app = await deps.appFor(row.id, appOptions);
      // E-3 at scale: one paged read of the app's accounts replaces a search per new user.
      const existing = totals.operations > 0 && totals.creates >= (deps.bulkMatchThreshold ?? 50) ? await readAllAccounts(app) : null;
      escrow = new RunEscrow(db, row.id, request.retryRefused ?? false);
      const ctx: ApplyContext = { deps, app, runId, configurationId: row.id, appKey: row.appKey, emailOf: new Map(), existing, writes: new WriteBatcher(db), escrow };
      batcher = ctx.writes;
      let lastProgress = Date.now();
      // Pass 2: the kept plan, or the directory read and planned again, a page at a time.
      if (totals.operations > 0) {
        for await (const chunk of kept ?? source.chunks()) {
          ctx.emailOf = chunk.emailOf;
          await escrow.forUsers(chunk.emailOf.keys(), chunk.operations);
          await applyOperations(ctx, chunk.operations, deps.concurrency ?? 8, async (op: Operation, outcome) => {
            if (outcome) count(outcome);
            if (callsApp(op) && outcome !== waitingForChange) done++;
            if (Date.now() - lastProgress > 250) {
              lastProgress = Date.now();
              await updateRun(db, runId, { done, counts });
            }
          });
          await ctx.writes.flush();
        }
      }
      await syncTeams(ctx, source.users ?? [], only, count);
    }

    // E-19: a reconciliation then reads what the app holds and sets drifted accounts back (the
    // plan has just brought the links in step with the directory).
    if (request.trigger === 'reconcile' && !only) {
      await batcher?.flush();
      const app = await deps.appFor(row.id, appOptions);
      const add = (key: string, by = 1) => (counts[key] = (counts[key] ?? 0) + by);
      const { attempted } = await reconcileAccounts({ db, clock, app, runId, configurationId: row.id, appKey: row.appKey, mode: row.driftMode, count: add });
      totals.appCalls += attempted;
    }
    if (totals.withheld) counts.deprovisioning_withheld = 1;
    if (batcher && batcher.errors.length > 0) counts.unrecorded = batcher.errors.length;
    const failed = counts.failed ?? 0;
    // E-16: nothing left to do for the run's users: whatever they had in escrow is settled.
    if (totals.operations === 0) await clearEscrow(db, row.id, only ?? [...(await loadEscrow(db, row.id)).keys()]);
    const state = failed === 0 ? 'succeeded' : failed === done ? 'failed' : 'partly_failed';
    await recorder?.settled();
    await updateRun(db, runId, { state, endedAt: clock.now(), counts, done });
    await noteHealth(deps, row.id, runId, { operations: done, succeeded: done - failed, transientFailures: escrow?.transientFailures ?? 0, stoppedTransient: false }, escrow?.lastError ?? null);
    // L-7: a partly failed run opens an episode that lasts until a run succeeds. A run that got
    // this far ran on an active configuration (none starts while it needs re-authorization), so
    // a lost-authorization episode is over (M-5).
    if (state === 'partly_failed') {
      await signalAlert(deps, { kind: 'run_partly_failed', configurationId: row.id, runId, message: `A run partly failed: ${failed} of ${totals.appCalls} operations failed.` });
    } else if (state === 'succeeded') {
      await signalAlert(deps, { ended: 'run_partly_failed', configurationId: row.id });
    }
    if (state !== 'failed') await signalAlert(deps, { ended: 'needs_reauthorization', configurationId: row.id });
    if (request.trigger !== 'change' && request.trigger !== 'on_demand' && request.trigger !== 'retry') await markFullSync(db, row.id, now);
  } catch (err) {
    // Keep the records of what was done before the run stopped.
    await batcher?.flush();
    const message = err instanceof AppCallError ? err.message : `The run stopped: ${(err as Error).message}`;
    if (err instanceof AppCallError && err.kind === 'unauthorized') {
      await markNeedsReauthorization(db, request.configurationId, clock.now());
      await signalAlert(deps, {
        kind: 'needs_reauthorization',
        configurationId: request.configurationId,
        runId,
        message: `The app refused autoprov's authorization (${err.reason}). A super-admin must re-authorize it; nothing is sent until then.`,
      });
    }
    await recorder?.settled();
    await updateRun(db, runId, { state: 'failed', endedAt: clock.now(), counts, error: message });
    // A run that stopped is a failure of its own (E-8, L-5), whoever it had reached.
    if (!request.dryRun) {
      await recordRunFailure(db, request.configurationId, runId, message, clock.now());
      const stoppedTransient = err instanceof AppCallError && err.kind === 'transient';
      await noteHealth(deps, request.configurationId, runId, { operations: 0, succeeded: 0, transientFailures: 0, stoppedTransient }, message);
    }
  }
  return runId;
}

/**
 * E-17: what this run says about the app's health goes on record; quarantine starts (alerted
 * once per episode) or ends here when a run shows it.
 */
async function noteHealth(deps: EngineDeps, configurationId: string, runId: string, health: RunHealth, lastError: string | null) {
  const { quarantined, recovered } = await recordRunHealth(deps.db, configurationId, health, lastError, deps.clock.now());
  if (quarantined) {
    await signalAlert(deps, { kind: 'quarantined', configurationId, runId, message: `The app was quarantined: ${quarantined} Runs turn into light probes until it answers again.` });
  }
  if (recovered) await signalAlert(deps, { ended: 'quarantined', configurationId });
}

/** E-3 at scale: the app's accounts by lower-cased userName, or null when they cannot be read in one go. */
async function readAllAccounts(app: AppPort): Promise<Map<string, RemoteAccount> | null> {
  const existing = new Map<string, RemoteAccount>();
  try {
    for await (const account of app.listUsers()) existing.set(account.userName.toLowerCase(), account);
    return existing;
  } catch (err) {
    // A failed bulk read costs speed, not correctness: fall back to a search per user.
    if (err instanceof AppCallError && err.kind === 'unauthorized') throw err;
    return null;
  }
}
