import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { catalogEntry, type AppDetail } from '@autoprov/contract';
import { appDetail } from '../../../../test/app-detail';
import { renderAt, session } from '../../../../test/render';

function detail(overrides: Partial<NonNullable<AppDetail['configuration']>> = {}): AppDetail {
  return appDetail(
    'gotomeeting',
    { state: 'draft', wizardStep: 'mapping', setupComplete: false, authorizedBy: null, authorizedAt: null, endpointUrl: 'http://127.0.0.1:3100/scim/v2/accounts/4821937', nextRunReason: 'not_active', accounts: 0, ...overrides },
    { endpointTemplate: 'http://127.0.0.1:3100/scim/v2/accounts/{AccountKey}' },
  );
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

  it('W-2: back from the app’s consent page, the screen confirms the authorization', async () => {
    renderAt('/apps/gotomeeting/setup/endpoint?authorized=1', (_m, path) => {
      if (path === '/session') return session('super_admin');
      if (path === '/apps/gotomeeting') return { status: 200, body: detail({ wizardStep: 'endpoint', endpointUrl: null }) };
      return undefined;
    });
    expect(await screen.findByText('Authorized: GoToMeeting allowed autoprov to manage its accounts.')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Step 3 of 7: Endpoint URL' })).toBeTruthy();
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

  it('issue 15 item 3: an app that takes only a token asks for it at once, with its endpoint template to fill in and where to find both', async () => {
    const aws = catalogEntry('aws-iam-identity-center')!;
    const awsDetail: AppDetail = { ...detail({ wizardStep: 'authorize', authorization: null, authorizedOrigin: null, endpointUrl: null }), app: { ...aws, builtInOAuth: false } };
    const { calls } = renderAt('/apps/aws-iam-identity-center/setup/authorize', (method, path) => {
      if (path === '/session') return session('super_admin');
      if (path === '/apps/aws-iam-identity-center') return { status: 200, body: awsDetail };
      if (method === 'PUT' && path === '/apps/aws-iam-identity-center/configuration/bearer-token') return { status: 204, body: null };
      return undefined;
    });
    const user = userEvent.setup();
    expect(await screen.findByText(/autoprov needs a token from AWS IAM Identity Center/)).toBeTruthy();
    expect(screen.getByText(/Automatic provisioning shows the SCIM endpoint/)).toBeTruthy();
    // No OAuth choice: the token form is there, prefilled with the template.
    expect(screen.queryByRole('radio')).toBeNull();
    const field = screen.getByRole('textbox', { name: 'Endpoint URL' });
    expect((field as HTMLInputElement).value).toBe('https://scim.{Region}.amazonaws.com/{TenantId}/scim/v2');
    await user.type(screen.getByLabelText(/Bearer token/), 'aws-token');
    await user.click(screen.getByRole('button', { name: 'Save the token and continue' }));
    // The placeholders are refused before anything is sent (W-3).
    await waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'));
    expect(calls.filter((c) => c.method === 'PUT')).toEqual([]);
    await user.clear(field);
    await user.type(field, 'https://scim.eu-west-1.amazonaws.com/abc123/scim/v2');
    await user.click(screen.getByRole('button', { name: 'Save the token and continue' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PUT').map((c) => c.body)).toEqual([{ token: 'aws-token', endpointUrl: 'https://scim.eu-west-1.amazonaws.com/abc123/scim/v2' }]));
  });

  it("issue 15 item 3: GitHub EMU's required attributes are marked and its roles are the access levels offered, lowest first", async () => {
    const github = catalogEntry('github-emu')!;
    const mapping = Object.fromEntries(github.attributes.map((a) => [a.path, a.defaultSource!]));
    const scope = [{ groupId: 'g-eng', name: 'Engineering', email: 'engineering@example.com', accessLevel: 'user', teamName: '' }];
    const githubDetail = (wizardStep: 'mapping' | 'scope'): AppDetail => ({ ...detail({ wizardStep, mapping, scope }), app: { ...github, builtInOAuth: false } });
    const answer = (step: 'mapping' | 'scope') => (_m: string, path: string) => {
      if (path === '/session') return session('super_admin');
      if (path === '/apps/github-emu') return { status: 200, body: githubDetail(step) };
      if (path === '/apps/github-emu/configuration/mapping/preview') return preview;
      if (path.startsWith('/directory/groups')) return { status: 200, body: { items: [], total: 0, page: 1, pageSize: 8 } };
      return undefined;
    };
    renderAt('/apps/github-emu/setup/mapping', answer('mapping'));
    for (const label of ['User name', 'External ID', 'Display name', 'First name', 'Last name', 'Work e-mail']) {
      expect(await screen.findByRole('combobox', { name: `${label} (required)` })).toBeTruthy();
    }
    cleanup();

    renderAt('/apps/github-emu/setup/scope', answer('scope'));
    const level = await screen.findByRole('combobox', { name: 'Access level for Engineering' });
    expect([...(level as HTMLSelectElement).options].map((o) => o.text)).toEqual(['Guest collaborator', 'Enterprise member', 'Billing manager', 'Enterprise owner']);
    expect((level as HTMLSelectElement).value).toBe('user');
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

  it('W-5: the keyboard picks a group from "Search groups" without submitting the step; removing one keeps the focus in the table', async () => {
    const groups = [
      { id: 'g-fin', email: 'finance@example.com', name: 'Finance', description: null, directMemberCount: 4 },
      { id: 'g-fac', email: 'facilities@example.com', name: 'Facilities', description: null, directMemberCount: 2 },
      { id: 'g-man', email: 'managers@example.com', name: 'Managers', description: null, directMemberCount: 3 },
    ];
    const { calls } = renderAt('/apps/gotomeeting/setup/scope', (_m, path) => {
      if (path === '/session') return session('super_admin');
      if (path === '/apps/gotomeeting') return { status: 200, body: detail({ wizardStep: 'scope' }) };
      if (path.startsWith('/directory/groups?')) {
        const q = new URLSearchParams(path.split('?')[1]).get('q') ?? '';
        const items = groups.filter((g) => g.name.toLowerCase().startsWith(q.toLowerCase()));
        return { status: 200, body: { items, total: items.length, page: 1, pageSize: 8 } };
      }
      return undefined;
    });
    const user = userEvent.setup();
    const search = await screen.findByRole('combobox', { name: 'Search groups' });
    await user.type(search, 'f');
    await screen.findByRole('option', { name: /Facilities/ });
    await user.keyboard('{ArrowDown}');
    const active = search.getAttribute('aria-activedescendant');
    expect(active).toBeTruthy();
    const picked = document.getElementById(active!)!.textContent!.split(' ')[0]!;
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('button', { name: `Remove ${picked}` })).toBeTruthy();
    expect((search as HTMLInputElement).value).toBe('');
    expect(screen.getByRole('heading', { name: 'Step 5 of 7: Provisioning scope' })).toBeTruthy();
    // An Enter with nothing to pick does not submit the step either.
    await user.keyboard('{Enter}');
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);

    await user.type(search, 'man');
    await screen.findByRole('option', { name: /Managers/ });
    await user.keyboard('{ArrowDown}{Enter}');
    await screen.findByRole('button', { name: 'Remove Managers' });
    await user.click(screen.getByRole('button', { name: `Remove ${picked}` }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Remove Managers' })));
    await user.click(screen.getByRole('button', { name: 'Remove Managers' }));
    await waitFor(() => expect(document.activeElement).toBe(search));
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
  });
});
