import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { e2eServer } from '../support/server-config.js';

const tess = { name: 'Tess Totp', email: 'tess@example.com', password: 'tess keeps a long passphrase' };

/** What Tess's authenticator app shows now, computed with the same library as the server. */
const codeFor = (secret: string, at = Date.now()) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: at });

/** `within`: only that part (the sign-in page's own landmarks are not this journey's concern). */
async function expectAccessible(page: Page, within?: string) {
  const axe = new AxeBuilder({ page });
  const results = await (within ? axe.include(within) : axe).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

async function signIn(page: Page, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail').fill(tess.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

// S-6: strong passwords, two-factor sign-in with TOTP and recovery codes, one-time reset links.
test('an admin turns on two-factor sign-in, signs in with a code, and is let back in by a reset link', async ({ browser }) => {
  test.setTimeout(90_000); // up to 30 s waiting for the authenticator's next code
  const admin = await browser.newContext({ storageState: e2eServer.superAdminState });
  const adminPage = await admin.newPage();
  await adminPage.goto('/admins');
  await adminPage.getByRole('button', { name: 'Add admin' }).click();
  const dialog = adminPage.getByRole('dialog');
  await dialog.getByLabel('Name').fill(tess.name);
  await dialog.getByLabel('E-mail').fill(tess.email);
  await dialog.getByLabel('Password').fill('aaaaaaaaaaaa');
  await dialog.getByRole('button', { name: 'Add admin' }).click();
  await expect(dialog.getByText(/Too easy to guess/)).toBeVisible();
  await dialog.getByLabel('Password').fill(tess.password);
  await dialog.getByRole('button', { name: 'Add admin' }).click();
  await expect(adminPage.getByRole('row', { name: new RegExp(tess.email) })).toContainText('Off');

  // Tess sets up two-factor sign-in from Account security.
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, tess.password);
  await expect(page.getByRole('banner')).toContainText(tess.name);
  await page.getByRole('link', { name: 'Account security' }).click();
  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  const secret = (await page.getByLabel('Setup key').textContent())!.trim();
  await expectAccessible(page);
  const enabledAt = Date.now();
  await page.getByLabel('Code from the app').fill(codeFor(secret, enabledAt));
  await page.getByRole('button', { name: 'Turn on' }).click();
  const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(codes).toHaveCount(10);
  const recoveryCode = (await codes.first().textContent())!.trim();
  await page.getByRole('button', { name: 'I have saved them' }).click();
  await expect(page.getByText(/Two-factor sign-in is on: signing in asks for a code/)).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  // The password alone is not enough; a wrong code is refused next to its field; the right one lets Tess in.
  await signIn(page, tess.password);
  await expect(page.getByLabel('Authentication code')).toBeFocused();
  await expect(page.getByRole('banner')).toHaveCount(0);
  await expectAccessible(page, 'form');
  await page.getByLabel('Authentication code').fill(codeFor(secret) === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(/This code is not valid/)).toBeVisible();
  // A code is accepted once (RFC 6238 §5.2), and the one that turned 2FA on may still be the
  // current one: like a person, the journey waits for the app to show the next code.
  const nextStepAt = (Math.floor(enabledAt / 30_000) + 1) * 30_000;
  if (Date.now() < nextStepAt) await page.waitForTimeout(nextStepAt - Date.now() + 500);
  await page.getByLabel('Authentication code').fill(codeFor(secret));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('banner')).toContainText(tess.name);
  await page.getByRole('button', { name: 'Sign out' }).click();

  // A recovery code stands in for the authenticator, once.
  await signIn(page, tess.password);
  await page.getByLabel('Authentication code').fill(recoveryCode);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('banner')).toContainText(tess.name);
  await page.getByRole('button', { name: 'Sign out' }).click();

  // Tess loses her phone and her password: a super-admin sends a one-time link that also turns 2FA off.
  await adminPage.reload();
  await expect(adminPage.getByRole('row', { name: new RegExp(tess.email) })).toContainText('On');
  await adminPage.getByRole('button', { name: `Reset password of ${tess.email}` }).click();
  await adminPage.getByLabel(/Also turn off their two-factor sign-in/).check();
  await adminPage.getByRole('button', { name: 'Create the link' }).click();
  const link = await adminPage.getByLabel('One-time link').inputValue();
  expect(link).toMatch(/\/reset-password\?token=/);
  await admin.close();

  await page.goto(link);
  await page.getByLabel('New password').fill(tess.email);
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await expect(page.getByText(/Too easy to guess/)).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('New password').fill('tess found a new passphrase');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await expect(page.getByText(/new password is set/)).toBeVisible();
  await page.goto(link);
  await expect(page.getByText(/This link is not valid/)).toBeVisible();

  await signIn(page, 'tess found a new passphrase');
  await expect(page.getByRole('banner')).toContainText(tess.name);
  await context.close();
});
