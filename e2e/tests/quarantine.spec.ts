import { expect, test, type Page } from '@playwright/test';
import { startFiveHundredGateway, startScimmyServer } from '@autoprov/scim-client/testing';
import { e2eServer } from '../support/server-config.js';
import { idpCertificate } from '../support/idp-certificate.js';
import { api } from '../support/setup-api.js';

// E-16 (escrow) and E-17 (quarantine): a custom SCIM app on 127.0.0.1 goes down (503); its page
// says it is quarantined, why, and what waits; it comes back and "Retry now" sends what waited.
const app = '/api/apps/custom-scim';

test.use({ storageState: e2eServer.superAdminState, viewport: { width: 1440, height: 900 } });

const groupId = async (page: Page, q: string) => (await api(page, 'GET', `/api/directory/groups?q=${q}`)).items[0].id as string;

async function removeCustomApp(page: Page) {
  const before = await api(page, 'GET', app);
  if (!before.configuration) return;
  if (before.configuration.state === 'active') await api(page, 'PUT', `${app}/configuration/activation`, { active: false });
  await api(page, 'DELETE', `${app}/configuration`);
}

test('the app goes down: quarantined with the reason and Retry now; it comes back: Retry now ends quarantine and the waiting accounts are made', async ({ page }) => {
  test.setTimeout(180_000);
  const scim = await startScimmyServer({ token: 'e2e-quarantine-token' });
  const gateway = await startFiveHundredGateway(scim.baseUrl);
  try {
    // Set-up (not under test): the custom app for the Managers group, active, its first sync over.
    await page.goto('/apps');
    await removeCustomApp(page);
    const before = await api(page, 'GET', app);
    if (!before.sso) await api(page, 'PUT', `${app}/sso`, { entityId: 'https://sso.example.com/custom', ssoUrl: 'https://sso.example.com/saml', certificate: idpCertificate });
    await api(page, 'POST', `${app}/configuration`);
    await api(page, 'PUT', `${app}/configuration/bearer-token`, { token: 'e2e-quarantine-token', endpointUrl: gateway.baseUrl });
    await api(page, 'PUT', `${app}/configuration/endpoint`, { endpointUrl: gateway.baseUrl });
    const managers = await groupId(page, 'managers@');
    await api(page, 'PUT', `${app}/configuration/scope`, { groups: [{ groupId: managers, accessLevel: 'user' }] });
    await api(page, 'POST', `${app}/configuration/finish`);
    await api(page, 'PUT', `${app}/configuration/activation`, { active: true });
    await expect(async () => {
      const { configuration } = await api(page, 'GET', app);
      expect(configuration.currentRun).toBeNull();
      expect(configuration.lastRun?.state).toBe('succeeded');
    }).toPass({ timeout: 30_000 });
    const managed = scim.users.size;
    expect(managed).toBeGreaterThan(0);

    // The app goes down; Finance comes into scope meanwhile: every one of its creates fails.
    gateway.outage(503);
    const finance = await groupId(page, 'finance@');
    await api(page, 'PUT', `${app}/configuration/scope`, {
      groups: [
        { groupId: managers, accessLevel: 'user' },
        { groupId: finance, accessLevel: 'user' },
      ],
    });

    await page.goto('/apps/custom-scim');
    const notice = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'Custom SCIM 2.0 app is quarantined' }) });
    await expect(notice).toBeVisible({ timeout: 90_000 });
    await expect(notice).toContainText(/operations of a run failed because the app could not be reached/);
    await expect(notice.getByRole('list', { name: 'Last errors' })).toContainText('Service Unavailable');
    await expect(notice).toContainText('Next check:');
    await expect(page.getByText('a probe of the app, which is quarantined')).toBeVisible();
    // E-16: the users whose account waits, with their attempts and next try.
    const waiting = page.getByRole('table', { name: /Waiting to be retried/ });
    await expect(waiting).toBeVisible();
    await expect(waiting.getByRole('row').nth(1)).toContainText('Create the account');
    const aWaitingUser = (await waiting.getByRole('row').nth(1).getByRole('cell').first().textContent())!.trim();
    expect(aWaitingUser).toMatch(/@example\.com$/);

    // Still down: Retry now says so, and it stays quarantined.
    await notice.getByRole('button', { name: 'Retry now' }).click();
    const toasts = page.getByRole('region', { name: /Notifications/ });
    await expect(toasts.getByText(/The app still does not answer/)).toBeVisible();
    await expect(notice).toBeVisible();

    // The app comes back: Retry now ends quarantine, and the waiting accounts are made.
    gateway.outage(null);
    await notice.getByRole('button', { name: 'Retry now' }).click();
    await expect(toasts.getByText('Custom SCIM 2.0 app answered: it is out of quarantine, and the waiting operations are being sent.')).toBeVisible();
    await expect(notice).toBeHidden();
    await expect.poll(() => [...scim.users.values()].some((u) => u.userName === aWaitingUser), { timeout: 30_000 }).toBe(true);
    await expect(page.getByRole('table', { name: /Waiting to be retried/ })).toBeHidden({ timeout: 20_000 });
    expect(scim.users.size).toBeGreaterThan(managed);

    // "Retry now" is in the app's audit list (L-6).
    await expect(page.getByText('Quarantine: retry now').first()).toBeVisible();
  } finally {
    gateway.outage(null);
    await removeCustomApp(page).catch(() => undefined);
    await gateway.close();
    await scim.close();
  }
});
