import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appConfigurations, syncReportLines, syncRuns } from '@autoprov/db';
import { writeUsageEvent } from '@autoprov/engine';
import type { UsageEventKind } from '@autoprov/contract';
import { testServer } from '../test/harness.js';

const hour = 60 * 60 * 1000;

async function seedEvents(db: Awaited<ReturnType<typeof testServer>>['db'], n: number) {
  const kinds: UsageEventKind[] = ['user_created', 'user_updated', 'failure'];
  const now = Date.now();
  for (let i = 0; i < n; i++) {
    await writeUsageEvent(db, {
      appKey: i % 2 ? 'gotomeeting' : 'workleap',
      kind: kinds[i % 3]!,
      directoryUserId: `u${i}`,
      userEmail: i === 0 ? 'dupont, "jean"@example.com' : `user${i}@example.com`,
      runId: 'r1',
      detail: i % 3 === 2 ? `The app refused: outside the verified domains (${i})` : null,
      at: new Date(now - i * hour),
    });
  }
}

describe('usage log (L-1)', () => {
  it('pages by keyset, newest first, with every filter, and counts per event and per day', async () => {
    const server = await testServer();
    await seedEvents(server.db, 120);
    const ro = await server.signedIn('read_only');

    const first = (await ro.get('/api/reports/usage?pageSize=50')).json;
    expect(first.items).toHaveLength(50);
    const second = (await ro.get(`/api/reports/usage?pageSize=50&cursor=${first.nextCursor}`)).json;
    const third = (await ro.get(`/api/reports/usage?pageSize=50&cursor=${second.nextCursor}`)).json;
    expect(third.nextCursor).toBeNull();
    const all = [...first.items, ...second.items, ...third.items];
    expect(all).toHaveLength(120);
    expect(new Set(all.map((e: { id: number }) => e.id)).size).toBe(120);
    const times = all.map((e: { occurredAt: string }) => e.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);

    const failures = (await ro.get('/api/reports/usage?kind=failure&app=workleap&pageSize=200')).json.items;
    expect(failures.length).toBe(20);
    expect(failures.every((e: { kind: string; appName: string }) => e.kind === 'failure' && e.appName === 'Workleap')).toBe(true);
    expect((await ro.get('/api/reports/usage?user=USER1')).json.items.map((e: { userEmail: string }) => e.userEmail)).toEqual(
      expect.arrayContaining(['user1@example.com', 'user10@example.com', 'user119@example.com']),
    );

    const summary = (await ro.get('/api/reports/usage/summary')).json;
    expect(summary.counts).toEqual({ user_created: 40, user_adopted: 0, user_updated: 40, user_suspended: 0, user_unsuspended: 0, user_deleted: 0, failure: 40 });
    expect(summary.perDay).toHaveLength(30);
    expect(summary.perDay.reduce((n: number, d: { counts: Record<string, number> }) => n + Object.values(d.counts).reduce((a, b) => a + b, 0), 0)).toBe(120);
    expect((await ro.get('/api/reports/usage/summary?user=user1')).json.counts.user_updated).toBeGreaterThan(0);

    const bad = await ro.get('/api/reports/usage?from=2026-11-20&to=2026-11-01');
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields.to).toBe('The end date is before the start date');
    expect((await ro.get('/api/reports/usage?cursor=nonsense')).json.error.fields.cursor).toBeDefined();
  });

  it('exports exactly the filtered rows as CSV, quoted by RFC 4180', async () => {
    const server = await testServer();
    await seedEvents(server.db, 30);
    const ro = await server.signedIn('read_only');
    const res = await ro.raw('/api/reports/usage.csv?kind=user_created');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith('Time (UTC),Event,App,User,Details,Sync run\r\n')).toBe(true);
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(1 + 10);
    expect(text).toContain('"dupont, ""jean""@example.com"');
  });
});

