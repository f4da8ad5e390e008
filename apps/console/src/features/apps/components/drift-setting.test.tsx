import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AppDetail, DriftMode } from '@autoprov/contract';
import { appDetail } from '../../../test/app-detail';
import { renderAt, session } from '../../../test/render';

function detail(driftMode: DriftMode): AppDetail {
  return appDetail('gotomeeting', { driftMode });
}

const impact = {
  seenAt: '2026-11-25T04:00:00.000Z',
  accounts: { count: 1, users: [{ email: 'zoe@example.com', changes: { 'name.familyName': { before: 'ByHand', after: 'Martin' } } }] },
};

describe('the drift setting (E-19, M-6)', () => {
  it('a switch to "correct" shows first the accounts it will set back, with before → after, then saves', async () => {
    const { calls } = renderAt('/apps/gotomeeting', (method, path) => {
      if (path === '/session') return session('super_admin');
      if (method === 'GET' && path === '/apps/gotomeeting') return { status: 200, body: detail('report') };
      if (method === 'POST' && path === '/apps/gotomeeting/configuration/drift/preview') return { status: 200, body: impact };
      if (method === 'PUT' && path === '/apps/gotomeeting/configuration/drift') return { status: 200, body: detail('correct') };
      return undefined;
    });
    const user = userEvent.setup();
    const region = await screen.findByRole('region', { name: 'Drift' });
    const save = within(region).getByRole('button', { name: 'Save drift setting' });
    expect((save as HTMLButtonElement).disabled).toBe(true);
    await user.click(within(region).getByRole('radio', { name: /^Correct/ }));
    await user.click(save);

    const dialog = await screen.findByRole('dialog', { name: 'Change the drift setting?' });
    expect(dialog.textContent).toContain('1 account will be set back at the next reconciliation');
    expect(within(dialog).getByRole('list', { name: 'Accounts that will be set back' }).textContent).toMatch(/zoe@example\.com.*Last name.*ByHand → Martin/);
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);

    await user.click(within(dialog).getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ mode: 'correct' }));
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ mode: 'correct' });
  });

  it('a read-only admin reads the setting and cannot change it or reconcile', async () => {
    renderAt('/apps/gotomeeting', (method, path) => {
      if (path === '/session') return session('read_only');
      if (method === 'GET' && path === '/apps/gotomeeting') return { status: 200, body: detail('report') };
      return undefined;
    });
    const region = await screen.findByRole('region', { name: 'Drift' });
    expect(region.textContent).toContain('Report only: drift is listed in the reconciliation report, nothing is changed');
    expect(within(region).queryByRole('radio')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Reconcile now' })).toBeNull();
  });
});
