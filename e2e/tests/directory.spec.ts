import { expect, test } from '@playwright/test';
import { e2eServer } from '../support/server-config.js';

test.use({ storageState: e2eServer.superAdminState });

// SPEC §1 built-in directory, issue 2 journey: browse, add a user, put them in a group,
// suspend them; every change is recorded with who did it.
test('a super-admin browses the directory, adds a user to a group and suspends them', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Directory' }).click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  await expect(page.getByText(/of 20\d/)).toBeVisible();

  // Search narrows the list, server-side.
  await page.getByRole('searchbox').fill('Suspendu');
  await expect(page.getByRole('row')).toHaveCount(2);
  await expect(page.getByRole('row').nth(1)).toContainText('Suspended');
  await page.getByRole('searchbox').fill('');

  // Bad input: the server's reason shows next to the field, and nothing is stored.
  await page.getByRole('link', { name: 'Add user' }).click();
  await page.getByLabel('First name').fill('Zoé');
  await page.getByLabel('Last name').fill("N'Guessan-Ångström");
  await page.getByLabel('Primary e-mail').fill('zoe@elsewhere.test');
  await page.getByLabel(/org(anisational)? unit/i).selectOption({ label: '/Sales' });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText(/not one of them/)).toBeVisible();
  await expect(page.getByLabel('Primary e-mail')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Primary e-mail').fill('zoe.nguessan@example.com');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: /Zoé N'Guessan-Ångström/ })).toBeVisible();
  await expect(page.getByText('zoe.nguessan@example.com').first()).toBeVisible();

  // Put them in a group from the group's page.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Directory' }).click();
  await page.getByRole('navigation', { name: 'Directory' }).getByRole('link', { name: 'Groups' }).click();
  await page.getByRole('link', { name: 'Meeting hosts' }).click();
  await page.getByRole('button', { name: 'Add member' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Search users').fill('zoe.ng');
  await dialog.getByRole('option', { name: /zoe\.nguessan@example\.com/ }).click();
  await dialog.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByRole('row', { name: /zoe\.nguessan@example\.com/ })).toBeVisible();

  // Suspend them from their page.
  await page.getByRole('row', { name: /zoe\.nguessan@example\.com/ }).getByRole('link').first().click();
  await expect(page.getByRole('heading', { name: "Zoé N'Guessan-Ångström" })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Meeting hosts' })).toBeVisible();
  await page.getByRole('button', { name: 'Suspend' }).click();
  await page.getByRole('dialog', { name: 'Suspend this user?' }).getByRole('button', { name: 'Suspend' }).click();
  await expect(page.getByText('Suspended', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Restore' })).toBeVisible();

  // The change history says who did what.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Directory' }).click();
  await page.getByRole('navigation', { name: 'Directory' }).getByRole('link', { name: 'Change history' }).click();
  await expect(page.getByText('Suspended zoe.nguessan@example.com')).toBeVisible();
  await expect(page.getByText(e2eServer.superAdmin.email).first()).toBeVisible();
});
