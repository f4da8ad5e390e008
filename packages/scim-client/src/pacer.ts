/**
 * E-18: one app's pace, shared by every request to it. A token bucket (rate, burst) and a
 * concurrency gate; when the app says "too many" (429, or 503 with Retry-After) the whole app
 * pauses until Retry-After. Each refusal costs that whole pause, so the pacer behaves like TCP
 * CUBIC/BBR rather than plain AIMD: it remembers the limit found (what the app accepted over a
 * sliding window when it refused), holds just below it, probes beyond only after minutes of
 * calm and gently, and lowers the limit found at each refusal.
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

/**
 * Once a limit is found, the pace holds at this share of it: just below, not on, the edge.
 * Close to 1 on purpose: with a 10 s Retry-After a 100 s run loses 10% to its first pause, so
 * holding at 95% could never reach 90% of the limit over the run.
 */
const HOLD = 0.99;
/** A refusal while holding means the limit found was too high: it comes down by this much more. */
const MISJUDGED = 0.95;
/** Calm (no refusal) before probing beyond the hold: each refusal costs a whole Retry-After. */
const CALM_MS = 180_000;
/** The probe's first slope, a share of the limit per second (3% a minute); it doubles each minute. */
const PROBE = 0.0005;
/** What the app accepted is measured over this much of the recent past (time paused or idle left out). */
const WINDOW_MS = 30_000;
/** Rounding slack: a token short by a rounding error is a token (not a 1 ms timer per request). */
const EPSILON = 1e-9;
/** A refusal asking for a shorter pause does not set the limit found (see `throttled`). */
const MEASURED_PAUSE_MS = 1000;
/** A refusal with nothing accepted to measure: classic multiplicative decrease. */
const DECREASE = 0.5;

