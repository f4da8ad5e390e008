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
});
