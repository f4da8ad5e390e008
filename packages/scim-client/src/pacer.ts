/**
 * E-18: one app's pace, shared by every request to it. A token bucket (rate, burst) and a
 * concurrency gate; when the app says "too many" (429, or 503 with Retry-After) the whole app
 * pauses until Retry-After, the rate drops to half of what the app was accepting, and then
 * climbs back: quickly to just below the rate that was refused, slowly beyond it.
 */

/** The limits an app publishes (catalog) or a super-admin sets. */
export interface AppLimits {
  /** Limits of some operations only, on top of the overall pace (see operation-limits.ts). */
  perOperation?: readonly { operations: string[]; ratePerSecond: number; burst: number }[];
  /** Requests started per second at most. */
  ratePerSecond: number;
  /** Requests that may start at once after a quiet spell. */
  burst: number;
  /** Requests in flight at once at most. */
  concurrency: number;
}

/** Time as the pacer sees it (milliseconds), injectable so tests run on a fake clock. */
export interface PacerClock {
  now(): number;
  /** Calls `fn` after `ms`; returns a function that cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
}

export const systemPacerClock: PacerClock = {
  now: () => performance.now(),
  setTimer: (fn, ms) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

/** A request's right to go: `episode` tells whether a refusal of it is news (see `throttled`). */
export interface PacerPermit {
  readonly episode: number;
}

export interface PacerOptions {
  clock?: PacerClock;
  /** Longest app-wide pause, whatever Retry-After says: a run is never held for hours. */
  maxPauseMs?: number;
}

/** Below this share of the refused rate the climb is quick; above it, a slow probe. */
const PLATEAU = 0.9;
/** Multiplicative decrease. */
const DECREASE = 0.5;

export class Pacer {
  private current: number;
  private tokens: number;
  private refilledAt: number;
  private pausedUntil = 0;
  private inFlight = 0;
  /** Bumped at each slow-down: refusals of requests sent before it belong to the same episode. */
  private episode = 0;
  /** The rate the app was accepting when it last refused (the limit found), if it ever did. */
  private found: number | null = null;
  /** Successes since the pace last changed, to measure what the app accepts. */
  private measuredFrom: number;
  private successes = 0;
  private raisedAt: number;
  private readonly floor: number;
  private readonly waiting: ((permit: PacerPermit) => void)[] = [];
  private cancelTimer: (() => void) | null = null;
  private readonly clock: PacerClock;
  private readonly maxPauseMs: number;

  constructor(
    readonly limits: AppLimits,
    options: PacerOptions = {},
  ) {
    this.clock = options.clock ?? systemPacerClock;
    this.maxPauseMs = options.maxPauseMs ?? 120_000;
    this.current = limits.ratePerSecond;
    // Never slower than one request every 20 s (or the limit itself, if lower).
    this.floor = Math.min(limits.ratePerSecond, 0.05);
    this.tokens = this.capacity();
    const now = this.clock.now();
    this.refilledAt = now;
    this.measuredFrom = now;
    this.raisedAt = now;
  }

  /** The rate requests start at now (requests/s). */
  get rate(): number {
    return this.current;
  }

  /** When the app-wide pause ends (clock time), or null when not paused. */
  get pausedUntilMs(): number | null {
    return this.pausedUntil > this.clock.now() ? this.pausedUntil : null;
  }

  async run<T>(task: (permit: PacerPermit) => Promise<T>): Promise<T> {
    const permit = await new Promise<PacerPermit>((resolve) => {
      this.waiting.push(resolve);
      this.pump();
    });
    try {
      return await task(permit);
    } finally {
      this.inFlight--;
      this.pump();
    }
  }

  /** The app accepted a request: climb back (additive increase, per second elapsed). */
  succeeded(): void {
    const now = this.clock.now();
    this.successes++;
    const seconds = Math.min(now - this.raisedAt, 1000) / 1000;
    this.raisedAt = now;
    if (this.current >= this.limits.ratePerSecond || seconds <= 0) return;
    const found = this.found ?? this.limits.ratePerSecond;
    // Back to just below the refused rate within about two seconds, then probe 1% a second
    // (never slower than a thousandth of the published rate, so an underestimate heals).
    const slope = this.current < PLATEAU * found ? found / 2 : Math.max(this.current / 100, this.limits.ratePerSecond / 1000);
    this.current = Math.min(this.limits.ratePerSecond, this.current + slope * seconds);
  }

  /**
   * The app refused a request as too many (429, or 503 with Retry-After). Every request of the
   * app waits until Retry-After (or `fallbackPauseMs`); the rate halves once per episode: the
   * other refusals of requests already in flight are the same news.
   */
  throttled(permit: PacerPermit, retryAfterMs: number | null, fallbackPauseMs: number): void {
    const now = this.clock.now();
    const pause = Math.min(retryAfterMs ?? fallbackPauseMs, this.maxPauseMs);
    this.pausedUntil = Math.max(this.pausedUntil, now + pause);
    // One request goes when the pause ends (what Retry-After invites), the rest at the rate.
    this.tokens = 1;
    if (permit.episode !== this.episode) return;
    this.episode++;
    // What the app was really accepting: successes over the time since the last change (at
    // least a second, so a burst at the start does not read as a high rate). Few successes
    // may only mean little was asked: the limit found is never under a quarter of the rate.
    const accepted = this.successes / Math.max(1, (now - this.measuredFrom) / 1000);
    this.found = Math.max(this.floor, Math.min(this.current, accepted), this.current / 4);
    this.current = Math.max(this.floor, this.found * DECREASE);
    this.measuredFrom = this.pausedUntil;
    this.successes = 0;
    this.raisedAt = this.pausedUntil;
    this.pump();
  }

  /** Never more at once than a second's worth at the current rate, nor the burst. */
  private capacity(): number {
    return Math.max(1, Math.min(this.limits.burst, this.current));
  }

  private pump(): void {
    const now = this.clock.now();
    if (this.waiting.length === 0) return;
    if (now < this.pausedUntil) return this.wake(this.pausedUntil - now);
    // Nothing accrues during a pause.
    const from = Math.max(this.refilledAt, this.pausedUntil);
    this.tokens = Math.min(this.capacity(), this.tokens + (Math.max(0, now - from) / 1000) * this.current);
    this.refilledAt = now;
    while (this.waiting.length > 0 && this.inFlight < this.limits.concurrency && this.tokens >= 1) {
      this.tokens -= 1;
      this.inFlight++;
      this.waiting.shift()!({ episode: this.episode });
    }
    if (this.waiting.length > 0 && this.inFlight < this.limits.concurrency) this.wake(((1 - this.tokens) / this.current) * 1000);
  }

  /** One timer at most: when it fires early (the pause grew), pump sets the next. */
  private wake(ms: number): void {
    if (this.cancelTimer) return;
    this.cancelTimer = this.clock.setTimer(
      () => {
        this.cancelTimer = null;
        this.pump();
      },
      Math.max(1, ms),
    );
  }
}
