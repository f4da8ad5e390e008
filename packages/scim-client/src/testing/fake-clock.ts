import type { PacerClock } from '../pacer.js';

const settle = () => new Promise((r) => setImmediate(r));

/**
 * A pacer clock that moves only when the test says (`advance`), firing due timers in order and
 * letting the event loop run between them, so what a request does at each instant has happened.
 */
export class FakeClock implements PacerClock {
  private t = 0;
  private timers: { at: number; fn: () => void }[] = [];
  now = () => this.t;
  setTimer = (fn: () => void, ms: number) => {
    const timer = { at: this.t + ms, fn };
    this.timers.push(timer);
    return () => void (this.timers = this.timers.filter((x) => x !== timer));
  };
  /** When the next timer is due, or null when none is set. */
  get nextTimerAt(): number | null {
    return this.timers.length === 0 ? null : Math.min(...this.timers.map((x) => x.at));
  }
  async advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      await settle();
      const next = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.timers = this.timers.filter((x) => x !== next);
      this.t = next.at;
      next.fn();
    }
    this.t = end;
    await settle();
  }
}
