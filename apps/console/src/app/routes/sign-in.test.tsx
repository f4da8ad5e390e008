import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderAt } from '../../test/render';

describe('sign-in page', () => {
  it('says the same thing for any wrong e-mail or password', async () => {
    renderAt('/sign-in', (method, path) => {
      if (path === '/setup') return { status: 200, body: { needsSetup: false } };
      if (path === '/session' && method === 'GET') return { status: 401, body: { error: { code: 'unauthenticated', message: 'Sign in to continue.' } } };
      if (path === '/session' && method === 'POST') {
        return { status: 401, body: { error: { code: 'invalid_credentials', message: 'Wrong e-mail or password.' } } };
      }
      return undefined;
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('E-mail'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong e-mail or password.');
  });

  it('points to the setup link when no admin exists yet', async () => {
    renderAt('/sign-in', (_m, path) =>
      path === '/setup'
        ? { status: 200, body: { needsSetup: true } }
        : { status: 401, body: { error: { code: 'unauthenticated', message: 'Sign in to continue.' } } },
    );
    expect(await screen.findByText(/one-time setup link/)).toBeTruthy();
  });

  it('asks for the authentication code after the right password, and puts a wrong code next to its field (S-6)', async () => {
    const { calls } = renderAt('/sign-in', (method, path, body) => {
      if (path === '/setup') return { status: 200, body: { needsSetup: false } };
      if (path === '/session' && method === 'GET') return { status: 401, body: { error: { code: 'unauthenticated', message: 'Sign in to continue.' } } };
      if (path === '/session' && method === 'POST') {
        const code = (body as { code?: string }).code;
        if (!code) return { status: 401, body: { error: { code: 'second_factor_required', message: 'Enter the 6-digit code.' } } };
        return { status: 401, body: { error: { code: 'invalid_credentials', message: 'This code is not valid.', fields: { code: 'This code is not valid (or was already used).' } } } };
      }
      return undefined;
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('E-mail'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'the right password');
    expect(screen.queryByLabelText('Authentication code')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await user.type(await screen.findByLabelText('Authentication code'), '123456');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByText('This code is not valid (or was already used).')).closest('.field')?.querySelector('input')?.getAttribute('aria-invalid')).toBe('true');
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([
      { email: 'ada@example.com', password: 'the right password' },
      { email: 'ada@example.com', password: 'the right password', code: '123456' },
    ]);
  });
});
