import { RateLimiterMemory } from 'rate-limiter-flexible';

/**
 * Failed attempts are counted per (address, client) and per client; a success clears the
 * first. Blocks last 15 minutes, as OWASP suggests for interactive logins.
 */
export function failedAttemptLimiter(name: string, perAccountPoints = 5, perClientPoints = 30) {
  const window = 15 * 60;
  const perAccount = new RateLimiterMemory({ keyPrefix: `${name}-account`, points: perAccountPoints, duration: window, blockDuration: window });
  const perClient = new RateLimiterMemory({ keyPrefix: `${name}-client`, points: perClientPoints, duration: window, blockDuration: window });
  const key = (account: string, client: string) => `${account.toLowerCase()}|${client}`;

  return {
    /** Seconds to wait if this client or this account is blocked now, else null. */
    async blockedFor(account: string, client: string): Promise<number | null> {
      const results = await Promise.all([perAccount.get(key(account, client)), perClient.get(client)]);
      const waits = results.filter((r) => r != null && r.remainingPoints <= 0).map((r) => r!.msBeforeNext);
      return waits.length > 0 ? Math.ceil(Math.max(...waits) / 1000) : null;
    },
    async failed(account: string, client: string): Promise<void> {
      // consume() rejects once the points are spent; the block it starts is what we want.
      await Promise.allSettled([perAccount.consume(key(account, client)), perClient.consume(client)]);
    },
    async succeeded(account: string, client: string): Promise<void> {
      await perAccount.delete(key(account, client));
    },
  };
}

export type FailedAttemptLimiter = ReturnType<typeof failedAttemptLimiter>;
