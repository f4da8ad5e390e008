import type { OpenDatabase } from '@autoprov/db';
import type { ReadinessCheck } from './routes.js';

/**
 * Whether the scheduler is alive: it asks for the latest directory change on every look (once a
 * second), so the time of the last question says it. Stopped or stuck, it goes quiet.
 */
export class SchedulerHeartbeat {
  private last: number | null = null;
  /** Waiting for the engine lock another process holds (PostgreSQL): healthy, ready to take over. */
  private waiting = false;

  constructor(
    private readonly now: () => number = Date.now,
    /** Quiet for longer than this: not ready (a look is due every second). */
    private readonly graceMs = 30_000,
  ) {}

  /** Called on each of the scheduler's looks. */
  beat(): void {
    this.waiting = false;
    this.last = this.now();
  }

  /** This process stands by while another runs the engine (issue 16). */
  standby(): void {
    this.waiting = true;
  }

  /** The scheduler stopped on purpose (shutdown): not ready at once. */
  stopped(): void {
    this.waiting = false;
    this.last = null;
  }

  readonly check: ReadinessCheck = () => {
    if (this.waiting) return { ok: true, detail: 'Standing by: another process runs the engine.' };
    if (this.last === null) return { ok: false, detail: 'The scheduler is not running.' };
    const quietMs = this.now() - this.last;
    return quietMs <= this.graceMs ? { ok: true } : { ok: false, detail: `The scheduler has not looked for work for ${Math.round(quietMs / 1000)} s.` };
  };
}

/**
 * Readiness of a process (issue 16): the database answers a query and carries every migration
 * of this build; where the process runs the engine, its scheduler is looking for work.
 */
export function readinessChecks(database: Pick<OpenDatabase, 'ping' | 'migrationsApplied'>, scheduler: SchedulerHeartbeat | null): Record<string, ReadinessCheck> {
  return {
    database: async () => {
      await database.ping();
      return { ok: true };
    },
    migrations: async () => {
      const { applied, shipped } = await database.migrationsApplied();
      return applied ? { ok: true, detail: `${shipped} applied` } : { ok: false, detail: 'The database lacks migrations of this build.' };
    },
    ...(scheduler ? { scheduler: scheduler.check } : {}),
  };
}
