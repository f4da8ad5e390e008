import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { appConfigurations, provisionedAccounts, rowsOf, syncReportLines, syncRuns, usageEventDays, usageEvents } from '@autoprov/db';
import { openTestDatabase } from '@autoprov/db/testing';
import { linkAccount, markAccountSuspended, pruneSyncHistory, pruneUsageLog, writeReportLine, writeUsageEvent } from './store.js';

const day = 24 * 60 * 60 * 1000;

describe('usage log storage (L-1)', () => {
  it('keeps the daily counts in step with the events, and drops both past 30 days', async () => {
    const { db } = await openTestDatabase();
    const now = new Date('2026-11-24T12:00:00Z');
    for (const daysAgo of [0, 0, 1, 29, 30, 45]) {
      await writeUsageEvent(db, { appKey: 'gotomeeting', kind: 'user_created', directoryUserId: 'u', userEmail: 'u@example.com', runId: 'r', at: new Date(now.getTime() - daysAgo * day) });
    }
    const counts = async () => Object.fromEntries((await db.select().from(usageEventDays)).map((d) => [d.day, d.count]));
    expect(await counts()).toMatchObject({ '2026-11-24': 2, '2026-11-23': 1, '2026-10-26': 1, '2026-10-25': 1, '2026-10-10': 1 });

    expect(await pruneUsageLog(db, now)).toBe(2);
    expect(await db.select().from(usageEvents)).toHaveLength(4);
    expect(Object.keys(await counts()).sort()).toEqual(['2026-10-26', '2026-11-23', '2026-11-24']);
  });
});

describe('sync history storage (L-2, L-3)', () => {
  it('drops finished runs and their reports after 90 days, never a held or running one', async () => {
    const { db } = await openTestDatabase();
    const now = new Date('2026-11-24T12:00:00Z');
    await db.insert(appConfigurations).values({ id: 'c', appKey: 'gotomeeting', mapping: {} });
    const old = new Date(now.getTime() - 91 * day);
    await db.insert(syncRuns)
      .values([
        { id: 'old-done', configurationId: 'c', trigger: 'scheduled', state: 'succeeded', requestedAt: old },
        { id: 'old-held', configurationId: 'c', trigger: 'scheduled', state: 'held', requestedAt: old },
        { id: 'recent', configurationId: 'c', trigger: 'manual', state: 'failed', requestedAt: new Date(now.getTime() - 89 * day) },
      ]);
    await writeReportLine(db, 'old-done', { directoryUserId: 'u', userEmail: 'u@example.com', action: 'create', result: 'succeeded' });
    expect(await pruneSyncHistory(db, now)).toBe(1);
    expect((await db.select({ id: syncRuns.id }).from(syncRuns)).map((r) => r.id).sort()).toEqual(['old-held', 'recent']);
    expect(await db.select().from(syncReportLines)).toHaveLength(0);
  });
});

describe('rows written through statements prepared once per database (issue 14)', () => {
  it('L-3, E-16: a report line keeps its changes, attempt and next attempt; absent ones are SQL NULL, not the text "null"', async () => {
    const { db } = await openTestDatabase();
    await db.insert(appConfigurations).values({ id: 'c', appKey: 'gotomeeting', mapping: {} });
    await db.insert(syncRuns).values({ id: 'r', configurationId: 'c', trigger: 'manual', state: 'running', requestedAt: new Date() });
    const next = new Date('2026-11-24T13:00:00.123Z');
    await writeReportLine(db, 'r', { directoryUserId: 'u1', userEmail: 'u1@example.com', action: 'create', result: 'failed', changes: { title: { before: null, after: 'Tester' } }, reason: 'refused', attempt: 2, nextAttemptAt: next });
    await writeReportLine(db, 'r', { directoryUserId: 'u2', userEmail: 'u2@example.com', action: 'create', result: 'succeeded' });
    const lines = await db.select().from(syncReportLines).orderBy(syncReportLines.id);
    expect(lines.map(({ id: _id, ...l }) => l)).toEqual([
      { runId: 'r', directoryUserId: 'u1', userEmail: 'u1@example.com', action: 'create', result: 'failed', changes: { title: { before: null, after: 'Tester' } }, reason: 'refused', attempt: 2, nextAttemptAt: next },
      { runId: 'r', directoryUserId: 'u2', userEmail: 'u2@example.com', action: 'create', result: 'succeeded', changes: null, reason: null, attempt: null, nextAttemptAt: null },
    ]);
    const nulls = await rowsOf<{ n: number | string }>(db, sql`select count(*) as n from sync_report_lines where changes is null and next_attempt_at is null and attempt is null and reason is null`);
    expect(Number(nulls[0]!.n)).toBe(1);
  });

  it('the same statements serve two databases, each writing to its own', async () => {
    const a = await openTestDatabase();
    const b = await openTestDatabase();
    const at = new Date('2026-11-24T12:00:00Z');
    await writeUsageEvent(a.db, { appKey: 'x', kind: 'failure', directoryUserId: null, userEmail: null, runId: 'r', detail: 'down', at });
    await writeUsageEvent(b.db, { appKey: 'y', kind: 'user_created', directoryUserId: 'u', userEmail: 'u@example.com', runId: 'r', at });
    await writeUsageEvent(b.db, { appKey: 'y', kind: 'user_created', directoryUserId: 'v', userEmail: 'v@example.com', runId: 'r', at });
    expect((await a.db.select().from(usageEvents)).map(({ id: _id, ...e }) => e)).toEqual([
      { occurredAt: at, appKey: 'x', kind: 'failure', directoryUserId: null, userEmail: null, runId: 'r', detail: 'down' },
    ]);
    expect((await b.db.select().from(usageEvents)).map((e) => [e.appKey, e.directoryUserId, e.detail])).toEqual([
      ['y', 'u', null],
      ['y', 'v', null],
    ]);
    expect(await b.db.select().from(usageEventDays)).toEqual([{ day: '2026-11-24', appKey: 'y', kind: 'user_created', count: 2 }]);
  });

  it('E-3, E-19: linking an account inserts it, and linking it again takes the new values but keeps when it was first linked', async () => {
    const { db } = await openTestDatabase();
    await db.insert(appConfigurations).values({ id: 'c', appKey: 'gotomeeting', mapping: {} });
    const key = { configurationId: 'c', directoryUserId: 'u' };
    const first = new Date('2026-11-24T12:00:00Z');
    const later = new Date('2026-11-25T08:30:00Z');
    await linkAccount(db, key, { userName: 'u@example.com', remoteId: 'r1', lastSent: { title: 'Tester' }, origin: 'created' }, first);
    await markAccountSuspended(db, key, first);
    await linkAccount(db, key, { userName: 'U@example.com', remoteId: 'r2', lastSent: { title: null }, origin: 'adopted' }, later);
    await linkAccount(db, { configurationId: 'c', directoryUserId: 'v' }, { userName: 'v@example.com', remoteId: 'r3', lastSent: {}, origin: 'created' }, later);
    expect(await db.select().from(provisionedAccounts).orderBy(provisionedAccounts.directoryUserId)).toEqual([
      { configurationId: 'c', directoryUserId: 'u', userName: 'U@example.com', remoteId: 'r2', state: 'active', origin: 'adopted', lastSent: { title: null }, createdAt: first, updatedAt: later },
      { configurationId: 'c', directoryUserId: 'v', userName: 'v@example.com', remoteId: 'r3', state: 'active', origin: 'created', lastSent: {}, createdAt: later, updatedAt: later },
    ]);
  });
});
