import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { e2eServer } from '../support/server-config.js';
import { idpCertificate } from '../support/idp-certificate.js';
import { api, consentInDemoApp } from '../support/setup-api.js';

// L-5 (and issue 10, item 6): the app's page shows its current settings at a glance, to a
// read-only admin too (S-1: they read everything and change nothing); L-2: each run in the sync
// history names what started it.
const { demoApp } = e2eServer;
const reader = { name: 'Rhea Reader', email: 'rhea@example.com', password: 'reads the settings, changes nothing' };

test.use({ storageState: e2eServer.superAdminState });

test('a read-only admin opens the app page and sees its current settings, and what started each run', async ({ page, browser }, testInfo) => {
  test.setTimeout(90_000);
  const app = '/api/apps/gotomeeting';

  // Set-up by the super-admin: a reader, and GoToMeeting configured from scratch.
  await page.goto('/apps');
  await api(page, 'POST', '/api/admins', { ...reader, role: 'read_only' });
  const before = await api(page, 'GET', app);
  if (before.configuration) {
    if (before.configuration.state === 'active') await api(page, 'PUT', `${app}/configuration/activation`, { active: false });
    await api(page, 'DELETE', `${app}/configuration`);
  }
  if (!before.sso) {
    await api(page, 'PUT', `${app}/sso`, { entityId: 'https://sso.example.com/gotomeeting', ssoUrl: 'https://sso.example.com/saml', certificate: idpCertificate });
  }
  await api(page, 'POST', `${app}/configuration`);
  const { authorizationUrl } = await api(page, 'POST', `${app}/configuration/authorization`, {});
  await consentInDemoApp(page, authorizationUrl);
  const endpointUrl = `${demoApp.url}/scim/v2/accounts/${demoApp.accountKey}`;
  await api(page, 'PUT', `${app}/configuration/endpoint`, { endpointUrl });
  const groupId = async (q: string) => (await api(page, 'GET', `/api/directory/groups?q=${q}`)).items[0].id as string;
  await api(page, 'PUT', `${app}/configuration/scope`, {
    groups: [
      { groupId: await groupId('finance@'), accessLevel: 'organizer' },
      { groupId: await groupId('managers@'), accessLevel: 'admin' },
    ],
  });
  await api(page, 'PUT', `${app}/configuration/deprovisioning`, {
    app_off: { delay: '1d', action: 'suspend' },
    suspended: { delay: 'next_sync', action: 'suspend' },
    deleted: { delay: '7d', action: 'delete' },
  });
  await api(page, 'POST', `${app}/configuration/finish`);

  // W-8 and L-4 in the console: activate, then "Sync now"; each run says what started it.
  await page.goto('/apps/gotomeeting');
  await page.getByRole('switch', { name: 'Provisioning' }).click();
  await page.getByRole('dialog', { name: 'Activate provisioning for GoToMeeting?' }).getByRole('button', { name: 'Activate' }).click();
  // However the first run ends (the accounts may already be in the app), it ends.
  await expect(page.getByText(/^Sync (succeeded|partly failed|failed): /)).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByRole('table', { name: 'Sync runs' }).getByRole('row').filter({ hasText: 'Manual' })).toHaveCount(1, { timeout: 20_000 });

  // The reader signs in (a context of their own, signed out to start with).
  const readerContext = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const readerPage = await readerContext.newPage();
  await readerPage.goto('/sign-in');
  await readerPage.getByLabel('E-mail').fill(reader.email);
  await readerPage.getByLabel('Password').fill(reader.password);
  await readerPage.getByRole('button', { name: 'Sign in' }).click();
  await expect(readerPage.getByRole('banner')).toContainText(reader.name);
  await readerPage.goto('/apps/gotomeeting');

  // L-5: every setting at a glance.
  const settings = readerPage.getByRole('region', { name: 'Current settings' });
  await expect(settings).toBeVisible();
  await expect(settings.getByRole('definition').first()).toHaveText(/^OAuth 2\.0, by ada@example\.com on .+\d/);
  await expect(settings.getByText(endpointUrl, { exact: true })).toBeVisible();

  const mapping = settings.getByRole('table', { name: 'Attribute mapping' });
  await expect(mapping.getByRole('row', { name: /^User name \(required\) Primary e-mail$/ })).toBeVisible();
  await expect(mapping.getByRole('row', { name: /^Last name \(required\) Last name$/ })).toBeVisible();
  await expect(mapping.getByRole('row', { name: /^Display name Full name$/ })).toBeVisible();

  const scope = settings.getByRole('table', { name: 'Scope' });
  await expect(scope.getByRole('row')).toHaveCount(3);
  await expect(scope.getByRole('row', { name: /Finance/ })).toContainText('GoToMeeting Organizer');
  await expect(scope.getByRole('row', { name: /Managers/ })).toContainText('GoToMeeting Admin');

  const deprovisioning = settings.getByRole('table', { name: 'Deprovisioning' });
  await expect(deprovisioning.getByRole('row', { name: /When the app is turned off for a user/ })).toContainText(/After 1 day\s*Suspend the account in the app/);
  await expect(deprovisioning.getByRole('row', { name: /When a user is suspended in the directory/ })).toContainText(/Within 24 hours\s*Suspend the account in the app/);
  await expect(deprovisioning.getByRole('row', { name: /When a user is deleted from the directory/ })).toContainText(/After 7 days\s*Delete the account in the app/);

  // L-5: the state, with why the next run is when it is.
  await expect(readerPage.getByRole('heading', { name: /Automatic provisioning/ })).toContainText('Active');
  await expect(readerPage.getByText('Next run', { exact: true }).locator('xpath=following-sibling::dd[1]')).toHaveText(/the daily full sync/);

  // L-2: what started each run.
  const runs = readerPage.getByRole('table', { name: 'Sync runs' });
  await expect(runs.getByRole('row').filter({ hasText: 'Activation' })).toHaveCount(1);
  await expect(runs.getByRole('row').filter({ hasText: 'Manual' })).toHaveCount(1);

  // S-1: reading only. Nothing in the settings can be pressed or changed, nor anywhere on the page.
  await expect(settings.getByRole('button')).toHaveCount(0);
  await expect(settings.getByRole('link')).toHaveCount(0);
  await expect(readerPage.getByRole('switch')).toHaveCount(0);
  await expect(readerPage.getByRole('link', { name: /Edit|Configure SSO|Continue the setup/ })).toHaveCount(0);
  const axe = await new AxeBuilder({ page: readerPage }).include('section[aria-labelledby="settings-heading"]').analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await readerPage.screenshot({ path: testInfo.outputPath('read-only-app-page.png'), fullPage: true });
  await readerContext.close();

  // Leave GoToMeeting as found (M-4: the accounts stay in the app) for the journeys that follow.
  await api(page, 'PUT', `${app}/configuration/activation`, { active: false });
  await expect.poll(async () => (await api(page, 'GET', app)).configuration.currentRun, { timeout: 20_000 }).toBeNull();
  await api(page, 'DELETE', `${app}/configuration`);
});
