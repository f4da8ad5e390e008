import { describe, expect, it } from 'vitest';
import { openDatabase, usageEventDays, usageEvents } from '@autoprov/db';
import { pruneUsageLog, writeUsageEvent } from './store.js';

const day = 24 * 60 * 60 * 1000;

describe('usage log storage (L-1)', () => {
  it('keeps the daily counts in step with the events, and drops both past 30 days', () => {
    const { db } = openDatabase(':memory:');
    const now = new Date('2026-11-24T12:00:00Z');
    for (const daysAgo of [0, 0, 1, 29, 30, 45]) {
      writeUsageEvent(db, { appKey: 'gotomeeting', kind: 'user_created', directoryUserId: 'u', userEmail: 'u@example.com', runId: 'r', at: new Date(now.getTime() - daysAgo * day) });
    }
    const counts = () => Object.fromEntries(db.select().from(usageEventDays).all().map((d) => [d.day, d.count]));
    expect(counts()).toMatchObject({ '2026-11-24': 2, '2026-11-23': 1, '2026-10-26': 1, '2026-10-25': 1, '2026-10-10': 1 });

    expect(pruneUsageLog(db, now)).toBe(2);
    expect(db.select().from(usageEvents).all()).toHaveLength(4);
    expect(Object.keys(counts()).sort()).toEqual(['2026-10-26', '2026-11-23', '2026-11-24']);
  });
});
