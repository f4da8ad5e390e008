import { expect, test } from '@playwright/test';
import { e2eServer } from '../support/server-config.js';

// S-1: a read-only admin sees the directory, no control that changes it, and the API refuses
// the write anyway.
test('a super-admin adds a read-only admin, who can look but not change', async ({ browser }) => {
  const admin = await browser.newContext({ storageState: e2eServer.superAdminState });
  const page = await admin.newPage();
  await page.goto('/admins');
  await page.getByRole('button', { name: 'Add admin' }).click();
  const { name, email, password } = e2eServer.readOnlyAdmin;
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('E-mail').fill(email);
  await dialog.getByLabel('Role').selectOption({ label: 'Read-only admin' });
  await dialog.getByLabel('Password').fill(password);
  await dialog.getByRole('button', { name: 'Add admin' }).click();
  await expect(page.getByRole('row', { name: new RegExp(email) })).toBeVisible();
  await admin.close();

  const reader = await browser.newContext();
  const readerPage = await reader.newPage();
  await readerPage.goto('/sign-in');
  await readerPage.getByLabel('E-mail').fill(email);
  await readerPage.getByLabel('Password').fill(password);
  await readerPage.getByRole('button', { name: 'Sign in' }).click();
  await expect(readerPage.getByRole('banner')).toContainText(name);

  await readerPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Directory' }).click();
  await expect(readerPage.getByRole('heading', { name: 'Users' })).toBeVisible();
  await expect(readerPage.getByRole('row').nth(1)).toBeVisible();
  await expect(readerPage.getByRole('link', { name: 'Add user' })).toHaveCount(0);
  await expect(readerPage.getByRole('button', { name: 'Add user' })).toHaveCount(0);

  await readerPage.getByRole('row').nth(1).getByRole('link').first().click();
  await expect(readerPage).toHaveURL(/\/directory\/users\/[0-9a-f-]{36}$/);
  await expect(readerPage.getByText('Primary e-mail')).toBeVisible();
  for (const control of ['Edit', 'Save', 'Suspend', 'Restore', 'Archive', 'Delete']) {
    await expect(readerPage.getByRole('button', { name: control, exact: true })).toHaveCount(0);
  }
  const userId = new URL(readerPage.url()).pathname.split('/').pop()!;

  // The API refuses the write even with the reader's own valid session and CSRF token.
  const session = await (await readerPage.request.get('/api/session')).json();
  const refused = await readerPage.request.post(`/api/directory/users/${userId}/suspend`, {
    headers: { 'x-csrf-token': session.csrfToken, 'content-type': 'application/json', origin: e2eServer.url },
    data: {},
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe('forbidden');
  await readerPage.reload();
  await expect(readerPage.getByText('Active', { exact: true })).toBeVisible();
  await reader.close();
});
