import { describe, expect, it } from 'vitest';
import { escrowKindOf, nextEscrowAttempt, operationFingerprint, waitsForChange } from './escrow.js';
import type { EscrowRow } from './store.js';
import { assessRun, probeDelayMs, quarantineVerdict } from './quarantine.js';

const t0 = new Date('2026-11-24T09:00:00Z');
const minute = 60 * 1000;
const hour = 60 * minute;
const day = 24 * hour;

/** Follows the schedule from a first failure at t0, each attempt failing again when due. */
function schedule(attempts: number) {
  const waits: number[] = [];
  let last = t0;
  for (let n = 1; n <= attempts; n++) {
    const next = nextEscrowAttempt(n, t0, last);
    if (!next) break;
    waits.push(next.getTime() - last.getTime());
    last = next;
  }
  return waits;
}

describe('the escrow schedule (E-16)', () => {
  it('1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h, then daily', () => {
    expect(schedule(9)).toEqual([minute, 5 * minute, 30 * minute, 2 * hour, 6 * hour, 12 * hour, day, day, day]);
  });

  it('gives up 28 days after the first failure', () => {
    const waits = schedule(100);
    const total = waits.reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(28 * day);
    expect(total + day).toBeGreaterThan(28 * day);
    expect(waits.length).toBeLessThan(100);
  });

  it('transient failures are retried on the schedule, refusals are not', () => {
    expect(escrowKindOf('transient')).toBe('transient');
    expect(escrowKindOf('unknown')).toBe('transient');
    for (const kind of ['bad_request', 'conflict', 'not_found', 'unauthorized'] as const) expect(escrowKindOf(kind)).toBe('permanent');
  });

  it('a refused operation waits until what it would send changes, or an admin asks', () => {
    const create = { kind: 'create' as const, userId: 'u1', userName: 'a@example.com', attributes: { givenName: 'Ada', familyName: 'L' } };
    const refused = { kind: 'permanent', fingerprint: operationFingerprint(create) } as EscrowRow;
    // Same values in another key order: the same operation.
    expect(waitsForChange(refused, { ...create, attributes: { familyName: 'L', givenName: 'Ada' } }, false)).toBe(true);
    expect(waitsForChange(refused, { ...create, attributes: { givenName: 'Ada', familyName: 'Lovelace' } }, false)).toBe(false);
    expect(waitsForChange(refused, create, true)).toBe(false);
    expect(waitsForChange({ ...refused, kind: 'transient' }, create, false)).toBe(false);
    expect(waitsForChange(undefined, create, false)).toBe(false);
  });
});

describe('quarantine (E-17)', () => {
  const run = (operations: number, succeeded: number, transientFailures: number, stoppedTransient = false) => ({ operations, succeeded, transientFailures, stoppedTransient });

  it('a run is failing when most of its operations could not reach the app, or it stopped for that', () => {
    expect(assessRun(run(4, 1, 3))).toBe('failing');
    expect(assessRun(run(4, 2, 2))).toBe('answering');
    expect(assessRun(run(0, 0, 0, true))).toBe('failing');
    expect(assessRun(run(0, 0, 0))).toBe('silent');
    expect(assessRun(run(2, 0, 0))).toBe('silent'); // refusals: the app answered, but did nothing
  });

  it('quarantine after a large failing run, or three failing attempts in a row', () => {
    expect(quarantineVerdict(run(10, 2, 8), 1)).toMatch(/8 of 10 operations/);
    expect(quarantineVerdict(run(1, 0, 1), 1)).toBeNull();
    expect(quarantineVerdict(run(1, 0, 1), 2)).toBeNull();
    expect(quarantineVerdict(run(1, 0, 1), 3)).toMatch(/3 attempts in a row/);
    expect(quarantineVerdict(run(10, 9, 1), 5)).toBeNull();
  });

  it('probes every 5 minutes, doubling, at most every 6 hours', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((n) => probeDelayMs(n) / minute)).toEqual([5, 10, 20, 40, 80, 160, 320, 360]);
  });
});
