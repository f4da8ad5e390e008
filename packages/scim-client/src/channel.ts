import { Pool } from 'undici';
import { OperationLimits } from './operation-limits.js';
import { Pacer, type AppLimits, type PacerOptions } from './pacer.js';

/**
 * Everything requests to one app share: a keep-alive connection pool to its origin (undici,
 * Node's own HTTP client) and the limits the app publishes. One per app, so every client of
 * the app, and every configuration of the same tenant, spends the same budget.
 */
export interface AppChannel {
  /** The only origin the pool connects to: requests for any other are refused before leaving. */
  readonly origin: string;
  /** The connections requests go on now (another one after the concurrency changed). */
  readonly pool: Pool;
  readonly pacer: Pacer;
  /** The vendor's limits on some operations (Slack's 180 creates a minute), waited for before the pacer. */
  readonly operations: OperationLimits;
  /** The limits the channel paces by. */
  readonly limits: AppLimits;
  /**
   * E-18: paces by new limits from now on (a super-admin changed them), for every client of the
   * channel, with no restart: requests waiting take them too.
   */
  setLimits(limits: AppLimits): void;
  /** Lets requests in flight finish, then closes the connections. */
  close(): Promise<void>;
}

function poolTo(origin: string, connections: number): Pool {
  return new Pool(origin, {
    connections,
    // One request per connection at a time: SCIM servers rarely pipeline well.
    pipelining: 1,
    // Kept alive between requests (the point of the pool), but not past what servers allow.
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    connect: { timeout: 10_000 },
  });
}

/** `limits.concurrency` is also the number of kept-alive connections. */
export function createAppChannel(origin: string, limits: AppLimits, options: PacerOptions = {}): AppChannel {
  const at = new URL(origin).origin;
  let pool = poolTo(at, limits.concurrency);
  /** Pools left when the concurrency changed: closed once their requests are over. */
  const retired: Promise<void>[] = [];
  const pacer = new Pacer(limits, options);
  const operations = new OperationLimits(limits.perOperation, options.clock);
  return {
    origin: at,
    get pool() {
      return pool;
    },
    pacer,
    operations,
    get limits() {
      return pacer.limits;
    },
    setLimits(next: AppLimits) {
      if (next.concurrency !== pacer.limits.concurrency && !pool.closed) {
        const old = pool;
        pool = poolTo(at, next.concurrency);
        retired.push(old.close());
      }
      pacer.setLimits(next);
      operations.setLimits(next.perOperation);
    },
    close: async () => {
      await Promise.all([...retired, pool.closed ? Promise.resolve() : pool.close()]);
    },
  };
}
