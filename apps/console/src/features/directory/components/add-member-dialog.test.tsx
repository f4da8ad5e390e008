import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderAt, session } from '../../../test/render';

const group = { id: 'g1', email: 'sales@example.com', name: 'Sales', description: null, directMemberCount: 0, members: [] };

function openGroup(addAnswer: { status: number; body?: unknown }) {
  return renderAt('/directory/groups/g1', (method, path) => {
    if (path === '/session') return session('super_admin');
    if (method === 'GET' && path === '/directory/groups/g1') return { status: 200, body: group };
    if (method === 'POST' && path === '/directory/groups/g1/members') return addAnswer;
    return undefined;
  });
}

describe('add member dialog', () => {
  it("puts the server's reason for an outside address next to the e-mail field", async () => {
    const { calls } = openGroup({ status: 400, body: { error: { code: 'validation_failed', message: 'Check the highlighted field.', fields: { email: 'This address is in the organisation: add the user instead' } } } });
    await userEvent.click(await screen.findByRole('button', { name: 'Add member' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByLabelText('Someone outside the organisation'));
    await userEvent.type(within(dialog).getByLabelText('E-mail address'), 'zoe@example.com');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add member' }));
    const field = within(dialog).getByLabelText('E-mail address');
    await waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'));
    const messages = field.getAttribute('aria-describedby')!.split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(messages).toContain('This address is in the organisation: add the user instead');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ kind: 'external', email: 'zoe@example.com' });
  });

  it('asks for a user to be chosen before sending anything', async () => {
    const { calls } = openGroup({ status: 201, body: group });
    await userEvent.click(await screen.findByRole('button', { name: 'Add member' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add member' }));
    expect(await within(dialog).findByText('Choose a user first.')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });
});
