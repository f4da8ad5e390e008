import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { aUser, orgUnits, renderAt, session } from '../../../test/render';

describe('add user form', () => {
  it("shows the server's reason next to the e-mail field and sends the CSRF token", async () => {
    const { calls } = renderAt('/directory/users/new', (method, path) => {
      if (path === '/session') return session('super_admin');
      if (path === '/directory/org-units') return orgUnits;
      if (method === 'POST' && path === '/directory/users') {
        return {
          status: 400,
          body: {
            error: {
              code: 'validation_failed',
              message: 'The address is not in the organisation.',
              fields: { primaryEmail: 'Use an address in one of the organisation\'s domains (example.com); elsewhere.test is not one of them.' },
            },
          },
        };
      }
      return undefined;
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText(/First name/), 'Zoé');
    await user.type(screen.getByLabelText(/Last name/), 'Martin');
    await user.type(screen.getByLabelText(/Primary e-mail/), 'zoe@elsewhere.test');
    await waitFor(() => expect(screen.getByRole('option', { name: '/Sales' })).toBeTruthy());
    await user.selectOptions(screen.getByLabelText(/Organisational unit/), '/Sales');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    const email = screen.getByLabelText(/Primary e-mail/);
    await waitFor(() => expect(email.getAttribute('aria-invalid')).toBe('true'));
    const describedBy = email.getAttribute('aria-describedby')!.split(' ');
    const messages = describedBy.map((id) => document.getElementById(id)?.textContent);
    expect(messages).toContain("Use an address in one of the organisation's domains (example.com); elsewhere.test is not one of them.");
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.headers['X-CSRF-Token']).toBe('csrf-123');
    expect(post.body).toMatchObject({ primaryEmail: 'zoe@elsewhere.test', orgUnitId: 'ou-sales' });
  });

  it('refuses to send a form with a missing field', async () => {
    const { calls } = renderAt('/directory/users/new', (_m, path) => (path === '/session' ? session('super_admin') : path === '/directory/org-units' ? orgUnits : undefined));
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Enter the first name')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });
});

describe('user page (S-1)', () => {
  const respond = (role: 'super_admin' | 'read_only') => (_m: string, path: string) =>
    path === '/session' ? session(role) : path === '/directory/users/u1' ? { status: 200, body: aUser } : undefined;

  it('gives a super-admin the edit controls', async () => {
    renderAt('/directory/users/u1', respond('super_admin'));
    expect(await screen.findByRole('heading', { name: 'Zoé Martin' })).toBeTruthy();
    for (const name of ['Edit', 'Suspend', 'Archive', 'Delete']) expect(screen.getByRole('button', { name })).toBeTruthy();
  });

  it("opens the edit form on the user's current org unit, even when the units arrive after the user", async () => {
    renderAt('/directory/users/u1', (m, path) => {
      if (path === '/directory/org-units') {
        return { status: 200, body: { items: [{ id: 'ou-root', parentId: null, name: 'Example', path: '/', description: null, userCount: 1 }, ...orgUnits.body.items] } };
      }
      return respond('super_admin')(m, path);
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Edit' }));
    const select = await screen.findByRole('combobox', { name: /Organisational unit/ });
    await waitFor(() => expect((select as HTMLSelectElement).value).toBe('ou-sales'));
    expect(screen.getByText('Now in /Sales')).toBeTruthy();
  });

  it('shows a read-only admin no control that changes anything', async () => {
    renderAt('/directory/users/u1', respond('read_only'));
    expect(await screen.findByRole('heading', { name: 'Zoé Martin' })).toBeTruthy();
    expect(screen.getByText('zoe@example.com')).toBeTruthy();
    for (const name of ['Edit', 'Suspend', 'Archive', 'Delete', 'Restore']) expect(screen.queryByRole('button', { name })).toBeNull();
  });
});
