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
  readonly pool: Pool;
  readonly pacer: Pacer;
  /** The vendor's limits on some operations (Slack's 180 creates a minute), waited for before the pacer. */
  readonly operations: OperationLimits;
  /** Lets requests in flight finish, then closes the connections. */
  close(): Promise<void>;
}

/** `limits.concurrency` is also the number of kept-alive connections. */
export function createAppChannel(origin: string, limits: AppLimits, options: PacerOptions = {}): AppChannel {
  const at = new URL(origin).origin;
  const pool = new Pool(at, {
    connections: limits.concurrency,
    // One request per connection at a time: SCIM servers rarely pipeline well.
    pipelining: 1,
    // Kept alive between requests (the point of the pool), but not past what servers allow.
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    connect: { timeout: 10_000 },
  });
  return {
    origin: at,
    pool,
    pacer: new Pacer(limits, options),
    operations: new OperationLimits(limits.perOperation, options.clock),
    close: async () => {
      if (!pool.closed) await pool.close();
    },
  };
}
