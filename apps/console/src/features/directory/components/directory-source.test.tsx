import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderAt, session } from '../../../test/render';

const google = (lastError: string | null, lastErrorField: 'serviceAccountKey' | 'adminEmail' | null) => ({
  status: 200,
  body: {
    kind: 'google',
    google: {
      clientEmail: 'reader@project.iam.gserviceaccount.com',
      clientId: '1234567890',
      adminEmail: 'admin@example.com',
      primaryDomain: 'example.com',
      connectedAt: '2026-11-24T10:00:00.000Z',
      lastFullReadAt: '2026-11-24T10:00:00.000Z',
      lastChangeReadAt: '2026-11-24T10:05:00.000Z',
      lastError,
      lastErrorAt: lastError ? '2026-11-24T10:06:00.000Z' : null,
      lastErrorField,
    },
    previousGoogleDomain: null,
  },
});

describe('Google Workspace status: what failed, next to what to change (G-2)', () => {
  it('puts an admin problem next to the admin e-mail, not next to the key', async () => {
    const message = 'admin@example.com may not read the audit log (Reports), which autoprov follows for changes.';
    renderAt('/directory/source', (_m, path) => (path === '/session' ? session('super_admin') : path === '/directory/source' ? google(message, 'adminEmail') : undefined));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', expect.stringContaining(message));
    const actingAs = screen.getByText('Acting as').nextElementSibling as HTMLElement;
    expect(within(actingAs).getByText(/This is what to change/).textContent).toMatch(/another super-admin's e-mail/);
    const account = screen.getByText('Service account').nextElementSibling as HTMLElement;
    expect(within(account).queryByText(/This is what to change/)).toBeNull();
  });

  it('a clock that is off points at neither', async () => {
    renderAt('/directory/source', (_m, path) => (path === '/session' ? session('super_admin') : path === '/directory/source' ? google('Google refused the sign-in because the clock of the server running autoprov is off.', null) : undefined));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', expect.stringContaining('clock of the server'));
    expect(screen.queryByText(/This is what to change/)).toBeNull();
  });
});
