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

  it('a 429 pauses the whole app until Retry-After, and halves the rate once per episode', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ ratePerSecond: 10, burst: 1, concurrency: 10 }, { clock });
    // Two seconds at the full rate: the app accepts 10/s.
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
    expect(pacer.rate).toBeCloseTo(5, 0);
    expect(pacer.pausedUntilMs).toBe(refusedAt + 5000);
    // Another caller's requests (another user, another run) wait for the pause too.
    const others = queue(pacer, clock, 10);
    await clock.advance(4999);
    expect(others.started).toHaveLength(0);
    await clock.advance(1);
    expect(others.started.length).toBeGreaterThanOrEqual(1);
    expect(others.started[0]).toBe(refusedAt + 5000);
    // ... and go at the lowered rate: about 5 a second, not 10.
    await clock.advance(1000);
    expect(others.started.length).toBeLessThanOrEqual(8);
    await clock.advance(2000);
    await others.all;
  });

  it('a refusal of a request sent before the slow-down is the same news: no second halving', async () => {
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
    expect(after).toBeLessThan(8);
  });

  it('climbs back: quickly to just below the refused rate, then on to the published rate', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ ratePerSecond: 20, burst: 1, concurrency: 10 }, { clock });
    const warm = queue(pacer, clock, 40);
    await clock.advance(2000);
    await warm.all;
    const refused = queue(pacer, clock, 1, (permit) => pacer.throttled(permit, 1000, 1000));
    await clock.advance(10);
    await refused.all;
    expect(pacer.rate).toBeCloseTo(10, 0);
    // Keep it busy: within three seconds after the pause it is back near 90% of 20.
    const busy = queue(pacer, clock, 2000);
    await clock.advance(1000 + 3000);
    expect(pacer.rate).toBeGreaterThanOrEqual(17);
    expect(pacer.rate).toBeLessThan(20);
    // Then it probes on up to the published rate, never beyond.
    await clock.advance(60_000);
    expect(pacer.rate).toBe(20);
    await clock.advance(120_000);
    await busy.all;
    expect(pacer.rate).toBe(20);
  });
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
