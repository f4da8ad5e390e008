import { systemPacerClock, type PacerClock } from './pacer.js';

/**
 * A limit a vendor puts on some operations only (Slack: 180 creates a minute; Miro: 20
 * deletions per 30 s), on top of the app's overall pace. The operations listed share it.
 */
export interface OperationLimit {
  /** `METHOD /Resource`, e.g. `POST /Users`, `DELETE /Users`, `PATCH /Groups`. */
  operations: string[];
  ratePerSecond: number;
  /** At most this many at once after a quiet spell: `burst + rate × window` stays within the vendor's window. */
  burst: number;
}

/** `PATCH /Users` for `PATCH /Users/42?x=1`: the operation a vendor counts. */
export function operationOf(method: string, path: string): string {
  const resource = /^\/?([^/?]+)/.exec(path)?.[1] ?? '';
  return `${method.toUpperCase()} /${resource}`;
}

/** One token bucket: waiters are served in order, one timer at most. */
class Bucket {
  private tokens: number;
  private refilledAt: number;
  private readonly waiting: (() => void)[] = [];
  private cancelTimer: (() => void) | null = null;

  constructor(
    private readonly limit: OperationLimit,
    private readonly clock: PacerClock,
  ) {
    this.tokens = Math.max(1, limit.burst);
    this.refilledAt = clock.now();
  }

  take(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.pump();
    });
  }

  private pump(): void {
    const now = this.clock.now();
    this.tokens = Math.min(Math.max(1, this.limit.burst), this.tokens + ((now - this.refilledAt) / 1000) * this.limit.ratePerSecond);
    this.refilledAt = now;
    while (this.waiting.length > 0 && this.tokens >= 1) {
      this.tokens -= 1;
      this.waiting.shift()!();
    }
    if (this.waiting.length > 0 && !this.cancelTimer) {
      this.cancelTimer = this.clock.setTimer(
        () => {
          this.cancelTimer = null;
          this.pump();
        },
        Math.max(1, ((1 - this.tokens) / this.limit.ratePerSecond) * 1000),
      );
    }
  }
}

/** The per-operation limits of one app: a request waits for its operation's bucket, if it has one. */
export class OperationLimits {
  private buckets = new Map<string, Bucket>();

  constructor(
    limits: readonly OperationLimit[] = [],
    private readonly clock: PacerClock = systemPacerClock,
  ) {
    this.setLimits(limits);
  }

  /**
   * E-18: new limits (a super-admin changed them) for the requests to come; a request already
   * waiting for its operation's old bucket still goes when that one lets it.
   */
  setLimits(limits: readonly OperationLimit[] = []): void {
    const buckets = new Map<string, Bucket>();
    for (const limit of limits) {
      const bucket = new Bucket(limit, this.clock);
      for (const operation of limit.operations) buckets.set(operation.toUpperCase(), bucket);
    }
    this.buckets = buckets;
  }

  /** Resolves when a request of `operation` (see `operationOf`) may be sent. */
  async take(operation: string): Promise<void> {
    await this.buckets.get(operation.toUpperCase())?.take();
  }
}
