import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ScimClient } from './client.js';
import { Pacer, type PacerClock, type PacerPermit } from './pacer.js';
import { staticToken } from './tokens.js';

/** A clock that moves only when the test says, firing due timers in order. */
class FakeClock implements PacerClock {
  private t = 0;
  private timers: { at: number; fn: () => void }[] = [];
  now = () => this.t;
  setTimer = (fn: () => void, ms: number) => {
    const timer = { at: this.t + ms, fn };
    this.timers.push(timer);
    return () => void (this.timers = this.timers.filter((x) => x !== timer));
  };
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
const settle = () => new Promise((r) => setImmediate(r));

/** Queues `n` requests that finish at once; records when (fake time) each started. */
function queue(pacer: Pacer, clock: FakeClock, n: number, outcome: (permit: PacerPermit, i: number) => void = () => pacer.succeeded()) {
  const started: number[] = [];
  const all = Promise.all(
    Array.from({ length: n }, (_, i) =>
      pacer.run(async (permit) => {
        started.push(clock.now());
        outcome(permit, i);
      }),
    ),
  );
  return { started, all };
}

describe('Pacer (E-18), on a fake clock', () => {
  it('never runs more than the concurrency at once', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ ratePerSecond: 1000, burst: 1000, concurrency: 3 }, { clock });
    let running = 0;
    let peak = 0;
    const all = Promise.all(
      Array.from({ length: 20 }, () =>
        pacer.run(async () => {
          peak = Math.max(peak, ++running);
          await settle();
          running--;
        }),
      ),
    );
    await clock.advance(100);
    await all;
    expect(peak).toBe(3);
  });

  it('starts the burst at once, then no more than the rate', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ ratePerSecond: 10, burst: 5, concurrency: 100 }, { clock });
    const { started, all } = queue(pacer, clock, 30);
    await clock.advance(0);
    expect(started).toHaveLength(5);
    await clock.advance(1000);
    expect(started).toHaveLength(15);
    await clock.advance(1500);
    await all;
    expect(started).toHaveLength(30);
  });

  it('a 429 pauses the whole app until Retry-After, and settles just below what the app accepted, once per episode', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ ratePerSecond: 10, burst: 10, concurrency: 10 }, { clock });
    // Two seconds at the full rate: the app accepts 10/s (a burst of 10, then 10 over a second).
    const warm = queue(pacer, clock, 20);
    await clock.advance(2000);
    await warm.all;
    expect(pacer.rate).toBe(10);
    // Then the app refuses two requests sent together, saying "come back in 5 s".
    const permits: PacerPermit[] = [];
    const sent = queue(pacer, clock, 2, (permit) => void permits.push(permit));
    await clock.advance(100);
    await sent.all;
    const refusedAt = clock.now();
    pacer.throttled(permits[0]!, 5000, 1000);
    pacer.throttled(permits[1]!, 5000, 1000);
    // 20 accepted in the second it was asked (the idle second after is not counted), refused at
    // 10/s: the limit found is 10/s, and the pace holds at 99% of it.
    expect(pacer.limitFound).toBe(10);
    expect(pacer.rate).toBeCloseTo(9.9, 5);
    expect(pacer.pausedUntilMs).toBe(refusedAt + 5000);
    // Another caller's requests (another user, another run) wait for the pause too.
    const others = queue(pacer, clock, 20);
    await clock.advance(4999);
    expect(others.started).toHaveLength(0);
    await clock.advance(1);
    expect(others.started).toHaveLength(1);
    expect(others.started[0]).toBe(refusedAt + 5000);
    // ... and go at the pace, with no burst on top (the burst of 10 was part of what was refused).
    await clock.advance(999);
    expect(others.started.length).toBeGreaterThanOrEqual(9);
    expect(others.started.length).toBeLessThanOrEqual(10);
    await clock.advance(2000);
    await others.all;
  });

  it('a refusal of a request sent before the slow-down is the same news: no second slow-down', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ ratePerSecond: 8, burst: 8, concurrency: 8 }, { clock });
    const permits: PacerPermit[] = [];
    const inFlight = queue(pacer, clock, 4, (permit) => void permits.push(permit));
    await clock.advance(1000);
    await inFlight.all;
    pacer.throttled(permits[0]!, 0, 0);
    const after = pacer.rate;
    pacer.throttled(permits[1]!, 0, 0);
    pacer.throttled(permits[2]!, 0, 0);
    expect(pacer.rate).toBe(after);
    // Nothing was accepted to measure a limit from: the rate halves.
    expect(after).toBe(4);
  });

  it('holds just below the limit found for minutes, then probes gently up to the published rate, never beyond', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ ratePerSecond: 20, burst: 1, concurrency: 10 }, { clock });
    const warm = queue(pacer, clock, 40);
    await clock.advance(2000);
    await warm.all;
    const refused = queue(pacer, clock, 1, (permit) => pacer.throttled(permit, 1000, 1000));
    await clock.advance(10);
    await refused.all;
    const found = pacer.limitFound!;
    expect(found).toBeGreaterThan(19);
    expect(pacer.rate).toBeCloseTo(0.99 * found, 5);
    // Kept busy, it holds there for minutes: no probe, so no refusal (each costs a Retry-After).
    const busy = queue(pacer, clock, 20_000);
    await clock.advance(1000 + 170_000);
    expect(pacer.rate).toBeCloseTo(0.99 * found, 5);
    // After three calm minutes it probes: slowly at first (3% a minute) ...
    await clock.advance(70_000);
    expect(pacer.rate).toBeGreaterThan(0.99 * found);
    expect(pacer.rate).toBeLessThan(1.03 * found);
    // ... then faster, up to the published rate and never beyond.
    await clock.advance(300_000);
    expect(pacer.rate).toBe(20);
    await clock.advance(1_000_000);
    await busy.all;
    expect(pacer.rate).toBe(20);
  });

  it('refused again while holding, the limit found was too high: it comes down by more than the hold', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ ratePerSecond: 50, burst: 1, concurrency: 10 }, { clock });
    const warm = queue(pacer, clock, 40);
    await clock.advance(2000);
    await warm.all;
    const first = queue(pacer, clock, 1, (permit) => pacer.throttled(permit, 1000, 1000));
    await clock.advance(10);
    await first.all;
    const found = pacer.limitFound!;
    const busy = queue(pacer, clock, 30);
    await clock.advance(3000);
    await busy.all;
    const again = queue(pacer, clock, 1, (permit) => pacer.throttled(permit, 1000, 1000));
    await clock.advance(10);
    await again.all;
    expect(pacer.limitFound!).toBeLessThanOrEqual(0.95 * 0.99 * found + 1e-9);
  });

  it('a refusal with nothing accepted to measure, or asking for under a second, halves the rate; it climbs back within seconds', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ ratePerSecond: 20, burst: 1, concurrency: 10 }, { clock });
    // The very first request is refused: no limit can be measured from nothing.
    const first = queue(pacer, clock, 1, (permit) => pacer.throttled(permit, 2000, 1000));
    await clock.advance(10);
    await first.all;
    expect(pacer.rate).toBe(10);
    expect(pacer.limitFound).toBeNull();
    // The 100th of the next requests is refused with "Retry-After: 0" after plenty of successes:
    // a weak signal, the same halving, no limit set.
    let afterQuick: { rate: number; limit: number | null; at: number } | null = null;
    const busy = queue(pacer, clock, 200, (permit, i) => {
      if (i !== 100) return pacer.succeeded();
      pacer.throttled(permit, 0, 0);
      afterQuick = { rate: pacer.rate, limit: pacer.limitFound, at: clock.now() };
    });
    await clock.advance(2000 + 2000);
    expect(pacer.rate).toBe(20);
    await clock.advance(6000);
    expect(afterQuick).toMatchObject({ rate: 10, limit: null });
    expect(clock.now() - afterQuick!.at).toBeGreaterThan(2000);
    expect(pacer.rate).toBe(20);
    await clock.advance(20_000);
    await busy.all;
  });
});