describe('sync history and reports (L-2, L-3)', () => {
  it('lists runs, and opens a report only when its run is over', async () => {
    const server = await testServer();
    const su = await server.signedIn('super_admin');
    const configurationId = randomUUID();
    await server.db.insert(appConfigurations).values({ id: configurationId, appKey: 'gotomeeting', state: 'active', mapping: {} });
    const at = (m: number) => new Date(Date.now() - m * 60_000);
    await server.db
      .insert(syncRuns)
      .values([
        { id: 'done', configurationId, trigger: 'manual', state: 'partly_failed', requestedAt: at(10), startedAt: at(10), endedAt: at(9), counts: { created: 2, failed: 1 } },
        { id: 'going', configurationId, trigger: 'change', state: 'running', requestedAt: at(1), startedAt: at(1) },
      ]);
    await server.db
      .insert(syncReportLines)
      .values([
        { runId: 'done', directoryUserId: 'u1', userEmail: 'a@example.com', action: 'create', result: 'succeeded', changes: { userName: { before: null, after: 'a@example.com' } } },
        { runId: 'done', directoryUserId: 'u2', userEmail: 'b@example.org', action: 'create', result: 'failed', reason: 'b@example.org is not in a verified domain' },
        { runId: 'done', directoryUserId: 'u3', userEmail: 'c@example.com', action: 'update', result: 'succeeded', changes: { title: { before: 'A', after: 'B' } } },
      ]);

    const history = (await su.get('/api/apps/gotomeeting/configuration/runs')).json;
    expect(history.items.map((r: { id: string }) => r.id)).toEqual(['going', 'done']);

    const pending = await su.get('/api/apps/gotomeeting/configuration/runs/going/report');
    expect(pending.status).toBe(409);
    expect(pending.json.error.message).toMatch(/still running/);
    expect((await su.get('/api/apps/gotomeeting/configuration/runs/going/report.csv')).status).toBe(409);

    const report = (await su.get('/api/apps/gotomeeting/configuration/runs/done/report')).json;
    expect(report.items).toHaveLength(3);
    expect(report.totals).toEqual({ succeeded: 2, failed: 1 });
    const failed = (await su.get('/api/apps/gotomeeting/configuration/runs/done/report?result=failed')).json.items;
    expect(failed).toEqual([expect.objectContaining({ userEmail: 'b@example.org', reason: 'b@example.org is not in a verified domain' })]);
    expect((await su.get('/api/apps/gotomeeting/configuration/runs/done/report?action=update')).json.items).toHaveLength(1);
  });

  it('L-3: lines come by user e-mail; the user search, filters and page links (both ways) hold; the CSV reads like the page', async () => {
    const server = await testServer();
    const su = await server.signedIn('super_admin');
    const configurationId = randomUUID();
    await server.db.insert(appConfigurations).values({ id: configurationId, appKey: 'gotomeeting', state: 'active', mapping: {} });
    await server.db
      .insert(syncRuns)
      .values({ id: 'big', configurationId, trigger: 'manual', state: 'succeeded', requestedAt: new Date(), endedAt: new Date(), counts: { created: 25 } });
    // Written in an order that is not the e-mail order, as concurrent workers do.
    const emails = Array.from({ length: 25 }, (_, i) => `user${String((i * 7) % 25).padStart(2, '0')}@example.com`);
    await server.db
      .insert(syncReportLines)
      .values(
        emails.map((userEmail, i) => ({
          runId: 'big',
          directoryUserId: `u${i}`,
          userEmail,
          action: i % 5 === 0 ? 'update' : 'create',
          result: 'succeeded' as const,
          changes: { 'name.givenName': { before: null, after: 'Zoé' }, accessLevel: { before: null, after: 'admin' } },
        })),
      );
    const sorted = [...emails].sort();
    const url = '/api/apps/gotomeeting/configuration/runs/big/report';
    const page = async (query: string) => (await su.get(`${url}?pageSize=10${query}`)).json;
    const emailsOf = (p: { items: { userEmail: string }[] }) => p.items.map((l) => l.userEmail);

    const first = await page('');
    expect(emailsOf(first)).toEqual(sorted.slice(0, 10));
    expect(first).toMatchObject({ matching: 25, offset: 0, prevCursor: null });
    const second = await page(`&cursor=${first.nextCursor}`);
    expect(emailsOf(second)).toEqual(sorted.slice(10, 20));
    expect(second.offset).toBe(10);
    const third = await page(`&cursor=${second.nextCursor}`);
    expect(emailsOf(third)).toEqual(sorted.slice(20));
    expect(third.nextCursor).toBeNull();
    // Back again: the previous page is the same page, and the first has no previous one.
    const back = await page(`&cursor=${third.prevCursor}`);
    expect(emailsOf(back)).toEqual(sorted.slice(10, 20));
    expect(back.nextCursor).toBe(second.nextCursor);
    const start = await page(`&cursor=${back.prevCursor}`);
    expect(emailsOf(start)).toEqual(sorted.slice(0, 10));
    expect(start.prevCursor).toBeNull();

    const found = await page('&user=USER1');
    expect(emailsOf(found)).toEqual(sorted.filter((e) => e.startsWith('user1')));
    expect(found.matching).toBe(10);
    expect(emailsOf(await page('&user=er2&action=update'))).toEqual(sorted.filter((e) => e.startsWith('user2') && emails.indexOf(e) % 5 === 0));

    const csv = await su.raw('/api/apps/gotomeeting/configuration/runs/big/report.csv?user=user0');
    const text = await csv.text();
    const rows = text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(rows[0]).toBe('User,Action,Result,Changes,Reason');
    expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual(sorted.filter((e) => e.startsWith('user0')));
    expect(rows[1]).toContain('First name (name.givenName): ∅ → Zoé; Access level: ∅ → GoToMeeting Admin');
  });
});
