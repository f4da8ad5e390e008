import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
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
            items: [{ id: 1, userEmail: 'lina@example.com', action: 'create', result: 'failed', changes: null, reason: 'The e-mail domain is not verified.', attempt: 2, nextAttemptAt: null }],
            nextCursor: null,
            prevCursor: null,
            matching: 1,
            offset: 0,
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
    expect(await screen.findByText(/^The e-mail domain is not verified\./, {}, { timeout: 3000 })).toBeTruthy();
    // E-16: which attempt this was, and that a refusal is not retried on a schedule.
    expect(screen.getByText('(attempt 2; not retried on a schedule)')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toBe('/api/apps/gotomeeting/configuration/runs/r1/report.csv');
  });

  it('takes its filters, user search and page from the URL, names fields as the catalog does, and keeps them in the URL', async () => {
    const dry = { ...run('succeeded'), dryRun: true, counts: { create: 1, suspend: 1 } };
    const line = (id: number, userEmail: string, action: string, changes: Record<string, { before: string | null; after: string | null }> | null, reason: string | null = null) => ({
      id,
      userEmail,
      action,
      result: 'planned',
      changes,
      reason,
    });
    const { calls, router } = renderAt('/apps/gotomeeting/runs/r1?result=planned&user=zo&page=p2', (_m, path) => {
      if (path === '/session') return session('read_only');
      if (path === '/apps/gotomeeting') {
        return { status: 200, body: { app: { ...catalogEntry('gotomeeting')!, builtInOAuth: true }, sso: null, availability: [], configuration: null, audit: [] } };
      }
      if (path === '/apps/gotomeeting/configuration/runs/r1') return { status: 200, body: dry };
      if (path.startsWith('/apps/gotomeeting/configuration/runs/r1/report')) {
        return {
          status: 200,
          body: {
            run: dry,
            items: [
              line(7, 'zoe@example.com', 'create', {
                'name.givenName': { before: null, after: 'Zoé' },
                'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department': { before: null, after: 'Sales' },
                accessLevel: { before: null, after: 'admin' },
              }),
              line(9, 'zora@example.com', 'suspend', { active: { before: 'true', after: 'false' } }, 'The user is suspended in the directory'),
            ],
            nextCursor: 'p3',
            prevCursor: 'p1',
            matching: 52,
            offset: 50,
            totals: { planned: 52 },
          },
        };
      }
      return undefined;
    });
    const lines = await screen.findByRole('table', { name: 'Report lines' });
    const asked = calls.find((c) => c.path.includes('/report'))!.path;
    expect(new URLSearchParams(asked.split('?')[1]).toString()).toBe('result=planned&user=zo&cursor=p2');
    expect((screen.getByLabelText('Result') as HTMLSelectElement).value).toBe('planned');
    expect((screen.getByLabelText('User') as HTMLInputElement).value).toBe('zo');
    expect(screen.getByText('Lines 51–52 of 52, by user e-mail')).toBeTruthy();
    expect(within(lines).getByRole('columnheader', { name: 'What would be sent' })).toBeTruthy();

    // Each field: its catalog label, the SCIM path as secondary text, the value in words.
    const fields = (row: HTMLElement) =>
      within(row)
        .getAllByRole('term')
        .map((term) => `${term.firstChild!.textContent} [${term.querySelector('.scim-path')?.textContent ?? ''}] ${term.nextElementSibling!.textContent}`);
    expect(fields(within(lines).getByRole('row', { name: /zoe@example\.com/ }))).toEqual([
      'First name [name.givenName] Zoé',
      'Department [urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department] Sales',
      'Access level [] GoToMeeting Admin',
    ]);
    const zora = within(lines).getByRole('row', { name: /zora@example\.com/ });
    expect(fields(zora)).toEqual(['Account active [] Yes → No']);
    expect(within(zora).getByText('The user is suspended in the directory')).toBeTruthy();

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(router.state.location.search).toBe('?result=planned&user=zo&page=p3'));
    await user.selectOptions(screen.getByLabelText('Change'), 'suspend');
    await waitFor(() => expect(router.state.location.search).toBe('?result=planned&user=zo&action=suspend'));
    await user.type(screen.getByLabelText('User'), 'r');
    await waitFor(() => expect(router.state.location.search).toBe('?result=planned&user=zor&action=suspend'));
    await waitFor(() =>
      expect(screen.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toBe(
        '/api/apps/gotomeeting/configuration/runs/r1/report.csv?result=planned&action=suspend&user=zor',
      ),
    );
  });

  it('a page link that no longer holds starts again at the first page', async () => {
    const { router } = renderAt('/apps/gotomeeting/runs/r1?result=failed&page=stale', (_m, path) => {
      if (path === '/session') return session('read_only');
      if (path === '/apps/gotomeeting') {
        return { status: 200, body: { app: { ...catalogEntry('gotomeeting')!, builtInOAuth: true }, sso: null, availability: [], configuration: null, audit: [] } };
      }
      if (path === '/apps/gotomeeting/configuration/runs/r1') return { status: 200, body: run('partly_failed') };
      if (path.includes('cursor=stale')) {
        const message = 'This page link is no longer valid: go back to the first page.';
        return { status: 400, body: { error: { code: 'validation_failed', message, fields: { cursor: 'Invalid cursor' } } } };
      }
      if (path.startsWith('/apps/gotomeeting/configuration/runs/r1/report')) {
        const items = [{ id: 1, userEmail: 'lina@example.com', action: 'create', result: 'failed', changes: null, reason: 'Refused.' }];
        return { status: 200, body: { run: run('partly_failed'), items, nextCursor: null, prevCursor: null, matching: 1, offset: 0, totals: { failed: 1 } } };
      }
      return undefined;
    });
    expect(await screen.findByText('This page link is no longer valid: go back to the first page.')).toBeTruthy();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Refused.')).toBeTruthy();
    expect(router.state.location.search).toBe('?result=failed');
  });
});