export class Pacer {
  private current: number;
  private tokens: number;
  private refilledAt: number;
  private pausedUntil = 0;
  private inFlight = 0;
  /** Bumped at each slow-down: refusals of requests sent before it belong to the same episode. */
  private episode = 0;
  /** The app's limit as last found (what it accepted when it refused), if it ever refused. */
  private ceiling: number | null = null;
  /** When the pace last came down (the end of that pause): probing waits for a calm spell. */
  private calmSince = 0;
  /** When successes started counting (the first request). */
  private measuredFrom: number | null = null;
  /**
   * Recent spells [start, end) paused or idle (nothing asked): not time the app could accept
   * anything in, so not counted when measuring what it accepted.
   */
  private gaps: [number, number][] = [];
  private idleSince: number | null = null;
  /** Times of recent successes (oldest first from `head`): a sliding window of what the app accepted. */
  private successTimes: number[] = [];
  private head = 0;
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
    this.raisedAt = now;
  }

  /** The rate requests start at now (requests/s). */
  get rate(): number {
    return this.current;
  }

  /** The app's limit as last found, or null while it has never refused. */
  get limitFound(): number | null {
    return this.ceiling;
  }

  /** When the app-wide pause ends (clock time), or null when not paused. */
  get pausedUntilMs(): number | null {
    return this.pausedUntil > this.clock.now() ? this.pausedUntil : null;
  }

  async run<T>(task: (permit: PacerPermit) => Promise<T>): Promise<T> {
    if (this.idleSince !== null) {
      this.gap(this.idleSince, this.clock.now());
      this.idleSince = null;
    }
    const permit = await new Promise<PacerPermit>((resolve) => {
      this.waiting.push(resolve);
      this.pump();
    });
    try {
      return await task(permit);
    } finally {
      this.inFlight--;
      if (this.inFlight === 0 && this.waiting.length === 0) this.idleSince = this.clock.now();
      this.pump();
    }
  }

  private gap(start: number, end: number): void {
    if (end <= start) return;
    if (this.gaps.length >= 64) this.gaps = this.gaps.filter(([, until]) => until > this.clock.now() - WINDOW_MS);
    this.gaps.push([start, end]);
  }

  /**
   * The app accepted a request. Below the hold (just under the limit found) the pace climbs
   * back within about two seconds; at the hold it stays, and only after a calm spell of minutes
   * probes beyond, slowly at first (CUBIC's shape: the limit may have risen, or been
   * underestimated).
   */
  succeeded(): void {
    const now = this.clock.now();
    this.successTimes.push(now);
    if (this.successTimes.length - this.head > 4096) this.forget(now - WINDOW_MS);
    const seconds = Math.min(now - this.raisedAt, 1000) / 1000;
    this.raisedAt = now;
    if (this.current >= this.limits.ratePerSecond || seconds <= 0) return;
    const limit = this.ceiling ?? this.limits.ratePerSecond;
    const hold = this.ceiling === null ? limit : HOLD * limit;
    if (this.current < hold) this.current = Math.min(hold, this.current + (limit / 2) * seconds);
    else if (now - this.calmSince >= CALM_MS) {
      const probingFor = (now - this.calmSince - CALM_MS) / 60_000;
      this.current += PROBE * limit * 2 ** Math.min(probingFor, 10) * seconds;
    }
    this.current = Math.min(this.limits.ratePerSecond, this.current);
  }

  /**
   * The app refused a request as too many (429, or 503 with Retry-After). Every request of the
   * app waits until Retry-After (or `fallbackPauseMs`); once per episode (the other refusals
   * of requests already in flight are the same news) the limit is taken as what the app was
   * accepting, and the pace settles just below it.
   */
  throttled(permit: PacerPermit, retryAfterMs: number | null, fallbackPauseMs: number): void {
    const now = this.clock.now();
    const pause = Math.min(retryAfterMs ?? fallbackPauseMs, this.maxPauseMs);
    this.pausedUntil = Math.max(this.pausedUntil, now + pause);
    // One request goes when the pause ends (what Retry-After invites), the rest at the rate.
    this.tokens = 1;
    if (permit.episode !== this.episode) return;
    this.episode++;
    // Told to come back within a second, the app is not counting a window: a cheap, weak signal.
    const accepted = pause >= MEASURED_PAUSE_MS ? this.accepted(now) : null;
    if (accepted === null) {
      // Nothing to measure a limit from: halve, and keep the limit found (if any) to climb back to.
      this.current = Math.max(this.floor, this.current * DECREASE);
    } else {
      // The app accepted `accepted` a second and refused at `current`: its limit is the lower of
      // the two; refused while holding (not probing), the limit found was wrong: lower it more.
      const holding = this.ceiling !== null && this.current <= HOLD * this.ceiling + 1e-9;
      this.ceiling = Math.max(this.floor, Math.min(this.current, accepted) * (holding ? MISJUDGED : 1));
      this.current = Math.max(this.floor, HOLD * this.ceiling);
    }
    this.calmSince = this.pausedUntil;
    this.gap(now, this.pausedUntil);
    this.raisedAt = this.pausedUntil;
    this.pump();
  }

  /**
   * Successes a second over the recent window (at least a second long, so a burst does not read
   * as a high rate), or null with none. Time paused or idle is left out: nothing was asked of
   * the app then (a run that reads its directory between two requests is not a slow app).
   */
  private accepted(now: number): number | null {
    const from = Math.max(now - WINDOW_MS, this.measuredFrom ?? now);
    this.forget(from);
    const count = this.successTimes.length - this.head;
    // Gaps may overlap (idle during a pause): counted once, in time order.
    let paused = 0;
    let upTo = from;
    for (const [start, end] of [...this.gaps].sort((a, b) => a[0] - b[0])) {
      const s = Math.max(start, upTo);
      const e = Math.min(end, now);
      if (e > s) paused += e - s;
      upTo = Math.max(upTo, e);
    }
    return count === 0 ? null : count / Math.max(1, (now - from - paused) / 1000);
  }

  /** Drops successes from before `before` (never needed again), compacting now and then. */
  private forget(before: number): void {
    while (this.head < this.successTimes.length && this.successTimes[this.head]! < before) this.head++;
    if (this.head > 1024 && this.head * 2 > this.successTimes.length) {
      this.successTimes = this.successTimes.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * Never more at once than the burst, nor a second's worth at the current rate. Once the app
   * has refused, a burst on top of a pace just below its limit is what a window-counting app
   * refuses: then one request, plus half the margin below the limit found (at 99% of 20/s, 1.1:
   * timers that fire a few ms late are made up for, and a second still never holds 21).
   */
  private capacity(): number {
    if (this.ceiling === null) return Math.max(1, Math.min(this.limits.burst, this.current));
    return Math.min(Math.max(1, this.limits.burst), 1 + Math.max(0, this.ceiling - this.current) / 2);
  }

  private pump(): void {
    const now = this.clock.now();
    if (this.waiting.length === 0) return;
    if (now < this.pausedUntil) return this.wake(this.pausedUntil - now);
    // Nothing accrues during a pause.
    const from = Math.max(this.refilledAt, this.pausedUntil);
    this.tokens = Math.min(this.capacity(), this.tokens + (Math.max(0, now - from) / 1000) * this.current);
    this.refilledAt = now;
    while (this.waiting.length > 0 && this.inFlight < this.limits.concurrency && this.tokens >= 1 - EPSILON) {
      this.tokens = Math.max(0, this.tokens - 1);
      this.measuredFrom ??= now;
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
