import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { catalogEntry, type AppDetail } from '@autoprov/contract';
import { renderAt, session } from '../../../../test/render';

const entry = catalogEntry('gotomeeting')!;

function detail(overrides: Partial<NonNullable<AppDetail['configuration']>> = {}): AppDetail {
  return {
    app: { ...entry, endpointTemplate: 'http://127.0.0.1:3100/scim/v2/accounts/{AccountKey}', builtInOAuth: true },
    sso: { entityId: 'https://sso.example.com', ssoUrl: 'https://sso.example.com/saml', certificate: 'MIIB', updatedAt: '2026-11-24T10:00:00.000Z' },
    availability: [],
    audit: [],
    configuration: {
      id: 'c1',
      state: 'draft',
      wizardStep: 'mapping',
      setupComplete: false,
      authorization: 'oauth',
      authorizedOrigin: 'http://127.0.0.1:3100',
      endpointUrl: 'http://127.0.0.1:3100/scim/v2/accounts/4821937',
      mapping: Object.fromEntries(entry.attributes.filter((a) => a.defaultSource).map((a) => [a.path, a.defaultSource!])),
      scope: [],
      deprovisioning: {
        app_off: { delay: 'next_sync', action: 'suspend' },
        suspended: { delay: 'next_sync', action: 'suspend' },
        deleted: { delay: 'next_sync', action: 'suspend' },
      },
      heldRun: null,
      lastRun: null,
      currentRun: null,
      nextRunAt: null,
      pendingTimers: 0,
      failuresLast24h: 0,
      accounts: 0,
      ...overrides,
    },
  };
}

const preview = { status: 200, body: { user: { id: 'u1', primaryEmail: 'zoe@example.com' }, attributes: [{ attribute: 'userName', label: 'User name', value: 'zoe@example.com' }] } };

describe('the setup wizard (SPEC §2)', () => {
  it('W-4: marks required attributes and refuses to continue while one is unmapped, without asking the server', async () => {
    const { calls } = renderAt('/apps/gotomeeting/setup/mapping', (method, path) => {
      if (path === '/session') return session('super_admin');
      if (path === '/apps/gotomeeting') return { status: 200, body: detail() };
      if (path === '/apps/gotomeeting/configuration/mapping/preview') return preview;
      return undefined;
    });
    const user = userEvent.setup();
    const lastName = await screen.findByRole('combobox', { name: 'Last name (required)' });
    expect(screen.getByRole('combobox', { name: 'Job title' })).toBeTruthy();
    expect(await screen.findByText(/What zoe@example\.com would become in GoToMeeting/)).toBeTruthy();
    await user.selectOptions(lastName, '');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await screen.findByText('Last name is required: map it to a directory attribute')).toBeTruthy();
    expect(lastName.getAttribute('aria-invalid')).toBe('true');
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
  });

  it('W-3: shows the reason the server gave next to the endpoint field', async () => {
    renderAt('/apps/gotomeeting/setup/endpoint', (method, path) => {
      if (path === '/session') return session('super_admin');
      if (path === '/apps/gotomeeting') return { status: 200, body: detail({ wizardStep: 'endpoint', endpointUrl: null }) };
      if (method === 'PUT' && path === '/apps/gotomeeting/configuration/endpoint') {
        const reason = 'The app has no account with this key (it answered: No account 1.). Check the account key.';
        return { status: 400, body: { error: { code: 'validation_failed', message: reason, fields: { endpointUrl: reason } } } };
      }
      return undefined;
    });
    const user = userEvent.setup();
    const field = await screen.findByRole('textbox', { name: 'Endpoint URL' });
    expect((field as HTMLInputElement).value).toBe('http://127.0.0.1:3100/scim/v2/accounts/{AccountKey}');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await screen.findByText(/Replace \{AccountKey\} with your value/)).toBeTruthy();
    await user.clear(field);
    await user.type(field, 'http://127.0.0.1:3100/scim/v2/accounts/1');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    await waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText(/no account with this key/)).toBeTruthy();
  });

  it('S-5: a bearer token is given with the endpoint it is for, and the server says what is wrong with it', async () => {
    const custom = catalogEntry('custom-scim')!;
    const customDetail: AppDetail = { ...detail({ wizardStep: 'authorize', authorization: null, authorizedOrigin: null, endpointUrl: null }), app: { ...custom, builtInOAuth: false } };
    const { calls } = renderAt('/apps/custom-scim/setup/authorize', (method, path) => {
      if (path === '/session') return session('super_admin');
      if (path === '/apps/custom-scim') return { status: 200, body: customDetail };
      if (method === 'PUT' && path === '/apps/custom-scim/configuration/bearer-token') {
        const reason = 'Enter the endpoint URL';
        return { status: 400, body: { error: { code: 'validation_failed', message: 'Give the endpoint URL this authorization is for.', fields: { endpointUrl: reason } } } };
      }
      return undefined;
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('radio', { name: /A bearer token from the app/ }));
    await user.type(screen.getByLabelText(/Bearer token/), 'secret-token');
    await user.click(screen.getByRole('button', { name: 'Save the token and continue' }));
    const field = screen.getByRole('textbox', { name: 'Endpoint URL' });
    await waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'));
    await user.type(field, 'https://scim.example.com/v2');
    await user.click(screen.getByRole('button', { name: 'Save the token and continue' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PUT').length).toBe(2));
    expect(calls.filter((c) => c.method === 'PUT').map((c) => c.body)).toEqual([
      { token: 'secret-token', endpointUrl: '' },
      { token: 'secret-token', endpointUrl: 'https://scim.example.com/v2' },
    ]);
  });

  it('a read-only admin is sent back to the app page', async () => {
    const { router } = renderAt('/apps/gotomeeting/setup/mapping', (_m, path) => {
      if (path === '/session') return session('read_only');
      if (path === '/apps/gotomeeting') return { status: 200, body: detail() };
      return undefined;
    });
    await waitFor(() => expect(router.state.location.pathname).toBe('/apps/gotomeeting'));
    expect(screen.queryByRole('button', { name: 'Continue' })).toBeNull();
  });
});
