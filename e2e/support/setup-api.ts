import { expect, type Page } from '@playwright/test';
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
