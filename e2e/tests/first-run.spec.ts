import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { e2eServer } from '../support/server-config.js';

// S-1: no default password; the first super-admin is created through the one-time link that
// the start command printed.
test('first run: the printed link creates the super-admin, once', async ({ page }) => {
  const setupLink = readFileSync(e2eServer.setupLinkFile, 'utf8').trim();

  await page.goto('/sign-in');
  await expect(page.getByText(/setup link/i).first()).toBeVisible();

  await page.goto(setupLink);
  await expect(page.getByRole('heading', { name: 'Create the super-admin' })).toBeVisible();
  const { name, email, password } = e2eServer.superAdmin;
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: /create/i }).click();
  await expect(page.getByText('Use at least 12 characters')).toBeVisible();

  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: /create/i }).click();
  await expect(page.getByRole('banner')).toContainText(name);
  await page.context().storageState({ path: e2eServer.superAdminState });

  // The link works once.
  await page.goto(setupLink);
  await expect(page.getByText(/already set up/i)).toBeVisible();
});
