import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACTIVITY_HEADER, routes, type AppDetail, type AppSummary } from '@autoprov/contract';
import { api, ApiError, apiHref } from './api-client';

type Sent = { url: string; method: string; headers: Record<string, string>; body: string | undefined };

/** Answers every request with `answer`, and keeps what was sent. */
function stubFetch(answer: unknown, status = 200) {
  const sent: Sent[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    sent.push({ url, method: init.method!, headers: init.headers as Record<string, string>, body: init.body as string | undefined });
    return new Response(JSON.stringify(answer), { status });
  });
  return sent;
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the idle timeout sees only the admin\'s own reads (S-3)', () => {
  it('marks a read right after a click, and not a poll that runs by itself later', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const sent = stubFetch({ items: [] });
    window.dispatchEvent(new Event('pointerdown'));
    await api(routes.listApps);
    vi.advanceTimersByTime(60_000);
    await api(routes.listApps);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await api(routes.listApps);
    expect(sent.map((s) => s.headers[ACTIVITY_HEADER] ?? null)).toEqual(['1', null, '1']);
  });
});

describe('calls through the contract\'s route table', () => {
  it('fills the path, the query and the body from the route, and parses the answer with its schema', async () => {
    const sent = stubFetch({ items: [], nextCursor: null });
    const page = await api(routes.runs, { params: { key: 'demo app' }, query: { cursor: undefined, pageSize: 20 } });
    expect(page).toEqual({ items: [], nextCursor: null });
    expect(sent[0]).toMatchObject({ url: '/api/apps/demo%20app/configuration/runs?pageSize=20', method: 'GET', body: undefined });
    expect(apiHref(routes.runReportCsv, { params: { key: 'demo', runId: 'r/1' }, query: { result: 'failed' } })).toBe('/api/apps/demo/configuration/runs/r%2F1/report.csv?result=failed');

    const started = stubFetch({ runId: 'r2' }, 202);
    await expect(api(routes.syncNow, { params: { key: 'demo' }, body: { dryRun: true } })).resolves.toEqual({ runId: 'r2' });
    expect(started[0]).toMatchObject({ url: '/api/apps/demo/configuration/sync', method: 'POST', body: '{"dryRun":true}' });
    expect(apiHref(routes.usageCsv, { query: { kind: 'failure', user: '' } })).toBe('/api/reports/usage.csv?kind=failure');
  });

  it('refuses an answer that does not match the route\'s schema, and keeps the server\'s field errors', async () => {
    stubFetch({ items: 'not a list' });
    await expect(api(routes.listApps)).rejects.toMatchObject({ code: 'internal', message: 'The server sent an answer the console does not understand.' });
    stubFetch({ error: { code: 'validation_failed', message: 'Some fields need attention.', fields: { primaryEmail: 'Taken' } } }, 400);
    const refused = await api(routes.createUser, { body: { primaryEmail: 'a@example.com', givenName: 'A', familyName: 'B', orgUnitId: 'ou' } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 400, code: 'validation_failed', fields: { primaryEmail: 'Taken' } });
  });

  it('makes a wrong route, path parameter, body or answer a type error (checked by the console\'s typecheck)', () => {
    // Never run: what matters is that each marked line fails to compile (`@ts-expect-error`
    // fails the typecheck when the line below it compiles).
    const wrongCalls = async () => {
      // @ts-expect-error no such route
      await api(routes.appByName, { params: { key: 'demo' } });
      // @ts-expect-error the app's path parameter is `key`
      await api(routes.app, { params: { id: 'demo' } });
      // @ts-expect-error the path parameter is required
      await api(routes.app);
      // @ts-expect-error the body's `step` must be a wizard step
      await api(routes.reachStep, { params: { key: 'demo' }, body: { step: 'launch' } });
      // @ts-expect-error the route takes a body
      await api(routes.setActivation, { params: { key: 'demo' } });
      // @ts-expect-error the route takes no body
      await api(routes.listApps, { body: {} });
      // @ts-expect-error a CSV download is a link, not a JSON call
      await api(routes.usageCsv, { query: {} });
      // @ts-expect-error the answer is the list of apps, not one app
      const detail: AppDetail = await api(routes.listApps);
      const summaries: AppSummary[] = (await api(routes.listApps)).items;
      return [detail, summaries];
    };
    expect(wrongCalls).toBeTypeOf('function');
  });
});
