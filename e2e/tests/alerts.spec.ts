import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { e2eServer } from '../support/server-config.js';
import { idpCertificate } from '../support/idp-certificate.js';
import { startSmtpInbox } from '@autoprov/server/testing';

const { demoApp } = e2eServer;
/** Whichever admin password the demo app has now (the provisioning journey changes it, M-5). */
const demoAppPasswords = [demoApp.adminPassword, demoApp.changedAdminPassword];
/** What this journey changes it to, to revoke autoprov's authorization, before putting it back. */
const revokingPassword = 'alerts journey password';

test.use({ storageState: e2eServer.superAdminState });


/** Signs in on the demo app's form in front of us with the first password that works. */
async function signInToDemoApp(page: Page, signedIn: Locator, passwords: string[]) {
  for (const password of passwords) {
    await page.getByLabel('E-mail').fill(demoApp.adminEmail);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    if (await signedIn.isVisible({ timeout: 3_000 }).catch(() => false)) return password;
  }
  await expect(signedIn).toBeVisible();
  return '';
}

/** The demo app's admin changes its password, which revokes every token it issued (SPEC §6). */
async function changeDemoAppPassword(app: Page, current: string, to: string) {
  await app.goto(`${demoApp.url}/admin`);
  const users = app.getByRole('heading', { name: /^Users \(/ });
  if (await app.getByRole('heading', { name: 'Admin Center sign-in' }).isVisible()) await signInToDemoApp(app, users, [current]);
  await expect(users).toBeVisible();
  await app.goto(`${demoApp.url}/admin/password`);
  await app.getByLabel('Current password').fill(current);
  await app.getByLabel('New password').fill(to);
  await app.getByRole('button', { name: 'Change password' }).click();
  await expect(app.getByText('Password changed. Every authorization was revoked.')).toBeVisible();
}

// SPEC L-7 (alerts: e-mail, console notifications, once per episode), M-5 (lost authorization).
test('alerts: SMTP settings with a test e-mail, an alert e-mailed when GoToMeeting needs re-authorization, the notifications list', async ({ page }) => {
  test.setTimeout(120_000);
  const smtp = await startSmtpInbox();
  try {
    // The SMTP settings, and a test e-mail that really arrives.
    await page.goto('/alerts');
    await expect(page.getByRole('heading', { name: 'Alerts', level: 1 })).toBeVisible();
    await page.getByLabel('SMTP server').fill('127.0.0.1');
    await page.getByLabel('Port', { exact: true }).fill(String(smtp.port));
    await page.getByLabel('Sender address').fill('not an address');
    await page.getByLabel('Recipients').fill('alerts@example.com, not-an-address');
    await page.getByRole('button', { name: 'Save' }).click();
    // Field errors sit next to their fields.
    await expect(page.getByText('Enter the sender address e-mails come from')).toBeVisible();
    await expect(page.getByText('Not an e-mail address: not-an-address')).toBeVisible();
    await page.getByLabel('Sender address').fill('autoprov@example.com');
    await page.getByLabel('Recipients').fill('alerts@example.com');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Alert settings saved.')).toBeVisible();
    await page.getByRole('button', { name: 'Send a test e-mail' }).click();
    await expect(page.getByText('Test e-mail sent to alerts@example.com.')).toBeVisible();
    await expect.poll(() => smtp.mails.map((m) => `${m.to.join(',')}: ${m.subject}`)).toEqual(['alerts@example.com: [autoprov] Test e-mail']);

    // GoToMeeting set up, and its authorization revoked before the first sync: the sync stops (M-5).
    await page.goto('/apps/gotomeeting');
    await expect(page.getByRole('heading', { name: 'Automatic provisioning' })).toBeVisible();
    if (await page.getByRole('link', { name: 'Configure SSO' }).isVisible()) {
      await page.getByRole('link', { name: 'Configure SSO' }).click();
      await page.getByLabel('Entity ID').fill('https://sso.example.com/gotomeeting');
      await page.getByLabel('Sign-in URL').fill('https://sso.example.com/saml');
      await page.getByLabel('IdP certificate').fill(idpCertificate);
      await page.getByRole('button', { name: 'Save' }).click();
    }
    await page.getByRole('button', { name: 'Set up automatic provisioning' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Authorize in GoToMeeting' }).click();
    const original = await signInToDemoApp(page, page.getByRole('heading', { name: 'Allow autoprov to manage users?' }), demoAppPasswords);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(`${demoApp.url}/scim/v2/accounts/${demoApp.accountKey}`);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByText(/What .+@example\.com would become in GoToMeeting/)).toBeVisible();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Search groups').fill('fin');
    await page.getByRole('option', { name: /^Finance / }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Finish' }).click();

    const app = await page.context().newPage();
    await changeDemoAppPassword(app, original, revokingPassword);
    await page.getByRole('switch', { name: 'Provisioning' }).click();
    await page.getByRole('dialog', { name: 'Activate provisioning for GoToMeeting?' }).getByRole('button', { name: 'Activate' }).click();
    await expect(page.getByText(/no longer accepts autoprov's authorization/).first()).toBeVisible({ timeout: 20_000 });

    // One e-mail for the episode, with the link to the app's page.
    await expect.poll(() => smtp.mails.length, { timeout: 15_000 }).toBe(2);
    const alert = smtp.mails[1]!;
    expect(alert).toMatchObject({ to: ['alerts@example.com'], subject: '[autoprov] GoToMeeting: Needs re-authorization' });
    expect(alert.body).toContain(`${e2eServer.url}/apps/gotomeeting`);

    // The notifications list says what, where, and to whom it went; its link opens the app's page.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    const list = page.getByRole('table', { name: 'Notifications' });
    const row = list.getByRole('row').nth(1);
    await expect(row).toContainText('Needs re-authorization');
    await expect(row).toContainText('Ongoing');
    await expect(row).toContainText('E-mail to alerts@example.com');
    await page.screenshot({ path: test.info().outputPath('notifications.png') });
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
    await row.getByRole('link', { name: 'GoToMeeting' }).click();
    await expect(page.getByRole('heading', { name: 'GoToMeeting', level: 1 })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Re-authorize' })).toBeVisible();

    // Left as found for the journeys after this one: no configuration, the demo app's password back, no SMTP.
    await page.getByRole('button', { name: 'Delete configuration' }).click();
    await page.getByRole('dialog', { name: 'Turn off and delete the configuration?' }).getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Set up automatic provisioning' })).toBeVisible();
    await changeDemoAppPassword(app, revokingPassword, original);
    await page.goto('/alerts');
    await expect(page.getByRole('table', { name: 'Notifications' }).getByRole('row').nth(1)).toContainText(/Ended/);
    await page.getByLabel('SMTP server').fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Alert settings saved.')).toBeVisible();
  } finally {
    await smtp.close();
  }
});