/** An app's rate limiter: says whether a request arriving at `now` is accepted. */
interface Limiter {
  admit(now: number): boolean;
}

/** R requests a second with a burst of R (a bucket refilled continuously). */
function tokenBucket(R: number): Limiter {
  let tokens = R;
  let at = 0;
  return {
    admit(now) {
      tokens = Math.min(R, tokens + ((now - at) / 1000) * R);
      at = now;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

/** R requests in each calendar second (fixed windows, counted afresh at each second). */
function fixedWindow(R: number): Limiter {
  let window = -1;
  let count = 0;
  return {
    admit(now) {
      const w = Math.floor(now / 1000);
      if (w !== window) [window, count] = [w, 0];
      if (count >= R) return false;
      count++;
      return true;
    },
  };
}

/**
 * A first sync on a fake clock: `n` creates from `workers` callers (the engine's users at
 * once), each request taking `latencyMs` (the limiter judges it halfway), refused ones sent
 * again as the SCIM client does (the pacer holds them with everything else).
 */
async function simulateSync(limiter: Limiter, options: { n: number; retryAfterMs: number; latencyMs: number; workers: number }) {
  const clock = new FakeClock();
  // The published (default) limits: 50/s, burst 50, 8 in flight.
  const pacer = new Pacer({ ratePerSecond: 50, burst: 50, concurrency: 8 }, { clock });
  const sleep = (ms: number) => new Promise<void>((r) => clock.setTimer(r, ms));
  let next = 0;
  let refused = 0;
  let done = 0;
  let finishedAt = 0;
  const send = () =>
    pacer.run(async (permit) => {
      await sleep(options.latencyMs / 2);
      const ok = limiter.admit(clock.now());
      await sleep(options.latencyMs / 2);
      if (ok) pacer.succeeded();
      else pacer.throttled(permit, options.retryAfterMs, 1000);
      return ok;
    });
  const all = Promise.all(
    Array.from({ length: options.workers }, async () => {
      while (next < options.n) {
        next++;
        while (!(await send())) refused++;
        done++;
        finishedAt = clock.now();
      }
    }),
  );
  while (done < options.n) await clock.advance(1000);
  await all;
  return { seconds: finishedAt / 1000, refused, requests: options.n + refused };
}

describe('Pacer against simulated rate limits, on a fake clock (E-18, issue 14)', () => {
  // A token bucket and fixed 1-s windows, each answering 429 with a Retry-After of 10 s (far
  // longer than its window), behind published limits of 50/s: 2,000 creates reach ≥ 90% of R
  // with ≤ 2% of requests refused. The first pause alone costs 10 s of a 100 s run at 20/s, so
  // this fails unless the first limit found is right and the pace then holds within 2% of it.
  // Requests take 4 ms (a near app, as in the benchmark); at 100 ms a bucket's burst inflates
  // the first estimate and 20/s reaches about 74% (several refusals to come down).
  for (const [name, limiter] of [
    ['a token bucket', tokenBucket],
    ['fixed 1-s windows', fixedWindow],
  ] as const) {
    for (const R of [3, 20]) {
      it(`${name} of ${R}/s`, async () => {
        const run = await simulateSync(limiter(R), { n: 2000, retryAfterMs: 10_000, latencyMs: 4, workers: 16 });
        const share = 2000 / run.seconds / R;
        expect(share).toBeGreaterThanOrEqual(0.9);
        expect(share).toBeLessThanOrEqual(1);
        expect(run.refused / run.requests).toBeLessThanOrEqual(0.02);
      });
    }
  }
});

describe('Pacer against a real app that allows R requests a second (E-18)', () => {
  it('a first sync of 300 users reaches near R, with few 429s and nobody failed', async () => {
    const R = 40;
    const accepted: number[] = [];
    let refused = 0;
    const users = new Set<string>();
    // Accepts at most R requests in any second; beyond, 429 with Retry-After: 1.
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const now = Date.now();
        while (accepted.length > 0 && accepted[0]! <= now - 1000) accepted.shift();
        if (accepted.length >= R) {
          refused++;
          res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/scim+json' });
          return res.end(JSON.stringify({ detail: 'Too many requests' }));
        }
        accepted.push(now);
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { userName: string };
        users.add(body.userName);
        res.writeHead(201, { 'content-type': 'application/scim+json' });
        res.end(JSON.stringify({ ...body, id: String(users.size) }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
    try {
      // The published limits are more generous than the app really is: the pacer must find R.
      const client = new ScimClient({ baseUrl: url, tokens: staticToken('t', url), requestsPerSecond: 4 * R, burst: 20, concurrency: 8 });
      const n = 300;
      const started = performance.now();
      let next = 0;
      const failed: unknown[] = [];
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < n) {
            const i = next++;
            await client.createUser({ userName: `user.${i}@example.com` }).catch((err: unknown) => failed.push(err));
          }
        }),
      );
      const perSecond = n / ((performance.now() - started) / 1000);
      expect(failed).toEqual([]);
      expect(users.size).toBe(n);
      expect(refused / (n + refused)).toBeLessThanOrEqual(0.08);
      expect(perSecond).toBeGreaterThanOrEqual(0.6 * R);
      expect(perSecond).toBeLessThanOrEqual(1.05 * R);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }, 30_000);
});
