import type { PacerClock } from '../pacer.js';

/**
 * A pacer clock whose time jumps straight to each timer as it is set (the next tick of the
 * event loop), so minutes of pacing pass in milliseconds. A fake vendor reading `now` sees
 * requests arrive at the times the pacer let them go.
 */
export function virtualClock(): PacerClock {
  let t = 0;
  return {
    now: () => t,
    setTimer(fn, ms) {
      let cancelled = false;
      const at = t + ms;
      setTimeout(() => {
        if (cancelled) return;
        t = Math.max(t, at);
        fn();
      }, 0);
      return () => void (cancelled = true);
    },
  };
}
