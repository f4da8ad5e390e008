import { expect, type Page } from '@playwright/test';
import { idpCertificate } from './idp-certificate.js';
import { e2eServer } from './server-config.js';

const { demoApp } = e2eServer;
// The provisioning journey changes the demo app's admin password (M-5) when it runs first.
const demoAppPasswords = [demoApp.adminPassword, demoApp.changedAdminPassword];

/** A call to autoprov's API as the signed-in super-admin (the set-up, not what is under test). */
export async function api(page: Page, method: string, path: string, data?: unknown) {
  const { csrfToken } = (await (await page.request.get('/api/session')).json()) as { csrfToken: string };
  const res = await page.request.fetch(path, {
    method,
    headers: { 'x-csrf-token': csrfToken, origin: e2eServer.url, 'content-type': 'application/json' },
    ...(data === undefined ? {} : { data }),
  });
  expect(res.ok(), `${method} ${path}: ${await res.text()}`).toBe(true);
  return res.json();
}

/** W-2 in the demo app's own pages: sign in as its admin (whichever password it has now) and allow. */
export async function consentInDemoApp(page: Page, authorizationUrl: string) {
  await page.goto(authorizationUrl);
  for (const password of demoAppPasswords) {
    if (!(await page.getByRole('heading', { name: 'Sign in to GoToMeeting' }).isVisible())) break;
    await page.getByLabel('E-mail').fill(demoApp.adminEmail);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: /Sign in to GoToMeeting|Allow autoprov to manage users\?/ })).toBeVisible();
  }
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page).toHaveURL(/\/apps\/gotomeeting\/setup\/endpoint/);
}

const app = '/api/apps/gotomeeting';

/** GoToMeeting from scratch for the Finance group, active, its first run over; returns the active members. */
export async function financeOnGoToMeeting(page: Page) {
  await page.goto('/apps');
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
  await api(page, 'PUT', `${app}/configuration/endpoint`, { endpointUrl: `${demoApp.url}/scim/v2/accounts/${demoApp.accountKey}` });
  const finance = (await api(page, 'GET', '/api/directory/groups?q=finance@')).items[0].id as string;
  await api(page, 'PUT', `${app}/configuration/scope`, { groups: [{ groupId: finance, accessLevel: 'organizer' }] });
  await api(page, 'PUT', `${app}/configuration/deprovisioning`, {
    app_off: { delay: '7d', action: 'suspend' },
    suspended: { delay: 'next_sync', action: 'suspend' },
    deleted: { delay: '7d', action: 'delete' },
  });
  await api(page, 'POST', `${app}/configuration/finish`);
  await api(page, 'PUT', `${app}/configuration/activation`, { active: true });
  await expect(async () => {
    const { configuration } = await api(page, 'GET', app);
    expect(configuration.currentRun).toBeNull();
    expect(configuration.lastRun?.state).toBe('succeeded');
  }).toPass({ timeout: 30_000 });
  const members = (await api(page, 'GET', `/api/directory/groups/${finance}`)).members as { user: { primaryEmail: string; givenName: string; familyName: string; status: string } | null }[];
  return members.flatMap((m) => (m.user && m.user.status === 'active' ? [m.user] : []));
}
