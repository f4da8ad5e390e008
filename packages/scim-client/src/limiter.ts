/**
 * Per-app limits: at most `concurrency` requests in flight and `perSecond` started per second
 * (a token bucket refilled continuously). Apps publish such limits; exceeding them earns 429s.
 */
export class RequestLimiter {
  private inFlight = 0;
  private tokens: number;
  private last = performance.now();
  private readonly waiting: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly concurrency: number,
    private readonly perSecond: number,
  ) {
    this.tokens = perSecond;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.pump();
    });
    try {
      return await task();
    } finally {
      this.inFlight--;
      this.pump();
    }
  }

  private pump() {
    const now = performance.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    while (this.waiting.length > 0 && this.inFlight < this.concurrency && this.tokens >= 1) {
      this.tokens -= 1;
      this.inFlight++;
      this.waiting.shift()!();
    }
    if (this.waiting.length > 0 && this.inFlight < this.concurrency && !this.timer) {
      const wait = Math.max(1, ((1 - this.tokens) / this.perSecond) * 1000);
      this.timer = setTimeout(() => {
        this.timer = null;
        this.pump();
      }, wait);
    }
  }
}
