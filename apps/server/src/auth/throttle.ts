import { eq, inArray } from 'drizzle-orm';
import { signInThrottle, type AppDatabase, transaction } from '@autoprov/db';
import type { Clock } from '@autoprov/directory';

/**
 * How failures under one key slow the next attempt: the first `free` cost nothing, then each
 * one doubles the wait, up to `maxMs` — a delay, never a lock. A key forgets its failures after
 * `forgetAfterMs` without one.
 */
export interface ThrottlePolicy {
  free: number;
  baseMs: number;
  maxMs: number;
  forgetAfterMs: number;
}

const minute = 60_000;
const policies = {
  /** One account, from every address that has no trusted-device cookie for it. */
  account: { free: 5, baseMs: 1000, maxMs: 15 * minute, forgetAfterMs: 60 * minute },
  /** One address (an IPv6 /64), across accounts: password spraying. Roomier: proxies are shared. */
  address: { free: 20, baseMs: 1000, maxMs: 15 * minute, forgetAfterMs: 60 * minute },
  /** A browser the admin signed in from before (OWASP "device cookies"). */
  device: { free: 5, baseMs: 1000, maxMs: 15 * minute, forgetAfterMs: 60 * minute },
  /** First-run setup attempts, per address. */
  setup: { free: 10, baseMs: 1000, maxMs: 15 * minute, forgetAfterMs: 60 * minute },
} satisfies Record<string, ThrottlePolicy>;

export interface ThrottleKey {
  key: string;
  policy: ThrottlePolicy;
}

export const throttleKeys = {
  account: (email: string): ThrottleKey => ({ key: `account:${email.toLowerCase()}`, policy: policies.account }),
  address: (group: string): ThrottleKey => ({ key: `address:${group}`, policy: policies.address }),
  device: (id: string): ThrottleKey => ({ key: `device:${id}`, policy: policies.device }),
  setup: (group: string): ThrottleKey => ({ key: `setup:${group}`, policy: policies.setup }),
  /** A signed-in admin asked for their password again (changing it, turning two-factor off). */
  reauth: (adminId: string): ThrottleKey => ({ key: `reauth:${adminId}`, policy: policies.device }),
};

export function delayAfter(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.free) return 0;
  return Math.min(policy.baseMs * 2 ** (failures - policy.free), policy.maxMs);
}

/** Failed-attempt counters in the database: they survive a restart and are shared by processes. */
export class SignInThrottle {
  constructor(
    private readonly db: AppDatabase,
    private readonly clock: Clock,
  ) {}

  /** Milliseconds before any of these keys lets an attempt through (0: now). */
  async waitMs(keys: readonly ThrottleKey[]): Promise<number> {
    if (keys.length === 0) return 0;
    const now = this.clock.now().getTime();
    const rows = await this.db
      .select()
      .from(signInThrottle)
      .where(
        inArray(
          signInThrottle.key,
          keys.map((k) => k.key),
        ),
      );
    return Math.max(0, ...rows.map((r) => r.blockedUntil.getTime() - now));
  }

  /** Counts a failure under each key. Attempts refused while waiting are not counted. */
  async failed(keys: readonly ThrottleKey[]): Promise<void> {
    const now = this.clock.now();
    await transaction(this.db, async (tx) => {
      for (const { key, policy } of keys) {
        const row = (await tx.select().from(signInThrottle).where(eq(signInThrottle.key, key)).limit(1))[0];
        const stale = !row || now.getTime() - row.lastFailureAt.getTime() > policy.forgetAfterMs;
        const failures = (stale ? 0 : row.failures) + 1;
        const blockedUntil = new Date(now.getTime() + delayAfter(failures, policy));
        await tx.insert(signInThrottle)
          .values({ key, failures, lastFailureAt: now, blockedUntil })
          .onConflictDoUpdate({ target: signInThrottle.key, set: { failures, lastFailureAt: now, blockedUntil } });
      }
    });
  }

  async clear(keys: readonly ThrottleKey[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db
      .delete(signInThrottle)
      .where(
        inArray(
          signInThrottle.key,
          keys.map((k) => k.key),
        ),
      );
  }
}
