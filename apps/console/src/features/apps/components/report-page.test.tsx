import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { catalogEntry } from '@autoprov/contract';
import { renderAt, session } from '../../../test/render';

const run = (state: string) => ({
  id: 'r1',
  trigger: 'manual',
  state,
  dryRun: false,
  requestedAt: '2026-11-24T10:00:00.000Z',
  startedAt: '2026-11-24T10:00:00.000Z',
  endedAt: state === 'running' ? null : '2026-11-24T10:00:05.000Z',
  planned: 3,
  done: state === 'running' ? 1 : 3,
  counts: state === 'running' ? {} : { created: 2, failed: 1 },
  error: null,
});

describe('sync report (L-3)', () => {
  it('says a running sync is not over, offers no export, and opens the report when it ends', async () => {
    let state = 'running';
    const { calls } = renderAt('/apps/gotomeeting/runs/r1', (_m, path) => {
      if (path === '/session') return session('read_only');
      if (path === '/apps/gotomeeting') {
        return { status: 200, body: { app: { ...catalogEntry('gotomeeting')!, builtInOAuth: true }, sso: null, availability: [], configuration: null, audit: [] } };
      }
      if (path === '/apps/gotomeeting/configuration/runs/r1') return { status: 200, body: run(state) };
      if (path.startsWith('/apps/gotomeeting/configuration/runs/r1/report')) {
        return {
          status: 200,
          body: {
            run: run('partly_failed'),
            items: [{ id: 1, userEmail: 'lina@example.com', action: 'create', result: 'failed', changes: null, reason: 'The e-mail domain is not verified.' }],
            nextCursor: null,
            totals: { failed: 1, succeeded: 2 },
          },
        };
      }
      return undefined;
    });
    expect(await screen.findByText('This sync is still running: its report opens when it ends.')).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Export CSV' })).toBeNull();
    expect(calls.some((c) => c.path.includes('/report'))).toBe(false);

    state = 'partly_failed';
    expect(await screen.findByText('The e-mail domain is not verified.', {}, { timeout: 3000 })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toBe('/api/apps/gotomeeting/configuration/runs/r1/report.csv');
  });
});
