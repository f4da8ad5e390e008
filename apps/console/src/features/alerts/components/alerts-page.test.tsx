import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderAt, session } from '../../../test/render';

const settings = {
  smtpHost: '',
  smtpPort: 587,
  smtpSecure: false,
  smtpUser: '',
  smtpPasswordSet: false,
  smtpFrom: '',
  recipients: '',
  effectiveRecipients: ['ada@example.com'],
  webhookUrl: '',
  webhookSecretSet: false,
};

describe('alerts page (L-7)', () => {
  it('with no alerts yet, names the four conditions that are alerted: re-authorization, quarantine, a held run, a partly failed run', async () => {
    renderAt('/alerts', (method, path) => {
      if (path === '/session') return session('read_only');
      if (path === '/alerts/notifications') return { status: 200, body: { items: [] } };
      if (path === '/alerts/settings') return { status: 200, body: settings };
      return undefined;
    });
    expect(await screen.findByText('No alerts yet')).toBeTruthy();
    const text = screen.getByText(/Super-admins are told here/).textContent ?? '';
    expect(text).toMatch(/needs re-authorization/);
    expect(text).toMatch(/quarantined/);
    expect(text).toMatch(/a run is held/);
    expect(text).toMatch(/partly fails/);
  });
});
