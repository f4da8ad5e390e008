import { expect, test } from '@playwright/test';
import { e2eServer } from '../support/server-config.js';

// S-1, S-3: sign in; a wrong password is refused without saying which part was wrong.
test('a super-admin signs in, is refused a wrong password, and signs out', async ({ page }) => {
  const { email, password, name } = e2eServer.superAdmin;
  await page.goto('/directory');
  await expect(page).toHaveURL(/\/sign-in/);

  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('not my password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Wrong e-mail or password')).toBeVisible();

  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/directory/);
  await expect(page.getByRole('banner')).toContainText(name);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto('/directory');
  await expect(page).toHaveURL(/\/sign-in/);
});
