import { and, eq, inArray } from 'drizzle-orm';
import { AppError } from '@autoprov/contract';
import { syncRuns, type AppDatabase } from '@autoprov/db';
import type { Clock } from '@autoprov/directory';
import { createRun } from '@autoprov/engine';
import type { ProvisioningControl } from '../deps.js';
import type { ProcessRole } from '../env.js';

/** Whether a process of this role runs the scheduler and engine, and whether it serves the console. */
export const roleDoes = (role: ProcessRole) => ({ runsEngine: role !== 'web', servesConsole: role !== 'worker' });

const refusal = (why: string) => (): never => {
  throw new AppError('unavailable', why);
};
const webOnly = 'This autoprov process serves the console only (AUTOPROV_ROLE=web), and this run needs the engine at hand: ask from a process whose role is all.';
const standingBy = 'Another autoprov process runs the engine on this database, and this run needs the engine at hand: ask again in a moment, or from that process.';

/**
 * What the console may ask of the engine, in a process of this role. A web-only process runs
 * nothing itself: a run asked for from the console is queued in the database, as a pending run,
 * for the process that runs the engine (which takes queued runs when it starts; continuously
 * with the shared job queue of issue 16, item 2). What a queued row cannot carry (a held run
 * allowed, timers carried out) is refused, saying why. Refusing a held run only writes to the
 * database: any process may do it.
 *
 * A process whose role runs the engine may be standing by while another holds it (PostgreSQL,
 * `engineHere` false): it then queues like a web process, so that two never run one app.
 */
export function provisioningFor(role: ProcessRole, scheduler: ProvisioningControl, db: AppDatabase, clock: Clock, engineHere: () => boolean = () => true): ProvisioningControl {
  if (!roleDoes(role).runsEngine) return queuedRuns(scheduler, db, clock, refusal(webOnly));
  const queued = queuedRuns(scheduler, db, clock, refusal(standingBy));
  const here = () => (engineHere() ? scheduler : queued);
  return {
    requestRun: async (...args) => await here().requestRun(...args),
    requestUserRun: async (...args) => await here().requestUserRun(...args),
    allowHeldRun: async (...args) => await here().allowHeldRun(...args),
    probe: async (...args) => await here().probe(...args),
    retryUser: async (...args) => await here().retryUser(...args),
    cancelHeldRun: async (...args) => await here().cancelHeldRun(...args),
  };
}

/** The console's asks as rows for the engine's process to take; `notHere` refuses what a row cannot carry. */
function queuedRuns(scheduler: ProvisioningControl, db: AppDatabase, clock: Clock, notHere: () => never): ProvisioningControl {
  const busy = async (configurationId: string) =>
    (await db
      .select({ id: syncRuns.id })
      .from(syncRuns)
      .where(and(eq(syncRuns.configurationId, configurationId), inArray(syncRuns.state, ['pending', 'running']))).limit(1))[0] !== undefined;
  return {
    requestRun: async (configurationId, trigger, extra = {}) => {
      const { dryRun = false, ...needsTheEngine } = extra;
      if (Object.values(needsTheEngine).some((v) => v !== undefined)) notHere();
      return await createRun(db, configurationId, trigger, dryRun, clock.now());
    },
    // E-20: the row keeps the user, so the run is rebuilt for them alone, exchanges kept.
    requestUserRun: async (configurationId, userId) => {
      const queued = await busy(configurationId);
      return { runId: await createRun(db, configurationId, 'on_demand', false, clock.now(), userId), queued };
    },
    allowHeldRun: notHere,
    // E-16, E-17: a probe or one user's retry needs the engine at hand.
    probe: notHere,
    retryUser: notHere,
    cancelHeldRun: async (configurationId, by) => await scheduler.cancelHeldRun(configurationId, by),
  };
}
