import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderAt, session } from '../../../test/render';

describe('two-factor sign-in required by a super-admin (S-6)', () => {
  it('sends an admin without it to Account security, wherever they were going', async () => {
    const mustSetUp = { ...session('read_only'), body: { ...session('read_only').body, twoFactor: { enabled: false, setupRequired: true } } };
    const { router } = renderAt('/apps', (method, path) => {
      if (path === '/session') return mustSetUp;
      if (path === '/account/two-factor') return { status: 200, body: { enabled: false, recoveryCodesLeft: 0 } };
      return undefined;
    });
    expect(await screen.findByRole('heading', { name: 'Account security' })).toBeTruthy();
    expect(screen.getByText(/requires two-factor sign-in for every admin/)).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'Set up two-factor sign-in' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/account/security');
  });
});
