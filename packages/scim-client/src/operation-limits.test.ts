import { describe, expect, it } from 'vitest';
import { OperationLimits, operationOf } from './operation-limits.js';
import { virtualClock } from './testing/index.js';

describe('per-operation limits (issue 15 item 3)', () => {
  it('names the operation a vendor counts', () => {
    expect(operationOf('patch', '/Users/42?attributes=id')).toBe('PATCH /Users');
    expect(operationOf('GET', '/Groups?filter=x')).toBe('GET /Groups');
    expect(operationOf('GET', '/ServiceProviderConfig')).toBe('GET /ServiceProviderConfig');
  });

  it("keeps Miro's 20 deletions per 30 s in every window, and does not hold other operations", async () => {
    const clock = virtualClock();
    const limits = new OperationLimits([{ operations: ['DELETE /Users'], ratePerSecond: 0.6, burst: 2 }], clock);
    const deletions: number[] = [];
    await Promise.all(Array.from({ length: 60 }, () => limits.take('DELETE /Users').then(() => deletions.push(clock.now()))));
    expect(deletions).toHaveLength(60);
    for (const start of deletions) expect(deletions.filter((t) => t >= start && t < start + 30_000).length).toBeLessThanOrEqual(20);
    // 60 deletions at 0.6/s after a burst of 2: about 97 s.
    expect(clock.now()).toBeGreaterThan(90_000);

    const before = clock.now();
    await limits.take('POST /Users');
    await limits.take('post /users');
    expect(clock.now()).toBe(before);
  });

  it('operations listed together share one budget (Slack: PUT and PATCH of a user)', async () => {
    const clock = virtualClock();
    const limits = new OperationLimits([{ operations: ['PUT /Users', 'PATCH /Users'], ratePerSecond: 2.9, burst: 5 }], clock);
    const sent: number[] = [];
    await Promise.all(Array.from({ length: 400 }, (_, i) => limits.take(i % 2 ? 'PUT /Users' : 'PATCH /Users').then(() => sent.push(clock.now()))));
    for (const start of sent) expect(sent.filter((t) => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(180);
  });
});
