import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { catalogEntry } from '@autoprov/contract';
import { renderAt, session } from '../../../test/render';

const app = { app: { ...catalogEntry('gotomeeting')!, builtInOAuth: true }, sso: null, availability: [], configuration: null, audit: [] };
const refusal = 'This is not a readable X.509 certificate: copy it again from your identity provider.';

describe('the SSO form (W-1)', () => {
  it('checks the https URL and the certificate in the browser, then shows the server’s certificate refusal next to the field', async () => {
    const { calls } = renderAt('/apps/gotomeeting/sso', (method, path) => {
      if (path === '/session') return session('super_admin');
      if (path === '/apps/gotomeeting') return { status: 200, body: app };
      if (method === 'PUT' && path === '/apps/gotomeeting/sso') {
        return { status: 400, body: { error: { code: 'validation_failed', message: refusal, fields: { certificate: refusal } } } };
      }
      return undefined;
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText(/Entity ID/), 'https://sso.example.com/gotomeeting');
    const url = screen.getByLabelText(/Sign-in URL/);
    const certificate = screen.getByLabelText(/IdP certificate/);
    await user.type(url, 'http://sso.example.com/saml');
    await user.type(certificate, 'not a certificate');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Enter a full URL, starting with https://')).toBeTruthy();
    expect(screen.getByText(/^Paste one certificate in PEM form/)).toBeTruthy();
    expect(url.getAttribute('aria-invalid')).toBe('true');
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);

    await user.clear(url);
    await user.type(url, 'https://sso.example.com/saml');
    await user.clear(certificate);
    // Shaped like a certificate: only the server can tell it is not one.
    await user.type(certificate, 'MIIBszCCAVmgAwIBAgIUQkAA');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(certificate.getAttribute('aria-invalid')).toBe('true'));
    const error = document.getElementById(certificate.getAttribute('aria-describedby')!.split(' ').at(-1)!)!;
    expect(error.textContent).toBe(refusal);
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.body).toEqual({
      entityId: 'https://sso.example.com/gotomeeting',
      ssoUrl: 'https://sso.example.com/saml',
      certificate: '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQkAA\n-----END CERTIFICATE-----',
    });
  });
});
